// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vm-network latency tools: their stage model on the netstage engine (VM tap, OVS,
 * conntrack, qdisc, physical NIC), the banner's filter lines and the summary's report, against
 * golden files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "golden.h"
#include "netstage.h"
#include "unit_helpers.h"
#include "util.h"
#include "vm_network_latency_details.h"
#include "vm_network_latency_summary.h"
#include "vmnet_stages.h"

static char *buf;
static size_t len;

#define ALL (NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP)

static const struct netstage_rule *rule(const struct netstage_config *c, unsigned h, int i)
{
	return &c->rules[h][i];
}

START_TEST(model_vm_tx)
{
	struct netstage_config c;

	netstage_rules_build(&c, &vmnet_model, NS_DIR_BIT(NS_TX), ALL);
	/* The tap's receive starts a VM TX packet; the NIC's receive is VM RX only. */
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, VS_VNET_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->dev, NS_DEV_VM);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->flags, NS_FIRST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 1)->stage, NS_STAGE_NONE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_CT_FILL_KEY, 0)->stage, VS_FLOW_EXTRACT_END_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_CT_DONE, 0)->stage, VS_CT_OUT_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, NS_HOOK_QDISC_DEQUEUE, 0)->pos, 8);
	/* dev_hard_start_xmit is TX_QUEUE, the per-packet hand-off after it the last stage. */
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->stage, VS_TX_QUEUE);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->flags, 0);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->stage, VS_TX_XMIT);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->flags, NS_LAST);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_START_XMIT, 0)->pos, 10);
	/* The host stack's hooks are not the VM's. */
	ck_assert(!netstage_hook_used(&c, NS_HOOK_IP_SEND_SKB));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_INTERNAL_DEV_XMIT));
	ck_assert(!netstage_hook_used(&c, NS_HOOK_UDP_RCV));
}
END_TEST

START_TEST(model_vm_rx)
{
	struct netstage_config c;

	netstage_rules_build(&c, &vmnet_model, NS_DIR_BIT(NS_RX), NS_PROTO_UDP);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, VS_PHY_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 0)->stage, VS_OVS_TX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_OVS_VPORT_RECEIVE, 0)->dir, NS_RX);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->stage, VS_VNET_QDISC_ENQ);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->dev, NS_DEV_VM);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->stage, VS_VNET_TX);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->dev, NS_DEV_VM);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->flags, NS_LAST);
	ck_assert(!netstage_hook_used(&c, NS_HOOK_DEV_START_XMIT));

	/* Both directions at once (not a command-line choice): two rules per shared hook. */
	netstage_rules_build(&c, &vmnet_model, NS_DIRS_ALL, ALL);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 0)->stage, VS_TX_QUEUE);
	ck_assert_uint_eq(rule(&c, VM_HOOK_HARD_START_XMIT, 1)->stage, VS_VNET_TX);
}
END_TEST

START_TEST(stage_names)
{
	ck_assert_str_eq(netstage_stage_at(&vmnet_model, NS_TX, 0)->name, "VNET_RX");
	ck_assert_str_eq(netstage_stage_at(&vmnet_model, NS_TX, 10)->name, "TX_XMIT");
	ck_assert_str_eq(netstage_stage_at(&vmnet_model, NS_RX, 9)->name, "VNET_TX");
	ck_assert_ptr_null(netstage_stage_at(&vmnet_model, NS_RX, 10));
	ck_assert_str_eq(netstage_stage(&vmnet_model, VS_CT_OUT_TX)->name, "CT_OUT_TX");
	/* Conntrack is optional unless --enable-ct; the own hook is not. */
	ck_assert(vmnet_model.optional & vmnet_ct_hooks);
	ck_assert(!(vmnet_model.optional & (1ull << VM_HOOK_HARD_START_XMIT)));
}
END_TEST

START_TEST(banner_filters)
{
	struct netstage_config c = { 0 };
	struct netstage_opts o = { .direction = NETSTAGE_DIR_TX, .protocol = IPPROTO_ICMP };
	FILE *f = golden_open(&buf, &len);

	/* --src-ip/--dst-ip, then --vm-ip: either address is the VM's. */
	c.filter = pkt_filter_ipv4(golden_ipv4("192.168.76.198"), golden_ipv4("192.168.64.1"), 0, 22, 0,
				   NS_FILTER_FLAGS);
	netstage_print_filters(f, &c, &o, " (tx=VM TX, rx=VM RX)");
	o.direction = NETSTAGE_DIR_RX;
	o.protocol = 0;
	c.filter = pkt_filter_ipv4(golden_ipv4("192.168.76.198"), 0, 0, 0, 0,
				   NS_FILTER_FLAGS | PKT_F_EITHER_ADDR);
	netstage_print_filters(f, &c, &o, " (tx=VM TX, rx=VM RX)");
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_filters.txt"), 0);
}
END_TEST

/* ---- summary ---- */

static struct netstage_pair pair(unsigned dir, unsigned a, unsigned b, const uint64_t *slots, unsigned n)
{
	struct netstage_pair p = { (uint8_t)dir, (uint8_t)a, (uint8_t)b, 0, { 0 } };

	for (unsigned i = 0; i < n; i++) {
		p.slots[i] = slots[i];
		p.samples += slots[i];
	}
	return p;
}

/* The spec's sample interval (VM RX, 588 packets at PHY_RX -> OVS_TX) and a netem delay at the tap. */
static void sample_report(struct netstage_interval *r, struct netstage_pair *pairs)
{
	static const uint64_t phy_ovs[] = { 237, 301, 49, 0, 1 };
	static const uint64_t ovs_extract[] = { 580, 8 };
	static const uint64_t tap_queue[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 };
	static const uint64_t total[] = { 0, 0, 0, 30, 120 };

	memset(r, 0, sizeof(*r));
	pairs[0] = pair(NS_RX, 0, 1, phy_ovs, 5);
	pairs[1] = pair(NS_RX, 1, 2, ovs_extract, 2);
	pairs[2] = pair(NS_RX, 7, 8, tap_queue, 19);
	pairs[3] = pair(NS_RX, 8, 9, ovs_extract, 1);
	r->interval_s = 5.0;
	r->dirs = NS_DIR_BIT(NS_RX);
	r->pairs = pairs;
	r->npairs = 4;
	memcpy(r->total[NS_RX], total, sizeof(total));
	r->packets[NS_RX] = 588;
	r->counts = (struct netstage_counts){ .started = { 0, 1200 },
					      .completed = { 0, 1150 },
					      .active = { 0, 37 } };
}

START_TEST(summary_report)
{
	struct netstage_pair pairs[4], slots_pairs[4];
	uint64_t *slots = calloc(NS_PAIR_SLOTS, sizeof(uint64_t));
	struct netstage_interval r;
	FILE *f = golden_open(&buf, &len);

	sample_report(&r, pairs);
	/* The kernel's layout gives the same pairs, in path order. */
	for (int i = 3; i >= 0; i--)
		memcpy(&slots[netstage_pair_index(NS_RX, pairs[i].prev_pos, pairs[i].cur_pos, 0)],
		       pairs[i].slots, sizeof(pairs[i].slots));
	ck_assert_uint_eq(netstage_pairs_collect(slots, slots_pairs, 4), 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(slots_pairs[i].prev_pos, pairs[i].prev_pos);
		ck_assert_uint_eq(slots_pairs[i].cur_pos, pairs[i].cur_pos);
		ck_assert_uint_eq(slots_pairs[i].samples, pairs[i].samples);
		ck_assert_mem_eq(slots_pairs[i].slots, pairs[i].slots, sizeof(pairs[i].slots));
	}
	free(slots);

	vms_print_report(f, "2025-10-20 14:35:20", &r);
	/* No completed packet in this one, and a full session table. */
	r.npairs = 2;
	memset(r.total, 0, sizeof(r.total));
	r.counts.no_session = 3;
	vms_print_report(f, "2025-10-20 14:35:25", &r);
	r.npairs = 0;
	vms_print_report(f, "2025-10-20 14:35:30", &r);
	/* VM TX: its block title. */
	pairs[0] = pair(NS_TX, 9, 10, (const uint64_t[]){ 3, 1 }, 2);
	r.npairs = 1;
	r.dirs = NS_DIR_BIT(NS_TX);
	vms_print_report(f, "2025-10-20 14:35:35", &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_latency_summary.txt"), 0);
}
END_TEST

START_TEST(summary_json)
{
	struct netstage_pair pairs[4];
	struct netstage_interval r;
	FILE *f = golden_open(&buf, &len);

	sample_report(&r, pairs);
	vms_print_json(f, "2025-10-20 14:35:20", &r, 0);
	r.npairs = 0;
	memset(r.total, 0, sizeof(r.total));
	vms_print_json(f, "2025-10-20 14:35:22", &r, 1);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_latency_summary.json"), 0);
}
END_TEST

/* ---- details ---- */

START_TEST(details_model)
{
	struct netstage_config c;

	netstage_rules_build(&c, &vmnet_details_model, NS_DIR_BIT(NS_RX), ALL);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, VD_TX_NETIF_RECEIVE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, VM_HOOK_TUN_NET_XMIT, 0)->stage, VD_TX_TUN_NET_XMIT);
	ck_assert_uint_eq(rule(&c, VM_HOOK_TUN_NET_XMIT, 0)->dev, NS_DEV_VM);
	ck_assert_uint_eq(rule(&c, VM_HOOK_TUN_NET_XMIT, 0)->flags, NS_LAST);
	ck_assert(!netstage_hook_used(&c, NS_HOOK_DEV_QUEUE));
	netstage_rules_build(&c, &vmnet_details_model, NS_DIR_BIT(NS_TX), ALL);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->stage, VD_RX_NETIF_RECEIVE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_NETIF_RECEIVE, 0)->dev, NS_DEV_VM);
	/* VM TX ends on the NIC's queue entry, before its qdisc, as the original. */
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->stage, VD_RX_DEV_QUEUE);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->dev, NS_DEV_PHY);
	ck_assert_uint_eq(rule(&c, NS_HOOK_DEV_QUEUE, 0)->flags, NS_LAST);
	ck_assert(!netstage_hook_used(&c, VM_HOOK_TUN_NET_XMIT));
	ck_assert(!netstage_hook_used(&c, VM_HOOK_HARD_START_XMIT));
	ck_assert_str_eq(netstage_stage_at(&vmnet_details_model, NS_RX, 6)->name, "TX_S6_tun_net_xmit");
}
END_TEST

static struct vmd_session details_event(int dir, int proto)
{
	struct vmd_session ev;
	struct netstage_key *k = &ev.hdr.key;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = (uint8_t)dir;
	k->protocol = (uint8_t)proto;
	k->saddr = golden_ipv4(dir == NS_TX ? "192.168.76.198" : "192.168.64.1");
	k->daddr = golden_ipv4(dir == NS_TX ? "192.168.64.1" : "192.168.76.198");
	strcpy(ev.first_ifname, dir == NS_TX ? "vnet0" : "ens4");
	strcpy(ev.last_ifname, dir == NS_TX ? "ens4" : "vnet0");
	if (proto == IPPROTO_TCP) {
		k->tcp.sport = htons(45678);
		k->tcp.dport = htons(5001);
		k->tcp.seq = htonl(3649330686u);
		ev.hdr.payload_len = 1448;
	} else if (proto == IPPROTO_UDP) {
		k->udp.sport = htons(5353);
		k->udp.dport = htons(53);
		k->udp.ip_id = htons(0x1234);
		k->udp.len = htons(128);
	} else {
		k->icmp.id = htons(13330);
		k->icmp.seq = htons(1);
		k->icmp.type = 0;
	}
	return ev;
}

START_TEST(details_events)
{
	struct vmd_session tcp = details_event(NS_TX, IPPROTO_TCP), icmp = details_event(NS_RX, IPPROTO_ICMP);
	struct vmd_session udp = details_event(NS_RX, IPPROTO_UDP);
	FILE *f = golden_open(&buf, &len);

	/* VM TX TCP from the vhost worker, no upcall: ids 0 1 2 5 6. */
	tcp.pid = 688598;
	strcpy(tcp.comm, "vhost-688571");
	tcp.ts[VD_RX_NETIF_RECEIVE] = 1000000;
	tcp.ts[VD_RX_FRAME_HOOK] = 1002037;
	tcp.ts[VD_RX_DP_PROCESS] = 1005074;
	tcp.ts[VD_RX_VPORT_SEND] = 1009111;
	tcp.ts[VD_RX_DEV_QUEUE] = 1014148;
	vmd_print_event(f, "2025-10-20 14:30:15.123", &tcp);
	/* VM RX ICMP through an upcall, in softirq (no process). */
	icmp.ts[VD_TX_NETIF_RECEIVE] = 5000000;
	icmp.ts[VD_TX_FRAME_HOOK] = 5002037;
	icmp.ts[VD_TX_DP_PROCESS] = 5005074;
	icmp.ts[VD_TX_UPCALL] = 5009111;
	icmp.ts[VD_TX_USERSPACE] = 5814148;
	icmp.ts[VD_TX_VPORT_SEND] = 5820185;
	icmp.ts[VD_TX_TUN_NET_XMIT] = 5827222;
	vmd_print_event(f, "2025-10-20 14:30:15.200", &icmp);
	/* A UDP datagram with a single stage recorded. */
	udp.ts[VD_TX_TUN_NET_XMIT] = 7;
	vmd_print_event(f, "2025-10-20 14:30:16.000", &udp);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_latency_details.txt"), 0);

	f = golden_open(&buf, &len);
	vmd_print_json(f, "2025-10-20 14:30:15.123", &tcp);
	vmd_print_json(f, "2025-10-20 14:30:15.200", &icmp);
	vmd_print_json(f, "2025-10-20 14:30:16.000", &udp);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_latency_details.json"), 0);
}
END_TEST

Suite *golden_vm_network_suite(void)
{
	const TTest *all_tests[] = { model_vm_tx,    model_vm_rx,  stage_names,   banner_filters,
				     summary_report, summary_json, details_model, details_events };

	return unit_suite("vm_network", "all", all_tests, ARRAY_SIZE(all_tests));
}
