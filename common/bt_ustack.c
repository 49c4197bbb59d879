// SPDX-License-Identifier: GPL-2.0-only
#include "bt_ustack.h"
#include "usyms.h"

int bt_ustack_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id, int pid,
		   struct usyms_cache *cache)
{
	uint64_t ips[STACK_MAX_DEPTH];
	const struct usyms *u;

	sf->n = stack_id < 0 ? 0 : stack_read(map, stack_id, ips, STACK_MAX_DEPTH);
	if (sf->n <= 0)
		return sf->n = 0;
	u = usyms_cache_get(cache, pid);
	for (int i = 0; i < sf->n; i++)
		sf->frame[i] = usyms_format(u, ips[i], KSYM_DEC, sf->text[i], STACK_FRAME_LEN);
	return sf->n;
}
