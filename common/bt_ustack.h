/* SPDX-License-Identifier: GPL-2.0-only */
/* User stacks rendered as bpftrace's ustack prints them (kernel stacks: skb_snapshot.h's bt_kstack_read). */
#pragma once
#include "stack.h"

struct bpf_map;
struct usyms_cache;

/*
 * Renders user stack stack_id of map for process pid as "func+26" frames into sf, symbols from
 * cache ("[unknown]" where none); returns sf->n (0 for a negative id or an unreadable stack).
 */
int bt_ustack_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id, int pid,
		   struct usyms_cache *cache);
