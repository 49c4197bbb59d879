/* SPDX-License-Identifier: GPL-2.0-only */
/* vhost_eventfd_count: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/pair_key.h"

/* Slots of the per-CPU counters array. */
enum vhost_eventfd_counter {
	VEFD_TABLE_FULL, /* calls not counted: no room for a new (vq, eventfd) pair */
	VEFD_COUNTERS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdio.h>

struct pair_counts;

/* The start-up lines (interval 0: the --at-exit mode's bpftrace line). */
void vhost_eventfd_print_banner(FILE *f, int interval);
/*
 * One report: a blank line, the local time when, the table of t sorted by count (highest
 * first), or "No data"; final: preceded by "\nFinal statistics:".
 */
void vhost_eventfd_print_table(FILE *f, const struct pair_counts *t, const char *when, bool final);
/* The --at-exit report: "@count[<vq>, <eventfd>]: <n>" lines, lowest count first, then a blank line. */
void vhost_eventfd_print_bt(FILE *f, const struct pair_counts *t);
/* One report as a JSON object: {"time", ["final",] "pairs": [{"vq", "eventfd", "count"}]}. */
void vhost_eventfd_print_json(FILE *f, const struct pair_counts *t, const char *when, bool final);

struct hook_table;
extern const struct hook_table vhost_eventfd_hook_table;
#endif
