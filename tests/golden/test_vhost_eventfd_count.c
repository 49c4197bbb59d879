// SPDX-License-Identifier: GPL-2.0-only
/* vhost_eventfd_count: the .py table (cumulative, empty, final), the .bt dump and JSON. */
#include <check.h>

#include "golden.h"
#include "pair_counts.h"
#include "unit_helpers.h"
#include "util.h"
#include "vhost_eventfd_count.h"

static char *buf;
static size_t len;

/* The RX and TX virtqueues of one vhost-net device and a vhost-vsock one, highest count first. */
static struct pair_count rows[] = {
	{ 0xffffa1b2c00000c8ULL, (int64_t)0xffff8c2a0e7d1c00ULL, 1234 },
	{ 0xffffa1b2c0004b30ULL, (int64_t)0xffff8c2a0e7d1e00ULL, 89 },
	{ 0xffffa1b2c8200000ULL, 0, 3 }, /* no call eventfd set (yet) */
};
static const struct pair_counts table = { rows, ARRAY_SIZE(rows), ARRAY_SIZE(rows) };
static const struct pair_counts empty = { 0 };

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);

	vhost_eventfd_print_banner(f, 1);
	vhost_eventfd_print_table(f, &empty, "2026-12-04 10:21:06", false);
	vhost_eventfd_print_table(f, &table, "2026-12-04 10:21:07", false);
	vhost_eventfd_print_table(f, &table, "2026-12-04 10:21:07", true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_eventfd_count.txt"), 0);
}
END_TEST

START_TEST(test_at_exit)
{
	FILE *f = golden_open(&buf, &len);

	vhost_eventfd_print_banner(f, 0);
	vhost_eventfd_print_bt(f, &table);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_eventfd_count_bt.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	vhost_eventfd_print_json(f, &empty, "2026-12-04 10:21:06", false);
	vhost_eventfd_print_json(f, &table, "2026-12-04 10:21:07", true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_eventfd_count.json"), 0);
}
END_TEST

Suite *golden_vhost_eventfd_count_suite(void)
{
	const TTest *tests[] = { test_text, test_at_exit, test_json };

	return unit_suite("vhost_eventfd_count", "layout", tests, ARRAY_SIZE(tests));
}
