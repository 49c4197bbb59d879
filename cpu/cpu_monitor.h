/* SPDX-License-Identifier: GPL-2.0-only */
/* cpu_monitor: shared by the BPF program and user space. */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CPUM_COMM_LEN 16
#define CPUM_MAX_CPUS 1024
#define CPUM_MAX_THREADS 32768 /* (cpu, thread) pairs with CPU time */
#define CPUM_MAX_SAMPLES 16384 /* distinct (cpu, thread, stacks) of the profile */
#define CPUM_MAX_STACKS 16384
#define CPUM_SAMPLE_HZ 1000 /* perf record -F 1000 */

/* What runs on a monitored CPU since its last context switch. */
struct cpum_slice {
	__u64 since_ns;
	__u32 tid, tgid; /* tgid 0: not known (classic tracepoint) */
	char comm[CPUM_COMM_LEN];
};

struct cpum_thread_key {
	__u32 cpu, tid;
};

/* A thread's time on one CPU, cumulative since the tool started. */
struct cpum_thread_time {
	__u64 runtime_ns;
	__u32 tgid, pad;
	char comm[CPUM_COMM_LEN];
};

/* One profile sample's identity; the value counts samples. */
struct cpum_sample_key {
	__u32 cpu, tgid, tid;
	__s32 kstack, ustack; /* stack ids, negative: none (kstack: the sample hit user mode) */
	char comm[CPUM_COMM_LEN];
};

/* Slots of the per-CPU counter map "untracked". */
enum cpum_untracked {
	CPUM_THREADS_FULL,
	CPUM_SAMPLES_FULL,
	CPUM_UNTRACKED_SLOTS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct hook_table;
/* The tool's hooks (planned by the unit tests against the lab kernels). */
extern const struct hook_table cpum_hook_table;

/*
 * Parses a CPU list ("0,1,2", "0-3,8-11") into cpus[] in the given order, duplicates kept;
 * every CPU must be at most max_cpu. Returns the count, or -1 with *bad pointing at the
 * offending item (a static buffer).
 */
int cpum_parse_list(const char *text, int max_cpu, int *cpus, int cap, const char **bad);
/* Sorts and de-duplicates cpus[0..n); returns the new count. */
int cpum_sort_unique(int *cpus, int n);

/* The counters of one "cpuN" line of /proc/stat that the original adds up. */
struct cpum_stat {
	uint64_t user, nice, system, idle, iowait, irq, softirq;
};
/* Usage in percent between two readings: 100 * (busy delta) / (total delta); 0 if no time passed. */
double cpum_usage(const struct cpum_stat *a, const struct cpum_stat *b);

/* Where a report goes: every line prefixed "[YYYY-MM-DD HH:MM:SS] ", colours on a terminal only. */
struct cpum_out {
	FILE *f;
	const char *stamp; /* "YYYY-MM-DD HH:MM:SS" */
	bool color;
};
/* One line through the prefix. */
void cpum_line(const struct cpum_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* text in colour ("0;32" green, "0;34" blue, "0;31" red, "1;33" yellow) when o->color. */
const char *cpum_color(const struct cpum_out *o, const char *code, const char *text, char *buf, size_t len);

/* One thread of a CPU's table. */
struct cpum_thread_row {
	int pid, tid;
	double percent;
	char name[64];
};

enum cpum_perf_mark { CPUM_PERF_NONE, CPUM_PERF_KEPT, CPUM_PERF_DELETED };

/* One CPU's block of the report. */
struct cpum_cpu_block {
	int cpu;
	double usage;
	bool target;
	enum cpum_perf_mark perf;
	const struct cpum_thread_row *rows;
	int nrows; /* the text shows the first 5 */
};

/* The banner: targets, monitored CPUs, interval, log file (NULL: none), profile settings. */
void cpum_print_banner(const struct cpum_out *o, const int *targets, int ntargets, const int *monitored,
		       int nmonitored, int interval, const char *log_file, int threshold,
		       const char *perf_dir);
/* "======== CPU monitoring - HH:MM:SS ========" and the total usage. */
void cpum_print_cycle_head(const struct cpum_out *o, const char *hms, double total_usage);
/* "Target CPU n and its hyper-thread group [ a b]:" */
void cpum_print_group_head(const struct cpum_out *o, int cpu, const int *group, int ngroup);
/* One CPU's usage line and its top threads (or "no active processes"), then an empty line. */
void cpum_print_cpu(const struct cpum_out *o, const struct cpum_cpu_block *b, int interval);
struct json;
/* One CPU's block as a JSON object (all its threads). */
void cpum_json_cpu(struct json *j, const struct cpum_cpu_block *b);
/* The three lines at exit (after a signal, or at the end of --duration). */
void cpum_print_stop(const struct cpum_out *o, bool signaled);

/* One profiled stack: samples of a thread with its frames, innermost first. */
struct cpum_stack {
	uint64_t samples;
	int pid, tid;
	char comm[CPUM_COMM_LEN];
	int nkernel; /* frames[0..nkernel) are kernel frames */
	int ustack_err; /* why the user stack is missing (-errno of bpf_get_stackid), 0 if not */
	int nframes;
	const char **frames; /* symbol names ("hog_spin", "[unknown]"), kernel frames first */
	const char **details; /* "hog_spin+0x1a (/usr/bin/x)" */
};

/* The profile report file's text: header, Top Functions, Call Graph (Top 10), detailed stacks. */
void cpum_print_profile(FILE *f, int cpu, const char *date, double usage, int threshold, int interval,
			struct cpum_stack *stacks, int n);

/* A target CPU and its siblings, in the order of thread_siblings_list. */
struct cpum_group {
	int cpu;
	int *members;
	int n;
};

/* What a running slice of a CPU has been credited so far (it is charged whole when it ends). */
struct cpum_credit {
	uint64_t since_ns;
	uint32_t tid;
	uint64_t ns;
};

struct cpu_monitor_bpf;
struct cpum_thread_sample;
struct bpf_link;

/* The tool's state from start to exit. */
struct cpum_run {
	struct cpu_monitor_bpf *skel;
	struct cpum_out out;
	int ncpus; /* possible CPUs (the /proc/stat array size) */
	int *targets, ntargets;
	int *monitored, nmonitored;
	struct cpum_group *groups;
	struct cpum_stat *stat_prev, *stat_now; /* [0]: "cpu" total, [1 + n]: cpu n */
	struct cpum_thread_sample *prev;
	size_t nprev;
	struct cpum_credit *credits;
	uint64_t cycle_start_ns;
	struct bpf_link **profilers;
	char log_path[512], perf_dir[512];
};

/* The threads of one monitored CPU over a cycle. */
struct cpum_cpu_rows {
	struct cpum_thread_row *rows;
	int n, cap;
};

/* Reads the "cpu" lines of /proc/stat into s ([0]: total, [1 + n]: cpu n). */
void cpum_read_stat(struct cpum_run *r, struct cpum_stat *s);
/* The index of cpu in r->monitored, or -1. */
int cpum_cpu_index(const struct cpum_run *r, int cpu);
/*
 * Each monitored CPU's threads over the cycle that ends at now_ns: the slices that ended in it
 * (map deltas) and the part of the running slice inside it, as a share of the cycle.
 */
void cpum_cycle_threads(struct cpum_run *r, uint64_t now_ns, struct cpum_cpu_rows *per_cpu);
#endif
