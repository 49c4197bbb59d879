// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system-network latency tools: stage models and session bookkeeping (common/netstage,
 * common/sysnet_stages), the summary's interval pairs and report, the details' per-packet
 * report and the metrics' FLOW COMPLETE report, against golden files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "hist_rows.h"
#include "netstage.h"
#include "sysnet_stages.h"
#include "system_network_latency_details.h"
#include "system_network_latency_summary.h"
#include "system_network_perfomance_metrics.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* ---- stage models ---- */

static const struct netstage_rule *rule(const struct netstage_config *c, enum netstage_hook h, int i)
{
	return &c->rules[h][i];
}

START_TEST(latency_model_rules_tx_udp)
{
	struct netstage_config c;

	netstage_rules_build(&c, &sysnet_latency_model, NS_DIR_BIT(NS_TX), NS_PROTO_UDP);
	/* TCP-only hooks and every RX stage are unused: not attached. */
	ck_assert(!netstage_hook_used(&c, NS_HOOK_IP_QUEUE_XMIT));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_TCP_V4_RCV));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_UDP_RCV));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_NETIF_RECEIVE));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_OVS_VPORT_RECEIVE));
	ck_assert_uint_eq(rule(&c, NS_HOOK_IP_SEND_SKB, 0)->stage, SL_TX_IP);
	ck_assert_uint_eq(rule(&c, NS_HOOK_IP_SEND_SKB, 0)->flags, NS_FIRST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_IP_SEND_SKB, 0)->pos, 0);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_DP_PROCESS, 0)->stage, SL_TX_DP_PROCESS);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_DP_PROCESS, 1)->stage, NS_STAGE_NONE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, NS_HOOK_QDISC_DEQUEUE, 0)->pos, 7);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->stage, SL_TX_START_XMIT);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->flags, NS_LAST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->pos, 8);
}
END_TEST

START_TEST(latency_model_rules_both_all)
{
	struct netstage_config c;

	netstage_rules_build(&c, &sysnet_latency_model, NS_DIRS_ALL, NS_PROTO_TCP | NS_PROTO_UDP);
	/* The datapath hooks stand for a TX and an RX stage; the session's direction decides. */
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_SEND, 0)->stage, SL_TX_VPORT_SEND);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_SEND, 0)->dir, NS_TX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_SEND, 1)->stage, SL_RX_VPORT_SEND);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_SEND, 1)->dir, NS_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_SEND, 1)->pos, 5);
	ck_assert_uint_eq(rule(&c, NS_HOOK_IP_QUEUE_XMIT, 0)->stage, SL_TX_IP);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, SL_RX_NETIF_RECEIVE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->flags, NS_FIRST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_TCP_V4_RCV, 0)->flags, NS_LAST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_TCP_V4_RCV, 0)->dev, NS_DEV_LOCAL);
	/* Hooks of the metrics tool only. */
	ck_assert(!netstage_hook_used(&c, NS_HOOK_IP_OUTPUT));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_CT_IN));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_ICMP_RCV));
}
END_TEST

START_TEST(metrics_model_rules)
{
	struct netstage_config c;

	netstage_rules_build(&c, &sysnet_metrics_model, NS_DIRS_ALL,
			     NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP);
	/* netif_receive_skb: the NIC's starts an RX record, the internal port's is NETRX_END. */
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, SM_PHY_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 1)->stage, SM_NETRX_END);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 1)->dev, NS_DEV_INTERNAL);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 0)->stage, SM_OVS_TX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 0)->dev, NS_DEV_INTERNAL);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 1)->stage, SM_OVS_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_IP_OUTPUT, 0)->flags, NS_FIRST_IF_NEW);
	ck_assert_uint_eq(rule(&c, NS_HOOK_CT_DONE, 1)->stage, SM_CT_OUT_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_ICMP_RCV, 0)->flags, NS_LAST);

	netstage_rules_build(&c, &sysnet_metrics_model, NS_DIR_BIT(NS_RX), NS_PROTO_ICMP);
	ck_assert(!netstage_hook_used(&c, NS_HOOK_IP_SEND_SKB));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_TCP_V4_RCV));
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 0)->stage, SM_OVS_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 1)->stage, NS_STAGE_NONE);
}
END_TEST

START_TEST(stage_lookup)
{
	ck_assert_str_eq(netstage_stage(&sysnet_latency_model, SL_TX_QDISC_DEQUEUE)->name,
			 "TX_S7_qdisc_dequeue");
	ck_assert_str_eq(netstage_stage_at(&sysnet_latency_model, NS_RX, 6)->name,
			 "RX_S6_tcp_v4_rcv/udp_rcv");
	ck_assert_str_eq(netstage_stage_at(&sysnet_latency_model, NS_TX, 8)->name, "TX_S8_dev_start_xmit");
	ck_assert_ptr_null(netstage_stage(&sysnet_latency_model, 16));
	ck_assert_ptr_null(netstage_stage_at(&sysnet_latency_model, NS_RX, 7));
	ck_assert_str_eq(netstage_stage(&sysnet_metrics_model, SM_ICMP_RCV)->name, "ICMP_RCV");
}
END_TEST

START_TEST(incomplete_sessions)
{
	struct netstage_counts c = { .started = { 1200, 10 },
				     .completed = { 1150, 10 },
				     .active = { 37, 0 } };

	/* Started, neither completed nor in flight. */
	ck_assert_uint_eq(netstage_incomplete(&c, NS_TX), 13);
	ck_assert_uint_eq(netstage_incomplete(&c, NS_RX), 0);
	/* Counters and the session table are read at slightly different times: never negative. */
	c.active[NS_RX] = 2;
	ck_assert_uint_eq(netstage_incomplete(&c, NS_RX), 0);
}
END_TEST

START_TEST(totals_at_exit)
{
	struct netstage_counts c = { .started = { 1200, 40 },
				     .completed = { 1150, 40 },
				     .active = { 37, 0 },
				     .unreported = { 1100, 30 },
				     .no_session = 2 };
	FILE *f = golden_open(&buf, &len);

	/* 60 reported, 1130 below the threshold, 13 incomplete, 37 in flight. */
	netstage_print_totals(f, false, &c, 60, 5);
	netstage_print_totals(f, true, &c, 60, 5);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_totals.txt"), 0);
}
END_TEST

/* ---- summary: interval bookkeeping ---- */

START_TEST(pairs_collected_sorted)
{
	uint64_t *slots = calloc(NS_PAIR_SLOTS, sizeof(uint64_t));
	struct netstage_pair out[8];
	size_t n;

	/* An interval's counts: RX (2 -> 5) and TX (5 -> 6), (0 -> 1), (6 -> 8) and a repeat (2 -> 2). */
	slots[netstage_pair_index(NS_RX, 2, 5, 3)] = 7;
	slots[netstage_pair_index(NS_TX, 5, 6, 1)] = 4;
	slots[netstage_pair_index(NS_TX, 5, 6, 2)] = 6;
	slots[netstage_pair_index(NS_TX, 0, 1, 0)] = 9;
	slots[netstage_pair_index(NS_TX, 6, 8, 31)] = 1;
	slots[netstage_pair_index(NS_TX, 2, 2, 4)] = 2;
	n = netstage_pairs_collect(slots, out, 8);
	ck_assert_uint_eq(n, 5);
	ck_assert(out[0].dir == NS_TX && out[0].prev_pos == 0 && out[0].cur_pos == 1 && out[0].samples == 9);
	ck_assert(out[1].prev_pos == 2 && out[1].cur_pos == 2 && out[1].slots[4] == 2);
	ck_assert(out[2].prev_pos == 5 && out[2].cur_pos == 6 && out[2].samples == 10);
	ck_assert_uint_eq(out[2].slots[1], 4);
	ck_assert_uint_eq(out[2].slots[2], 6);
	ck_assert(out[3].prev_pos == 6 && out[3].cur_pos == 8 && out[3].slots[31] == 1);
	ck_assert(out[4].dir == NS_RX && out[4].samples == 7);
	ck_assert_uint_eq(netstage_pairs_collect(slots, out, 2), 2);

	/* The next interval's growth (percpu_delta_read's job, tested in unit.percpu_delta). */
	memset(slots, 0, NS_PAIR_SLOTS * sizeof(uint64_t));
	slots[netstage_pair_index(NS_TX, 5, 6, 2)] = 3;
	slots[netstage_pair_index(NS_RX, 0, 1, 0)] = 1;
	n = netstage_pairs_collect(slots, out, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert(out[0].dir == NS_TX && out[0].prev_pos == 5 && out[0].samples == 3 && out[0].slots[2] == 3);
	ck_assert(out[1].dir == NS_RX && out[1].prev_pos == 0 && out[1].samples == 1);

	/* Nothing new: an empty interval. */
	memset(slots, 0, NS_PAIR_SLOTS * sizeof(uint64_t));
	ck_assert_uint_eq(netstage_pairs_collect(slots, out, 8), 0);
	free(slots);
}
END_TEST

/* ---- summary: histogram rows, percentiles, reports ---- */

/* The manual's sample distribution (5.1.1): 156, 234, 89, 23, 5, 1 = 508 packets. */
static const uint64_t manual_sample[6] = { 156, 234, 89, 23, 5, 1 };

START_TEST(rows_and_percentiles_of_manual_sample)
{
	uint64_t slots[NS_HIST_SLOTS] = { 0 };
	FILE *f = golden_open(&buf, &len);

	memcpy(slots, manual_sample, sizeof(manual_sample));
	/* Labels state each slot's range of whole microseconds: 0, 1-2, 3-6, 7-14, ... */
	print_log2_rows(f, "      ", slots, NS_HIST_SLOTS, "us");
	print_log2_percentiles(f, "    Percentiles: ", slots, NS_HIST_SLOTS, "us");
	slots[0] = 0;
	slots[31] = 2;
	print_log2_rows(f, "  ", slots, NS_HIST_SLOTS, "us");
	memset(slots, 0, sizeof(slots));
	print_log2_percentiles(f, "nothing for an empty histogram: ", slots, NS_HIST_SLOTS, "us");
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_hist_rows.txt"), 0);
}
END_TEST

static struct netstage_pair pair(unsigned dir, unsigned a, unsigned b, const uint64_t *slots, unsigned n)
{
	struct netstage_pair p = { (uint8_t)dir, (uint8_t)a, (uint8_t)b, 0, { 0 } };

	for (unsigned i = 0; i < n; i++) {
		p.slots[i] = slots[i];
		p.samples += slots[i];
	}
	return p;
}

static void sample_report(struct netstage_interval *r, struct netstage_pair *pairs)
{
	static const uint64_t qdisc[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 2 };
	static const uint64_t total[] = { 0, 0, 0, 30, 120, 6 };

	memset(r, 0, sizeof(*r));
	pairs[0] = pair(NS_TX, 0, 1, manual_sample, 6);
	pairs[1] = pair(NS_TX, 2, 5, manual_sample + 1, 3);
	pairs[2] = pair(NS_TX, 6, 7, qdisc, 17);
	pairs[3] = pair(NS_RX, 0, 1, manual_sample + 2, 2);
	r->interval_s = 5.0;
	r->dirs = NS_DIRS_ALL;
	r->pairs = pairs;
	r->npairs = 4;
	memcpy(r->total[NS_TX], total, sizeof(total));
	r->packets[NS_TX] = 508;
	r->packets[NS_RX] = 112;
	r->counts = (struct netstage_counts){ .started = { 1200, 112 },
					      .completed = { 1150, 112 },
					      .active = { 37, 0 } };
}

START_TEST(summary_reports)
{
	struct netstage_pair pairs[4];
	struct netstage_interval r;
	FILE *f = golden_open(&buf, &len);

	sample_report(&r, pairs);
	sls_print_report(f, "2025-10-20 14:30:15", &r);
	/* One direction: titles as the original; a table-full count is reported. */
	r.dirs = NS_DIR_BIT(NS_TX);
	r.npairs = 3;
	r.counts.started[NS_RX] = 0;
	r.counts.no_session = 5;
	memset(r.total, 0, sizeof(r.total));
	sls_print_report(f, "2025-10-20 14:30:20", &r);
	r.npairs = 0;
	sls_print_report(f, "2025-10-20 14:30:25", &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_latency_summary.txt"), 0);
}
END_TEST

START_TEST(summary_json)
{
	struct netstage_pair pairs[4];
	struct netstage_interval r;
	FILE *f = golden_open(&buf, &len);

	sample_report(&r, pairs);
	sls_print_json(f, "2025-10-20 14:30:15", &r, 0);
	r.npairs = 0;
	sls_print_json(f, "2025-10-20 14:30:17", &r, 1);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_latency_summary.json"), 0);
}
END_TEST

/* ---- details: per-packet reports from recorded sessions ---- */

static struct sld_session details_event(int dir, int proto)
{
	struct sld_session ev;
	struct netstage_key *k = &ev.hdr.key;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = (uint8_t)dir;
	k->protocol = (uint8_t)proto;
	inet_pton(AF_INET, dir == NS_TX ? "70.0.0.33" : "70.0.0.34", &k->saddr);
	inet_pton(AF_INET, dir == NS_TX ? "70.0.0.34" : "70.0.0.33", &k->daddr);
	if (proto == IPPROTO_TCP) {
		k->tcp.sport = htons(45678);
		k->tcp.dport = htons(80);
		k->tcp.seq = htonl(123456789);
		ev.hdr.payload_len = 1448;
		ev.hdr.tcp_flags = 0x18; /* PSH ACK */
	} else {
		k->udp.sport = htons(5353);
		k->udp.dport = htons(53);
		k->udp.ip_id = htons(0x1234);
		k->udp.len = htons(128);
	}
	return ev;
}

START_TEST(details_events)
{
	struct sld_session tcp = details_event(NS_TX, IPPROTO_TCP), udp = details_event(NS_RX, IPPROTO_UDP);
	struct sld_session syn, one;
	FILE *f = golden_open(&buf, &len);

	/* TX TCP without an upcall, through the NIC's qdisc: ids 0 1 2 5 6 14 15. */
	tcp.pid = 1234;
	strcpy(tcp.comm, "iperf3");
	tcp.ts[SL_TX_IP] = 1000000;
	tcp.ts[SL_TX_INTERNAL_XMIT] = 1002037;
	tcp.ts[SL_TX_DP_PROCESS] = 1005074;
	tcp.ts[SL_TX_VPORT_SEND] = 1009111;
	tcp.ts[SL_TX_DEV_QUEUE] = 1014148;
	tcp.ts[SL_TX_QDISC_DEQUEUE] = 41014148;
	tcp.ts[SL_TX_START_XMIT] = 41015000;
	sld_print_event(f, "2025-10-20 14:30:15.123", &tcp);
	/* RX UDP that went up to ovs-vswitchd and back (stages 10, 11); no process. */
	udp.ts[SL_RX_NETIF_RECEIVE] = 5000000;
	udp.ts[SL_RX_FRAME_HOOK] = 5002000;
	udp.ts[SL_RX_DP_PROCESS] = 5004500;
	udp.ts[SL_RX_UPCALL] = 5010000;
	udp.ts[SL_RX_USERSPACE] = 5900000;
	udp.ts[SL_RX_VPORT_SEND] = 5903000;
	udp.ts[SL_RX_L4_RCV] = 5950001;
	sld_print_event(f, "2025-10-20 14:30:15.200", &udp);
	/* A SYN (flags in the original's naming) and a packet with a single stage. */
	syn = details_event(NS_TX, IPPROTO_TCP);
	syn.hdr.tcp_flags = 0x02;
	syn.hdr.payload_len = 0;
	syn.ts[SL_TX_IP] = 10;
	syn.ts[SL_TX_START_XMIT] = 20010;
	sld_print_event(f, "2025-10-20 14:30:16.000", &syn);
	one = details_event(NS_RX, IPPROTO_TCP);
	one.hdr.tcp_flags = 0x11; /* FIN ACK */
	one.ts[SL_RX_L4_RCV] = 7;
	sld_print_event(f, "2025-10-20 14:30:16.001", &one);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_latency_details.txt"), 0);

	f = golden_open(&buf, &len);
	sld_print_json(f, "2025-10-20 14:30:15.123", &tcp);
	sld_print_json(f, "2025-10-20 14:30:15.200", &udp);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_latency_details.json"), 0);
}
END_TEST

/* ---- metrics: FLOW COMPLETE reports from recorded sessions ---- */

static void rec(struct smm_session *ev, int stage, uint64_t ts, uint64_t skb, uint32_t len, uint32_t hash,
		const char *dev, uint32_t ifindex)
{
	struct smm_stage_rec *r = &ev->stages[stage];

	r->ts = ts;
	r->skb = skb;
	r->len = len;
	r->hash = hash;
	r->cpu = 3;
	r->ifindex = ifindex;
	strcpy(r->devname, dev);
}

/* An echo reply received from the uplink, as recorded in the lab (6.1, OVS ct(commit)). */
static struct smm_session metrics_icmp_rx(void)
{
	struct smm_session ev;
	uint64_t skb = 0xffff8a0d21e79a00ULL;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = NS_RX;
	ev.hdr.key.protocol = IPPROTO_ICMP;
	inet_pton(AF_INET, "10.75.0.2", &ev.hdr.key.saddr);
	inet_pton(AF_INET, "10.75.0.1", &ev.hdr.key.daddr);
	ev.hdr.key.icmp.id = htons(206);
	ev.hdr.key.icmp.seq = htons(1);
	ev.pid = 206;
	strcpy(ev.comm, "ping");
	rec(&ev, SM_PHY_RX, 11739974713ULL, skb, 84, 0, "phys0", 3);
	rec(&ev, SM_OVS_RX, 11739996405ULL, skb, 98, 0, "phys0", 3);
	rec(&ev, SM_FLOW_EXTRACT_RX, 11740004427ULL, skb, 98, 0, "phys0", 3);
	rec(&ev, SM_CT_RX, 11740017396ULL, skb, 84, 0x7c4735b1, "phys0", 3);
	rec(&ev, SM_CT_OUT_RX, 11740025518ULL, skb, 84, 0x7c4735b1, "phys0", 3);
	rec(&ev, SM_INTERNAL_DEV_RECV, 11740046590ULL, skb, 98, 0x7c4735b1, "int0", 4);
	rec(&ev, SM_NETRX_END, 11740197274ULL, skb, 84, 0x7c4735b1, "int0", 4);
	rec(&ev, SM_IP_RCV, 11740210083ULL, skb, 84, 0x7c4735b1, "int0", 4);
	rec(&ev, SM_ICMP_RCV, 11740772019ULL, skb, 64, 0x7c4735b1, "int0", 4);
	ev.ct_lookup_ns = 5959;
	return ev;
}

/* A TCP segment out through the NIC's qdisc (netem), conntrack seen before IP_OUTPUT. */
static struct smm_session metrics_tcp_tx(void)
{
	struct smm_session ev;
	uint64_t skb = 0xffff888123456700ULL;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = NS_TX;
	ev.hdr.key.protocol = IPPROTO_TCP;
	inet_pton(AF_INET, "10.132.114.12", &ev.hdr.key.saddr);
	inet_pton(AF_INET, "10.132.114.11", &ev.hdr.key.daddr);
	ev.hdr.key.tcp.sport = htons(45678);
	ev.hdr.key.tcp.dport = htons(80);
	ev.hdr.key.tcp.seq = htonl(1234567890);
	ev.pid = 12345;
	strcpy(ev.comm, "iperf3");
	rec(&ev, SM_IP_QUEUE_XMIT, 1000000000ULL, skb, 1480, 0x12345678, "", 0);
	ev.stages[SM_IP_QUEUE_XMIT].data_len = 1448;
	ev.stages[SM_IP_QUEUE_XMIT].queue_mapping = 2;
	rec(&ev, SM_CT_TX, 1000001000ULL, skb, 1500, 0x12345678, "", 0);
	rec(&ev, SM_CT_OUT_TX, 1000003345ULL, skb, 1500, 0x12345678, "", 0);
	rec(&ev, SM_IP_OUTPUT, 1000004000ULL, skb, 1500, 0x12345678, "", 0);
	rec(&ev, SM_OVS_TX, 1000007007ULL, skb, 1514, 0x12345678, "port-mgt", 15);
	rec(&ev, SM_FLOW_EXTRACT_TX, 1000008000ULL, skb, 1514, 0x12345678, "port-mgt", 15);
	rec(&ev, SM_PHY_QDISC_ENQ, 1000010000ULL, skb, 1514, 0x12345678, "ens11", 2);
	rec(&ev, SM_PHY_QDISC_DEQ, 1040013028ULL, skb, 1514, 0x12345678, "ens11", 2);
	rec(&ev, SM_PHY_TX, 1040016063ULL, skb, 1514, 0x12345678, "ens11", 2);
	ev.qdisc_enq_ns = 1000010000ULL;
	ev.ct_lookup_ns = 2345;
	return ev;
}

START_TEST(metrics_flows)
{
	struct smm_session icmp = metrics_icmp_rx(), tcp = metrics_tcp_tx(), udp, lost;
	FILE *f = golden_open(&buf, &len);

	smm_print_flow(f, "2025-10-20 14:30:15.123", &tcp);
	smm_print_flow(f, "2025-10-20 14:30:15.124", &icmp);
	/* UDP: one stage only (no TOTAL DURATION), no qdisc, no conntrack. */
	memset(&udp, 0, sizeof(udp));
	udp.hdr.dir = NS_RX;
	udp.hdr.key.protocol = IPPROTO_UDP;
	inet_pton(AF_INET, "192.168.70.34", &udp.hdr.key.saddr);
	inet_pton(AF_INET, "192.168.70.33", &udp.hdr.key.daddr);
	udp.hdr.key.udp.sport = htons(5353);
	udp.hdr.key.udp.dport = htons(53);
	udp.hdr.key.udp.ip_id = htons(0x1234);
	rec(&udp, SM_TCP_UDP_RCV, 42, 0xffff888000000100ULL, 128, 0, "port-mgt", 15);
	smm_print_flow(f, "2025-10-20 14:30:15.125", &udp);
	/* --verbose: a UDP datagram lost at an upcall. */
	lost = metrics_tcp_tx();
	memset(&lost.stages[SM_PHY_QDISC_ENQ], 0, 3 * sizeof(lost.stages[0]));
	lost.qdisc_enq_ns = 0;
	smm_print_incomplete(f, "2025-10-20 14:30:16.000", &lost, 1.25);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_perfomance_metrics.txt"), 0);

	f = golden_open(&buf, &len);
	smm_print_json(f, "2025-10-20 14:30:15.123", &tcp, 1);
	smm_print_json(f, "2025-10-20 14:30:15.124", &icmp, 1);
	smm_print_json(f, "2025-10-20 14:30:16.000", &lost, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_perfomance_metrics.json"), 0);
}
END_TEST

Suite *golden_system_network_suite(void)
{
	const TTest *all_tests[] = { latency_model_rules_tx_udp,
				     latency_model_rules_both_all,
				     metrics_model_rules,
				     stage_lookup,
				     incomplete_sessions,
				     totals_at_exit,
				     pairs_collected_sorted,
				     rows_and_percentiles_of_manual_sample,
				     summary_reports,
				     summary_json,
				     details_events,
				     metrics_flows };

	return unit_suite("system_network", "all", all_tests, ARRAY_SIZE(all_tests));
}
