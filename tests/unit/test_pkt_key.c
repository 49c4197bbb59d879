// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/bpf/pkt_key.h (the BPF packet parser and filter) on byte fixtures. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bpf/netstage.h"
#include "bpf/pkt_key.h"
#include "filter.h"
#include "pkt_fixtures.h"
#include "system_network_icmp_rtt.h"
#include "unit_helpers.h"
#include "util.h"

static struct pkt_bytes eth_ipv4_frag, eth_ipv4_first_frag, data_qinq_icmp, net_ipv6_tcp;

static void build_packets(void)
{
	/* Non-first fragment (offset 185 * 8) of a UDP datagram; its payload reads like 53 -> 80. */
	pkt_ipv4_udp_fragment(&eth_ipv4_frag, 0x00b9, (const uint16_t[]){ 53, 80, 0, 0 });
	/* First fragment (MF set, offset 0) of the same datagram: UDP 53 -> 80. */
	pkt_ipv4_udp_fragment(&eth_ipv4_first_frag, 0x2000, (const uint16_t[]){ 53, 80, 8, 0 });

	/* skb->data at net:netif_receive_skb of a QinQ frame: 802.1ad id 100, 802.1Q id 200, ICMP echo id 7 seq 3. */
	pkt_start(&data_qinq_icmp);
	pkt_vlan(&data_qinq_icmp, 100, 0x8100);
	pkt_vlan(&data_qinq_icmp, 200, 0x0800);
	pkt_ipv4(&data_qinq_icmp,
		 &(struct pkt_ipv4){
			 .id = 1, .ttl = 64, .protocol = 1, .saddr = "10.0.0.1", .daddr = "10.0.0.2" });
	pkt_be16(&data_qinq_icmp, 4, 0x0800, 0, 7, 3);
	pkt_done(&data_qinq_icmp);

	/* An IPv6 TCP segment 2001:db8::1 -> 2001:db8::2, 40000 -> 443, SYN, at the network header. */
	pkt_start(&net_ipv6_tcp);
	pkt_ipv6(&net_ipv6_tcp, 6);
	pkt_be16(&net_ipv6_tcp, 10, 40000, 443, 0, 100, 0, 0, 0x5002, 0xffff, 0, 0);
	pkt_done(&net_ipv6_tcp);
}

static void snap_at(struct pkt_snap *s, int at, uint16_t skb_protocol, const uint8_t *bytes, size_t len)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->bytes, bytes, len);
	s->len = (uint8_t)len;
	s->at = (uint8_t)at;
	s->skb_protocol = skb_protocol;
}

static void snap_eth(struct pkt_snap *s, const struct pkt_bytes *p)
{
	snap_at(s, PKT_AT_ETH, 0, p->b, p->len);
}

/* The two fragments of one UDP datagram: only the first carries the ports a filter can match. */
static const struct fragment_case {
	const struct pkt_bytes *packet;
	uint16_t sport, dport;
	bool port_filter_matches;
} fragments[] = {
	{ &eth_ipv4_first_frag, 53, 80, true },
	/* Its payload sits where the ports were: a port filter must not match it. */
	{ &eth_ipv4_frag, 0, 0, false },
};

START_TEST(test_fragment_ports)
{
	const struct fragment_case *c = &fragments[_i];
	struct pkt_filter port = { .dport = 80 }, addr = { .sfamily = 4 };
	struct pkt_snap s;
	struct pkt_key m;

	snap_eth(&s, c->packet);
	pkt_key_parse(&s, &m);
	ck_assert_uint_eq(m.family, 4);
	ck_assert_uint_eq(m.l4proto, IPPROTO_UDP);
	ck_assert_uint_eq(m.sport, c->sport);
	ck_assert_uint_eq(m.dport, c->dport);
	ck_assert_int_eq(pkt_filter_match(&port, &m), c->port_filter_matches);
	addr.saddr[0] = inet_addr("10.0.0.1");
	ck_assert(pkt_filter_match(&addr, &m)); /* the addresses are there */
}
END_TEST

/* netstage and icmp_rtt read net:netif_receive_skb's skb at the same point, the same way. */
START_TEST(test_netif_receive_qinq_same_for_netstage_and_icmp_rtt)
{
	struct pkt_snap s;
	struct pkt_key ns, rtt;

	snap_at(&s, NS_AT_NETIF_RECEIVE, 0x88a8, data_qinq_icmp.b, data_qinq_icmp.len);
	pkt_key_parse(&s, &ns);
	snap_at(&s, RTT_AT_NIC_RX, 0x88a8, data_qinq_icmp.b, data_qinq_icmp.len);
	pkt_key_parse(&s, &rtt);
	ck_assert_mem_eq(&ns, &rtt, sizeof(ns));
	ck_assert_uint_eq(rtt.family, 4);
	ck_assert_uint_eq(rtt.vlan_id, 100);
	ck_assert_uint_eq(rtt.l4proto, IPPROTO_ICMP);
	ck_assert_uint_eq(rtt.flags, PKT_K_ICMP);
	ck_assert_uint_eq(rtt.icmp_type, 8);
	ck_assert_uint_eq(rtt.icmp_id, 7);
	ck_assert_uint_eq(rtt.icmp_seq, 3);
}
END_TEST

START_TEST(test_ipv6_tcp_at_network_header)
{
	struct pkt_filter f = { .dfamily = 6, .dport = 443, .l4proto = IPPROTO_TCP };
	struct pkt_snap s;
	struct pkt_key k;

	snap_at(&s, PKT_AT_NET, 0x86dd, net_ipv6_tcp.b, net_ipv6_tcp.len);
	pkt_key_parse(&s, &k);
	ck_assert_uint_eq(k.family, 6);
	ck_assert_uint_eq(k.ethertype, 0x86dd);
	ck_assert_uint_eq(k.sport, 40000);
	ck_assert_uint_eq(k.dport, 443);
	ck_assert_uint_eq(k.tcp_seq, 100);
	ck_assert_uint_eq(k.tcp_hlen, 20);
	ck_assert_uint_eq(k.tcp_flags, 0x02);
	ck_assert_uint_eq(k.l4_len, 20);
	inet_pton(AF_INET6, "2001:db8::2", f.daddr);
	ck_assert(pkt_filter_match(&f, &k));
	f.flags = PKT_F_IPV4_ONLY;
	ck_assert(!pkt_filter_match(&f, &k));
}
END_TEST

/* ip_send_skb: skb->protocol not set yet; the version nibble says IPv4. */
START_TEST(test_network_header_without_skb_protocol)
{
	struct pkt_snap s;
	struct pkt_key k;

	snap_at(&s, PKT_AT_NET, 0, eth_ipv4_first_frag.b + 14, eth_ipv4_first_frag.len - 14);
	pkt_key_parse(&s, &k);
	ck_assert_uint_eq(k.family, 4);
	ck_assert_uint_eq(k.dport, 80);
}
END_TEST

/* The TCP header of a packet without an IP header yet (__ip_queue_xmit). */
START_TEST(test_tcp_header_only)
{
	struct pkt_snap s;
	struct pkt_key k;

	snap_at(&s, PKT_AT_TCP, 0, net_ipv6_tcp.b + 40, 20);
	pkt_key_parse(&s, &k);
	ck_assert_uint_eq(k.l4proto, IPPROTO_TCP);
	ck_assert_uint_eq(k.flags, PKT_K_PORTS);
	ck_assert_uint_eq(k.sport, 40000);
	ck_assert_uint_eq(k.tcp_flags, 0x02);
}
END_TEST

/* The matching modes of the tools: trace_conntrack, qdisc_lateny_details, netstage. */
START_TEST(test_filter_modes)
{
	uint32_t a = inet_addr("10.0.0.1"), b = inet_addr("10.0.0.2");
	struct pkt_filter f;
	struct pkt_snap s;
	struct pkt_key udp, frag, icmp = { .family = 4, .l4proto = IPPROTO_ICMP, .flags = PKT_K_ICMP };

	snap_eth(&s, &eth_ipv4_first_frag);
	pkt_key_parse(&s, &udp); /* a -> b, 53 -> 80 */
	snap_eth(&s, &eth_ipv4_frag);
	pkt_key_parse(&s, &frag);
	icmp.saddr[0] = b;
	icmp.daddr[0] = a;

	f = pkt_filter_ipv4(b, a, 80, 53, 0, 0); /* the reply direction */
	ck_assert(!pkt_filter_match(&f, &udp));
	f.flags = PKT_F_EITHER_DIR;
	ck_assert(pkt_filter_match(&f, &udp));

	f = pkt_filter_ipv4(b, 0, 0, 0, 0, 0); /* b as the source */
	ck_assert(!pkt_filter_match(&f, &udp));
	f.flags = PKT_F_EITHER_ADDR; /* b as either address */
	ck_assert(pkt_filter_match(&f, &udp));

	f = pkt_filter_ipv4(0, 0, 80, 0, 0, 0); /* 80 as the source port */
	ck_assert(!pkt_filter_match(&f, &udp));
	f.flags = PKT_F_EITHER_PORT;
	ck_assert(pkt_filter_match(&f, &udp));
	ck_assert(!pkt_filter_match(&f, &icmp)); /* no ports: no match */
	f.flags |= PKT_F_PORTS_TCP_UDP;
	ck_assert(pkt_filter_match(&f, &icmp)); /* port filters do not apply to ICMP */
	ck_assert(!pkt_filter_match(&f, &frag)); /* but to UDP without its header */

	f = pkt_filter_ipv4(0, 0, 0, 0, IPPROTO_ICMP, 0);
	icmp.family = 6;
	icmp.l4proto = PKT_IPPROTO_ICMPV6;
	ck_assert(!pkt_filter_match(&f, &icmp));
	f.flags = PKT_F_ICMP_V6;
	ck_assert(pkt_filter_match(&f, &icmp));
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_netif_receive_qinq_same_for_netstage_and_icmp_rtt,
				      test_ipv6_tcp_at_network_header,
				      test_network_header_without_skb_protocol, test_tcp_header_only,
				      test_filter_modes };
	Suite *s = suite_create("pkt_key");

	build_packets();
	tcase_add_loop_test(unit_tcase(s, "core", core_tests, ARRAY_SIZE(core_tests)), test_fragment_ports, 0,
			    ARRAY_SIZE(fragments));
	return unit_run(s);
}
