// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/percpu_delta.h over a fake per-CPU source (no kernel needed). */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "percpu_delta.h"
#include "unit_helpers.h"
#include "util.h"

enum { CPUS = 4, ENTRIES = 3, WIDTH = 2 };

/* values[entry][cpu * width + counter], as the kernel hands out a per-CPU array entry. */
struct fake {
	uint32_t width;
	uint64_t values[ENTRIES][CPUS * WIDTH];
	int unreadable; /* entry whose lookup fails, or -1 */
};

static int fake_lookup(const void *src, uint32_t key, uint64_t *vals)
{
	const struct fake *f = src;

	if ((int)key == f->unreadable || key >= ENTRIES)
		return -1;
	memcpy(vals, f->values[key], CPUS * f->width * sizeof(uint64_t));
	return 0;
}

START_TEST(test_first_read_is_everything_since_start)
{
	struct fake f = { .width = 1,
			  .values = { { 1, 2, 3, 4 }, { 0 }, { 10, 0, 0, 5 } },
			  .unreadable = -1 };
	struct percpu_delta d;
	const uint64_t *delta;

	percpu_delta_init(&d, ENTRIES, 1, CPUS, fake_lookup, &f);
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 10);
	ck_assert_uint_eq(delta[1], 0);
	ck_assert_uint_eq(delta[2], 15);
	percpu_delta_free(&d);
}
END_TEST

START_TEST(test_second_read_is_the_growth_over_all_cpus)
{
	struct fake f = { .width = 1,
			  .values = { { 1, 2, 3, 4 }, { 0 }, { 10, 0, 0, 5 } },
			  .unreadable = -1 };
	struct percpu_delta d;
	const uint64_t *delta;

	percpu_delta_init(&d, ENTRIES, 1, CPUS, fake_lookup, &f);
	percpu_delta_read(&d);
	/* Growth on several CPUs of entry 0, on one CPU of entry 1, none on entry 2. */
	f.values[0][0] += 5;
	f.values[0][3] += 2;
	f.values[1][2] = 7;
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 7);
	ck_assert_uint_eq(delta[1], 7);
	ck_assert_uint_eq(delta[2], 0);
	/* Nothing new: an empty interval. */
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 0);
	ck_assert_uint_eq(delta[1], 0);
	ck_assert_uint_eq(delta[2], 0);
	ck_assert_uint_eq(d.last[0], 17);
	percpu_delta_free(&d);
}
END_TEST

START_TEST(test_entries_of_several_counters)
{
	/* Entry 0: counters (a, b) per CPU; entry 1 likewise. */
	struct fake f = { .width = WIDTH,
			  .values = { { 1, 100, 2, 200, 3, 300, 4, 400 }, { 0, 1, 0, 1, 0, 1, 0, 1 } },
			  .unreadable = -1 };
	struct percpu_delta d;
	const uint64_t *delta;

	percpu_delta_init(&d, 2, WIDTH, CPUS, fake_lookup, &f);
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 10);
	ck_assert_uint_eq(delta[1], 1000);
	ck_assert_uint_eq(delta[2], 0);
	ck_assert_uint_eq(delta[3], 4);
	f.values[0][1 * WIDTH + 1] += 50;
	f.values[1][3 * WIDTH + 0] += 1;
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 0);
	ck_assert_uint_eq(delta[1], 50);
	ck_assert_uint_eq(delta[2], 1);
	ck_assert_uint_eq(delta[3], 0);
	percpu_delta_free(&d);
}
END_TEST

START_TEST(test_unreadable_or_shrunk_entries_grow_by_zero)
{
	struct fake f = { .width = 1, .values = { { 5, 5, 5, 5 }, { 1, 1, 1, 1 } }, .unreadable = -1 };
	struct percpu_delta d;
	const uint64_t *delta;

	percpu_delta_init(&d, 2, 1, CPUS, fake_lookup, &f);
	percpu_delta_read(&d);
	f.unreadable = 0;
	f.values[0][0] += 3;
	f.values[1][0] = 0;
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 0);
	ck_assert_uint_eq(delta[1], 0);
	/* Readable again: the growth since the last good read, not since the failed one. */
	f.unreadable = -1;
	f.values[1][0] = 2;
	delta = percpu_delta_read(&d);
	ck_assert_uint_eq(delta[0], 3);
	ck_assert_uint_eq(delta[1], 2);
	percpu_delta_free(&d);
}
END_TEST

int main(void)
{
	const TTest *delta_tests[] = { test_first_read_is_everything_since_start,
				       test_second_read_is_the_growth_over_all_cpus,
				       test_entries_of_several_counters,
				       test_unreadable_or_shrunk_entries_grow_by_zero };

	return unit_run(unit_suite("percpu_delta", "delta", delta_tests, ARRAY_SIZE(delta_tests)));
}
