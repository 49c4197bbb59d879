/* SPDX-License-Identifier: GPL-2.0-only */
/* vhost_buf_peek_stats: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/pair_key.h"

/* Slots of the per-CPU counters array. */
enum vhost_peek_counter {
	VPEEK_TABLE_FULL, /* returns not counted: no room for a new (nvq, value) pair */
	VPEEK_UNMATCHED, /* returns whose entry was not seen (attached mid-call, or entry table full) */
	VPEEK_COUNTERS,
};

/* Calls in progress (entry seen, return not yet): one per vhost worker thread at a time. */
#define VPEEK_MAX_INFLIGHT 10240

#ifndef __bpf__
#include <stdbool.h>
#include <stdio.h>

struct pair_counts;

void vhost_peek_print_banner(FILE *f, int interval);
/*
 * One report: a blank line, the local time when, the header, then per nvq (t sorted by nvq
 * then return value) its total and one line per return value; "No data" if t is empty.
 */
void vhost_peek_print_report(FILE *f, const struct pair_counts *t, const char *when, bool final);
/* The same as one JSON object: {"time", ["final",] "nvqs": [{"nvq", "total", "returns": [...]}]}. */
void vhost_peek_print_json(FILE *f, const struct pair_counts *t, const char *when, bool final);

struct hook_table;
extern const struct hook_table vhost_peek_hook_table;
#endif
