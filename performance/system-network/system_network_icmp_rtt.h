/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * system_network_icmp_rtt: shared by the BPF program and user space. The stage rules and the
 * session bookkeeping below run in the kernel and, in the unit tests, on recorded hook hits.
 */
#pragma once
#include "bpf/pkt_key.h"

#define RTT_STAGES 14
#define RTT_PATH_STAGES 7 /* path 1 = stages 0-6 (the echo request), path 2 = 7-13 (the reply) */
#define RTT_LAST_STAGE (RTT_STAGES - 1)
#define RTT_NO_STACK (-61) /* stack_id when stacks are off (-ENODATA) */

/* The kernel functions a packet passes; which stage each hit is depends on the direction. */
enum rtt_hook {
	RTT_HOOK_IP_OUTPUT, /* ip_output: the local IP stack sends */
	RTT_HOOK_INTERNAL_XMIT, /* internal_dev_xmit: the OVS internal port takes the packet */
	RTT_HOOK_NIC_RX, /* netif_receive_skb on a physical NIC */
	RTT_HOOK_FRAME_HOOK, /* netdev_frame_hook: OVS takes the packet from the NIC */
	RTT_HOOK_OVS_PROCESS, /* ovs_dp_process_packet: flow lookup */
	RTT_HOOK_OVS_UPCALL, /* ovs_dp_upcall: sent to ovs-vswitchd */
	RTT_HOOK_OVS_KEYEXT, /* ovs_flow_key_extract_userspace: re-injected by ovs-vswitchd */
	RTT_HOOK_OVS_SEND, /* ovs_vport_send: OVS outputs the packet */
	RTT_HOOK_NIC_TX, /* dev_queue_xmit on a physical NIC */
	RTT_HOOK_ICMP_RCV, /* icmp_rcv: the local IP stack receives */
	RTT_HOOKS,
};

enum rtt_direction {
	RTT_TX = 0, /* this host pings the remote one */
	RTT_RX = 1, /* the remote host pings this one */
};

/* The echo request goes from --src-ip to --dst-ip, the reply back. */
#define RTT_FILTER_FLAGS (PKT_F_IPV4_ONLY | PKT_F_EITHER_DIR)

/* Where the hook on net:netif_receive_skb reads the packet. */
#define RTT_AT_NIC_RX PKT_AT_DATA

struct rtt_config {
	struct pkt_filter filter; /* saddr: sender of the echo request, daddr: its receiver; ICMP */
	struct iface_set phy; /* the physical NICs */
	__u64 threshold_ns; /* report round trips of at least this RTT; 0 = all */
	__u8 direction; /* enum rtt_direction */
	__u8 stacks; /* capture a kernel stack at every stage */
	__u8 skb_arg[RTT_HOOKS]; /* kprobes: 1-based position of the sk_buff argument */
	__u8 pad[4];
};

/* One round trip: request and reply share the key (the configured addresses, id, seq). */
struct rtt_key {
	__u32 sip; /* --src-ip, network order */
	__u32 dip; /* --dst-ip */
	__u8 proto; /* IPPROTO_ICMP */
	__u8 pad;
	__u16 id; /* echo identifier, network order */
	__u16 seq; /* echo sequence number, network order */
	__u16 pad2;
};

/* Who and where at the first stage of a path. */
struct rtt_path_start {
	__u32 pid; /* thread group id */
	char comm[16];
	char ifname[16];
	__u8 icmp_type;
	__u8 pad[3];
};

/* The session kept between stages; also the event sent to user space. */
struct rtt_session {
	struct rtt_key key;
	__u64 ts[RTT_STAGES]; /* bpf_ktime_get_ns() of the first hit, 0 = not seen */
	__u64 skb[RTT_STAGES];
	__s32 stack_id[RTT_STAGES]; /* negative: bpf_get_stackid() error or RTT_NO_STACK */
	struct rtt_path_start path[2];
};

/* Slots of the rtt_counters map. */
enum rtt_counter {
	RTT_CNT_BELOW_THRESHOLD, /* complete round trips faster than --latency-ms */
	RTT_CNT_INCOMPLETE, /* replies delivered without a path's first or last stage seen */
	RTT_COUNTERS,
};

/*
 * The step (0-6) within its path of a hit at hook, for a packet leaving this host through OVS
 * and the NIC (outbound) or arriving from the NIC; -1 if the hook is not on that path.
 */
static __always_inline int rtt_step(enum rtt_hook hook, int outbound)
{
	switch (hook) {
	case RTT_HOOK_IP_OUTPUT:
		return outbound ? 0 : -1;
	case RTT_HOOK_INTERNAL_XMIT:
		return outbound ? 1 : -1;
	case RTT_HOOK_NIC_RX:
		return outbound ? -1 : 0;
	case RTT_HOOK_FRAME_HOOK:
		return outbound ? -1 : 1;
	case RTT_HOOK_OVS_PROCESS:
		return 2;
	case RTT_HOOK_OVS_UPCALL:
		return 3;
	case RTT_HOOK_OVS_KEYEXT:
		return 4;
	case RTT_HOOK_OVS_SEND:
		return 5;
	case RTT_HOOK_NIC_TX:
		return outbound ? 6 : -1;
	case RTT_HOOK_ICMP_RCV:
		return outbound ? -1 : 6;
	default:
		return -1;
	}
}

/* The stage (0-13) of a hit of the request (reply = 0) or the reply at hook; -1: none. */
static __always_inline int rtt_stage(enum rtt_hook hook, int reply, int direction)
{
	/* tx: the request goes out and the reply comes in; rx: the other way round. */
	int outbound = (direction == RTT_TX) == !reply;
	int step = rtt_step(hook, outbound);

	if (step < 0)
		return -1;
	return step + (reply ? RTT_PATH_STAGES : 0);
}

enum rtt_hit_action {
	RTT_IGNORE, /* no session, or the stage was seen already */
	RTT_RECORD, /* record the stage in the session */
	RTT_START, /* start a new session, then record stage 0 in it */
};

/*
 * What a hit of stage does to session s (NULL: none for this key). Stage 0 starts the session
 * again unless it is the same packet seen twice (the same skb): a new ping that reuses an old
 * id and sequence must not inherit old stages. Only the first hit of each stage counts.
 */
static __always_inline int rtt_hit_action(const struct rtt_session *s, int stage, __u64 skb)
{
	if (stage < 0 || stage >= RTT_STAGES)
		return RTT_IGNORE;
	if (stage == 0 && (!s || s->skb[0] != skb))
		return RTT_START;
	if (!s || s->ts[stage & 0xf])
		return RTT_IGNORE;
	return RTT_RECORD;
}

/* Records the first hit of stage. */
static __always_inline void rtt_record(struct rtt_session *s, int stage, __u64 ts, __u64 skb, __s32 stack_id)
{
	stage &= 0xf;
	if (stage >= RTT_STAGES)
		return;
	s->ts[stage] = ts;
	s->skb[stage] = skb;
	s->stack_id[stage] = stack_id;
}

enum rtt_outcome {
	RTT_PENDING, /* the reply has not reached its last stage */
	RTT_REPORT, /* send the session to user space, then delete it */
	RTT_BELOW_THRESHOLD, /* complete but faster than --latency-ms: delete it */
	RTT_INCOMPLETE, /* the reply arrived, a path's first or last stage was missed */
};

/* What happens to session s after a hit of stage was recorded. */
static __always_inline int rtt_outcome(const struct rtt_session *s, int stage, __u64 threshold_ns)
{
	if (stage != RTT_LAST_STAGE)
		return RTT_PENDING;
	if (!s->ts[0] || !s->ts[RTT_PATH_STAGES - 1] || !s->ts[RTT_PATH_STAGES] || !s->ts[RTT_LAST_STAGE])
		return RTT_INCOMPLETE;
	if (threshold_ns && s->ts[RTT_LAST_STAGE] - s->ts[0] < threshold_ns)
		return RTT_BELOW_THRESHOLD;
	return RTT_REPORT;
}

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Everything the text and JSON layouts need besides the event. */
struct rtt_report {
	const struct rtt_session *ev;
	const char *time; /* local "YYYY-MM-DD HH:MM:SS.mmm" */
	const char *src_ip, *dst_ip; /* the option values as given */
	int direction; /* enum rtt_direction */
	bool stacks; /* print the stack section */
	int nframes[RTT_STAGES]; /* frames of each stage's stack, or -errno if unreadable */
	const char *const *frames[RTT_STAGES]; /* rendered frames, innermost first */
};

/* "P1:S0_INIT (ip_output)": the stage's name and the function it is taken at. */
const char *rtt_stage_name(int stage, int direction, char *buf, size_t len);
/* A latency right-justified in 7 columns in microseconds, or " N/A " if a timestamp is 0. */
const char *rtt_format_latency(__u64 start, __u64 end, char *buf, size_t len);
/* The original's banner, up to the probes; phy_names as given, phy their set. */
void rtt_print_banner(FILE *f, const char *src_ip, const char *dst_ip, const char *phy_names,
		      const struct iface_set *phy, int direction, double latency_ms);
/* One round trip in the original layout. */
void rtt_print_event(FILE *f, const struct rtt_report *r);
/* One round trip as a JSON object on one line. */
void rtt_print_json(FILE *f, const struct rtt_report *r);
/*
 * The totals at exit: "Round trips reported: N, below --latency-ms: N, incomplete: N, lost
 * events: N", or {"final": true, "reported", "below_threshold", "incomplete", "lost_events"}.
 */
void rtt_print_totals(FILE *f, bool json, uint64_t reported, uint64_t below, uint64_t incomplete,
		      uint64_t lost);
/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table rtt_hook_table;
#endif
