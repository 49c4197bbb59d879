/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-interval reading of a per-CPU array whose values are u64 counters that the kernel only
 * ever increments (histogram slots, packet counts): each read sums every counter over the
 * CPUs and gives what grew since the previous read.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdint.h>

/* Reads the per-CPU values of entry key of src into vals (CPU by CPU); 0, or nonzero when it cannot. */
typedef int (*percpu_lookup_fn)(const void *src, uint32_t key, uint64_t *vals);

struct percpu_delta {
	percpu_lookup_fn lookup;
	const void *src;
	uint32_t n; /* entries */
	uint32_t width; /* u64 counters per entry */
	int ncpu;
	uint64_t *vals; /* one entry's per-CPU values */
	uint64_t *last; /* n * width sums at the previous read (zeros before the first) */
	uint64_t *delta; /* n * width: what grew between the previous read and the latest */
};

/*
 * Reads entries 0..n-1 of a per-CPU array map over the possible CPUs; an entry is its value's
 * u64 counters (one for a histogram slot). Dies when out of memory.
 */
void percpu_delta_init_map(struct percpu_delta *d, struct bpf_map *map, uint32_t n);
/* The same over any source of per-CPU values (tests pass a fake one). */
void percpu_delta_init(struct percpu_delta *d, uint32_t n, uint32_t width, int ncpu, percpu_lookup_fn lookup,
		       const void *src);
/*
 * Sums each counter over the CPUs, stores in d->delta what grew since the previous read (a
 * counter that cannot be read, or that shrank, grew by 0), keeps the sums, returns d->delta.
 */
const uint64_t *percpu_delta_read(struct percpu_delta *d);
void percpu_delta_free(struct percpu_delta *d);
