/* SPDX-License-Identifier: GPL-2.0-only */
/* ovs-kernel-module-drop-monitor: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

/* How the drop was seen. */
enum ovsdrop_kind {
	OVSDROP_FREED = 1, /* skb:kfree_skb from a call site in the openvswitch module */
	OVSDROP_EMPTY_ACTIONS, /* a flow with no actions: consumed, not freed, before 6.8 */
	OVSDROP_FREED_IN_ACTIONS, /* skb:kfree_skb while the datapath ran the skb's actions */
};

struct ovsdrop_config {
	struct pkt_filter filter; /* IPv4 addresses, protocol, TCP/UDP ports */
	__u64 text_lo, text_hi; /* the openvswitch module's code: [lo, hi) */
	__u8 want_stack; /* kernel and user stack ids in the events */
	__u8 empty_actions; /* report flows without actions (the kernel has no drop reason for them) */
	__u8 pad[6];
};

/* The flow key of the datapath's action execution (struct sw_flow_key). */
struct ovsdrop_flow {
	__u32 recirc_id;
	__u16 in_port;
	__u16 ct_zone;
	__u8 ct_state; /* OVS_CS_F_* */
	__u8 known; /* the drop happened while the actions of this skb ran: the fields are set */
	__u8 pad[2];
};

#define OVSDROP_NO_STACK (-1)

struct ovsdrop_event {
	__u64 ts_ns;
	__u64 location; /* the call site that freed the skb; 0 for OVSDROP_EMPTY_ACTIONS */
	__u32 pid; /* thread id */
	__u32 reason; /* the kernel's drop reason, 0 where it reports none */
	__s32 kstack_id, ustack_id; /* OVSDROP_NO_STACK, a stack id, or -errno */
	__u32 saddr, daddr; /* network order */
	__u16 sport, dport; /* host order */
	__u8 protocol;
	__u8 icmp_type, icmp_code;
	__u8 kind; /* enum ovsdrop_kind */
	struct ovsdrop_flow flow;
	char comm[16];
	char ifname[16];
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdio.h>

/* What user space resolved for one event. */
struct ovsdrop_view {
	const char *hms; /* local time of the print */
	const char *reason; /* the drop reason's name, NULL if the kernel reported none */
	const char *location; /* "do_output+0x9b", or the function of an empty action list */
	bool stacks; /* --stack: print both stacks */
	const char *const *kframes; /* innermost first */
	int nk; /* frames, or -errno when the kernel stack could not be read */
	const char *const *uframes;
	int nu; /* frames, or -errno when the user stack could not be read */
};

/* "ESTABLISHED, TRACKED" for OVS_CS_F_* bits, "NONE" for none. */
const char *ovsdrop_ct_state_text(unsigned state, char *buf, size_t len);
/* The event in the original's layout, with the drop reason and the flow key. */
void ovsdrop_print_event(FILE *f, const struct ovsdrop_event *ev, const struct ovsdrop_view *v);
/* The event as one JSON object on one line. */
void ovsdrop_print_json(FILE *f, const struct ovsdrop_event *ev, const struct ovsdrop_view *v);
/* The hook table, for the unit tests that plan it. */
extern const struct hook_table ovsdrop_hook_table;
#endif
