/* SPDX-License-Identifier: GPL-2.0-only */
/* The log2 histogram slot rule shared by BPF programs and user space: slot = floor(log2(v + 1)). */
#pragma once
#include "both_sides.h"

#define LOG2_SLOTS 64

/* Slot s holds the values 2^s - 1 ... 2^(s+1) - 2, so 0 has a slot of its own. */
static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = 0, shift;

	v += 1;
	if (!v)
		return 63;
	shift = (v > 0xFFFFFFFFULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xFFFFULL) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xFFULL) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xFULL) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3ULL) << 1;
	v >>= shift;
	r |= shift;
	r |= (__u32)(v >> 1);
	return r;
}

/* log2_slot(v) in a histogram of nslots slots: values beyond it count in the last slot. */
static __always_inline __u32 log2_slot_capped(__u64 v, __u32 nslots)
{
	__u32 slot = log2_slot(v);

	return slot < nslots ? slot : nslots - 1;
}

/* bpftrace's hist(): slot 0 holds 0, slot k >= 1 holds 2^(k-1) ... 2^k - 1 (labels [0], [1], [2, 4), ...). */
#define BT_HIST_SLOTS 65

static __always_inline __u32 bt_hist_slot(__u64 v)
{
	return v ? log2_slot(v - 1) + 1 : 0;
}
