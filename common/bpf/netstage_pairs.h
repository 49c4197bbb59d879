/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The latency summaries' kernel histograms (netstage_pairs.bpf.h), for BPF and user space:
 * one log2 histogram of microseconds per adjacent stage pair of a direction, by the stages'
 * path positions, and one of the first-to-last stage latency per direction.
 */
#pragma once
#include "netstage.h"

#define NS_HIST_SLOTS 32 /* log2 slots of microseconds: the last one holds 2^31 - 1 us and up */
#define NS_PAIR_SLOTS (NS_DIRS * NS_MAX_POS * NS_MAX_POS * NS_HIST_SLOTS)
#define NS_TOTAL_SLOTS (NS_DIRS * NS_HIST_SLOTS)

/* Index in stage_pair_hist of a slot of the pair (prev -> cur), by path positions. */
static inline __u32 netstage_pair_index(__u32 dir, __u32 prev, __u32 cur, __u32 slot)
{
	return ((dir * NS_MAX_POS + prev) * NS_MAX_POS + cur) * NS_HIST_SLOTS + slot;
}
