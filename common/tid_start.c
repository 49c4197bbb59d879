// SPDX-License-Identifier: GPL-2.0-only
#include "tid_start.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>

#include "json.h"
#include "log.h"

static int by_start(const void *a, const void *b)
{
	const struct tid_start *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

void tid_starts_sort(struct tid_start *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_start);
}

size_t tid_starts_read(struct bpf_map *map, struct tid_start **out)
{
	int fd = bpf_map__fd(map);
	size_t n = 0, cap = 64;
	struct tid_start *v = malloc(cap * sizeof(*v));
	__u32 key, next, *prev = NULL;
	__u64 ts;

	if (!v)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &ts))
			continue;
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			die("out of memory");
		v[n++] = (struct tid_start){ key, ts };
	}
	tid_starts_sort(v, n);
	*out = v;
	return n;
}

void tid_starts_print(FILE *f, const char *name, const struct tid_start *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "@%s[%u]: %llu\n", name, v[i].tid, (unsigned long long)v[i].start_ns);
	if (n)
		fputc('\n', f);
}

void tid_starts_json(struct json *j, const struct tid_start *v, size_t n)
{
	json_arr(j, "inside");
	for (size_t i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_uint(j, "tid", v[i].tid);
		json_uint(j, "start_ns", v[i].start_ns);
		json_end_obj(j);
	}
	json_end_arr(j);
}
