/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Log2 histograms counted in the kernel: a per-CPU array of u64 slots holding one or more
 * histograms side by side, read by user space as per-interval deltas (common/percpu_delta.h).
 * A histogram keyed by something else (a flow, a device) is a hash map whose key carries the
 * slot, counted with hash_counter_inc().
 */
#pragma once
#include "bpfnet.bpf.h"
#include "hist_slot.h"

/* Declares a per-CPU array of slots u64 counters for the histograms of a tool. */
#define HIST_MAP(name, slots) BPFNET_MAP(name, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, slots)

/*
 * Counts value in the log2 histogram of nslots slots that starts at slot base of a HIST_MAP;
 * a value beyond the last slot counts in the last one. Nothing is reset: user space reports
 * what grew since its previous read.
 */
static __always_inline void hist_add(void *map, __u32 base, __u32 nslots, __u64 value)
{
	__u32 index = base + log2_slot_capped(value, nslots);
	__u64 *slot = bpf_map_lookup_elem(map, &index);

	if (slot)
		*slot += 1; /* a per-CPU slot: only this CPU writes it, no atomic needed */
}
