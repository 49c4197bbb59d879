/* Kernel stacks captured by bpf_get_stackid() into a BPF_MAP_TYPE_STACK_TRACE map. */
#pragma once
#include <bpf/libbpf.h>
#include <stdint.h>

#define STACK_MAX_DEPTH 127	/* PERF_MAX_STACK_DEPTH */

/* Copies the frames of stack_id (innermost first) into ips; returns the depth, or -errno. */
int stack_read(const struct bpf_map *map, int stack_id, uint64_t *ips, int max);
