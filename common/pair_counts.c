// SPDX-License-Identifier: GPL-2.0-only
#include <bpf/bpf.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/pair_key.h"
#include "log.h"
#include "pair_counts.h"

static void reserve(struct pair_counts *t, size_t n)
{
	if (n <= t->cap)
		return;
	t->cap = n < 16 ? 16 : n * 2;
	t->v = realloc(t->v, t->cap * sizeof(*t->v));
	if (!t->v)
		die("out of memory");
}

static int by_pair(const void *a, const void *b)
{
	const struct pair_count *x = a, *y = b;

	if (x->ptr != y->ptr)
		return x->ptr < y->ptr ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

static int by_count(const void *a, const void *b)
{
	const struct pair_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return by_pair(a, b);
}

void pair_counts_read(struct pair_counts *t, struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	struct pair_key key, next;
	void *prev = NULL;
	__u64 count;

	t->n = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue; /* deleted meanwhile */
		reserve(t, t->n + 1);
		t->v[t->n++] = (struct pair_count){ key.ptr, key.value, count };
	}
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_pair);
}

void pair_counts_copy(struct pair_counts *dst, const struct pair_counts *src)
{
	reserve(dst, src->n);
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
}

void pair_counts_since(struct pair_counts *t, struct pair_counts *prev)
{
	struct pair_counts reading = { 0 };
	size_t out = 0;

	pair_counts_copy(&reading, t);
	for (size_t i = 0; i < t->n; i++) {
		const struct pair_count *old =
			prev->n ? bsearch(&t->v[i], prev->v, prev->n, sizeof(*prev->v), by_pair) : NULL;
		uint64_t before = old ? old->count : 0;

		if (t->v[i].count <= before)
			continue;
		t->v[out] = t->v[i];
		t->v[out++].count -= before;
	}
	t->n = out;
	pair_counts_free(prev);
	*prev = reading;
}

void pair_counts_sort_by_count(struct pair_counts *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_count);
}

uint64_t pair_counts_total(const struct pair_counts *t)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < t->n; i++)
		sum += t->v[i].count;
	return sum;
}

void pair_counts_free(struct pair_counts *t)
{
	free(t->v);
	*t = (struct pair_counts){ 0 };
}
