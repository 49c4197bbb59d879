// SPDX-License-Identifier: GPL-2.0-only
#include "stack.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>

#include "ksyms.h"

int stack_read(const struct bpf_map *map, int stack_id, uint64_t *ips, int max)
{
	uint64_t frames[STACK_MAX_DEPTH];
	uint32_t key = (uint32_t)stack_id;
	int n = 0;

	memset(frames, 0, sizeof(frames));
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, frames))
		return -errno;
	while (n < STACK_MAX_DEPTH && n < max && frames[n]) {
		ips[n] = frames[n];
		n++;
	}
	return n;
}

int stack_frames_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id)
{
	uint64_t ips[STACK_MAX_DEPTH];

	sf->n = stack_read(map, stack_id, ips, STACK_MAX_DEPTH);
	for (int i = 0; i < sf->n; i++)
		sf->frame[i] =
			ksyms_format(ksyms_kernel(), ips[i], KSYM_HEX, sf->text[i], sizeof(sf->text[i]));
	return sf->n;
}
