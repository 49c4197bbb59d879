/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Threads still inside a timed call when a tool exits: what is left of a bpftrace-style
 * "tid -> entry time" map (futex's @ts, pthread_rwlock_wrlock's @begin).
 */
#pragma once
#include <linux/types.h>
#include <stddef.h>
#include <stdio.h>

struct bpf_map;
struct json;

struct tid_start {
	__u32 tid;
	__u64 start_ns;
};

/* Reads map (__u32 tid -> __u64 entry time) into *out (malloc'd, sorted); returns the count. */
size_t tid_starts_read(struct bpf_map *map, struct tid_start **out);
/* Sorts by entry time, then tid: bpftrace prints a map by value, ascending. */
void tid_starts_sort(struct tid_start *v, size_t n);
/* "@name[tid]: start_ns" per thread, then a blank line if there was any. */
void tid_starts_print(FILE *f, const char *name, const struct tid_start *v, size_t n);
/* "inside": [{"tid", "start_ns"}, ...] into the open JSON object. */
void tid_starts_json(struct json *j, const struct tid_start *v, size_t n);
