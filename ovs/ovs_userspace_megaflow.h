/* SPDX-License-Identifier: GPL-2.0-only */
/* ovs_userspace_megaflow: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/pkt_snap.h"

#define MEGAFLOW_MSG_MAX 2048 /* bytes of an OVS_FLOW_CMD_NEW request captured (the original's 2048) */

enum megaflow_kind {
	MEGAFLOW_UPCALL = 1, /* ovs_dp_upcall: a packet sent to ovs-vswitchd */
	MEGAFLOW_FLOW_NEW = 2, /* ovs_flow_cmd_new: ovs-vswitchd installs a datapath flow */
};

struct megaflow_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u32 kind; /* enum megaflow_kind */
	__u32 portid; /* upcall: the netlink port it goes to; flow: the sender's port id */
	__u32 pid; /* the process in which the probe ran (tgid) */
	__u32 skb_len; /* upcall: the packet's length; flow: the request's length (nlmsg_len) */
	__u32 mark; /* upcall: skb->mark */
	__u8 cmd; /* upcall: OVS_PACKET_CMD_MISS / _ACTION */
	__u8 pad[3];
	char comm[16];
	char ifname[16]; /* upcall: the packet's device */
	struct pkt_snap snap; /* upcall: the frame from its Ethernet header */
	__u32 captured; /* flow: bytes of msg captured */
	__u8 msg[MEGAFLOW_MSG_MAX]; /* flow: the netlink request from its nlmsghdr */
};

/* The bytes of an upcall event: the packet snapshot, without the netlink buffer. */
#define MEGAFLOW_UPCALL_SIZE __builtin_offsetof(struct megaflow_event, captured)

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The filters of the original: each one given must match (not given: any). */
struct megaflow_filter {
	bool eth_src_set, eth_dst_set, eth_type_set, src_ip_set, dst_ip_set, proto_set, sport_set, dport_set;
	uint8_t eth_src[6], eth_dst[6];
	uint16_t eth_type;
	uint32_t src_ip, dst_ip; /* network order */
	uint8_t proto;
	uint16_t sport, dport;
};

/* Whether any filter is given. */
bool megaflow_filter_enabled(const struct megaflow_filter *f);

struct ovs_flow_msg;
/* The filter against an upcall's packet; NULL, or the reason it does not match. */
const char *megaflow_upcall_mismatch(const struct megaflow_filter *f, const struct megaflow_event *ev);
/* The same against a decoded flow request's key (NULL msg: it could not be decoded). */
const char *megaflow_flow_mismatch(const struct megaflow_filter *f, const struct ovs_flow_msg *msg);

/* One event as printed: time "HH:MM:SS.mmm", and why it does not match the filters (debug). */
struct megaflow_view {
	const char *time;
	const struct megaflow_event *ev;
	const char *mismatch; /* NULL: it matches */
	const struct ovs_flow_msg *msg; /* flow events: the decoded request, NULL if it failed */
	const char *error; /* flow events: why it could not be decoded */
	bool hex; /* JSON: the flow request's bytes too (--debug) */
};

struct megaflow_totals {
	uint64_t upcalls, filtered_upcalls, flows, filtered_flows, lost;
};

void megaflow_print_banner(FILE *f, const struct megaflow_filter *flt, bool debug, const char *const *probes,
			   int nprobes);
void megaflow_print_event(FILE *f, const struct megaflow_view *v);
void megaflow_print_event_json(FILE *f, const struct megaflow_view *v);
void megaflow_print_totals(FILE *f, const struct megaflow_totals *t);
void megaflow_print_totals_json(FILE *f, const struct megaflow_totals *t);

struct hook_table;
extern const struct hook_table megaflow_hook_table;
#endif
