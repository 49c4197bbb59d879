// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt: the stage rules, the session bookkeeping replayed from hook hits
 * recorded in the kernel lab, and the text and JSON layouts, against golden files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "system_network_icmp_rtt.h"
#include "util.h"

static char *buf;
static size_t len;

#define TIME "2026-11-25 10:38:25.335"

/* One stage of a round trip as the tool reported it in the lab (6.12), top 3 stack frames. */
struct recorded_stage {
	int stage;
	__u64 ktime_ns;
	__u64 skb;
	const char *frames[3];
};

/* ping -e 4242 from 10.71.0.254 (internal port int0) to 10.71.0.1 behind phys0, seq 2. */
// clang-format off
static const struct recorded_stage tx_fast_path[] = {
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
static const struct recorded_stage rx_upcall[] = {
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

/* ---- the kernel side's bookkeeping, replayed ---- */

struct path_who {
	__u32 pid;
	const char *comm, *ifname;
};

struct replay {
	int direction;
	__u64 threshold_ns;
	__u32 sip, dip;
	struct path_who who[2];
	struct rtt_session table[8];
	bool used[8];
	struct rtt_session reported[8];
	int nreported, below, incomplete;
};

static void replay_init(struct replay *r, int direction, const char *src, const char *dst)
{
	memset(r, 0, sizeof(*r));
	r->direction = direction;
	r->sip = inet_addr(src);
	r->dip = inet_addr(dst);
}

static struct rtt_session *lookup(struct replay *r, __u16 id, __u16 seq)
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

/* A parsed hit of a hook: what track() in system_network_icmp_rtt.bpf.c does with it. */
static void hit(struct replay *r, enum rtt_hook hook, int reply, __u16 id, __u16 seq, __u64 ts, __u64 skb)
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

/* The hook and packet (request or reply) of a recorded stage. */
static enum rtt_hook hook_of(int stage, int direction)
{
	for (int h = 0; h < RTT_HOOKS; h++)
		if (rtt_stage(h, stage >= RTT_PATH_STAGES, direction) == stage)
			return h;
	ck_abort_msg("no hook for stage %d", stage);
	return RTT_HOOKS;
}

static void replay_recorded(struct replay *r, const struct recorded_stage *rec, size_t n, __u16 id, __u16 seq,
			    __u64 shift)
{
	for (size_t i = 0; i < n; i++)
		hit(r, hook_of(rec[i].stage, r->direction), rec[i].stage >= RTT_PATH_STAGES, id, seq,
		    rec[i].ktime_ns + shift, rec[i].skb);
}

/* The report of a replayed session with the recorded stacks. */
static struct rtt_report report_of(const struct rtt_session *s, const struct recorded_stage *rec, size_t n,
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

static void expect_recorded(const struct rtt_session *s, const struct recorded_stage *rec, size_t n)
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

/* ---- stage rules ---- */

START_TEST(stage_names_follow_the_direction)
{
	static const char *const tx[RTT_STAGES] = {
		"P1:S0_INIT (ip_output)",
		"P1:S1_STACK_PROC (internal_dev_xmit)",
		"P1:S2_OVS_DP_PROC (ovs_dp_process_packet)",
		"P1:S3_OVS_UPCALL (ovs_dp_upcall)",
		"P1:S4_OVS_KEYEXT (ovs_flow_key_extract_userspace)",
		"P1:S5_OVS_VPORT_SND (ovs_vport_send)",
		"P1:S6_FINAL (dev_queue_xmit)",
		"P2:S0_INIT (__netif_receive_skb)",
		"P2:S1_STACK_PROC (netdev_frame_hook)",
		"P2:S2_OVS_DP_PROC (ovs_dp_process_packet)",
		"P2:S3_OVS_UPCALL (ovs_dp_upcall)",
		"P2:S4_OVS_KEYEXT (ovs_flow_key_extract_userspace)",
		"P2:S5_OVS_VPORT_SND (ovs_vport_send)",
		"P2:S6_FINAL (icmp_rcv)",
	};
	static const char *const rx[RTT_STAGES] = {
		"P1:S0_INIT (__netif_receive_skb)",
		"P1:S1_STACK_PROC (netdev_frame_hook)",
		"P1:S2_OVS_DP_PROC (ovs_dp_process_packet)",
		"P1:S3_OVS_UPCALL (ovs_dp_upcall)",
		"P1:S4_OVS_KEYEXT (ovs_flow_key_extract_userspace)",
		"P1:S5_OVS_VPORT_SND (ovs_vport_send)",
		"P1:S6_FINAL (icmp_rcv)",
		"P2:S0_INIT (ip_output)",
		"P2:S1_STACK_PROC (internal_dev_xmit)",
		"P2:S2_OVS_DP_PROC (ovs_dp_process_packet)",
		"P2:S3_OVS_UPCALL (ovs_dp_upcall)",
		"P2:S4_OVS_KEYEXT (ovs_flow_key_extract_userspace)",
		"P2:S5_OVS_VPORT_SND (ovs_vport_send)",
		"P2:S6_FINAL (dev_queue_xmit)",
	};
	char name[96];

	for (int i = 0; i < RTT_STAGES; i++) {
		ck_assert_str_eq(rtt_stage_name(i, RTT_TX, name, sizeof(name)), tx[i]);
		ck_assert_str_eq(rtt_stage_name(i, RTT_RX, name, sizeof(name)), rx[i]);
	}
}
END_TEST

START_TEST(hooks_off_the_path_are_no_stage)
{
	/* tx: the request never reaches icmp_rcv here, the reply never leaves through ip_output. */
	ck_assert_int_eq(rtt_stage(RTT_HOOK_ICMP_RCV, 0, RTT_TX), -1);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_IP_OUTPUT, 1, RTT_TX), -1);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_NIC_RX, 0, RTT_TX), -1);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_NIC_TX, 1, RTT_TX), -1);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_NIC_TX, 0, RTT_RX), -1);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_INTERNAL_XMIT, 0, RTT_RX), -1);
	/* The OVS hooks are on both paths in both directions. */
	ck_assert_int_eq(rtt_stage(RTT_HOOK_OVS_UPCALL, 0, RTT_RX), 3);
	ck_assert_int_eq(rtt_stage(RTT_HOOK_OVS_UPCALL, 1, RTT_TX), 10);
}
END_TEST

START_TEST(latencies_are_seven_columns_or_na)
{
	char b[32];

	ck_assert_str_eq(rtt_format_latency(1000, 3500, b, sizeof(b)), "  2.500");
	ck_assert_str_eq(rtt_format_latency(1000, 0, b, sizeof(b)), "   N/A ");
	ck_assert_str_eq(rtt_format_latency(0, 1000, b, sizeof(b)), "   N/A ");
	ck_assert_str_eq(rtt_format_latency(5000, 1000, b, sizeof(b)), " -4.000");
	ck_assert_str_eq(rtt_format_latency(1, 123456789012ULL, b, sizeof(b)), "123456789.011");
}
END_TEST

/* ---- bookkeeping ---- */

START_TEST(recorded_tx_round_trip_is_reported_once)
{
	struct replay r;

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	replay_recorded(&r, tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242, 2, 0);
	ck_assert_int_eq(r.nreported, 1);
	ck_assert_int_eq(r.below + r.incomplete, 0);
	expect_recorded(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path));
	ck_assert_int_eq(lookup(&r, 4242, 2) == NULL, 1); /* deleted once reported */
}
END_TEST

START_TEST(first_hit_of_each_stage_counts)
{
	struct replay r;

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	/* The request's first stages, then the same hooks again (a recirculation, the same skb). */
	for (int i = 0; i < 4; i++)
		hit(&r, hook_of(tx_fast_path[i].stage, RTT_TX), 0, 4242, 2, tx_fast_path[i].ktime_ns,
		    tx_fast_path[i].skb);
	hit(&r, RTT_HOOK_IP_OUTPUT, 0, 4242, 2, tx_fast_path[3].ktime_ns + 1, tx_fast_path[0].skb);
	hit(&r, RTT_HOOK_OVS_PROCESS, 0, 4242, 2, tx_fast_path[3].ktime_ns + 2, tx_fast_path[0].skb);
	/* Hooks that are not on this direction's paths, and another ping's reply with no request. */
	hit(&r, RTT_HOOK_ICMP_RCV, 0, 4242, 2, tx_fast_path[3].ktime_ns + 3, tx_fast_path[0].skb);
	hit(&r, RTT_HOOK_IP_OUTPUT, 1, 4242, 2, tx_fast_path[3].ktime_ns + 4, tx_fast_path[0].skb);
	hit(&r, RTT_HOOK_ICMP_RCV, 1, 4242, 7, tx_fast_path[9].ktime_ns, tx_fast_path[9].skb);
	replay_recorded(&r, tx_fast_path + 4, ARRAY_SIZE(tx_fast_path) - 4, 4242, 2, 0);
	ck_assert_int_eq(r.nreported, 1);
	ck_assert_int_eq(r.incomplete, 0);
	expect_recorded(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path));
}
END_TEST

START_TEST(interleaved_pings_keep_their_own_stages)
{
	struct replay r;
	const __u64 later = 150000; /* seq 3 starts while seq 2 is on its way back */

	replay_init(&r, RTT_RX, "10.71.0.1", "10.71.0.254");
	for (size_t i = 0; i < ARRAY_SIZE(rx_upcall); i++) {
		hit(&r, hook_of(rx_upcall[i].stage, RTT_RX), rx_upcall[i].stage >= 7, 4343, 2,
		    rx_upcall[i].ktime_ns, rx_upcall[i].skb);
		hit(&r, hook_of(rx_upcall[i].stage, RTT_RX), rx_upcall[i].stage >= 7, 4343, 3,
		    rx_upcall[i].ktime_ns + later, rx_upcall[i].skb + 0x100000);
	}
	ck_assert_int_eq(r.nreported, 2);
	expect_recorded(&r.reported[0], rx_upcall, ARRAY_SIZE(rx_upcall));
	ck_assert_uint_eq(ntohs(r.reported[1].key.seq), 3);
	ck_assert_uint_eq(r.reported[1].ts[13] - r.reported[1].ts[0],
			  rx_upcall[13].ktime_ns - rx_upcall[0].ktime_ns);
}
END_TEST

START_TEST(stage_zero_restarts_only_for_another_packet)
{
	struct replay r;
	const __u64 skb = tx_fast_path[0].skb;

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	/* A request whose reply never came (stages 0-6), then a new ping reusing id and seq. */
	replay_recorded(&r, tx_fast_path, 5, 4242, 2, 0);
	hit(&r, RTT_HOOK_IP_OUTPUT, 0, 4242, 2, 1000, skb); /* the same packet again: kept */
	ck_assert_uint_eq(lookup(&r, 4242, 2)->ts[0], tx_fast_path[0].ktime_ns);
	hit(&r, RTT_HOOK_IP_OUTPUT, 0, 4242, 2, 99000000000ULL, skb + 0x800);
	ck_assert_uint_eq(lookup(&r, 4242, 2)->ts[0], 99000000000ULL);
	ck_assert_uint_eq(lookup(&r, 4242, 2)->ts[1], 0); /* nothing inherited */
}
END_TEST

START_TEST(replies_without_a_complete_request_path_are_counted)
{
	struct replay r;

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	/* The request was not seen leaving through the NIC (stage 6): e.g. a wrong --phy-interface. */
	for (size_t i = 0; i < ARRAY_SIZE(tx_fast_path); i++)
		if (tx_fast_path[i].stage != 6)
			hit(&r, hook_of(tx_fast_path[i].stage, RTT_TX), tx_fast_path[i].stage >= 7, 4242, 2,
			    tx_fast_path[i].ktime_ns, tx_fast_path[i].skb);
	ck_assert_int_eq(r.nreported, 0);
	ck_assert_int_eq(r.incomplete, 1);
	ck_assert_int_eq(lookup(&r, 4242, 2) == NULL, 1);
}
END_TEST

START_TEST(threshold_filters_in_the_kernel)
{
	struct replay r;
	__u64 rtt = tx_fast_path[9].ktime_ns - tx_fast_path[0].ktime_ns; /* 580.530 us */

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	r.threshold_ns = rtt + 1;
	replay_recorded(&r, tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242, 1, 0);
	r.threshold_ns = rtt;
	replay_recorded(&r, tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242, 2, 0);
	ck_assert_int_eq(r.below, 1);
	ck_assert_int_eq(r.nreported, 1);
	ck_assert_uint_eq(ntohs(r.reported[0].key.seq), 2);
}
END_TEST

/* ---- layouts ---- */

static void who(struct replay *r, __u32 pid1, const char *comm1, const char *if1, __u32 pid2,
		const char *comm2, const char *if2)
{
	r->who[0] = (struct path_who){ pid1, comm1, if1 };
	r->who[1] = (struct path_who){ pid2, comm2, if2 };
}

START_TEST(tx_fast_path_text_with_stacks)
{
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	who(&r, 243, "ping", "int0", 243, "ping", "phys0");
	replay_recorded(&r, tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242, 2, 0);
	ck_assert_int_eq(r.nreported, 1);
	rep = report_of(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path), RTT_TX, "10.71.0.254",
			"10.71.0.1", true);
	rtt_print_event(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_tx.txt"), 0);
}
END_TEST

START_TEST(tx_fast_path_json)
{
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	who(&r, 243, "ping", "int0", 243, "ping", "phys0");
	replay_recorded(&r, tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242, 2, 0);
	rep = report_of(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path), RTT_TX, "10.71.0.254",
			"10.71.0.1", true);
	rtt_print_json(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_tx.json"), 0);
}
END_TEST

START_TEST(rx_through_userspace_text)
{
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, RTT_RX, "10.71.0.1", "10.71.0.254");
	who(&r, 280, "ping", "phys0", 258, "python3", "int0");
	replay_recorded(&r, rx_upcall, ARRAY_SIZE(rx_upcall), 4343, 2, 0);
	ck_assert_int_eq(r.nreported, 1);
	rep = report_of(&r.reported[0], rx_upcall, ARRAY_SIZE(rx_upcall), RTT_RX, "10.71.0.1", "10.71.0.254",
			true);
	rtt_print_event(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_rx_upcall.txt"), 0);
}
END_TEST

/*
 * Upcalls nobody read (no key extraction) on path 1, the reply's netdev_frame_hook stage
 * missed, a stack the kernel could not store (-EEXIST) and one that reads back empty.
 */
START_TEST(partial_stages_and_stack_failures)
{
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	who(&r, 243, "ping", "int0", 0, "swapper/1", "phys0");
	for (size_t i = 0; i < ARRAY_SIZE(tx_fast_path); i++) {
		int st = tx_fast_path[i].stage;

		if (st == 8)
			continue;
		if (st == 5)
			hit(&r, RTT_HOOK_OVS_UPCALL, 0, 4242, 9, tx_fast_path[i].ktime_ns - 20000,
			    tx_fast_path[i].skb);
		hit(&r, hook_of(st, RTT_TX), st >= 7, 4242, 9, tx_fast_path[i].ktime_ns, tx_fast_path[i].skb);
	}
	ck_assert_int_eq(r.nreported, 1);
	rep = report_of(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path), RTT_TX, "10.71.0.254",
			"10.71.0.1", true);
	r.reported[0].stack_id[3] = -17;
	rep.nframes[3] = 0;
	rep.nframes[9] = 0;
	rtt_print_event(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_partial.txt"), 0);
}
END_TEST

START_TEST(banners)
{
	const __u32 one[] = { 3, 3 }, two[] = { 4, 7 };
	FILE *f = golden_open(&buf, &len);

	rtt_print_banner(f, "192.168.1.10", "192.168.1.20", "eth0", one, 2, RTT_TX, 0);
	fputs("--\n", f);
	rtt_print_banner(f, "192.168.1.20", "192.168.1.10", "eth0,eth1", two, 2, RTT_RX, 10);
	fputs("--\n", f);
	/* int(0.0000001 * 1e6) == 0 in the original: no threshold line. */
	rtt_print_banner(f, "10.1", "10.0.0.2", "eth0", one, 2, RTT_TX, 0.0000001);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_banner.txt"), 0);
}
END_TEST

/* The totals at exit, text then JSON: the JSON stream ends with the same figures. */
START_TEST(totals)
{
	FILE *f = golden_open(&buf, &len);

	rtt_print_totals(f, false, 12, 3, 1, 0);
	rtt_print_totals(f, false, 0, 0, 0, 1710099);
	rtt_print_totals(f, true, 12, 3, 1, 0);
	rtt_print_totals(f, true, 0, 0, 0, 1710099);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_totals.txt"), 0);
}
END_TEST

Suite *golden_system_network_icmp_rtt_suite(void)
{
	Suite *s = suite_create("system_network_icmp_rtt");
	TCase *t = tcase_create("rules");

	tcase_add_test(t, stage_names_follow_the_direction);
	tcase_add_test(t, hooks_off_the_path_are_no_stage);
	tcase_add_test(t, latencies_are_seven_columns_or_na);
	suite_add_tcase(s, t);
	t = tcase_create("bookkeeping");
	tcase_add_test(t, recorded_tx_round_trip_is_reported_once);
	tcase_add_test(t, first_hit_of_each_stage_counts);
	tcase_add_test(t, interleaved_pings_keep_their_own_stages);
	tcase_add_test(t, stage_zero_restarts_only_for_another_packet);
	tcase_add_test(t, replies_without_a_complete_request_path_are_counted);
	tcase_add_test(t, threshold_filters_in_the_kernel);
	suite_add_tcase(s, t);
	t = tcase_create("layouts");
	tcase_add_test(t, tx_fast_path_text_with_stacks);
	tcase_add_test(t, tx_fast_path_json);
	tcase_add_test(t, rx_through_userspace_text);
	tcase_add_test(t, partial_stages_and_stack_failures);
	tcase_add_test(t, banners);
	tcase_add_test(t, totals);
	suite_add_tcase(s, t);
	return s;
}
