/* SPDX-License-Identifier: GPL-2.0-only */
/* futex: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/hist_slot.h"

#define FUTEX_MAX_THREADS 16384 /* threads inside futex() at once that can be timed */

struct futex_config {
	__u32 tgid; /* 0: every process */
	__u32 pad;
	__u64 unit_ns; /* the histogram's unit: 1000000 (ms) or 1000 (us) */
};

/* Slots of the per-CPU counters array. */
enum futex_counter {
	FUTEX_UNTIMED, /* calls not timed: the table of threads inside futex() was full */
	FUTEX_COUNTERS,
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* A thread still inside futex() at exit: @ts[tid]: entry time (ns). */
struct futex_inside {
	__u32 tid;
	__u64 start_ns;
};

struct futex_report {
	const uint64_t *slots; /* BT_HIST_SLOTS */
	const char *unit; /* "ms" or "us" */
	struct futex_inside *inside; /* sorted by start_ns, as bpftrace sorts @ts by value */
	size_t ninside;
	__u64 untimed;
};

/* The exit dump: two newlines, @lat (histogram) and @ts (threads still inside futex). */
void futex_print_report(FILE *f, const struct futex_report *r);
/* The same as one JSON object. */
void futex_print_json(FILE *f, const struct futex_report *r);
/* Sorts the leftover entries by start time, as bpftrace prints a map (by value, ascending). */
void futex_sort_inside(struct futex_inside *inside, size_t n);

struct hook_table;
extern const struct hook_table futex_hook_table;
#endif
