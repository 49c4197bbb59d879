// SPDX-License-Identifier: GPL-2.0-only
#include "percpu_delta.h"

#include <bpf/bpf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int map_lookup(const void *src, uint32_t key, uint64_t *vals)
{
	return bpf_map_lookup_elem(bpf_map__fd(src), &key, vals);
}

void percpu_delta_init_map(struct percpu_delta *d, struct bpf_map *map, uint32_t n)
{
	int ncpu = libbpf_num_possible_cpus();

	if (ncpu <= 0)
		die("cannot count the possible CPUs: %s", strerror(-ncpu));
	percpu_delta_init(d, n, bpf_map__value_size(map) / sizeof(uint64_t), ncpu, map_lookup, map);
}

void percpu_delta_init(struct percpu_delta *d, uint32_t n, uint32_t width, int ncpu, percpu_lookup_fn lookup,
		       const void *src)
{
	size_t counters = (size_t)n * width;

	*d = (struct percpu_delta){ .lookup = lookup, .src = src, .n = n, .width = width, .ncpu = ncpu };
	d->vals = calloc((size_t)ncpu * width, sizeof(*d->vals));
	d->last = calloc(counters ? counters : 1, sizeof(*d->last));
	d->delta = calloc(counters ? counters : 1, sizeof(*d->delta));
	if (!d->vals || !d->last || !d->delta)
		die("out of memory");
}

const uint64_t *percpu_delta_read(struct percpu_delta *d)
{
	for (uint32_t k = 0; k < d->n; k++) {
		uint64_t *last = &d->last[(size_t)k * d->width], *delta = &d->delta[(size_t)k * d->width];
		bool readable = !d->lookup(d->src, k, d->vals);

		for (uint32_t i = 0; i < d->width; i++) {
			uint64_t sum = 0;

			for (int c = 0; readable && c < d->ncpu; c++)
				sum += d->vals[(size_t)c * d->width + i];
			delta[i] = readable && sum > last[i] ? sum - last[i] : 0;
			if (readable)
				last[i] = sum;
		}
	}
	return d->delta;
}

void percpu_delta_free(struct percpu_delta *d)
{
	free(d->vals);
	free(d->last);
	free(d->delta);
	memset(d, 0, sizeof(*d));
}
