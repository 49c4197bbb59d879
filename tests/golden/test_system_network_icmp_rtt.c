// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt: the stage rules, and the session bookkeeping replayed from hook
 * hits recorded in the kernel lab.
 */
#include <arpa/inet.h>
#include <check.h>

#include "icmp_rtt_replay.h"
#include "system_network_icmp_rtt.h"
#include "unit_helpers.h"
#include "util.h"

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

Suite *golden_system_network_icmp_rtt_suite(void)
{
	const TTest *rules_tests[] = { stage_names_follow_the_direction, hooks_off_the_path_are_no_stage,
				       latencies_are_seven_columns_or_na };
	const TTest *bookkeeping_tests[] = { recorded_tx_round_trip_is_reported_once,
					     first_hit_of_each_stage_counts,
					     interleaved_pings_keep_their_own_stages,
					     stage_zero_restarts_only_for_another_packet,
					     replies_without_a_complete_request_path_are_counted,
					     threshold_filters_in_the_kernel };
	Suite *s = suite_create("system_network_icmp_rtt");

	unit_tcase(s, "rules", rules_tests, ARRAY_SIZE(rules_tests));
	unit_tcase(s, "bookkeeping", bookkeeping_tests, ARRAY_SIZE(bookkeeping_tests));
	return s;
}
