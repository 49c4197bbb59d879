// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary: the counter maps read whole, and one interval as the difference of
 * two readings (the kernel side never resets, so no event falls between a read and a reset).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_irqfd_stats_summary.h"
#include "log.h"
#include "util.h"

static size_t sort_key_size;

static int by_key(const void *a, const void *b)
{
	return memcmp(a, b, sort_key_size);
}

void kirq_entries_read(struct kirq_entries *e, struct bpf_map *map, size_t nvals)
{
	int fd = bpf_map__fd(map);
	unsigned char key[128], next[128];
	size_t cap = 0;
	void *prev = NULL;

	e->key_size = bpf_map__key_size(map);
	if (e->key_size > sizeof(key) || nvals > KIRQ_ENTRY_VALUES_MAX)
		die("map %s: key or value too large to read", bpf_map__name(map));
	e->entry_size = e->key_size + nvals * sizeof(__u64);
	e->n = 0;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, e->key_size);
		prev = key;
		if (e->n == cap) {
			cap = cap ? cap * 2 : 64;
			e->v = realloc(e->v, cap * e->entry_size);
			if (!e->v)
				die("out of memory");
		}
		if (!bpf_map_lookup_elem(fd, key, e->v + e->n * e->entry_size + e->key_size)) {
			memcpy(e->v + e->n * e->entry_size, key, e->key_size);
			e->n++;
		}
	}
	sort_key_size = e->key_size;
	sort_array(e->v, e->n, e->entry_size, by_key);
}

void kirq_entries_since(struct kirq_entries *delta, const struct kirq_entries *now,
			const struct kirq_entries *before)
{
	size_t nvals = (now->entry_size - now->key_size) / sizeof(__u64);

	delta->key_size = now->key_size;
	delta->entry_size = now->entry_size;
	delta->n = 0;
	delta->v = realloc(delta->v, now->n * now->entry_size + 1);
	if (!delta->v)
		die("out of memory");
	sort_key_size = now->key_size;
	for (size_t i = 0; i < now->n; i++) {
		const unsigned char *cur = now->v + i * now->entry_size;
		const unsigned char *old =
			before->n ? bsearch(cur, before->v, before->n, before->entry_size, by_key) : NULL;
		unsigned char *out = delta->v + delta->n * delta->entry_size;
		__u64 vals[KIRQ_ENTRY_VALUES_MAX], any = 0;

		memcpy(vals, cur + now->key_size, nvals * sizeof(__u64));
		for (size_t k = 0; k < nvals; k++) {
			__u64 was;

			if (old) {
				memcpy(&was, old + now->key_size + k * sizeof(__u64), sizeof(was));
				vals[k] -= was;
			}
			any |= vals[k];
		}
		if (!any)
			continue;
		memcpy(out, cur, now->key_size);
		memcpy(out + now->key_size, vals, nvals * sizeof(__u64));
		delta->n++;
	}
}

void kirq_entries_copy(struct kirq_entries *dst, const struct kirq_entries *src)
{
	*dst = (struct kirq_entries){ src->key_size, src->entry_size, src->n,
				      malloc(src->n * src->entry_size + 1) };
	if (!dst->v)
		die("out of memory");
	memcpy(dst->v, src->v, src->n * src->entry_size);
}
