// SPDX-License-Identifier: GPL-2.0-only
/* virtionet-rx-path-summary: banners, a period report, the END summary, the exit dump, JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "unit_helpers.h"
#include "util.h"
#include "virtionet-rx-path-summary.h"

static char *buf;
static size_t len;
static uint64_t slots[RXS_SLOTS];
static const struct rxsum_irq_count vring_irqs[] = { { 25, 310 }, { 27, 1200 }, { 29, 0 } };

static void hist_add(enum rxsum_hist h, unsigned slot, uint64_t n)
{
	slots[RXS_AT_HIST + h * BT_HIST_SLOTS + slot] += n;
}

/*
 * 1630 polls: 52 empty, 150 of 1 packet, 1428 of 4-7 (10400 packets in all); two RX vectors
 * (25, 27) and IRQ 30 (not virtio's) in the handler maps.
 */
static struct rxsum_view busy(void)
{
	memset(slots, 0, sizeof(slots));
	slots[RXS_POLL_CALLS] = 1630;
	slots[RXS_POLL_PRODUCTIVE] = 1578;
	slots[RXS_POLL_PACKETS] = 10400;
	hist_add(RXH_POLL_RET, 0, 52);
	hist_add(RXH_POLL_RET, 1, 150);
	hist_add(RXH_POLL_RET, 3, 1428);
	slots[RXS_CB_PREPARE_CALLS] = 1600;
	hist_add(RXH_CB_PREPARE_RET, 9, 1000); /* last_used_idx 256-511 */
	hist_add(RXH_CB_PREPARE_RET, 10, 600);
	slots[RXS_NAPI_COMPLETE_CALLS] = 1600;
	slots[RXS_NAPI_COMPLETE_SUCCESS] = 1590;
	hist_add(RXH_NAPI_COMPLETE_RET, 0, 10);
	hist_add(RXH_NAPI_COMPLETE_RET, 1, 1590);
	slots[RXS_VQ_POLL_CALLS] = 1600;
	slots[RXS_VQ_POLL_DATA] = 30;
	hist_add(RXH_VQ_POLL_RET, 0, 1570);
	hist_add(RXH_VQ_POLL_RET, 1, 30);
	slots[RXS_GET_BUF_CALLS] = 12000;
	hist_add(RXH_GET_BUF_LAST_USED, 16, 12000);
	slots[RXS_VRING_CALLS] = 1510;
	slots[RXS_AT_IRQ_ENTRY + 25 - RXS_IRQ_FIRST] = 310;
	slots[RXS_AT_IRQ_ENTRY + 27 - RXS_IRQ_FIRST] = 1200;
	slots[RXS_AT_IRQ_ENTRY + 30 - RXS_IRQ_FIRST] = 7;
	slots[RXS_AT_IRQ_EXIT + (25 - RXS_IRQ_FIRST) * RXS_RETS + 1] = 310;
	slots[RXS_AT_IRQ_EXIT + (27 - RXS_IRQ_FIRST) * RXS_RETS + 1] = 1199;
	slots[RXS_AT_IRQ_EXIT + (27 - RXS_IRQ_FIRST) * RXS_RETS + 0] = 1;
	slots[RXS_AT_IRQ_EXIT + (30 - RXS_IRQ_FIRST) * RXS_RETS + 1] = 7;
	slots[RXS_AT_VRING_RET + 1] = 1509;
	slots[RXS_AT_VRING_RET + 0] = 1;
	return (struct rxsum_view){ slots, vring_irqs, ARRAY_SIZE(vring_irqs) };
}

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);
	struct rxsum_view v;

	rxsum_print_banner(f, 60, 5, 5);
	rxsum_print_banner(f, 0, 2, 0);
	v = busy();
	rxsum_print_period(f, &v, "16:30:17", 4, 2);
	rxsum_print_summary(f, &v, 61);
	rxsum_print_map_dump(f, &v);
	/* A quiet period and run: nothing but the headings; few productive polls. */
	memset(slots, 0, sizeof(slots));
	v = (struct rxsum_view){ slots, NULL, 0 };
	rxsum_print_period(f, &v, "16:30:19", 6, 2);
	slots[RXS_POLL_CALLS] = 10;
	slots[RXS_POLL_PRODUCTIVE] = 3;
	slots[RXS_POLL_PACKETS] = 3;
	hist_add(RXH_POLL_RET, 0, 7);
	hist_add(RXH_POLL_RET, 1, 3);
	rxsum_print_summary(f, &v, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtionet-rx-path-summary.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);
	struct rxsum_view v = busy();

	rxsum_print_json(f, &v, "16:30:17", 4, false);
	rxsum_print_json(f, &v, "16:31:14", 61, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtionet-rx-path-summary.json"), 0);
}
END_TEST

Suite *golden_virtionet_rx_path_summary_suite(void)
{
	const TTest *tests[] = { test_text, test_json };

	return unit_suite("virtionet_rx_path_summary", "layout", tests, ARRAY_SIZE(tests));
}
