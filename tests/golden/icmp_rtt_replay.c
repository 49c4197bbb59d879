// SPDX-License-Identifier: GPL-2.0-only
#include "icmp_rtt_replay.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

/* The time column of every replayed report. */
#define TIME "2026-11-25 10:38:25.335"

/* ping -e 4242 from 10.71.0.254 (internal port int0) to 10.71.0.1 behind phys0, seq 2. */
// clang-format off
const struct recorded_stage tx_fast_path[10] = {
	{ 0, 16726929424ULL, 0xffff8ce54231f200ULL, { "ip_output+0x5", "ip_push_pending_frames+0xa5", "raw_sendmsg+0x87d" } },
	{ 1, 16727091955ULL, 0xffff8ce54231f200ULL, { "internal_dev_xmit+0x5", "dev_hard_start_xmit+0x64", "__dev_queue_xmit+0x8b7" } },
	{ 2, 16727131814ULL, 0xffff8ce54231f200ULL, { "ovs_dp_process_packet+0x5", "ovs_vport_receive+0x85", "internal_dev_xmit+0x2d" } },
	{ 5, 16727179214ULL, 0xffff8ce54231f200ULL, { "ovs_vport_send+0x5", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
	{ 6, 16727198162ULL, 0xffff8ce54231f200ULL, { "__dev_queue_xmit+0x3d6", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
	{ 7, 16727397898ULL, 0xffff8ce54231fd00ULL, { "__netif_receive_skb_core.constprop.0+0x538", "__netif_receive_skb_one_core+0x3c", "process_backlog+0x87" } },
	{ 8, 16727427232ULL, 0xffff8ce54231fd00ULL, { "netdev_frame_hook+0x5", "__netif_receive_skb_core.constprop.0+0x72e", "__netif_receive_skb_one_core+0x3c" } },
	{ 9, 16727442504ULL, 0xffff8ce54231fd00ULL, { "ovs_dp_process_packet+0x5", "ovs_vport_receive+0x85", "netdev_frame_hook+0xde" } },
	{ 12, 16727458798ULL, 0xffff8ce54231fd00ULL, { "ovs_vport_send+0x5", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
	{ 13, 16727509954ULL, 0xffff8ce54231fd00ULL, { "icmp_rcv+0x5", "ip_protocol_deliver_rcu+0x170", "ip_local_deliver_finish+0x76" } },
};

/* ping -e 4343 from 10.71.0.1 to this host's 10.71.0.254, every packet through userspace, seq 2. */
const struct recorded_stage rx_upcall[14] = {
	{ 0, 24148624486ULL, 0xffff8ce54231fd00ULL, { "__netif_receive_skb_core.constprop.0+0x538", "__netif_receive_skb_one_core+0x3c", "process_backlog+0x87" } },
	{ 1, 24148724404ULL, 0xffff8ce54231fd00ULL, { "netdev_frame_hook+0x5", "__netif_receive_skb_core.constprop.0+0x72e", "__netif_receive_skb_one_core+0x3c" } },
	{ 2, 24148765755ULL, 0xffff8ce54231fd00ULL, { "ovs_dp_process_packet+0x5", "ovs_vport_receive+0x85", "netdev_frame_hook+0xde" } },
	{ 3, 24148825995ULL, 0xffff8ce54231fd00ULL, { "ovs_dp_upcall+0x11a", "do_execute_actions+0x9bb", "ovs_execute_actions+0x4c" } },
	{ 4, 24149790022ULL, 0xffff8ce54231fd00ULL, { "ovs_flow_key_extract_userspace+0x5", "ovs_packet_cmd_execute+0x175", "genl_family_rcv_msg_doit+0xf2" } },
	{ 5, 24149876931ULL, 0xffff8ce54231fd00ULL, { "ovs_vport_send+0x5", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
	{ 6, 24156148398ULL, 0xffff8ce54231fd00ULL, { "icmp_rcv+0x5", "ip_protocol_deliver_rcu+0x170", "ip_local_deliver_finish+0x76" } },
	{ 7, 24156285341ULL, 0xffff8ce54231fb00ULL, { "ip_output+0x5", "ip_push_pending_frames+0xa5", "icmp_reply+0x2ed" } },
	{ 8, 24156346061ULL, 0xffff8ce54231fb00ULL, { "internal_dev_xmit+0x5", "dev_hard_start_xmit+0x64", "__dev_queue_xmit+0x8b7" } },
	{ 9, 24156376315ULL, 0xffff8ce54231fb00ULL, { "ovs_dp_process_packet+0x5", "ovs_vport_receive+0x85", "internal_dev_xmit+0x2d" } },
	{ 10, 24156427481ULL, 0xffff8ce54231fb00ULL, { "ovs_dp_upcall+0x11a", "do_execute_actions+0x9bb", "ovs_execute_actions+0x4c" } },
	{ 11, 24157317599ULL, 0xffff8ce54231f000ULL, { "ovs_flow_key_extract_userspace+0x5", "ovs_packet_cmd_execute+0x175", "genl_family_rcv_msg_doit+0xf2" } },
	{ 12, 24157378169ULL, 0xffff8ce54231f000ULL, { "ovs_vport_send+0x5", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
	{ 13, 24157397357ULL, 0xffff8ce54231f000ULL, { "__dev_queue_xmit+0x3d6", "do_execute_actions+0x1054", "ovs_execute_actions+0x4c" } },
};
// clang-format on

void replay_init(struct replay *r, int direction, const char *src, const char *dst)
{
	memset(r, 0, sizeof(*r));
	r->direction = direction;
	r->sip = inet_addr(src);
	r->dip = inet_addr(dst);
}

struct rtt_session *lookup(struct replay *r, __u16 id, __u16 seq)
{
	for (int i = 0; i < 8; i++)
		if (r->used[i] && r->table[i].key.id == htons(id) && r->table[i].key.seq == htons(seq))
			return &r->table[i];
	return NULL;
}

static void drop(struct replay *r, struct rtt_session *s)
{
	r->used[s - r->table] = false;
}

static struct rtt_session *start(struct replay *r, __u16 id, __u16 seq)
{
	struct rtt_session *s = lookup(r, id, seq);

	if (s)
		drop(r, s);
	for (int i = 0; i < 8; i++) {
		if (r->used[i])
			continue;
		r->used[i] = true;
		s = &r->table[i];
		memset(s, 0, sizeof(*s));
		s->key.sip = r->sip;
		s->key.dip = r->dip;
		s->key.proto = 1;
		s->key.id = htons(id);
		s->key.seq = htons(seq);
		return s;
	}
	ck_abort_msg("replay table full");
	return NULL;
}

void hit(struct replay *r, enum rtt_hook hook, int reply, __u16 id, __u16 seq, __u64 ts, __u64 skb)
{
	int stage = rtt_stage(hook, reply, r->direction);
	struct rtt_session *s = lookup(r, id, seq);

	switch (rtt_hit_action(s, stage, skb)) {
	case RTT_START:
		s = start(r, id, seq);
		break;
	case RTT_RECORD:
		break;
	default:
		return;
	}
	rtt_record(s, stage, ts, skb, stage + 100);
	if (stage == 0 || stage == RTT_PATH_STAGES) {
		struct rtt_path_start *p = &s->path[reply];

		p->pid = r->who[reply].pid;
		snprintf(p->comm, sizeof(p->comm), "%s", r->who[reply].comm);
		snprintf(p->ifname, sizeof(p->ifname), "%s", r->who[reply].ifname);
		p->icmp_type = reply ? 0 : 8;
	}
	switch (rtt_outcome(s, stage, r->threshold_ns)) {
	case RTT_PENDING:
		return;
	case RTT_REPORT:
		r->reported[r->nreported++] = *s;
		break;
	case RTT_BELOW_THRESHOLD:
		r->below++;
		break;
	default:
		r->incomplete++;
		break;
	}
	drop(r, s);
}

enum rtt_hook hook_of(int stage, int direction)
{
	for (int h = 0; h < RTT_HOOKS; h++)
		if (rtt_stage(h, stage >= RTT_PATH_STAGES, direction) == stage)
			return h;
	ck_abort_msg("no hook for stage %d", stage);
	return RTT_HOOKS;
}

void replay_recorded(struct replay *r, const struct recorded_stage *rec, size_t n, __u16 id, __u16 seq,
		     __u64 shift)
{
	for (size_t i = 0; i < n; i++)
		hit(r, hook_of(rec[i].stage, r->direction), rec[i].stage >= RTT_PATH_STAGES, id, seq,
		    rec[i].ktime_ns + shift, rec[i].skb);
}

struct rtt_report report_of(const struct rtt_session *s, const struct recorded_stage *rec, size_t n,
			    int direction, const char *src, const char *dst, bool stacks)
{
	struct rtt_report r = {
		.ev = s, .time = TIME, .src_ip = src, .dst_ip = dst, .direction = direction, .stacks = stacks
	};

	for (size_t i = 0; i < n; i++) {
		r.frames[rec[i].stage] = rec[i].frames;
		r.nframes[rec[i].stage] = 3;
	}
	return r;
}

void expect_recorded(const struct rtt_session *s, const struct recorded_stage *rec, size_t n)
{
	unsigned seen = 0;

	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(s->ts[rec[i].stage], rec[i].ktime_ns);
		ck_assert_uint_eq(s->skb[rec[i].stage], rec[i].skb);
		seen |= 1u << rec[i].stage;
	}
	for (int i = 0; i < RTT_STAGES; i++)
		if (!(seen & (1u << i)))
			ck_assert_uint_eq(s->ts[i], 0);
}

void replay_who(struct replay *r, __u32 pid1, const char *comm1, const char *if1, __u32 pid2,
		const char *comm2, const char *if2)
{
	r->who[0] = (struct path_who){ pid1, comm1, if1 };
	r->who[1] = (struct path_who){ pid2, comm2, if2 };
}
