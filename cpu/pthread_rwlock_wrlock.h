/* SPDX-License-Identifier: GPL-2.0-only */
/* pthread_rwlock_wrlock: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/hist_slot.h"

#define RWL_MAX_THREADS 16384 /* threads inside the write lock at once that can be timed */
#define RWL_MAX_CALLERS 10240 /* distinct (process, stack) callers in --stack mode */
#define RWL_COMM_LEN 16

struct rwl_config {
	__u32 tgid; /* 0: every process */
	__u32 pad;
};

/* --stack mode: calls counted per (process, user stack). */
struct rwl_caller {
	__u32 tgid;
	__s32 stack_id;
	char comm[RWL_COMM_LEN];
};

enum rwl_counter {
	RWL_UNTIMED, /* calls not timed: the table of threads inside the lock was full */
	RWL_CALLERS_FULL, /* calls not counted: the caller table was full */
	RWL_COUNTERS,
};

#ifndef __bpf__
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tid_start.h"

/* One caller of --stack mode with its frames rendered (innermost first). */
struct rwl_caller_row {
	struct rwl_caller key;
	uint64_t count;
	const char *const *frames;
	int nframes;
};

/* The histogram as END prints it: "@lat: " and its rows. */
void rwl_print_hist(FILE *f, const uint64_t *slots);
/* bpftrace's exit dump: two newlines, @begin (threads inside the lock), @lat again. */
void rwl_print_exit_dump(FILE *f, const uint64_t *slots, const struct tid_start *inside, size_t ninside);
/* The callers map as print(@) shows it, fewest calls first: "@[comm, pid, \n frames\n]: count". */
void rwl_print_callers(FILE *f, const struct rwl_caller_row *rows, size_t n);
/* Sorts callers by count, fewest first (bpftrace's order). */
void rwl_sort_callers(struct rwl_caller_row *rows, size_t n);
/* Exit objects of --json: the histogram, or the callers. */
void rwl_print_hist_json(FILE *f, const char *lib, const uint64_t *slots, const struct tid_start *inside,
			 size_t ninside);
void rwl_print_callers_json(FILE *f, const char *lib, const struct rwl_caller_row *rows, size_t n);

struct hook_table;
extern const struct hook_table rwl_hook_table;
#endif
