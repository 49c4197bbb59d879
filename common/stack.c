#include "stack.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>

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
