/* SPDX-License-Identifier: GPL-2.0-only */
/* offcputime-ts: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"

#define OFFCPU_MAX_THREADS 65536 /* threads off-CPU at once that can be timed (LRU) */
#define OFFCPU_MAX_KEYS 65536 /* (thread, stacks) totals per report */
#define OFFCPU_MAX_IDS 1024 /* -p / -t list entries */
#define OFFCPU_COMM_LEN 16
#define OFFCPU_DURATION_FOREVER 99999999 /* the original's duration "until Ctrl-C" */

enum offcpu_thread_filter {
	OFFCPU_ALL,
	OFFCPU_TGIDS, /* -p: the tgid is in the id list */
	OFFCPU_TIDS, /* -t: the thread id is in the id list */
	OFFCPU_USER, /* -u */
	OFFCPU_KERNEL, /* -k */
};

struct offcpu_config {
	__u32 thread_filter; /* enum offcpu_thread_filter */
	__u32 state_filter; /* --state given */
	__u64 state; /* --state value: 0 = exactly TASK_RUNNING, else a mask */
	__u64 min_us, max_us; /* -m, -M */
	__u32 user_stacks, kernel_stacks; /* collect them (-K turns off user, -U kernel) */
};

/* One (thread, stacks) total. */
struct offcpu_key {
	__u32 pid; /* thread id */
	__u32 tgid;
	__s32 user_stack_id; /* -1 when not collected, else bpf_get_stackid()'s result */
	__s32 kernel_stack_id;
	char comm[OFFCPU_COMM_LEN];
};

/* A thread gone off-CPU: since when, and (scheduler tracepoint) who and where it was. */
struct offcpu_start {
	__u64 ts;
	struct offcpu_key key; /* stacks captured at switch-out; pid 0: not yet (kprobe path) */
};

/* A negative off-CPU time (a clock anomaly), reported on stderr. */
struct offcpu_warn {
	__u32 pid, tgid;
	__u64 t_start, t_end;
};

enum offcpu_counter {
	OFFCPU_COUNTS_FULL, /* periods not added: the totals table was full */
	OFFCPU_COUNTERS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prom.h"

/* How the report prints (the original's options). */
struct offcpu_layout {
	bool user_only, kernel_only; /* -U, -K */
	bool delimited, folded; /* -d, -f */
};

/* One entry of a report, with its frames rendered (innermost first). */
struct offcpu_entry {
	struct offcpu_key key;
	uint64_t total_us;
	const char *const *kframes, *const *uframes;
	int nk, nu; /* frames; 0 also for "no stack of that kind" (-EFAULT) */
};

/* "Tracing off-CPU time (us) of <threads> by <stacks> stack..." with -I or without. */
void offcpu_print_banner(FILE *f, const char *threads, const struct offcpu_layout *l, int interval,
			 int duration);
/* One entry: multi-line (frames, "-  comm (tid)", total) or one folded line. */
void offcpu_print_entry(FILE *f, const struct offcpu_entry *e, const struct offcpu_layout *l);
/* The "=== Off-CPU Analysis Report - Start/End Time: ... ===" block of -I reports. */
void offcpu_print_rule(FILE *f, const char *which, const char *datetime);
/* One entry as a JSON object (one line). */
void offcpu_print_json(FILE *f, const struct offcpu_entry *e, const char *datetime);
/* Whether a stack id is an error ("missed"): negative and not -EFAULT (no stack of that kind). */
bool offcpu_stack_missed(int32_t id);
/* Why a missed stack was lost, as the metrics label it. */
enum offcpu_lost_reason {
	OFFCPU_LOST_TABLE_FULL, /* -ENOMEM: the stack map had no free entry */
	OFFCPU_LOST_HASH_COLLISION, /* -EEXIST: another stack holds the hash's bucket */
	OFFCPU_LOST_OTHER,
	OFFCPU_LOST_REASONS
};
enum offcpu_lost_reason offcpu_lost_reason(int32_t id);

/* Off-CPU time of a thread name since the start (the metrics). */
struct offcpu_comm_total {
	char comm[OFFCPU_COMM_LEN];
	uint64_t us;
};

struct offcputime_ts_bpf;
/* What the reports of a run read (its maps, how to print) and keep between them. */
struct offcpu_run {
	struct offcputime_ts_bpf *skel;
	struct offcpu_layout layout;
	bool offsets; /* -s: addresses with offsets */
	int interval; /* -I: each report between Start and End rules */
	uint64_t counts_full_reported;
	const char *prom_path; /* --prometheus-textfile */
	struct prom prom;
	struct offcpu_comm_total *comms; /* the reports' totals added up, by thread name */
	size_t ncomms;
	uint64_t stacks_lost[OFFCPU_LOST_REASONS]; /* since the start */
};
/* Prints the totals so far and empties them (one report per interval); ctx: a struct offcpu_run. */
void offcpu_report(void *ctx);
void offcpu_run_free(struct offcpu_run *r);

struct hook_table;
extern const struct hook_table offcpu_hook_table;
#endif
