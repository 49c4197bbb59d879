/* SPDX-License-Identifier: GPL-2.0-only */
/* trace-abnormal-arp: shared by the BPF program and user space. */
#pragma once
#include "bpf/dev_name_set.h"

#define ARP_STACK_MAX 127
#define ARP_MAX_COUNTS 10240 /* (process, interface) pairs counted */

enum arp_probe {
	ARP_RECEIVE, /* kprobe __netif_receive_skb, or the tracepoint net:netif_receive_skb */
	ARP_TUN_XMIT, /* kprobe tun_net_xmit, or the tracepoint net:net_dev_start_xmit */
	ARP_PROBES,
};

struct arp_config {
	struct dev_name_set devices;
	__u32 sender_ip; /* network order */
	__u8 stack; /* capture the kernel stack */
	__u8 pad[3];
};

/* A packet counted on the interface: @[comm, dev]. */
struct arp_count_key {
	char comm[16];
	char dev[DEV_NAME_LEN];
};

struct arp_event {
	__u64 ts_ns;
	__u32 probe;
	__u32 pid; /* tgid */
	__u32 spa; /* network order */
	__u16 protocol; /* skb->protocol, host order */
	__u16 op; /* host order */
	__u8 pkt_type;
	__u8 pad[3];
	__u8 sha[6], tha[6], eth_src[6], eth_dst[6];
	__s32 stack_bytes; /* bytes of stack, 0 without --stack, or a negative error */
	char comm[16];
	char dev[DEV_NAME_LEN];
	__u64 stack[ARP_STACK_MAX];
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* One counted pair of the exit dump. */
struct arp_count {
	struct arp_count_key key;
	uint64_t packets;
};

/* The probed function's name in the output. */
const char *arp_probe_name(unsigned probe);
/* One ARP packet in the original's layout; frames: its rendered stack (NULL: none captured). */
void arp_print_event(FILE *f, const struct arp_event *ev, const char *const *frames, int nframes);
/* The same as one JSON line; hms is its local time. */
void arp_print_json(FILE *f, const struct arp_event *ev, const char *hms, const char *const *frames,
		    int nframes);
/* Sorts the counts by packets ascending, as bpftrace prints a map. */
void arp_sort_counts(struct arp_count *c, size_t n);
/*
 * The END block and bpftrace's exit: "\nDrop count by process and interface:\n", the map, two
 * newlines, then "Lost events: N"; or the final JSON object.
 */
void arp_print_exit(FILE *f, bool json, const struct arp_count *c, size_t n, uint64_t not_counted,
		    uint64_t lost);

struct hook_table;
extern const struct hook_table arp_hook_table;
#endif
