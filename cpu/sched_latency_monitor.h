/* SPDX-License-Identifier: GPL-2.0-only */
/* sched_latency_monitor: shared by the BPF program and user space. */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SLM_COMM_LEN 16
#define SLM_MAX_THREADS 16384 /* threads of the target followed at once (wakeup, on-CPU tables) */

struct slm_config {
	__u32 tgid; /* the target process */
};

enum slm_kind {
	SLM_DELAY = 1, /* runnable (woken or preempted) at start_ns, switched in at end_ns */
	SLM_RUN, /* switched in at start_ns, out at end_ns */
};

/* One scheduler interval of a target thread. */
struct slm_event {
	__u64 start_ns, end_ns; /* bpf_ktime_get_ns() */
	__u32 tid;
	__u32 kind; /* enum slm_kind */
	char comm[SLM_COMM_LEN];
};

/* A target thread on a CPU now: since when, under which name. */
struct slm_oncpu {
	__u64 since_ns;
	char comm[SLM_COMM_LEN];
};

/* Slots of the per-CPU counter map "untracked": what the bounded tables could not hold. */
enum slm_untracked {
	SLM_WAKEUPS_TABLE_FULL,
	SLM_ONCPU_TABLE_FULL,
	SLM_UNTRACKED_SLOTS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One target thread's share of a sample window. */
struct slm_thread {
	uint32_t tid;
	char comm[SLM_COMM_LEN];
	uint64_t runtime_ns, delays, delay_ns, max_delay_ns, max_at_ns;
};

/* One sample: [start_ns, end_ns) of the monotonic clock, and what happened in it. */
struct slm_window {
	int sample; /* 1, 2, ... */
	uint64_t start_ns, end_ns;
	struct slm_thread *threads;
	int n, cap;
};

/* A row of the table: the threads of one command name merged, as perf sched latency does. */
struct slm_row {
	char comm[SLM_COMM_LEN];
	uint32_t tid; /* the thread, when merged == 1 */
	int merged;
	uint64_t runtime_ns, delays, delay_ns, max_delay_ns, max_at_ns;
};

/* What the sample's header and INFO lines say besides the table. */
struct slm_sample_info {
	int sample;
	const char *timestamp; /* wall clock of the sample's start, "YYYY-MM-DD HH:MM:SS.mmm" */
	const char *process;
	int pid;
	double period_s; /* the planned length */
	double measured_s; /* the real length: shorter when the run stopped inside the sample */
	uint64_t lost_events; /* events the kernel could not deliver during the sample */
	uint64_t untracked; /* runnable periods or runs the bounded tables could not hold */
};

struct hook_table;
/* The tool's hooks (planned by the unit tests against the lab kernels). */
extern const struct hook_table slm_hook_table;

/* Adds ev to w: a run counts for its part inside the window, a delay if it ended inside. */
void slm_window_add(struct slm_window *w, const struct slm_event *ev);
/* Adds the part inside w of a run that started at since_ns and is still going at now_ns. */
void slm_window_add_running(struct slm_window *w, uint32_t tid, const char *comm, uint64_t since_ns,
			    uint64_t now_ns);
void slm_window_free(struct slm_window *w);
/*
 * The rows of w: threads with at least one delay, merged by command name, sorted by average
 * delay, then maximum delay, delays and runtime, all descending. Returns the count; *rows is
 * malloc'ed (free it).
 */
int slm_rows(const struct slm_window *w, struct slm_row **rows);

/* The log file's header, once per run: "Scheduler Latency Monitoring Log", start time. */
void slm_print_log_header(FILE *f, const char *datetime);
/* One sample in the log: header block, the perf sched latency table, footer. */
void slm_print_sample(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n);
/* The table alone, in the layout of the older perf sched latency (Maximum delay at). */
void slm_print_table(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n);
/* One sample as one JSON object on a line. */
void slm_print_json(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n);
#endif
