// SPDX-License-Identifier: GPL-2.0-only
/* vhost_buf_peek_stats: the periodic report (two queues, empty, final) and JSON. */
#include <check.h>

#include "golden.h"
#include "pair_counts.h"
#include "unit_helpers.h"
#include "util.h"
#include "vhost_buf_peek_stats.h"

static char *buf;
static size_t len;

/* As pair_counts_read leaves them: by nvq, then return value. */
static struct pair_count rows[] = {
	{ 0xffffa1b2c00000c8ULL, 0, 1040 },
	{ 0xffffa1b2c00000c8ULL, 66, 20 },
	{ 0xffffa1b2c00000c8ULL, 1514, 2060 },
	{ 0xffffa1b2c8210000ULL, 98, 3 },
};
static const struct pair_counts table = { rows, ARRAY_SIZE(rows), ARRAY_SIZE(rows) };
static const struct pair_counts empty = { 0 };

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);

	vhost_peek_print_banner(f, 1);
	vhost_peek_print_report(f, &empty, "2026-12-04 10:21:06", false);
	vhost_peek_print_report(f, &table, "2026-12-04 10:21:07", false);
	vhost_peek_print_report(f, &table, "2026-12-04 10:21:07", true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_buf_peek_stats.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	vhost_peek_print_json(f, &empty, "2026-12-04 10:21:06", false);
	vhost_peek_print_json(f, &table, "2026-12-04 10:21:07", true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_buf_peek_stats.json"), 0);
}
END_TEST

Suite *golden_vhost_buf_peek_stats_suite(void)
{
	const TTest *tests[] = { test_text, test_json };

	return unit_suite("vhost_buf_peek_stats", "layout", tests, ARRAY_SIZE(tests));
}
