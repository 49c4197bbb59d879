// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/pktdecode.h, network and transport layers, on built packet bytes. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "pkt_fixtures.h"
#include "pktdecode.h"
#include "unit_helpers.h"
#include "util.h"

static struct pkt_bytes eth_ipv4_tcp, eth_ipv4_opts_udp, eth_ipv4_icmp, eth_ipv4_frag, eth_ipv4_first_frag,
	eth_vlan_ipv4_udp, eth_qinq_ipv6_udp, eth_8021ad_ipv4_udp, eth_ipv6_udp, eth_ipv6_icmp6, eth_lldp;

static void build_packets(void)
{
	pkt_eth_ipv4_tcp(&eth_ipv4_tcp);
	pkt_eth_ipv4_opts_udp(&eth_ipv4_opts_udp);
	pkt_eth_ipv4_icmp(&eth_ipv4_icmp);
	pkt_eth_ipv4_frag(&eth_ipv4_frag);
	pkt_eth_ipv4_first_frag(&eth_ipv4_first_frag);
	pkt_eth_vlan_ipv4_udp(&eth_vlan_ipv4_udp);
	pkt_eth_qinq_ipv6_udp(&eth_qinq_ipv6_udp);
	pkt_eth_8021ad_ipv4_udp(&eth_8021ad_ipv4_udp);
	pkt_eth_ipv6_udp(&eth_ipv6_udp);
	pkt_eth_ipv6_icmp6(&eth_ipv6_icmp6);
	pkt_eth_lldp(&eth_lldp);
}

static void decode(const struct pkt_bytes *p, struct pkt_decoded *d)
{
	pkt_decode(p->b, p->len, true, 0, d);
}

/* What a whole packet decodes to at layers 3 and 4. */
static const struct flow_case {
	const struct pkt_bytes *packet;
	enum pkt_kind kind;
	uint8_t l4proto; /* IPv4 protocol or IPv6 next header */
	bool has_ports;
	uint16_t sport, dport;
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;
} flows[] = {
	{ &eth_ipv4_tcp, PKT_IPV4, 6, true, 5000, 80 },
	/* Ports come after the options (reading at offset 20 would give 257 -> 256). */
	{ &eth_ipv4_opts_udp, PKT_IPV4, 17, true, 53, 12345 },
	{ &eth_ipv4_icmp, PKT_IPV4, 1, false, 0, 0, true, 8, 0, 42, 7 },
	/* A non-first fragment's payload bytes are not ports. */
	{ &eth_ipv4_frag, PKT_IPV4, 17, false, 0, 0 },
	{ &eth_ipv4_first_frag, PKT_IPV4, 17, true, 1024, 2049 },
	{ &eth_vlan_ipv4_udp, PKT_IPV4, 17, true, 1024, 2049 },
	{ &eth_qinq_ipv6_udp, PKT_IPV6, 17, true, 1234, 5678 },
	{ &eth_8021ad_ipv4_udp, PKT_IPV4, 17, true, 1024, 2049 },
	{ &eth_ipv6_udp, PKT_IPV6, 17, true, 1234, 5678 },
	{ &eth_ipv6_icmp6, PKT_IPV6, 58, false, 0, 0, true, 128, 0, 1, 2 },
};

START_TEST(test_flows)
{
	const struct flow_case *c = &flows[_i];
	struct pkt_decoded d;

	decode(c->packet, &d);
	ck_assert_int_eq(d.kind, c->kind);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(c->kind == PKT_IPV4 ? d.ip4.protocol : d.ip6.nexthdr, c->l4proto);
	ck_assert_int_eq(d.has_ports, c->has_ports);
	ck_assert_uint_eq(d.sport, c->sport);
	ck_assert_uint_eq(d.dport, c->dport);
	ck_assert_int_eq(d.has_icmp, c->has_icmp);
	ck_assert_uint_eq(d.icmp_type, c->icmp_type);
	ck_assert_uint_eq(d.icmp_code, c->icmp_code);
	ck_assert_uint_eq(d.icmp_id, c->icmp_id);
	ck_assert_uint_eq(d.icmp_seq, c->icmp_seq);
}
END_TEST

START_TEST(test_ipv4_header)
{
	struct pkt_decoded d;

	decode(&eth_ipv4_tcp, &d);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert_uint_eq(d.ip4.ihl, 5);
	ck_assert_uint_eq(d.ip4.tos, 0x10);
	ck_assert_uint_eq(d.ip4.tot_len, 40);
	ck_assert_uint_eq(d.ip4.id, 0x1234);
	ck_assert_uint_eq(d.ip4.frag_off, 0x4000);
	ck_assert_uint_eq(d.ip4.ttl, 64);
	ck_assert_mem_eq(&d.ip4.saddr, "\x0a\x00\x00\x01", 4);
	ck_assert_mem_eq(&d.ip4.daddr, "\x0a\x00\x00\x02", 4);
}
END_TEST

START_TEST(test_ipv4_options)
{
	struct pkt_decoded d;

	decode(&eth_ipv4_opts_udp, &d);
	ck_assert_uint_eq(d.ip4.ihl, 6);
	ck_assert_uint_eq(d.ip4.ttl, 32);
	ck_assert_mem_eq(&d.ip4.saddr, "\xc0\xa8\x01\x01", 4);
}
END_TEST

START_TEST(test_ipv4_fragment_offsets)
{
	struct pkt_decoded d;

	decode(&eth_ipv4_frag, &d);
	ck_assert_uint_eq(d.ip4.frag_off, 0x00b9);
	decode(&eth_ipv4_first_frag, &d);
	ck_assert_uint_eq(d.ip4.frag_off, 0x2000);
}
END_TEST

START_TEST(test_ipv6_header)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
	struct pkt_decoded d;

	decode(&eth_ipv6_udp, &d);
	ck_assert_uint_eq(d.proto, 0x86dd);
	ck_assert_uint_eq(d.ip6.payload_len, 8);
	ck_assert_uint_eq(d.ip6.hop_limit, 64);
	ck_assert_mem_eq(d.ip6.saddr, src, 16);
	ck_assert_mem_eq(d.ip6.daddr, dst, 16);
}
END_TEST

START_TEST(test_truncated_ipv4_header)
{
	struct pkt_decoded d;

	/* Ethernet header plus the first 10 of 20 IPv4 header bytes. */
	pkt_decode(eth_ipv4_tcp.b, 14 + 10, true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.l3_len, 10);
	/* Fields that were not captured stay zero. */
	ck_assert_uint_eq(d.ip4.protocol, 0);
	ck_assert_uint_eq(d.ip4.saddr, 0);
	ck_assert(!d.has_ports);

	/* Exactly 19 bytes: still incomplete. */
	pkt_decode(eth_ipv4_tcp.b, 14 + 19, true, 0, &d);
	ck_assert(!d.l3_complete);
}
END_TEST

START_TEST(test_truncated_l4)
{
	struct pkt_decoded d;

	/* Complete IPv4 header, 3 bytes of TCP: no ports. */
	pkt_decode(eth_ipv4_tcp.b, 14 + 20 + 3, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.protocol, 6);
	ck_assert(!d.has_ports);
	/* 4 bytes of TCP are enough for the ports. */
	pkt_decode(eth_ipv4_tcp.b, 14 + 20 + 4, true, 0, &d);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.dport, 80);
	/* ICMP needs 8 bytes for id and sequence. */
	pkt_decode(eth_ipv4_icmp.b, eth_ipv4_icmp.len - 1, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert(!d.has_icmp);
	/* IPv4 options announced by the IHL but not captured: no L4 decode. */
	pkt_decode(eth_ipv4_opts_udp.b, 14 + 22, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.ihl, 6);
	ck_assert(!d.has_ports);
}
END_TEST

START_TEST(test_decode_resets_previous_result)
{
	struct pkt_decoded d;

	decode(&eth_ipv4_tcp, &d);
	ck_assert(d.has_ports);
	decode(&eth_lldp, &d);
	ck_assert(!d.has_ports);
	ck_assert_uint_eq(d.sport, 0);
	ck_assert(!d.l3_complete);
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_ipv4_header,
				      test_ipv4_options,
				      test_ipv4_fragment_offsets,
				      test_ipv6_header,
				      test_truncated_ipv4_header,
				      test_truncated_l4,
				      test_decode_resets_previous_result };
	Suite *s = suite_create("pktdecode");

	tcase_add_loop_test(unit_tcase(s, "core", core_tests, ARRAY_SIZE(core_tests)), test_flows, 0,
			    ARRAY_SIZE(flows));
	build_packets();
	return unit_run(s);
}
