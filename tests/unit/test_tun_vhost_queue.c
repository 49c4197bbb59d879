// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_to_vhost_queue_status_simple and _stats_details: the histogram slot rule (bpftrace's
 * hist(): 0, 1, 2-3, 4-7, ..., the last slot open-ended), the slots' bounds and labels, and the
 * top-10 list of the signal index analysis.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "tun_vhost_queue.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_slot_rule)
{
	ck_assert_uint_eq(tvq_slot(0), 0);
	ck_assert_uint_eq(tvq_slot(1), 1);
	ck_assert_uint_eq(tvq_slot(2), 2);
	ck_assert_uint_eq(tvq_slot(3), 2);
	ck_assert_uint_eq(tvq_slot(4), 3);
	ck_assert_uint_eq(tvq_slot(255), 8);
	ck_assert_uint_eq(tvq_slot(256), 9);
	ck_assert_uint_eq(tvq_slot(65535), 16); /* every u16 index has a slot of its own */
	ck_assert_uint_eq(tvq_slot((1ull << 30) - 1), 30);
	ck_assert_uint_eq(tvq_slot(1ull << 30), 31);
	/* Beyond the last slot's lower bound: the last slot, never past the table. */
	ck_assert_uint_eq(tvq_slot(1ull << 31), TVQ_SLOTS - 1);
	ck_assert_uint_eq(tvq_slot(1ull << 40), TVQ_SLOTS - 1);
	ck_assert_uint_eq(tvq_slot(UINT64_MAX), TVQ_SLOTS - 1);
}
END_TEST

/* Each slot's bounds are the values the rule puts in it, and the slots tile 0 .. 2^31 - 1. */
START_TEST(test_slot_bounds)
{
	for (unsigned s = 0; s < TVQ_SLOTS; s++) {
		ck_assert_uint_le(tvq_slot_low(s), tvq_slot_high(s));
		ck_assert_uint_eq(tvq_slot(tvq_slot_low(s)), s);
		ck_assert_uint_eq(tvq_slot(tvq_slot_high(s)), s);
		if (s > 0)
			ck_assert_uint_eq(tvq_slot_low(s), tvq_slot_high(s - 1) + 1);
		if (s > 1)
			ck_assert_uint_eq(tvq_slot(tvq_slot_low(s) - 1), s - 1);
	}
	ck_assert_uint_eq(tvq_slot_high(TVQ_SLOTS - 1), (1ull << 31) - 1);
}
END_TEST

START_TEST(test_slot_labels)
{
	char buf[48];

	ck_assert_str_eq(tvq_slot_label(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(tvq_slot_label(1, buf, sizeof(buf)), "1");
	ck_assert_str_eq(tvq_slot_label(2, buf, sizeof(buf)), "2-3");
	ck_assert_str_eq(tvq_slot_label(3, buf, sizeof(buf)), "4-7");
	ck_assert_str_eq(tvq_slot_label(17, buf, sizeof(buf)), "65536-131071");
	ck_assert_str_eq(tvq_slot_label(TVQ_SLOTS - 1, buf, sizeof(buf)), "1073741824-2147483647");
}
END_TEST

static void check_top(const struct tvq_signal_freq *fr, const uint32_t *idx, const uint64_t *count, int n)
{
	ck_assert_int_eq(fr->ntop, n);
	for (int i = 0; i < n; i++) {
		ck_assert_uint_eq(fr->top[i].idx, idx[i]);
		ck_assert_uint_eq(fr->top[i].count, count[i]);
	}
}

/* Highest count first, ties by the lower index, whatever order the map gives the entries. */
START_TEST(test_top_order)
{
	struct tvq_signal_freq fr;

	memset(&fr, 0, sizeof(fr));
	tvq_top_insert(&fr, 40, 1);
	tvq_top_insert(&fr, 7, 3);
	tvq_top_insert(&fr, 12, 1);
	tvq_top_insert(&fr, 3, 1);
	tvq_top_insert(&fr, 9, 3);
	tvq_top_insert(&fr, 65535, 5);
	check_top(&fr, (const uint32_t[]){ 65535, 7, 9, 3, 12, 40 }, (const uint64_t[]){ 5, 3, 3, 1, 1, 1 },
		  6);
}
END_TEST

/* Ten at most: a lower count than the tenth is left out, a higher one pushes the tenth out. */
START_TEST(test_top_full)
{
	struct tvq_signal_freq fr;

	memset(&fr, 0, sizeof(fr));
	for (uint32_t i = 0; i < TVQ_TOP; i++)
		tvq_top_insert(&fr, 100 + i, 10 + i); /* idx 109 (count 19) first ... idx 100 (10) last */
	ck_assert_int_eq(fr.ntop, TVQ_TOP);
	ck_assert_uint_eq(fr.top[0].idx, 109);
	ck_assert_uint_eq(fr.top[TVQ_TOP - 1].idx, 100);
	tvq_top_insert(&fr, 1, 9); /* below the tenth */
	tvq_top_insert(&fr, 200, 10); /* the tenth's count, a higher index: after it, so out */
	ck_assert_int_eq(fr.ntop, TVQ_TOP);
	ck_assert_uint_eq(fr.top[TVQ_TOP - 1].idx, 100);
	ck_assert_uint_eq(fr.top[TVQ_TOP - 1].count, 10);
	tvq_top_insert(&fr, 0, 10); /* the same count, a lower index: before idx 100, which goes */
	ck_assert_uint_eq(fr.top[TVQ_TOP - 1].idx, 0);
	tvq_top_insert(&fr, 5, 50); /* the new first; idx 0 goes */
	ck_assert_int_eq(fr.ntop, TVQ_TOP);
	ck_assert_uint_eq(fr.top[0].idx, 5);
	ck_assert_uint_eq(fr.top[0].count, 50);
	ck_assert_uint_eq(fr.top[1].idx, 109);
	ck_assert_uint_eq(fr.top[TVQ_TOP - 1].idx, 101);
	for (int i = 1; i < TVQ_TOP; i++)
		ck_assert_uint_ge(fr.top[i - 1].count, fr.top[i].count);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_slot_rule, test_slot_bounds, test_slot_labels, test_top_order,
				 test_top_full };

	return unit_run(unit_suite("tun_vhost_queue", "logic", tests, ARRAY_SIZE(tests)));
}
