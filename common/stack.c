// SPDX-License-Identifier: GPL-2.0-only
#include "stack.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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

/*
 * The last stack rendered: a tool printing per event sees the same few stacks again and again
 * (a drop flood is one stack), and looking up each frame among the kernel's symbols costs more
 * than the rest of the event.
 */
static struct {
	int n;
	uint64_t ip[STACK_MAX_DEPTH];
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
} last = { .n = -1 };

int stack_frames_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id)
{
	uint64_t ips[STACK_MAX_DEPTH];
	bool same;

	sf->n = stack_read(map, stack_id, ips, STACK_MAX_DEPTH);
	same = sf->n >= 0 && sf->n == last.n && !memcmp(ips, last.ip, (size_t)sf->n * sizeof(ips[0]));
	for (int i = 0; i < sf->n; i++) {
		if (same)
			memcpy(sf->text[i], last.text[i], sizeof(sf->text[i]));
		sf->frame[i] = same ? sf->text[i]
				    : ksyms_format(ksyms_kernel(), ips[i], KSYM_HEX, sf->text[i],
						   sizeof(sf->text[i]));
	}
	if (sf->n >= 0 && !same) {
		for (int i = 0; i < sf->n; i++)
			snprintf(last.text[i], sizeof(last.text[i]), "%s", sf->frame[i]);
		memcpy(last.ip, ips, (size_t)sf->n * sizeof(ips[0]));
		last.n = sf->n;
	}
	return sf->n;
}
