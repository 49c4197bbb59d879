/* SPDX-License-Identifier: GPL-2.0-only */
/* system_network_latency_summary: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"

#define SLS_SLOTS 32 /* log2 slots of microseconds: the last one holds 2^31 - 1 us and up */
#define SLS_PAIR_SLOTS (NS_DIRS * NS_MAX_POS * NS_MAX_POS * SLS_SLOTS)

struct sls_session {
	struct netstage_session hdr;
};

/* Index in stage_pair_hist of a slot of the pair (prev -> cur), by path positions. */
static inline __u32 sls_pair_index(__u32 dir, __u32 prev, __u32 cur, __u32 slot)
{
	return ((dir * NS_MAX_POS + prev) * NS_MAX_POS + cur) * SLS_SLOTS + slot;
}

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

#include "netstage.h"

struct sls_pair {
	uint8_t dir, prev_pos, cur_pos;
	uint64_t samples;
	uint64_t slots[SLS_SLOTS];
};

/* One interval's report. */
struct sls_report {
	double interval_s;
	unsigned dirs; /* NS_DIR_BIT of the traced directions */
	const struct sls_pair *pairs; /* sorted by direction, then path positions */
	size_t npairs;
	uint64_t total[NS_DIRS][SLS_SLOTS]; /* first -> last stage of the packets completed */
	uint64_t packets[NS_DIRS]; /* packets that entered the first stage */
	struct netstage_counts counts; /* since start */
};

/*
 * The interval's stage pairs: every pair with samples in slots (an interval's growth of
 * stage_pair_hist, indexed by sls_pair_index). Fills at most max, sorted by direction,
 * previous stage position, current stage position; returns how many.
 */
size_t sls_pairs_collect(const uint64_t *slots, struct sls_pair *out, size_t max);
/* The report in the original layout, with datetime "YYYY-MM-DD HH:MM:SS". */
void sls_print_report(FILE *f, const char *datetime, const struct sls_report *r);
/* The report as one JSON object. */
void sls_print_json(FILE *f, const char *datetime, const struct sls_report *r, int final);
#endif
