/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A pair-counter map (common/bpf/pair_key.h: (pointer, value) -> u64) read into user space,
 * and per-interval counts as the difference of two readings (the kernel side never resets).
 */
#pragma once
#include <bpf/libbpf.h>
#include <stddef.h>
#include <stdint.h>

struct pair_count {
	uint64_t ptr;
	int64_t value;
	uint64_t count;
};

struct pair_counts {
	struct pair_count *v;
	size_t n, cap;
};

/* Replaces t's contents by every entry of map, sorted by ptr then value. */
void pair_counts_read(struct pair_counts *t, struct bpf_map *map);
/* Copies src into dst (replacing dst's contents). */
void pair_counts_copy(struct pair_counts *dst, const struct pair_counts *src);
/*
 * Turns a fresh reading t into the counts since the reading prev (subtracting the count of the
 * same pair, dropping entries left at 0), and keeps the fresh reading in prev for the next time.
 */
void pair_counts_since(struct pair_counts *t, struct pair_counts *prev);
/* Sorts t by count, highest first (ties: by ptr, then value). */
void pair_counts_sort_by_count(struct pair_counts *t);
/* The sum of t's counts. */
uint64_t pair_counts_total(const struct pair_counts *t);
void pair_counts_free(struct pair_counts *t);
