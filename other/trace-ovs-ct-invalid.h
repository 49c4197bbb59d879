/* SPDX-License-Identifier: GPL-2.0-only */
/* trace-ovs-ct-invalid: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/dev_name_set.h"

#define CTINV_MAX_STEPS 8
#define CTINV_NO_STACK (-1)
#define CTINV_CS_INVALID 0x10 /* OVS_CS_F_INVALID */

/* The original's probes, in its order, each a step of a packet's way through ct(). */
enum ctinv_probe {
	CTINV_CONNTRACK_IN,
	CTINV_TCP_PACKET,
	CTINV_TCP_IN_WINDOW,
	CTINV_REFRESH,
	CTINV_UPDATE_KEY, /* the verdict: OVS writes the conntrack state into the flow key */
	CTINV_OVS_LOOKUP,
};

struct ctinv_config {
	struct dev_name_set devices;
	__u8 want_stack;
	__u8 pad[7];
};

/* One side's window tracking (struct ip_ct_tcp_state). */
struct ctinv_window {
	__u32 td_end, td_maxend, td_maxwin, td_maxack;
};

struct ctinv_step {
	__u64 nfct; /* skb->_nfct at the step */
	__s32 kstack_id, ustack_id; /* CTINV_NO_STACK, a stack id, or -errno */
	__u8 probe; /* enum ctinv_probe */
	__u8 dir; /* CTINV_TCP_IN_WINDOW: the packet's direction */
	__u8 tcp_state; /* CTINV_TCP_IN_WINDOW: enum tcp_conntrack */
	__u8 pad[5];
	struct ctinv_window sender, receiver; /* CTINV_TCP_IN_WINDOW */
};

/* A packet that ct() found invalid: its steps, the last one the verdict. */
struct ctinv_event {
	__u64 ts_ns;
	__u32 pid; /* thread id */
	__u32 saddr, daddr; /* network order */
	__u16 sport, dport; /* host order */
	__u16 zone;
	__u8 protocol;
	__u8 ct_state; /* OVS_CS_F_* of the verdict */
	__u8 nsteps;
	__u8 steps_lost; /* steps that did not fit */
	__u8 pad[6];
	char ifname[DEV_NAME_LEN];
	char comm[16];
	struct ctinv_step steps[CTINV_MAX_STEPS];
};

#ifndef __bpf__
#include <stdio.h>

/* A step's stacks, rendered. */
struct ctinv_stacks {
	const char *const *kframes;
	int nk; /* frames, or -errno */
	const char *const *uframes;
	int nu;
};

/* The event's lines in the original's layout; stacks[i] are step i's (NULL: --no-stack). */
void ctinv_print_event(FILE *f, const struct ctinv_event *ev, const struct ctinv_stacks *stacks);
/* The event as one JSON object on one line; hms its time. */
void ctinv_print_json(FILE *f, const struct ctinv_event *ev, const char *hms,
		      const struct ctinv_stacks *stacks);
/* The hook table, for the unit tests that plan it. */
extern const struct hook_table ctinv_hook_table;
#endif
