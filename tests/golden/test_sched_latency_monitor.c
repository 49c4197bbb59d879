// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_latency_monitor: how events make a sample's rows (runs clipped to the window, delays
 * by their end, threads merged by command name, perf's sort order), and the log's layouts
 * against golden files.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "sched_latency_monitor.h"
#include "util.h"
#include "unit_helpers.h"

#define MS 1000000ULL
#define S 1000000000ULL

static char *buf;
static size_t len;

static void event(struct slm_window *w, enum slm_kind kind, uint32_t tid, const char *comm, uint64_t start,
		  uint64_t end)
{
	struct slm_event ev = { .start_ns = start, .end_ns = end, .tid = tid, .kind = kind };

	strncpy(ev.comm, comm, sizeof(ev.comm) - 1);
	slm_window_add(w, &ev);
}

START_TEST(runs_clipped_delays_by_end)
{
	struct slm_window w = { .sample = 1, .start_ns = 100 * S, .end_ns = 101 * S };
	struct slm_row *rows;
	int n;

	/* A run across the start counts from the start, one across the end up to the end. */
	event(&w, SLM_RUN, 7, "worker", 100 * S - 5 * MS, 100 * S + 3 * MS);
	event(&w, SLM_RUN, 7, "worker", 101 * S - 2 * MS, 101 * S + 9 * MS);
	event(&w, SLM_RUN, 7, "worker", 99 * S, 99 * S + MS); /* before: nothing */
	/* A delay counts in the window its end falls in, whole. */
	event(&w, SLM_DELAY, 7, "worker", 100 * S - 4 * MS, 100 * S + 1 * MS);
	event(&w, SLM_DELAY, 7, "worker", 101 * S - 1 * MS, 101 * S); /* ends at the end: next window */
	slm_window_add_running(&w, 7, "worker", 100 * S + 500 * MS, 100 * S + 510 * MS);
	n = slm_rows(&w, &rows);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(rows[0].runtime_ns, (3 + 2 + 10) * MS);
	ck_assert_uint_eq(rows[0].delays, 1);
	ck_assert_uint_eq(rows[0].delay_ns, 5 * MS);
	ck_assert_uint_eq(rows[0].max_at_ns, 100 * S + 1 * MS);
	free(rows);
	slm_window_free(&w);
}
END_TEST

START_TEST(merged_by_comm_sorted_like_perf)
{
	struct slm_window w = { .sample = 1, .start_ns = 0, .end_ns = 10 * S };
	struct slm_row *rows;
	int n;

	/* handler:(2) avg 3 ms, max 4 ms at 2 s; main avg 3 ms, max 3 ms; idle has no delay. */
	event(&w, SLM_DELAY, 11, "handler", 1 * S - 2 * MS, 1 * S);
	event(&w, SLM_DELAY, 12, "handler", 2 * S - 4 * MS, 2 * S);
	event(&w, SLM_DELAY, 10, "main", 3 * S - 3 * MS, 3 * S);
	event(&w, SLM_RUN, 10, "main", 0, 5 * MS);
	event(&w, SLM_RUN, 13, "idle", 0, 7 * MS);
	/* A thread renamed during the window is shown under its last name. */
	event(&w, SLM_DELAY, 14, "old", 4 * S - 1 * MS, 4 * S);
	event(&w, SLM_DELAY, 14, "new", 5 * S - 1 * MS, 5 * S);
	n = slm_rows(&w, &rows);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(rows[0].comm, "handler");
	ck_assert_int_eq(rows[0].merged, 2);
	ck_assert_uint_eq(rows[0].max_delay_ns, 4 * MS);
	ck_assert_uint_eq(rows[0].max_at_ns, 2 * S);
	ck_assert_str_eq(rows[1].comm, "main");
	ck_assert_uint_eq(rows[1].tid, 10);
	ck_assert_uint_eq(rows[1].runtime_ns, 5 * MS);
	ck_assert_str_eq(rows[2].comm, "new");
	ck_assert_uint_eq(rows[2].delays, 2);
	free(rows);
	slm_window_free(&w);
}
END_TEST

/* The spec's sample table: handler12 and ovs-vswitchd. */
static int spec_rows(struct slm_row *r)
{
	memset(r, 0, 3 * sizeof(*r));
	strcpy(r[0].comm, "handler12");
	r[0].tid = 2315;
	r[0].merged = 1;
	r[0].runtime_ns = 12345000;
	r[0].delays = 230;
	r[0].delay_ns = 230 * 21000;
	r[0].max_delay_ns = 512000;
	r[0].max_at_ns = 12345678901000ULL;
	strcpy(r[1].comm, "ovs-vswitchd");
	r[1].tid = 2301;
	r[1].merged = 1;
	r[1].runtime_ns = 3210000;
	r[1].delays = 41;
	r[1].delay_ns = 41 * 10000;
	r[1].max_delay_ns = 90000;
	r[1].max_at_ns = 12345123456000ULL;
	strcpy(r[2].comm, "revalidator");
	r[2].merged = 4;
	r[2].runtime_ns = 1500;
	r[2].delays = 3;
	r[2].delay_ns = 3000;
	r[2].max_delay_ns = 2000;
	r[2].max_at_ns = 9 * S + 5000;
	return 3;
}

START_TEST(log_layout)
{
	FILE *f = golden_open(&buf, &len);
	struct slm_sample_info si = { .sample = 3,
				      .timestamp = "2025-07-31 14:00:03.412",
				      .process = "ovs-vswitchd",
				      .pid = 2301,
				      .period_s = 1,
				      .measured_s = 1 };
	struct slm_row rows[3];
	int n = spec_rows(rows);

	slm_print_log_header(f, "2025-07-31 14:00:01");
	slm_print_sample(f, &si, rows, n - 1);
	/* Merged threads, a sample cut short by Ctrl-C, losses and a full table. */
	si.sample = 4;
	si.timestamp = "2025-07-31 14:00:04.412";
	si.period_s = 2;
	si.measured_s = 0.25;
	si.lost_events = 17;
	si.untracked = 2;
	slm_print_sample(f, &si, rows, n);
	/* Nothing of the process waited. */
	si.sample = 5;
	si.period_s = 0.5;
	si.measured_s = 0.5;
	si.lost_events = si.untracked = 0;
	slm_print_sample(f, &si, rows, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "sched_latency_monitor.txt"), 0);
}
END_TEST

START_TEST(json_layout)
{
	FILE *f = golden_open(&buf, &len);
	struct slm_sample_info si = { .sample = 3,
				      .timestamp = "2025-07-31 14:00:03.412",
				      .process = "ovs-vswitchd",
				      .pid = 2301,
				      .period_s = 1,
				      .measured_s = 1,
				      .lost_events = 1 };
	struct slm_row rows[3];
	int n = spec_rows(rows);

	slm_print_json(f, &si, rows, n);
	si.sample = 4;
	slm_print_json(f, &si, rows, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "sched_latency_monitor.json"), 0);
}
END_TEST

Suite *golden_sched_latency_monitor_suite(void)
{
	const TTest *tests[] = { runs_clipped_delays_by_end, merged_by_comm_sorted_like_perf, log_layout,
				 json_layout };

	return unit_suite("sched_latency_monitor", "windows and layouts", tests, ARRAY_SIZE(tests));
}
