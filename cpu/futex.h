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
	FUTEX_SUM_NS, /* the timed calls' durations added up, in ns (the metrics' _sum) */
	FUTEX_COUNTERS,
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

#include "tid_start.h"

struct futex_report {
	const uint64_t *slots; /* BT_HIST_SLOTS */
	const char *unit; /* "ms" or "us" */
	const struct tid_start *inside; /* @ts: threads still inside futex(), sorted (tid_start.h) */
	size_t ninside;
	__u64 untimed;
	double unit_s; /* the histogram's unit in seconds (1e-3 for ms) */
	double sum_s; /* the timed calls' total duration */
};

/* The exit dump: two newlines, @lat (histogram) and @ts (threads still inside futex). */
void futex_print_report(FILE *f, const struct futex_report *r);
/* The same as one JSON object. */
void futex_print_json(FILE *f, const struct futex_report *r);

struct prom;
/*
 * The metrics (--prometheus-textfile): the histogram as bpfnet_futex_call_duration_seconds
 * (le: each slot's highest whole unit, _sum exact) and the untimed calls' counter.
 */
void futex_prom_write(struct prom *p, const struct futex_report *r);

struct hook_table;
extern const struct hook_table futex_hook_table;
#endif
