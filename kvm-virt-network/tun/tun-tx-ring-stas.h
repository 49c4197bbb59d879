/* SPDX-License-Identifier: GPL-2.0-only */
/* tun-tx-ring-stas: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/dev_name_set.h"
#include "bpf/tun_ring.h"

#define TTRS_NO_STACK (-1)

struct ttrs_config {
	struct dev_name_set device; /* the packet's device (skb->dev) */
	__u32 queue; /* whose TX ring is read: tun->tfiles[queue] */
	__u32 pad;
};

struct ttrs_event {
	__u64 ts_ns;
	__u32 pid; /* TGID */
	__u32 tid;
	char comm[16];
	char dev[16]; /* skb->dev->name */
	char tun_dev[16]; /* tun->dev->name */
	__s32 kstack_id, ustack_id; /* a stack id, or negative: none */
	__u32 queue; /* the ring's queue (--queue) */
	__u16 queue_mapping; /* the packet's own queue */
	__u16 pad;
	struct tun_ring_state ring;
};

#ifndef __bpf__
#include <stdio.h>

#include "stack.h"

/* The event's lines in the bpftrace original's layout (kstack, ustack: the rendered stacks). */
void ttrs_print_event(FILE *f, const struct ttrs_event *ev, const struct stack_frames *kstack,
		      const struct stack_frames *ustack);
/* The event as one JSON object; hms_ms its local "HH:MM:SS.mmm". */
void ttrs_print_json(FILE *f, const struct ttrs_event *ev, const char *hms_ms,
		     const struct stack_frames *kstack, const struct stack_frames *ustack);

struct hook_table;
extern const struct hook_table ttrs_hook_table;
#endif
