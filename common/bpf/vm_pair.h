/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM pair latency tools (performance/vm-network/vm_pair_latency): what their shared kernel
 * side (vm_pair.bpf.h) and user side (common/vm_pair.h) exchange. A UDP packet the host
 * receives from a sending VM's tap device starts a flow record; the host transmitting a packet
 * of that flow to a receiving VM's tap device ends it with a latency event. The gap tools
 * instead time, per device, the interval since the flow's previous packet there.
 */
#pragma once
#include "both_sides.h"

#define VM_PAIR_DEV_LEN 16
#define VM_PAIR_MAX_DEVS 256
#define VM_PAIR_MAX_PORTS 1024
#define VM_PAIR_MAX_FLOWS 65536

struct vm_pair_config {
	__u8 key_macs; /* flows are also told apart by their Ethernet addresses */
	__u8 report_protocols; /* non-IPv4 and non-UDP packets of the devices become events */
	__u8 gaps; /* the gap tools: intervals between a flow's packets on each device */
	__u8 pad[5];
	__u64 gap_min_ns; /* gap tools: report intervals of at least this length */
};

/* Key of the device maps: the name, NUL-padded (matched in every network namespace). */
struct vm_pair_dev {
	char name[VM_PAIR_DEV_LEN];
};

struct vm_flow_key {
	__u32 pair_id; /* both devices of a pair carry the same id (0 when the tool has no pairs) */
	__u32 saddr, daddr; /* network order */
	__u16 sport, dport; /* host order */
	__u8 smac[6], dmac[6]; /* zero unless key_macs */
};

/* Gap tools: a flow's packets on one device, on one side. */
struct vm_gap_key {
	struct vm_flow_key flow;
	char dev[VM_PAIR_DEV_LEN];
	__u8 at_xmit;
	__u8 pad[3];
};

struct vm_flow_start {
	__u64 rx_ns;
	char rx_dev[VM_PAIR_DEV_LEN];
};

enum vm_pair_event_kind {
	VM_PAIR_LATENCY, /* a flow's packet reached the receiving VM's device */
	VM_PAIR_NON_IP, /* protocol: the EtherType */
	VM_PAIR_NON_UDP, /* protocol: the IP protocol */
	VM_PAIR_GAP, /* gap_ns since the flow's previous packet on the device */
};

struct vm_pair_event {
	__u64 ts_ns; /* ktime of the event (the transmit for a latency) */
	__u64 latency_ns;
	struct vm_flow_key flow;
	__u16 protocol;
	__u8 kind; /* enum vm_pair_event_kind */
	__u8 at_xmit; /* the protocol events: seen at transmit (else at receive) */
	__u8 pad[4];
	char rx_dev[VM_PAIR_DEV_LEN]; /* where the host received the packet */
	char tx_dev[VM_PAIR_DEV_LEN]; /* where the host transmitted it (latency events) */
	__u64 gap_ns;
};

/* Slots of the per-CPU counters map. */
enum vm_pair_counter {
	VPC_STARTED, /* flow records written at receive */
	VPC_MATCHED, /* latency events */
	VPC_TABLE_FULL, /* packets not timed: the flow table was full */
	VPC_GAPS, /* gap events */
	VPC_COUNTERS,
};
