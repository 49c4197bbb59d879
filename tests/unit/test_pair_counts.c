// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/pair_counts.h: per-interval counts from two readings, sort and total. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pair_counts.h"
#include "unit_helpers.h"
#include "util.h"

/* A reading as pair_counts_read leaves it: sorted by ptr, then value. */
static void fill(struct pair_counts *t, const struct pair_count *v, size_t n)
{
	struct pair_counts src = { (struct pair_count *)v, n, n };

	pair_counts_copy(t, &src);
}

START_TEST(test_since_subtracts_the_same_pair_and_drops_zeros)
{
	const struct pair_count before[] = {
		{ 0x1000, -1, 5 }, /* gone from the next reading: not reported */
		{ 0x2000, 0, 7 },
		{ 0x2000, 98, 3 },
	};
	const struct pair_count after[] = {
		{ 0x2000, 0, 7 }, /* no new calls: dropped */
		{ 0x2000, 98, 10 },
		{ 0x2000, 242, 4 }, /* new pair: all of its count */
	};
	struct pair_counts prev = { 0 }, now = { 0 };

	fill(&prev, before, ARRAY_SIZE(before));
	fill(&now, after, ARRAY_SIZE(after));
	pair_counts_since(&now, &prev);
	ck_assert_uint_eq(now.n, 2);
	ck_assert_uint_eq(now.v[0].ptr, 0x2000);
	ck_assert_int_eq(now.v[0].value, 98);
	ck_assert_uint_eq(now.v[0].count, 7);
	ck_assert_int_eq(now.v[1].value, 242);
	ck_assert_uint_eq(now.v[1].count, 4);
	ck_assert_uint_eq(pair_counts_total(&now), 11);
	/* prev is now the reading: the next interval counts from it. */
	ck_assert_uint_eq(prev.n, 3);
	ck_assert_int_eq(prev.v[2].value, 242);
	ck_assert_uint_eq(pair_counts_total(&prev), 21);
	fill(&now, after, ARRAY_SIZE(after));
	pair_counts_since(&now, &prev);
	ck_assert_uint_eq(now.n, 0);
	pair_counts_free(&prev);
	pair_counts_free(&now);
}
END_TEST

START_TEST(test_since_an_empty_reading_is_the_reading)
{
	const struct pair_count after[] = { { 0x10, 0x20, 1 }, { 0x30, 0x40, 2 } };
	struct pair_counts prev = { 0 }, now = { 0 };

	fill(&now, after, ARRAY_SIZE(after));
	pair_counts_since(&now, &prev);
	ck_assert_uint_eq(now.n, 2);
	ck_assert_uint_eq(pair_counts_total(&now), 3);
	pair_counts_free(&prev);
	pair_counts_free(&now);
}
END_TEST

START_TEST(test_negative_values_keep_their_order)
{
	/* Return values are sign-extended: -11 (EAGAIN) sorts before 0 when grouped by pair. */
	const struct pair_count before[] = { { 0x10, -11, 1 }, { 0x10, 0, 1 } };
	const struct pair_count after[] = { { 0x10, -11, 4 }, { 0x10, 0, 1 } };
	struct pair_counts prev = { 0 }, now = { 0 };

	fill(&prev, before, ARRAY_SIZE(before));
	fill(&now, after, ARRAY_SIZE(after));
	pair_counts_since(&now, &prev);
	ck_assert_uint_eq(now.n, 1);
	ck_assert_int_eq(now.v[0].value, -11);
	ck_assert_uint_eq(now.v[0].count, 3);
	pair_counts_free(&prev);
	pair_counts_free(&now);
}
END_TEST

START_TEST(test_sort_by_count_highest_first_ties_by_pair)
{
	const struct pair_count v[] = { { 0x10, 1, 2 }, { 0x20, 1, 9 }, { 0x08, 5, 2 }, { 0x30, 0, 1 } };
	struct pair_counts t = { 0 };

	fill(&t, v, ARRAY_SIZE(v));
	pair_counts_sort_by_count(&t);
	ck_assert_uint_eq(t.v[0].ptr, 0x20);
	ck_assert_uint_eq(t.v[1].ptr, 0x08);
	ck_assert_uint_eq(t.v[2].ptr, 0x10);
	ck_assert_uint_eq(t.v[3].ptr, 0x30);
	pair_counts_free(&t);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_since_subtracts_the_same_pair_and_drops_zeros,
				 test_since_an_empty_reading_is_the_reading,
				 test_negative_values_keep_their_order,
				 test_sort_by_count_highest_first_ties_by_pair };

	return unit_run(unit_suite("pair_counts", "counts", tests, ARRAY_SIZE(tests)));
}
