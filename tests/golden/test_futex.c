// SPDX-License-Identifier: GPL-2.0-only
/* futex's exit dump (bpftrace map layout), its JSON object and its metrics, against golden files. */
#include <check.h>
#include <string.h>

#include "bthist.h"
#include "futex.h"
#include "golden.h"
#include "prom.h"
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

/*
 * The metrics (--prometheus-textfile) of the sample in ms, with an exact sum and untimed
 * calls: one bucket per slot (le: its highest whole ms), cumulative; _count the calls.
 */
START_TEST(futex_prom)
{
	struct futex_report r = { sample_slots, "ms", NULL, 0, 7, 1e-3, 123.25 };
	FILE *f = golden_open(&buf, &len);
	struct prom p = { 0 };

	prom_begin(&p, "futex");
	futex_prom_write(&p, &r);
	fputs(p.text.buf, f);
	ck_assert_ptr_nonnull(
		strstr(p.text.buf, "\nbpfnet_futex_call_duration_seconds_bucket{le=\"1.023\"} 45591\n"));
	ck_assert_ptr_nonnull(strstr(p.text.buf, "\nbpfnet_futex_call_duration_seconds_count 45592\n"));
	prom_free(&p);
	ck_assert_int_eq(golden_check(f, &buf, &len, "futex.prom"), 0);
}
END_TEST

Suite *golden_futex_suite(void)
{
	const TTest *tests[] = { futex_exit_dump, futex_json, futex_prom };

	return unit_suite("futex", "layouts", tests, ARRAY_SIZE(tests));
}
