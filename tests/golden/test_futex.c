// SPDX-License-Identifier: GPL-2.0-only
/* futex's exit dump (bpftrace map layout) and its JSON object, against golden files. */
#include <check.h>

#include "bthist.h"
#include "futex.h"
#include "golden.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* The spec's sample: [0] .. [4, 8) and a far bucket, with empty buckets between. */
static const uint64_t sample_slots[BT_HIST_SLOTS] = {
	[0] = 45123, [1] = 311, [2] = 120, [3] = 35, [10] = 2, [11] = 1
};

static struct tid_start sample_inside[] = { { 2302, 918273649876ULL }, { 2301, 918273645566ULL } };

START_TEST(futex_exit_dump)
{
	struct futex_report r = { sample_slots, "ms", sample_inside, ARRAY_SIZE(sample_inside), 0 };
	uint64_t empty[BT_HIST_SLOTS] = { 0 };
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 2 probes...\n", f);
	tid_starts_sort(sample_inside, ARRAY_SIZE(sample_inside));
	futex_print_report(f, &r);
	/* Nothing timed and nobody inside: only the two newlines, as bpftrace with empty maps. */
	r = (struct futex_report){ empty, "ms", NULL, 0, 0 };
	futex_print_report(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "futex.txt"), 0);
}
END_TEST

START_TEST(futex_json)
{
	struct futex_report r = { sample_slots, "us", sample_inside, ARRAY_SIZE(sample_inside), 7 };
	FILE *f = golden_open(&buf, &len);

	futex_print_json(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "futex.json"), 0);
}
END_TEST

Suite *golden_futex_suite(void)
{
	const TTest *tests[] = { futex_exit_dump, futex_json };

	return unit_suite("futex", "layouts", tests, ARRAY_SIZE(tests));
}
