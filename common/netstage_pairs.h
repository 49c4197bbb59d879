/* SPDX-License-Identifier: GPL-2.0-only */
/* User side of the latency summaries' kernel histograms (common/bpf/netstage_pairs.bpf.h). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "bpf/netstage_pairs.h"

/* One stage pair of an interval: its direction, the stages' path positions, its histogram. */
struct netstage_pair {
	uint8_t dir, prev_pos, cur_pos;
	uint64_t samples;
	uint64_t slots[NS_HIST_SLOTS];
};

/* Room for every pair netstage_pairs_collect can return. */
#define NS_PAIRS_MAX (NS_DIRS * NS_MAX_POS * NS_MAX_POS)

/*
 * The interval's stage pairs: every pair with samples in slots (an interval's growth of
 * stage_pair_hist, indexed by netstage_pair_index). Fills at most max, sorted by direction,
 * previous stage position, current stage position; returns how many.
 */
size_t netstage_pairs_collect(const uint64_t *slots, struct netstage_pair *out, size_t max);
