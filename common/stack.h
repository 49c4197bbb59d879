/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel stacks captured by bpf_get_stackid() into a BPF_MAP_TYPE_STACK_TRACE map. */
#pragma once
#include <bpf/libbpf.h>
#include <stdint.h>

#define STACK_MAX_DEPTH 127 /* PERF_MAX_STACK_DEPTH */

#define STACK_FRAME_LEN 192 /* one rendered frame: "func+0x1a [module]" */

/* Copies the frames of stack_id (innermost first) into ips; returns the depth, or -errno. */
int stack_read(const struct bpf_map *map, int stack_id, uint64_t *ips, int max);

/* A kernel stack rendered for printing. */
struct stack_frames {
	int n; /* frames, or -errno if the stack could not be read */
	const char *frame[STACK_MAX_DEPTH]; /* innermost first, each pointing into text */
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
};

/* Reads stack_id from map and renders each frame "func+0x1a" (KSYM_HEX); returns sf->n. */
int stack_frames_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id);
