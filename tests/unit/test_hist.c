// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/hist.h and common/bpf/hist_slot.h. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bthist.h"
#include "hist.h"
#include "json.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_log2_slot_small_values)
{
	/* slot = floor(log2(v + 1)) */
	ck_assert_uint_eq(log2_slot(0), 0);
	ck_assert_uint_eq(log2_slot(1), 1);
	ck_assert_uint_eq(log2_slot(2), 1);
	ck_assert_uint_eq(log2_slot(3), 2);
	ck_assert_uint_eq(log2_slot(6), 2);
	ck_assert_uint_eq(log2_slot(7), 3);
	ck_assert_uint_eq(log2_slot(14), 3);
	ck_assert_uint_eq(log2_slot(15), 4);
	ck_assert_uint_eq(log2_slot(30), 4);
	ck_assert_uint_eq(log2_slot(31), 5);
	ck_assert_uint_eq(log2_slot(1000), 9); /* 1001 in [512, 1024) */
	ck_assert_uint_eq(log2_slot(1023), 10);
}
END_TEST

START_TEST(test_log2_slot_large_values)
{
	ck_assert_uint_eq(log2_slot(0xFFFFFFFEULL), 31); /* v + 1 = 2^32 - 1 */
	ck_assert_uint_eq(log2_slot(0xFFFFFFFFULL), 32); /* v + 1 = 2^32 */
	ck_assert_uint_eq(log2_slot(1ULL << 40), 40);
	ck_assert_uint_eq(log2_slot((1ULL << 40) - 1), 40);
	ck_assert_uint_eq(log2_slot((1ULL << 40) - 2), 39);
	ck_assert_uint_eq(log2_slot((1ULL << 63) - 2), 62);
	ck_assert_uint_eq(log2_slot((1ULL << 63) - 1), 63);
	ck_assert_uint_eq(log2_slot(1ULL << 63), 63);
	ck_assert_uint_eq(log2_slot(UINT64_MAX - 1), 63);
	ck_assert_uint_eq(log2_slot(UINT64_MAX), 63);
}
END_TEST

START_TEST(test_slot_bounds_every_slot)
{
	ck_assert_uint_eq(log2_slot_low(0), 0);
	ck_assert_uint_eq(log2_slot_high(0), 0);
	ck_assert_uint_eq(log2_slot_low(1), 1);
	ck_assert_uint_eq(log2_slot_high(1), 2);
	ck_assert_uint_eq(log2_slot_low(2), 3);
	ck_assert_uint_eq(log2_slot_high(2), 6);
	ck_assert_uint_eq(log2_slot_high(63), UINT64_MAX);
	for (unsigned s = 0; s < LOG2_SLOTS; s++) {
		uint64_t lo = log2_slot_low(s), hi = log2_slot_high(s);

		ck_assert_msg(lo <= hi, "slot %u: low %llu > high %llu", s, (unsigned long long)lo,
			      (unsigned long long)hi);
		ck_assert_msg(log2_slot(lo) == s, "log2_slot(low(%u)) = %u", s, log2_slot(lo));
		ck_assert_msg(log2_slot(hi) == s, "log2_slot(high(%u)) = %u", s, log2_slot(hi));
		if (s > 0) {
			ck_assert_msg(log2_slot(lo - 1) == s - 1, "value below slot %u", s);
			ck_assert_msg(log2_slot_high(s - 1) + 1 == lo, "gap before slot %u", s);
		}
		if (s + 1 < LOG2_SLOTS)
			ck_assert_msg(log2_slot(hi + 1) == s + 1, "value above slot %u", s);
	}
}
END_TEST

START_TEST(test_slot_property_random_values)
{
	uint64_t x = 0x9E3779B97F4A7C15ULL;

	for (int i = 0; i < 200000; i++) {
		/* xorshift64, shifted right by a varying amount to cover every magnitude */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t v = x >> (i % 64);
		unsigned s = log2_slot(v);

		/* Check's ck_assert records each passing check too (a write per call in fork
		 * mode): 400,000 of them took seconds on a loaded machine, so fail explicitly. */
		if (s >= LOG2_SLOTS)
			ck_abort_msg("slot %u of %llu", s, (unsigned long long)v);
		if (v < log2_slot_low(s) || v > log2_slot_high(s))
			ck_abort_msg("%llu outside slot %u [%llu, %llu]", (unsigned long long)v, s,
				     (unsigned long long)log2_slot_low(s),
				     (unsigned long long)log2_slot_high(s));
	}
}
END_TEST

START_TEST(test_log2_slot_capped)
{
	/* Below the cap: log2_slot() itself. */
	ck_assert_uint_eq(log2_slot_capped(0, 32), 0);
	ck_assert_uint_eq(log2_slot_capped(1000, 32), 9);
	ck_assert_uint_eq(log2_slot_capped(0x7FFFFFFEULL, 32), 30);
	/* The last slot holds its own range and everything above. */
	ck_assert_uint_eq(log2_slot_capped(0x7FFFFFFFULL, 32), 31);
	ck_assert_uint_eq(log2_slot_capped(1ULL << 40, 32), 31);
	ck_assert_uint_eq(log2_slot_capped(UINT64_MAX, 32), 31);
	ck_assert_uint_eq(log2_slot_capped(126, 8), 6);
	ck_assert_uint_eq(log2_slot_capped(127, 8), 7);
	ck_assert_uint_eq(log2_slot_capped(255, 8), 7);
	ck_assert_uint_eq(log2_slot_capped(UINT64_MAX, LOG2_SLOTS), 63);
	ck_assert_uint_eq(log2_slot_capped(5, 1), 0);
}
END_TEST

START_TEST(test_hist_stars)
{
	char buf[64];

	hist_stars(buf, 5, 10, 40);
	ck_assert_uint_eq(strlen(buf), 20);
	ck_assert_uint_eq(strspn(buf, "*"), 20);
	/* 40 * 3 / 7 = 17.14: truncated, as BCC's int() */
	hist_stars(buf, 3, 7, 40);
	ck_assert_uint_eq(strlen(buf), 17);
	/* 40 * 6 / 7 = 34.29 */
	hist_stars(buf, 6, 7, 40);
	ck_assert_uint_eq(strlen(buf), 34);
	/* 20 * 2 / 3 = 13.33 */
	hist_stars(buf, 2, 3, 20);
	ck_assert_str_eq(buf, "*************");
	hist_stars(buf, 1, 100, 40);
	ck_assert_str_eq(buf, "");
	hist_stars(buf, 10, 10, 40);
	ck_assert_uint_eq(strlen(buf), 40);
	ck_assert_uint_eq(strspn(buf, "*"), 40);
	/* Above max: capped to the width, last star becomes '+'. */
	hist_stars(buf, 20, 10, 40);
	ck_assert_uint_eq(strlen(buf), 40);
	ck_assert_uint_eq(strspn(buf, "*"), 39);
	ck_assert_int_eq(buf[39], '+');
	hist_stars(buf, 0, 0, 40);
	ck_assert_str_eq(buf, "");
	hist_stars(buf, 0, 10, 40);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_hist_total)
{
	uint64_t slots[] = { 1, 0, 5, 1000000000000ULL };

	ck_assert_uint_eq(hist_total(slots, 4), 1000000000006ULL);
	ck_assert_uint_eq(hist_total(slots, 0), 0);
}
END_TEST

static char *render_log2(const uint64_t *slots, unsigned n, const char *unit)
{
	struct memfile m;

	print_log2_hist(mem_open(&m), slots, n, unit);
	return mem_close(&m);
}

START_TEST(test_print_log2_hist_layout)
{
	uint64_t slots[LOG2_SLOTS] = { [0] = 1, [1] = 3, [2] = 10, [3] = 0, [4] = 5 };
	char *s = render_log2(slots, LOG2_SLOTS, "usecs");
	/* stars: 40*1/10 = 4, 40*3/10 = 12, 40, 0, 40*5/10 = 20 */
	const char *expect =
		"     usecs               : count     distribution\n"
		"         0 -> 0          : 1        |****                                    |\n"
		"         1 -> 2          : 3        |************                            |\n"
		"         3 -> 6          : 10       |****************************************|\n"
		"         7 -> 14         : 0        |                                        |\n"
		"        15 -> 30         : 5        |********************                    |\n";

	ck_assert_str_eq(s, expect);
	free(s);
}
END_TEST

START_TEST(test_print_log2_hist_skips_leading_and_trailing_empty)
{
	uint64_t slots[LOG2_SLOTS] = { [10] = 7, [12] = 100 };
	char *s = render_log2(slots, LOG2_SLOTS, "latency (us)");
	/* stars: 40*7/100 = 2.8 -> 2 */
	const char *expect =
		"     latency (us)        : count     distribution\n"
		"      1023 -> 2046       : 7        |**                                      |\n"
		"      2047 -> 4094       : 0        |                                        |\n"
		"      4095 -> 8190       : 100      |****************************************|\n";

	ck_assert_str_eq(s, expect);
	free(s);
}
END_TEST

START_TEST(test_print_log2_hist_empty)
{
	uint64_t slots[LOG2_SLOTS] = { 0 };
	char *s = render_log2(slots, LOG2_SLOTS, "usecs");

	ck_assert_str_eq(s, "");
	free(s);
	s = render_log2(slots, 0, "usecs");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_print_log2_hist_wide)
{
	/* Slot 32 ends at 2^33 - 2 > 2^32 - 1: 20-column numbers, 20-star bars. */
	uint64_t slots[LOG2_SLOTS] = { [31] = 1, [32] = 2, [33] = 1 };
	char *s = render_log2(slots, LOG2_SLOTS, "nsecs");
	const char *expect =
		"               nsecs                         : count     distribution\n"
		"          2147483647 -> 4294967294           : 1        |**********          |\n"
		"          4294967295 -> 8589934590           : 2        |********************|\n"
		"          8589934591 -> 17179869182          : 1        |**********          |\n";

	ck_assert_str_eq(s, expect);
	free(s);
}
END_TEST

START_TEST(test_print_log2_hist_narrow_up_to_32_bits)
{
	/* Slot 31 ends at 2^32 - 2, which still fits the narrow layout. */
	uint64_t slots[LOG2_SLOTS] = { [31] = 4 };
	char *s = render_log2(slots, LOG2_SLOTS, "bytes");
	const char *expect =
		"     bytes               : count     distribution\n"
		"2147483647 -> 4294967294 : 4        |****************************************|\n";

	ck_assert_str_eq(s, expect);
	free(s);
}
END_TEST

START_TEST(test_print_log2_hist_last_slot)
{
	uint64_t slots[LOG2_SLOTS] = { [63] = 12345678 };
	char *s = render_log2(slots, LOG2_SLOTS, "x");
	const char *expect =
		"               x                             : count     distribution\n"
		" 9223372036854775807 -> 18446744073709551615 : 12345678 |********************|\n";

	ck_assert_str_eq(s, expect);
	free(s);
}
END_TEST

START_TEST(test_print_linear_hist)
{
	uint64_t slots[] = { 0, 2, 4, 0, 1, 0 };
	struct memfile m;

	print_linear_hist(mem_open(&m), slots, 6, 0, 10, "msecs");
	char *s = mem_close(&m);
	const char *expect =
		"     msecs               : count     distribution\n"
		"        10 -> 19         : 2        |********************                    |\n"
		"        20 -> 29         : 4        |****************************************|\n"
		"        30 -> 39         : 0        |                                        |\n"
		"        40 -> 49         : 1        |**********                              |\n";

	ck_assert_str_eq(s, expect);
	free(s);

	/* A base offset, and a step of 0 taken as 1. */
	uint64_t one[] = { 3, 1 };

	print_linear_hist(mem_open(&m), one, 2, 100, 0, "hops");
	s = mem_close(&m);
	ck_assert_str_eq(s,
			 "     hops                : count     distribution\n"
			 "       100 -> 100        : 3        |****************************************|\n"
			 "       101 -> 101        : 1        |*************                           |\n");
	free(s);

	uint64_t none[4] = { 0 };

	print_linear_hist(mem_open(&m), none, 4, 0, 10, "msecs");
	s = mem_close(&m);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_percentile)
{
	/* 100 samples: 50 in slot 1 (1-2), 40 in slot 2 (3-6), 9 in slot 3 (7-14), 1 in slot 4. */
	uint64_t slots[LOG2_SLOTS] = { [1] = 50, [2] = 40, [3] = 9, [4] = 1 };

	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 10), 2);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 50), 2);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 50.5), 6);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 90), 6);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 95), 14);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 99), 14);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 99.5), 30);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 100), 30);
}
END_TEST

START_TEST(test_percentile_single_and_sparse)
{
	uint64_t one[LOG2_SLOTS] = { [10] = 1 };
	uint64_t three[LOG2_SLOTS] = { [0] = 1, [5] = 1, [20] = 1 };

	ck_assert_uint_eq(log2_hist_percentile(one, LOG2_SLOTS, 1), 2046);
	ck_assert_uint_eq(log2_hist_percentile(one, LOG2_SLOTS, 99), 2046);
	ck_assert_uint_eq(log2_hist_percentile(three, LOG2_SLOTS, 30), 0);
	ck_assert_uint_eq(log2_hist_percentile(three, LOG2_SLOTS, 50), 62);
	ck_assert_uint_eq(log2_hist_percentile(three, LOG2_SLOTS, 90), (1ULL << 21) - 2);
}
END_TEST

START_TEST(test_percentile_empty)
{
	uint64_t slots[LOG2_SLOTS] = { 0 };

	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 50), 0);
	ck_assert_uint_eq(log2_hist_percentile(slots, LOG2_SLOTS, 99), 0);
	ck_assert_uint_eq(log2_hist_percentile(slots, 0, 50), 0);
}
END_TEST

static char *render_json(const char *prefix, const uint64_t *slots, unsigned n)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	log2_hist_json(&j, prefix, "us", slots, n);
	json_end_obj(&j);
	json_finish(&j);
	return mem_close(&m);
}

START_TEST(test_log2_hist_json)
{
	/* 9 samples: p50 falls in slot 0 (5 of 9), p90 and p99 in slot 3 (7-14). */
	uint64_t slots[32] = { [0] = 5, [3] = 4 };
	char *s = render_json("total_", slots, 32);

	ck_assert_str_eq(s, "{\"total_buckets\":[{\"low_us\":0,\"high_us\":0,\"count\":5},"
			    "{\"low_us\":7,\"high_us\":14,\"count\":4}],"
			    "\"total_p50_us_max\":0,\"total_p90_us_max\":14,\"total_p99_us_max\":14}\n");
	free(s);
}
END_TEST

START_TEST(test_log2_hist_json_empty_has_no_percentiles)
{
	uint64_t slots[32] = { 0 };
	char *s = render_json("", slots, 32);

	ck_assert_str_eq(s, "{\"buckets\":[]}\n");
	free(s);
}
END_TEST

START_TEST(test_bt_hist_slot)
{
	/* bpftrace hist(): [0], [1], [2, 4), [4, 8), ... */
	ck_assert_uint_eq(bt_hist_slot(0), 0);
	ck_assert_uint_eq(bt_hist_slot(1), 1);
	ck_assert_uint_eq(bt_hist_slot(2), 2);
	ck_assert_uint_eq(bt_hist_slot(3), 2);
	ck_assert_uint_eq(bt_hist_slot(4), 3);
	ck_assert_uint_eq(bt_hist_slot(1023), 10);
	ck_assert_uint_eq(bt_hist_slot(1024), 11);
	ck_assert_uint_eq(bt_hist_slot(1ULL << 63), 64);
	ck_assert_uint_eq(bt_hist_slot(UINT64_MAX), 64);
	for (unsigned s = 0; s < BT_HIST_SLOTS; s++) {
		ck_assert_uint_eq(bt_hist_slot(bt_hist_low(s)), s);
		ck_assert_uint_eq(bt_hist_slot(bt_hist_high(s)), s);
	}
}
END_TEST

START_TEST(test_bt_hist_labels)
{
	static const struct {
		unsigned slot;
		const char *label;
	} cases[] = { { 0, "[0]" },       { 1, "[1]" },       { 2, "[2, 4)" },    { 10, "[512, 1K)" },
		      { 11, "[1K, 2K)" }, { 21, "[1M, 2M)" }, { 31, "[1G, 2G)" }, { 41, "[1T, 2T)" },
		      { 51, "[1P, 2P)" }, { 61, "[1E, 2E)" }, { 64, "[8E, 16E)" } };
	char buf[40];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_str_eq(bt_hist_label(cases[i].slot, buf, sizeof(buf)), cases[i].label);
}
END_TEST

START_TEST(test_bt_print_hist_layout)
{
	uint64_t slots[BT_HIST_SLOTS] = { [1] = 8123, [2] = 902, [4] = 12 };
	struct memfile m;
	char *s;

	bt_print_hist(mem_open(&m), "lat", slots, BT_HIST_SLOTS);
	s = mem_close(&m);
	/* Rows from the first to the last non-empty slot; bars 52 * count / max, truncated. */
	ck_assert_str_eq(s,
			 "@lat: \n"
			 "[1]                 8123 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			 "[2, 4)               902 |@@@@@                                               |\n"
			 "[4, 8)                 0 |                                                    |\n"
			 "[8, 16)               12 |                                                    |\n"
			 "\n");
	free(s);
	memset(slots, 0, sizeof(slots));
	bt_print_hist(mem_open(&m), "lat", slots, BT_HIST_SLOTS);
	s = mem_close(&m);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

static Suite *hist_suite(void)
{
	const TTest *slots_tests[] = { test_log2_slot_small_values, test_log2_slot_large_values,
				       test_slot_bounds_every_slot, test_slot_property_random_values,
				       test_log2_slot_capped,       test_bt_hist_slot };
	const TTest *print_tests[] = { test_hist_stars,
				       test_hist_total,
				       test_print_log2_hist_layout,
				       test_print_log2_hist_skips_leading_and_trailing_empty,
				       test_print_log2_hist_empty,
				       test_print_log2_hist_wide,
				       test_print_log2_hist_narrow_up_to_32_bits,
				       test_print_log2_hist_last_slot,
				       test_print_linear_hist,
				       test_log2_hist_json,
				       test_log2_hist_json_empty_has_no_percentiles,
				       test_bt_hist_labels,
				       test_bt_print_hist_layout };
	const TTest *percentile_tests[] = { test_percentile, test_percentile_single_and_sparse,
					    test_percentile_empty };
	Suite *s = suite_create("hist");

	unit_tcase(s, "slots", slots_tests, ARRAY_SIZE(slots_tests));
	unit_tcase(s, "print", print_tests, ARRAY_SIZE(print_tests));
	unit_tcase(s, "percentile", percentile_tests, ARRAY_SIZE(percentile_tests));
	return s;
}

int main(void)
{
	return unit_run(hist_suite());
}
