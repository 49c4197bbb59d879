// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_network_performance_metrics: the FLOW COMPLETE record (the manual's §5.1.3 sample, an
 * upcalled VM RX datagram with its tap qdisc and conntrack, stages out of time order, an
 * incomplete packet) and the Performance Statistics, text and JSON, against golden files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "golden.h"
#include "netstage_record.h"
#include "unit_helpers.h"
#include "util.h"
#include "vm_network_performance_metrics.h"

static char *buf;
static size_t len;

static void rec(struct vmm_session *ev, int stage, uint64_t ts, uint32_t len_, uint32_t data_len,
		uint16_t queue, uint32_t hash, const char *dev, uint32_t ifindex)
{
	struct netstage_stage_rec *r = &ev->stages[stage];

	r->ts = ts;
	r->skb = 0xffff888569f5ec00ULL;
	r->len = len_;
	r->data_len = data_len;
	r->queue_mapping = queue;
	r->hash = hash;
	r->cpu = 19;
	r->ifindex = ifindex;
	strcpy(r->devname, dev);
}

/* The manual's sample: a VM TX TCP segment from vnet0 out of ens4, no upcall, no conntrack. */
static struct vmm_session manual_tcp_tx(void)
{
	struct vmm_session ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = NS_TX;
	ev.hdr.key.protocol = IPPROTO_TCP;
	ev.hdr.key.saddr = golden_ipv4("172.21.153.114");
	ev.hdr.key.daddr = golden_ipv4("172.21.153.113");
	ev.hdr.key.tcp.sport = htons(40040);
	ev.hdr.key.tcp.dport = htons(5001);
	ev.hdr.key.tcp.seq = htonl(3649330686u);
	ev.pid = 688598;
	strcpy(ev.comm, "vhost-688571");
	rec(&ev, VS_VNET_RX, 1579020094156218ULL, 7292, 5784, 1, 0, "vnet0", 22);
	rec(&ev, VS_OVS_RX, 1579020094183298ULL, 7306, 5784, 1, 0, "vnet0", 22);
	rec(&ev, VS_FLOW_EXTRACT_END_RX, 1579020094189943ULL, 7306, 5784, 1, 0, "vnet0", 22);
	rec(&ev, VS_QDISC_ENQ, 1579020094201422ULL, 7306, 5784, 15, 0xf3621051, "ens4", 2);
	rec(&ev, VS_TX_QUEUE, 1579020094208923ULL, 7306, 5784, 15, 0xf3621051, "ens4", 2);
	rec(&ev, VS_TX_XMIT, 1579020094214416ULL, 7306, 5784, 15, 0xf3621051, "ens4", 2);
	ev.stages[VS_VNET_RX].len = 7292;
	ev.qdisc_enq_ns = 1579020094201422ULL; /* no QDISC_DEQ: no sojourn line */
	return ev;
}

/*
 * VM RX UDP through an upcall, conntrack run on the packet ovs-vswitchd sent back (CT_TX,
 * id 17, before OVS_USERSPACE_TX, id 16, in time: a negative delta), held by tap0's qdisc.
 */
static struct vmm_session upcall_udp_rx(void)
{
	struct vmm_session ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.dir = NS_RX;
	ev.hdr.key.protocol = IPPROTO_UDP;
	ev.hdr.key.saddr = golden_ipv4("10.77.0.3");
	ev.hdr.key.daddr = golden_ipv4("10.77.0.2");
	ev.hdr.key.udp.sport = htons(40000);
	ev.hdr.key.udp.dport = htons(5001);
	ev.hdr.key.udp.ip_id = htons(0x1234);
	strcpy(ev.comm, "swapper/1");
	rec(&ev, VS_PHY_RX, 5000000, 30, 0, 0, 0, "phys0", 3);
	rec(&ev, VS_OVS_TX, 5002037, 44, 0, 0, 0, "phys0", 3);
	rec(&ev, VS_FLOW_EXTRACT_END_TX, 5005074, 44, 0, 0, 0, "phys0", 3);
	rec(&ev, VS_OVS_UPCALL_TX, 5009111, 44, 0, 0, 0, "phys0", 3);
	rec(&ev, VS_CT_TX, 5701000, 30, 0, 0, 0x7c4735b1, "phys0", 3);
	rec(&ev, VS_CT_OUT_TX, 5703345, 30, 0, 0, 0x7c4735b1, "phys0", 3);
	rec(&ev, VS_OVS_USERSPACE_TX, 5814148, 44, 0, 0, 0, "", 0);
	rec(&ev, VS_VNET_QDISC_ENQ, 5820185, 44, 0, 0, 0x7c4735b1, "tap0", 4);
	rec(&ev, VS_VNET_QDISC_DEQ, 5830185, 44, 0, 0, 0x7c4735b1, "tap0", 4);
	rec(&ev, VS_VNET_TX, 5831222, 44, 0, 0, 0x7c4735b1, "tap0", 4);
	ev.qdisc_enq_ns = 5820185;
	ev.ct_lookup_ns = 2345;
	return ev;
}

START_TEST(records)
{
	struct vmm_session tcp = manual_tcp_tx(), udp = upcall_udp_rx(), icmp, lost;
	FILE *f = golden_open(&buf, &len);

	vmm_print_flow(f, "2025-09-22 18:25:29.132", &tcp);
	vmm_print_flow(f, "2025-09-22 18:25:29.200", &udp);
	/* ICMP, one stage (no TOTAL DURATION), an id this tool has no name for. */
	memset(&icmp, 0, sizeof(icmp));
	icmp.hdr.dir = NS_RX;
	icmp.hdr.key.protocol = IPPROTO_ICMP;
	icmp.hdr.key.saddr = golden_ipv4("10.77.0.3");
	icmp.hdr.key.daddr = golden_ipv4("10.77.0.2");
	icmp.hdr.key.icmp.id = htons(206);
	icmp.hdr.key.icmp.seq = htons(1);
	rec(&icmp, 0, 42, 84, 0, 0, 0, "phys0", 3);
	vmm_print_flow(f, "2025-09-22 18:25:30.000", &icmp);
	/* --verbose: a request that never left the NIC's qdisc. */
	lost = manual_tcp_tx();
	memset(&lost.stages[VS_TX_QUEUE], 0, 2 * sizeof(lost.stages[0]));
	vmm_print_incomplete(f, "2025-09-22 18:25:31.000", &lost, 1.5);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_performance_metrics.txt"), 0);

	f = golden_open(&buf, &len);
	vmm_print_json(f, "2025-09-22 18:25:29.132", &tcp, 1);
	vmm_print_json(f, "2025-09-22 18:25:29.200", &udp, 1);
	vmm_print_json(f, "2025-09-22 18:25:31.000", &lost, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_performance_metrics.json"), 0);
}
END_TEST

START_TEST(probe_stats)
{
	uint64_t counts[NS_PROBE_STATS] = { 0 };
	FILE *f = golden_open(&buf, &len);

	/* The manual's: 18 packets VM TX, no upcall, no qdisc dequeue seen. */
	counts[VS_VNET_RX] = counts[VS_OVS_RX] = counts[VS_FLOW_EXTRACT_END_RX] = 18;
	counts[VS_QDISC_ENQ] = counts[VS_TX_QUEUE] = counts[VS_TX_XMIT] = 18;
	netstage_probe_stats_print(f, false, counts);
	netstage_probe_stats_print(f, true, counts);
	memset(counts, 0, sizeof(counts));
	netstage_probe_stats_print(f, false, counts);
	netstage_probe_stats_print(f, true, counts);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_network_performance_metrics_stats.txt"), 0);
}
END_TEST

Suite *golden_vm_network_metrics_suite(void)
{
	const TTest *all_tests[] = { records, probe_stats };

	return unit_suite("vm_network_metrics", "all", all_tests, ARRAY_SIZE(all_tests));
}
