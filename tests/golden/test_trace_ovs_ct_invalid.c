// SPDX-License-Identifier: GPL-2.0-only
/* trace-ovs-ct-invalid: an invalid packet's lines with and without stacks, and JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "trace-ovs-ct-invalid.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const char *const kframes[] = { "nf_conntrack_in+5", "__ovs_ct_lookup+229", "ovs_ct_execute+406" };
static const char *const uframes[] = { "0x7f5c55b62cb3" };

/* A RST without a connection: __ovs_ct_lookup, nf_conntrack_in, a window check, the verdict. */
static struct ctinv_event invalid_rst(void)
{
	struct ctinv_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.pid = 348;
	snprintf(ev.comm, sizeof(ev.comm), "python3");
	snprintf(ev.ifname, sizeof(ev.ifname), "od0");
	ev.saddr = golden_ipv4("10.64.0.1");
	ev.daddr = golden_ipv4("10.64.0.2");
	ev.protocol = 6;
	ev.sport = 40000;
	ev.dport = 7000;
	ev.zone = 5;
	ev.ct_state = 0x30;
	ev.nsteps = 4;
	ev.steps[0].probe = CTINV_OVS_LOOKUP;
	ev.steps[1].probe = CTINV_CONNTRACK_IN;
	ev.steps[1].nfct = (__u64)-131122097350910LL;
	ev.steps[2].probe = CTINV_TCP_IN_WINDOW;
	ev.steps[2].nfct = (__u64)-131122097350910LL;
	ev.steps[2].dir = 1;
	ev.steps[2].tcp_state = 3;
	ev.steps[2].sender = (struct ctinv_window){ 88123, 153659, 65535, 1839201 };
	ev.steps[2].receiver = (struct ctinv_window){ 1839201, 1903456, 64256, 88123 };
	ev.steps[3].probe = CTINV_UPDATE_KEY;
	return ev;
}

static void fill_stacks(struct ctinv_stacks *st, int n)
{
	for (int i = 0; i < n; i++)
		st[i] = (struct ctinv_stacks){ kframes, 3, uframes, 1 };
	st[0].nu = 0; /* a kernel thread, or softirq: no user stack */
	st[1].nk = -14; /* a stack that could not be read prints as an empty one */
}

START_TEST(text_with_stacks)
{
	struct ctinv_event ev = invalid_rst();
	struct ctinv_stacks st[CTINV_MAX_STEPS];
	FILE *f = golden_open(&buf, &len);

	fill_stacks(st, ev.nsteps);
	ctinv_print_event(f, &ev, st);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ovs_ct_invalid.txt"), 0);
}
END_TEST

START_TEST(text_no_stack)
{
	struct ctinv_event ev = invalid_rst();
	FILE *f = golden_open(&buf, &len);

	ctinv_print_event(f, &ev, NULL);
	ev.steps_lost = 3;
	ctinv_print_event(f, &ev, NULL);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ovs_ct_invalid_no_stack.txt"), 0);
}
END_TEST

START_TEST(json_events)
{
	struct ctinv_event ev = invalid_rst();
	struct ctinv_stacks st[CTINV_MAX_STEPS];
	FILE *f = golden_open(&buf, &len);

	fill_stacks(st, ev.nsteps);
	ctinv_print_json(f, &ev, "08:56:37", st);
	ev.steps_lost = 1;
	ctinv_print_json(f, &ev, "08:56:37", NULL);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ovs_ct_invalid.json"), 0);
}
END_TEST

Suite *golden_trace_ovs_ct_invalid_suite(void)
{
	const TTest *layout_tests[] = { text_with_stacks, text_no_stack, json_events };

	return unit_suite("trace_ovs_ct_invalid", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
