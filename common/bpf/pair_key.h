/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The key of a counter map that counts per (kernel object, value) pair, e.g. (virtqueue, its
 * call eventfd) or (virtqueue, a return value): shared by the BPF side and common/pair_counts.h.
 */
#pragma once
#include "both_sides.h"

struct pair_key {
	__u64 ptr; /* the object's kernel address */
	__s64 value; /* a second pointer, or a signed value sign-extended */
};

/* How many pairs a pair-counter map holds (the original BCC hash's default size). */
#define PAIR_COUNTS_MAX 10240
