/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stage tracking of packets along the kernel path (host stack or a VM's tap, OVS internal
 * port, OVS datapath, physical NIC), shared by BPF (common/bpf/netstage.bpf.h) and user space
 * (common/netstage.h). A packet is identified at every stage by a key built from its
 * headers, never by skb pointer, so it survives skb re-allocation (OVS upcall execute).
 */
#pragma once
#include "pkt_key.h"

/* Directions: index into per-direction arrays. */
#define NS_TX 0 /* host stack (or VM) -> physical NIC */
#define NS_RX 1 /* physical NIC -> host stack (or VM) */
#define NS_DIRS 2

#define NS_STAGE_NONE 0xFF
#define NS_MAX_POS 11 /* stages per direction */
#define NS_RULES 2 /* stages one hook can stand for */
#define NS_MAX_HOOKS 32 /* the common hooks below, then a tool's own (from NS_HOOKS_COMMON) */

/*
 * The kernel functions and tracepoints a stage can be attached to (one BPF program each, in
 * netstage.bpf.h). A tool adds its own hooks with ids from NS_HOOKS_COMMON, a BPF program
 * that calls netstage_hook() with that id, and their hook_def in its netstage_model.
 */
enum netstage_hook {
	NS_HOOK_IP_QUEUE_XMIT, /* __ip_queue_xmit / ip_queue_xmit: TCP from its socket */
	NS_HOOK_IP_SEND_SKB, /* ip_send_skb: UDP, ICMP, raw */
	NS_HOOK_IP_OUTPUT, /* ip_output */
	NS_HOOK_INTERNAL_DEV_XMIT, /* OVS internal port transmit (host -> datapath) */
	NS_HOOK_OVS_VPORT_RECEIVE, /* ovs_vport_receive */
	NS_HOOK_OVS_DP_PROCESS, /* ovs_dp_process_packet */
	NS_HOOK_OVS_DP_UPCALL, /* ovs_dp_upcall */
	NS_HOOK_OVS_KEY_USERSPACE, /* ovs_flow_key_extract_userspace (packet back from vswitchd) */
	NS_HOOK_OVS_CT_FILL_KEY, /* ovs_ct_fill_key: end of OVS flow key extraction */
	NS_HOOK_CT_IN, /* nf_conntrack_in entry */
	NS_HOOK_CT_DONE, /* nf_conntrack_in return */
	NS_HOOK_OVS_VPORT_SEND, /* ovs_vport_send */
	NS_HOOK_DEV_QUEUE, /* net:net_dev_queue / __dev_queue_xmit */
	NS_HOOK_QDISC_DEQUEUE, /* qdisc:qdisc_dequeue */
	NS_HOOK_DEV_START_XMIT, /* net:net_dev_start_xmit / dev_hard_start_xmit */
	NS_HOOK_NETIF_RECEIVE, /* net:netif_receive_skb */
	NS_HOOK_NETDEV_FRAME_HOOK, /* OVS rx_handler of its netdev ports */
	NS_HOOK_INTERNAL_DEV_RECV, /* OVS internal port receive (datapath -> host) */
	NS_HOOK_IP_RCV, /* ip_rcv */
	NS_HOOK_TCP_V4_RCV, /* tcp_v4_rcv */
	NS_HOOK_UDP_RCV, /* udp_rcv / __udp4_lib_rcv */
	NS_HOOK_ICMP_RCV, /* icmp_rcv */
	NS_HOOKS_COMMON,
};

/* Device a rule requires skb->dev to be (in the tool's network namespace). */
#define NS_DEV_ANY 0
#define NS_DEV_PHY 1
#define NS_DEV_INTERNAL 2
#define NS_DEV_LOCAL 3 /* any device of the tool's network namespace */
#define NS_DEV_VM 4 /* the VM's tap (vnet) device */

/* Rule flags. */
#define NS_FIRST 0x1 /* starts the packet's session (an older one with its key is dropped) */
#define NS_FIRST_IF_NEW 0x2 /* starts a session unless the packet already has one */
#define NS_LAST 0x4 /* completes the session */

/* "A hit of this hook is stage <stage> for packets going <dir> (if skb->dev is <dev>)". */
struct netstage_rule {
	__u8 stage; /* NS_STAGE_NONE: unused slot */
	__u8 pos; /* position of the stage along its direction's path */
	__u8 dir;
	__u8 dev;
	__u8 flags;
	__u8 pad[3];
};

/* Protocol bits of netstage_config.protocols. */
#define NS_PROTO_TCP 0x1
#define NS_PROTO_UDP 0x2
#define NS_PROTO_ICMP 0x4

/* --src-ip/--dst-ip are the source/destination; each port the source or the destination port (not ICMP's). */
#define NS_FILTER_FLAGS (PKT_F_EITHER_PORT | PKT_F_PORTS_TCP_UDP)

/* Where the hook on net:netif_receive_skb reads the packet. */
#define NS_AT_NETIF_RECEIVE PKT_AT_DATA

struct netstage_config {
	struct pkt_filter filter; /* IPv4 addresses and ports: NS_FILTER_FLAGS */
	__u8 protocols; /* NS_PROTO_* the tool tracks */
	__u8 pad[3];
	struct iface_set phy; /* --phy-interface: NS_DEV_PHY */
	struct iface_set internal; /* the OVS internal port: NS_DEV_INTERNAL; empty = none */
	struct iface_set vm; /* the VM's tap: NS_DEV_VM; empty = none */
	__u32 netns_inum; /* the tool's network namespace (host stack, NS_DEV_LOCAL); 0 = any */
	__u64 stale_ns; /* a session idle this long is dropped as incomplete */
	__u64 report_min_ns; /* per-packet tools: completed packets faster than this are not sent */
	struct netstage_rule rules[NS_MAX_HOOKS][NS_RULES];
};

/* Packet identity: zeroed, then filled from the headers (multi-byte fields in network order). */
struct netstage_key {
	__u32 saddr, daddr;
	__u8 protocol;
	__u8 pad[3];
	union {
		struct {
			__u16 sport, dport;
			__u32 seq, ack_seq;
		} tcp;
		struct {
			__u16 sport, dport;
			__u16 ip_id, len; /* IP identification, UDP length */
			__u32 zero;
		} udp;
		struct {
			__u16 id, seq;
			__u8 type, code;
			__u8 zero[6];
		} icmp;
	};
};

/* Start of every tool's session value. */
struct netstage_session {
	struct netstage_key key;
	__u64 first_ns; /* first stage */
	__u64 last_ns; /* latest stage */
	__u8 dir;
	__u8 last_stage;
	__u8 last_pos;
	__u8 nstages; /* stage hits so far */
	__u8 tcp_flags; /* first stage: TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ...) */
	__u8 pad;
	__u16 payload_len; /* first stage: L4 payload bytes (TCP, UDP), host order */
};

/* Slots of the per-CPU counters array. */
enum netstage_counter {
	NS_CNT_STARTED, /* + dir: sessions started */
	NS_CNT_COMPLETED = NS_CNT_STARTED + NS_DIRS, /* + dir: sessions completed */
	NS_CNT_UNREPORTED = NS_CNT_COMPLETED + NS_DIRS, /* + dir: completed under report_min_ns */
	NS_CNT_NO_SESSION = NS_CNT_UNREPORTED + NS_DIRS, /* a session could not be created */
	NS_COUNTERS,
};
