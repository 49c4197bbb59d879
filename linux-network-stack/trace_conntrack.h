/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_conntrack: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

/* Filter rules of --filters-file (or the one rule of the command line) applied in the kernel. */
#define CT_MAX_RULES 16

/* The original's probe ids (5 was never used); 10 is new. */
enum ct_probe_id {
	CT_PROBE_NF_CONNTRACK_IN = 1,
	CT_PROBE_OVS_CT_LOOKUP = 2,
	CT_PROBE_OVS_CT_UPDATE_KEY = 3,
	CT_PROBE_REFRESH_ACCT = 4,
	CT_PROBE_TCP_PACKET = 6,
	CT_PROBE_TCP_PACKET_RET = 7,
	CT_PROBE_TCP_ERROR = 8,
	CT_PROBE_OVS_CT_EXECUTE = 9,
	CT_PROBE_NF_CT_DELETE = 10,
};

/* ct_status sentinels of the original (its labels are printed for them). */
#define CT_STATUS_INIT ((__u64)-1) /* no conntrack read (non-skb event) */
#define CT_STATUS_READ_FAIL ((__u64)-2) /* skb->_nfct could not be read */
#define CT_STATUS_MASKED_NULL ((__u64)-3) /* _nfct != 0 but no conntrack: untracked */
#define CT_STATUS_NFCT_ZERO ((__u64)-4) /* the packet has no conntrack yet */
#define CT_STATUS_FIELD_FAIL ((__u64)-5) /* ct->status could not be read */

#define CT_CTINFO_NA 0xFF
#define CT_U8_INIT 0xFF
#define CT_U8_READ_FAIL 0xFE
#define CT_U8_NO_CFG 0xFD /* the kernel has no conntrack zones (CONFIG_NF_CONNTRACK_ZONES) */
#define CT_U16_INIT 0xFFFF
#define CT_U16_READ_FAIL 0xFFFE
#define CT_U64_INIT ((__u64)-1)
#define CT_U64_READ_FAIL ((__u64)-2)
#define CT_SK_STATE_NONE 0xFF /* the skb has no socket */

/* Where the event's addresses and ports come from. */
enum ct_pkt_source {
	CT_PKT_NONE, /* no IPv4 packet: printed as (Pkt N/A) */
	CT_PKT_SKB, /* the packet's IPv4 header */
	CT_PKT_TUPLE, /* the conntrack's tuple (probe points without an skb) */
};

/* How a rule matches: either direction of the connection; ports of TCP and UDP only. */
#define CT_FILTER_FLAGS (PKT_F_IPV4_ONLY | PKT_F_EITHER_DIR | PKT_F_PORTS_TCP_UDP)

struct ct_config {
	struct pkt_filter rules[CT_MAX_RULES];
	__u8 nrules; /* 0: every event passes */
	__u8 want_stack;
	__u8 track_tcp_ret; /* the tcp_packet kretprobe is attached (kernels before 5.4) */
	__u8 pad[5];
};

struct ct_event {
	__u64 ts_ns;
	__u64 nfct; /* skb->_nfct (ctinfo in the low 3 bits), or the conntrack pointer */
	__u64 ct_status; /* ct->status or a CT_STATUS_* sentinel */
	__u64 label[2]; /* connection labels; both all-ones = not available */
	__u64 ovs_ct; /* ovs_conntrack_info->ct (the action's template) or CT_U64_* */
	__u32 saddr, daddr; /* network order */
	__u32 seq, ack; /* TCP, host order */
	__s32 ifindex;
	__s32 stack_id;
	__s32 retval; /* return events */
	__u16 sport, dport; /* host order */
	__u16 ip_id; /* host order */
	__u16 zone_id; /* ct->zone.id or CT_U16_* */
	__u16 ovs_zone_id; /* ovs_conntrack_info->zone.id or CT_U16_* */
	__u8 protocol;
	__u8 tcp_flags;
	__u8 sk_state; /* skb->sk's TCP state or CT_SK_STATE_NONE */
	__u8 ctinfo; /* enum ip_conntrack_info or CT_CTINFO_NA */
	__u8 zone_dir; /* ct->zone.dir (NF_CT_ZONE_DIR_* bits) or CT_U8_* */
	__u8 ovs_zone_dir;
	__u8 ovs_commit; /* 0/1 or CT_U8_* */
	__u8 probe_id; /* enum ct_probe_id */
	__u8 pkt_source; /* enum ct_pkt_source */
	__u8 is_return;
	__u8 pad[6];
	char comm[16];
	char ifname[16];
};

#ifndef __bpf__
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf;

/* One rule of a filters file, with the text the original echoed ("Added filter rule: {...}"). */
struct ct_file_rule {
	struct pkt_filter rule;
	char *repr; /* the object as a Python dict, keys in file order */
};

/* The protocol number of a --protocol choice ("all" is 0), -1 if name is not one. */
int ct_protocol_number(const char *name);

/*
 * Reads a --filters-file: a JSON array of objects with the keys src_ip, dst_ip, protocol
 * (all, icmp, tcp, udp), src_port, dst_port. Returns the number of rules (at most max), or -1
 * with a message naming the problem and its place in err (the caller adds the file name).
 */
int ct_filters_parse(const char *text, struct ct_file_rule *rules, int max, struct strbuf *err);
void ct_file_rules_free(struct ct_file_rule *rules, int n);

/* "IP_CT_NEW" etc. for ctinfo values, NULL for values the kernel does not use. */
const char *ct_ctinfo_name(unsigned ctinfo);
/* The IPS_* names of the bits set in a conntrack status, "|"-joined ("" for none). */
const char *ct_status_flags(__u64 status, char *buf, size_t len);
/* A zone direction: "3(ORIG|REPLY)", "N/A(NoCfg)", ... */
const char *ct_zone_dir_text(__u8 dir, char *buf, size_t len);

struct ct_print_opts {
	const char *func_name; /* name of probe 6 (nf_conntrack_tcp_packet or tcp_packet) */
	bool rel_time;
	bool show_stack;
};

/*
 * Prints one event in the original layout. time_text is "2025-09-22 17:57:33.760" or, with
 * rel_time, the seconds since the first event; frames are rendered stack frames, innermost
 * first (nframes < 0: the stack could not be read, -nframes is the errno).
 */
void ct_print_event(FILE *f, const struct ct_event *ev, const char *time_text, double rel_s,
		    const char *const *frames, int nframes, const struct ct_print_opts *o);
/* Prints one event as a JSON object on one line. */
void ct_print_json(FILE *f, const struct ct_event *ev, const char *time_text, const char *const *frames,
		   int nframes, const struct ct_print_opts *o);
/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table ct_hook_table;
#endif
