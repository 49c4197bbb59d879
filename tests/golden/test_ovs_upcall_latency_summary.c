// SPDX-License-Identifier: GPL-2.0-only
/* ovs_upcall_latency_summary's interval reports (text and JSON), against golden files. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "ovs_upcall_latency_summary.h"
#include "prom.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* The spec's sample histogram (4-7us .. 32-63us), and 230 latencies spread over it, sorted. */
static uint64_t slots[UPCALL_HIST_SLOTS] = { [3] = 34, [4] = 67, [5] = 89, [6] = 40 };
static uint64_t recorded[230];

static void fill_recorded(void)
{
	size_t i = 0;

	for (unsigned s = 3; s <= 6; s++)
		for (uint64_t k = 0; k < slots[s]; k++, i++)
			recorded[i] = ((1ULL << (s - 1)) * 1000) + k * 100; /* within the slot, ascending */
}

static struct upcall_report sample(void)
{
	fill_recorded();
	return (struct upcall_report){
		.time = "2025-09-22 18:10:30",
		.interval_s = 5.0,
		.total = 234,
		.completed = 230,
		.slots = slots,
		.latency_sum_ns = 230 * 23400ULL,
		.latencies_ns = recorded,
		.nrecorded = 230,
		.miss = 189,
		.action = 45,
		.sessions = 4,
	};
}

START_TEST(summary_reports)
{
	uint64_t empty[UPCALL_HIST_SLOTS] = { 0 },
		 far[UPCALL_HIST_SLOTS] = { [0] = 1, [10] = 2, [11] = 1, [20] = 1 };
	uint64_t far_recorded[] = { 400, 600000, 900000, 1500000 };
	struct upcall_report r = sample();
	const char *probes[] = { "ovs_dp_upcall -> tracepoint openvswitch:ovs_dp_upcall",
				 "ovs_flow_key_extract_userspace -> kprobe ovs_flow_key_extract_userspace" };
	struct upcall_banner b = {
		"tcp", golden_ipv4("172.21.153.113"), golden_ipv4("172.21.153.114"), 80, 443, 5, probes, 2
	};
	FILE *f = golden_open(&buf, &len);

	upcall_print_banner(f, &b);
	upcall_print_report(f, &r);
	/* Nothing completed in this interval, the session map unreadable. */
	r = (struct upcall_report){ .time = "2025-09-22 18:10:35",
				    .interval_s = 5.0,
				    .total = 240,
				    .completed = 230,
				    .slots = empty,
				    .miss = 6,
				    .sessions = -1 };
	upcall_print_report(f, &r);
	/* Millisecond and second labels; 4 of 5 latencies recorded (the table was full). */
	r = (struct upcall_report){ .time = "2025-09-22 18:10:40",
				    .interval_s = 4.2,
				    .total = 245,
				    .completed = 235,
				    .slots = far,
				    .latency_sum_ns = 3000400ULL + 800000000ULL,
				    .latencies_ns = far_recorded,
				    .nrecorded = 4,
				    .not_recorded = 1,
				    .miss = 3,
				    .action = 1,
				    .other_cmd = 1,
				    .sessions = 10 };
	upcall_print_report(f, &r);
	/* The defaults' banner, and no upcall at all yet: no rate, no types. */
	b = (struct upcall_banner){ .protocol = "all", .interval_s = 10, .probes = probes, .nprobes = 2 };
	upcall_print_banner(f, &b);
	r = (struct upcall_report){ .time = "2025-09-22 18:10:45", .interval_s = 5.0, .slots = empty };
	upcall_print_report(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_upcall_latency_summary.txt"), 0);
}
END_TEST

START_TEST(summary_json)
{
	uint64_t empty[UPCALL_HIST_SLOTS] = { 0 };
	struct upcall_report r = sample();
	FILE *f = golden_open(&buf, &len);

	upcall_print_json(f, &r, 0);
	r = (struct upcall_report){ .time = "2025-09-22 18:10:35",
				    .interval_s = 2.5,
				    .total = 240,
				    .completed = 230,
				    .slots = empty,
				    .miss = 6,
				    .sessions = -1 };
	upcall_print_json(f, &r, 1);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_upcall_latency_summary.json"), 0);
}
END_TEST

/* Nearest rank: the smallest recorded value with at least p percent of them at or below it. */
START_TEST(percentiles)
{
	const uint64_t v[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

	ck_assert_uint_eq(upcall_percentile(v, 10, 50), 50);
	ck_assert_uint_eq(upcall_percentile(v, 10, 51), 60);
	ck_assert_uint_eq(upcall_percentile(v, 10, 95), 100);
	ck_assert_uint_eq(upcall_percentile(v, 10, 10), 10);
	ck_assert_uint_eq(upcall_percentile(v, 10, 0.1), 10);
	ck_assert_uint_eq(upcall_percentile(v, 1, 99), 10);
	ck_assert_uint_eq(upcall_percentile(v, 0, 50), 0);
}
END_TEST

/* The spec's examples of the original's bucket labels. */
START_TEST(slot_labels)
{
	static const struct {
		unsigned slot;
		const char *label;
	} want[] = { { 0, "0-1us" },      { 1, "1-1us" },
		     { 2, "2-3us" },      { 3, "4-7us" },
		     { 10, "0.5-1.0ms" }, { 11, "1.0-2.0ms" },
		     { 20, "0.5-1.0s" },  { 63, "4611686018427.4-9223372036854.8s" } };
	char buf[48];

	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		ck_assert_str_eq(upcall_slot_label(want[i].slot, buf, sizeof(buf)), want[i].label);
}
END_TEST

/* The metrics (--prometheus-textfile) of the sample read as counts since the start. */
START_TEST(summary_prom)
{
	FILE *f = golden_open(&buf, &len);
	struct upcall_report r = sample();
	struct prom p = { 0 };

	r.other_cmd = 2;
	prom_begin(&p, "ovs_upcall_latency_summary");
	upcall_prom_write(&p, &r);
	r.sessions = -1; /* unreadable: no gauge */
	prom_begin(&p, "ovs_upcall_latency_summary");
	upcall_prom_write(&p, &r);
	fputs(p.text.buf, f);
	ck_assert_ptr_null(strstr(p.text.buf, "in_flight"));
	prom_free(&p);
	r.sessions = 4;
	prom_begin(&p, "ovs_upcall_latency_summary");
	upcall_prom_write(&p, &r);
	ck_assert_ptr_nonnull(strstr(p.text.buf, "bpfnet_ovs_upcall_latency_upcalls_in_flight 4\n"));
	prom_free(&p);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_upcall_latency_summary.prom"), 0);
}
END_TEST

Suite *golden_ovs_upcall_latency_summary_suite(void)
{
	const TTest *tests[] = { summary_reports, summary_json, percentiles, slot_labels, summary_prom };

	return unit_suite("ovs_upcall_latency_summary", "layouts", tests, ARRAY_SIZE(tests));
}
