/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Types private to the openvswitch module, declared for CO-RE: only the fields the tools
 * read. libbpf relocates them against /sys/kernel/btf/openvswitch (or the --btf file); test
 * bpf_core_type_exists() first where the module's BTF may be missing.
 */
#pragma once
#include "vmlinux.h"

/* net/openvswitch/conntrack.c: the arguments of a ct() action. */
struct ovs_conntrack_info {
	struct nf_conntrack_helper *helper;
	struct nf_conntrack_zone zone;
	struct nf_conn *ct; /* the template conntrack of the action */
	__u8 commit : 1;
} __attribute__((preserve_access_index));

/* The record of the openvswitch:ovs_dp_upcall tracepoint (5.14+); test the field exists. */
struct trace_event_raw_ovs_dp_upcall {
	void *skbaddr;
	__u8 upcall_cmd; /* OVS_PACKET_CMD_MISS / _ACTION */
	__u32 upcall_port; /* the netlink port id the upcall goes to */
} __attribute__((preserve_access_index));

/* net/openvswitch/datapath.h: what ovs_dp_upcall() is asked to send, and to whom. */
struct dp_upcall_info {
	__u32 portid;
	__u8 cmd;
} __attribute__((preserve_access_index));

/* net/openvswitch/flow.h: the flow key the datapath's actions run with. */
struct sw_flow_key {
	struct {
		__u16 in_port;
	} phy;
	__u32 recirc_id;
	__u8 ct_state; /* OVS_CS_F_* */
	__u16 ct_zone;
} __attribute__((preserve_access_index));
