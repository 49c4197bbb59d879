// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/pktdecode.h on hand-built packet bytes. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "pktdecode.h"
#include "unit_helpers.h"
#include "util.h"

#define MAC_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define MAC_SRC 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb
#define ETH(type) MAC_DST, MAC_SRC, (uint8_t)((type) >> 8), (uint8_t)((type)&0xff)

/* 10.0.0.1 -> 10.0.0.2, TCP 5000 -> 80 (SYN), DF, id 0x1234, ttl 64, tos 0x10 */
// clang-format off
static const uint8_t eth_ipv4_tcp[] = {
	ETH(0x0800),
	0x45, 0x10, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x13, 0x88, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
};

/* IPv4 with IHL 6 (4 bytes of options: NOP NOP NOP EOL), UDP 53 -> 12345 */
static const uint8_t eth_ipv4_opts_udp[] = {
	ETH(0x0800),
	0x46, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x20, 0x11, 0x00, 0x00,
	0xc0, 0xa8, 0x01, 0x01, 0xc0, 0xa8, 0x01, 0x02,
	0x01, 0x01, 0x01, 0x00,
	0x00, 0x35, 0x30, 0x39, 0x00, 0x08, 0x00, 0x00,
};

/* IPv4 ICMP echo request, id 42, seq 7 */
static const uint8_t eth_ipv4_icmp[] = {
	ETH(0x0800),
	0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x08, 0x08, 0x08, 0x08,
	0x08, 0x00, 0xf7, 0xd4, 0x00, 0x2a, 0x00, 0x07,
};

/* Non-first fragment (offset 185 * 8) of a UDP datagram: the payload bytes are not ports. */
static const uint8_t eth_ipv4_frag[] = {
	ETH(0x0800),
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x99, 0x00, 0xb9, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
};

/* First fragment (MF set, offset 0) of the same datagram: carries the UDP header. */
static const uint8_t eth_ipv4_first_frag[] = {
	ETH(0x0800),
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x99, 0x20, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x04, 0x00, 0x08, 0x01, 0x05, 0xd4, 0x00, 0x00,
};

/* One 802.1Q tag (prio 5, id 100), IPv4 UDP 1024 -> 2049 */
static const uint8_t eth_vlan_ipv4_udp[] = {
	ETH(0x8100), 0xa0, 0x64, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x04, 0x00, 0x08, 0x01, 0x00, 0x08, 0x00, 0x00,
};
// clang-format on

#define IPV6_HDR(plen, next)                                                                                 \
	0x60, 0x00, 0x00, 0x00, 0x00, (plen), (next), 0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,  \
		0, 0, 0, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02

/* Two 802.1Q tags (outer prio 3 id 10, inner id 20), IPv6 UDP 1234 -> 5678 */
// clang-format off
static const uint8_t eth_qinq_ipv6_udp[] = {
	ETH(0x8100), 0x60, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x86, 0xdd,
	IPV6_HDR(8, 17),
	0x04, 0xd2, 0x16, 0x2e, 0x00, 0x08, 0x00, 0x00,
};

/* 802.1ad service tag (id 30) over an 802.1Q tag (id 40), IPv4 UDP 1024 -> 2049 */
static const uint8_t eth_8021ad_ipv4_udp[] = {
	ETH(0x88a8), 0x00, 0x1e, 0x81, 0x00, 0x00, 0x28, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x04, 0x00, 0x08, 0x01, 0x00, 0x08, 0x00, 0x00,
};

/* Three tags: only two are decoded, the third stays the payload's EtherType. */
static const uint8_t eth_three_tags[] = {
	ETH(0x8100), 0x00, 0x01, 0x81, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00, 0x03, 0x08, 0x00,
	0x45, 0x00,
};

static const uint8_t eth_ipv6_udp[] = {
	ETH(0x86dd),
	IPV6_HDR(8, 17),
	0x04, 0xd2, 0x16, 0x2e, 0x00, 0x08, 0x00, 0x00,
};

/* ICMPv6 echo request (type 128), id 1, seq 2 */
static const uint8_t eth_ipv6_icmp6[] = {
	ETH(0x86dd),
	IPV6_HDR(8, 58),
	0x80, 0x00, 0x12, 0x34, 0x00, 0x01, 0x00, 0x02,
};
// clang-format on

#define ARP_BODY(op)                                                                                         \
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, (op), 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xc0, 0xa8,      \
		0x01, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0xc0, 0xa8, 0x01, 0x02

// clang-format off
static const uint8_t eth_arp_request[] = { ETH(0x0806), ARP_BODY(1) };
static const uint8_t eth_arp_reply[] = { ETH(0x0806), ARP_BODY(2) };
static const uint8_t eth_rarp[] = { ETH(0x8035), ARP_BODY(3) };

/* LLDP: an EtherType the decoder does not know */
static const uint8_t eth_lldp[] = { ETH(0x88cc), 0x02, 0x07, 0x04, 0x00, 0x11, 0x22, 0x33 };

static void check_macs(const struct pkt_decoded *d)
{
	static const uint8_t dst[6] = { MAC_DST }, src[6] = { MAC_SRC };

	ck_assert(d->has_l2);
	ck_assert_mem_eq(d->dst_mac, dst, 6);
	ck_assert_mem_eq(d->src_mac, src, 6);
}
// clang-format on

START_TEST(test_eth_ipv4_tcp)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_tcp, sizeof(eth_ipv4_tcp), true, 0, &d);
	check_macs(&d);
	ck_assert_uint_eq(d.outer_type, 0x0800);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert_int_eq(d.vlan_tags, 0);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.ihl, 5);
	ck_assert_uint_eq(d.ip4.tos, 0x10);
	ck_assert_uint_eq(d.ip4.tot_len, 40);
	ck_assert_uint_eq(d.ip4.id, 0x1234);
	ck_assert_uint_eq(d.ip4.frag_off, 0x4000);
	ck_assert_uint_eq(d.ip4.ttl, 64);
	ck_assert_uint_eq(d.ip4.protocol, 6);
	ck_assert_mem_eq(&d.ip4.saddr, "\x0a\x00\x00\x01", 4);
	ck_assert_mem_eq(&d.ip4.daddr, "\x0a\x00\x00\x02", 4);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 5000);
	ck_assert_uint_eq(d.dport, 80);
	ck_assert(!d.has_icmp);
	ck_assert_ptr_eq(d.l3, eth_ipv4_tcp + 14);
	ck_assert_uint_eq(d.l3_len, sizeof(eth_ipv4_tcp) - 14);
}
END_TEST

START_TEST(test_ipv4_options_udp)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_opts_udp, sizeof(eth_ipv4_opts_udp), true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.ihl, 6);
	ck_assert_uint_eq(d.ip4.ttl, 32);
	ck_assert_uint_eq(d.ip4.protocol, 17);
	ck_assert_mem_eq(&d.ip4.saddr, "\xc0\xa8\x01\x01", 4);
	/* Ports come after the options (reading at offset 20 would give 257 -> 256). */
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 53);
	ck_assert_uint_eq(d.dport, 12345);
}
END_TEST

START_TEST(test_ipv4_icmp_echo)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_icmp, sizeof(eth_ipv4_icmp), true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert_uint_eq(d.ip4.protocol, 1);
	ck_assert(d.has_icmp);
	ck_assert(!d.has_ports);
	ck_assert_uint_eq(d.icmp_type, 8);
	ck_assert_uint_eq(d.icmp_code, 0);
	ck_assert_uint_eq(d.icmp_id, 42);
	ck_assert_uint_eq(d.icmp_seq, 7);
}
END_TEST

START_TEST(test_ipv4_non_first_fragment_has_no_ports)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_frag, sizeof(eth_ipv4_frag), true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.frag_off, 0x00b9);
	ck_assert_uint_eq(d.ip4.protocol, 17);
	ck_assert(!d.has_ports);
	ck_assert_uint_eq(d.sport, 0);
	ck_assert_uint_eq(d.dport, 0);

	pkt_decode(eth_ipv4_first_frag, sizeof(eth_ipv4_first_frag), true, 0, &d);
	ck_assert_uint_eq(d.ip4.frag_off, 0x2000);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 1024);
	ck_assert_uint_eq(d.dport, 2049);
}
END_TEST

START_TEST(test_single_vlan_tag)
{
	struct pkt_decoded d;

	pkt_decode(eth_vlan_ipv4_udp, sizeof(eth_vlan_ipv4_udp), true, 0, &d);
	check_macs(&d);
	ck_assert_uint_eq(d.outer_type, 0x8100);
	ck_assert_int_eq(d.vlan_tags, 1);
	ck_assert_uint_eq(d.vlan_id, 100);
	ck_assert_uint_eq(d.vlan_prio, 5);
	ck_assert_uint_eq(d.vlan_inner, 0x0800);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert_ptr_eq(d.l3, eth_vlan_ipv4_udp + 18);
	ck_assert_uint_eq(d.l3_len, sizeof(eth_vlan_ipv4_udp) - 18);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 1024);
	ck_assert_uint_eq(d.dport, 2049);
}
END_TEST

START_TEST(test_double_vlan_tag)
{
	struct pkt_decoded d;

	pkt_decode(eth_qinq_ipv6_udp, sizeof(eth_qinq_ipv6_udp), true, 0, &d);
	ck_assert_uint_eq(d.outer_type, 0x8100);
	ck_assert_int_eq(d.vlan_tags, 2);
	/* The vlan_* fields describe the outer tag. */
	ck_assert_uint_eq(d.vlan_id, 10);
	ck_assert_uint_eq(d.vlan_prio, 3);
	ck_assert_uint_eq(d.vlan_inner, 0x8100);
	/* proto is the real payload type after both tags. */
	ck_assert_uint_eq(d.proto, 0x86dd);
	ck_assert_int_eq(d.kind, PKT_IPV6);
	ck_assert_ptr_eq(d.l3, eth_qinq_ipv6_udp + 22);
	ck_assert(d.l3_complete);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 1234);
	ck_assert_uint_eq(d.dport, 5678);
}
END_TEST

/* An 802.1ad outer tag is skipped as the BPF reader (pkt_key.h) skips it. */
START_TEST(test_8021ad_outer_tag)
{
	struct pkt_decoded d;

	pkt_decode(eth_8021ad_ipv4_udp, sizeof(eth_8021ad_ipv4_udp), true, 0, &d);
	ck_assert_uint_eq(d.outer_type, 0x88a8);
	ck_assert_int_eq(d.vlan_tags, 2);
	ck_assert_uint_eq(d.vlan_id, 30);
	ck_assert_uint_eq(d.vlan_inner, 0x8100);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert_ptr_eq(d.l3, eth_8021ad_ipv4_udp + 22);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 1024);
	ck_assert_uint_eq(d.dport, 2049);
}
END_TEST

START_TEST(test_at_most_two_vlan_tags)
{
	struct pkt_decoded d;

	pkt_decode(eth_three_tags, sizeof(eth_three_tags), true, 0, &d);
	ck_assert_int_eq(d.vlan_tags, 2);
	ck_assert_uint_eq(d.vlan_id, 1);
	ck_assert_uint_eq(d.proto, 0x8100);
	ck_assert_int_eq(d.kind, PKT_OTHER);
	ck_assert_ptr_eq(d.l3, eth_three_tags + 22);
	ck_assert_uint_eq(d.l3_len, sizeof(eth_three_tags) - 22);
}
END_TEST

START_TEST(test_ipv6_udp)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
	struct pkt_decoded d;

	pkt_decode(eth_ipv6_udp, sizeof(eth_ipv6_udp), true, 0, &d);
	ck_assert_uint_eq(d.proto, 0x86dd);
	ck_assert_int_eq(d.kind, PKT_IPV6);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip6.payload_len, 8);
	ck_assert_uint_eq(d.ip6.nexthdr, 17);
	ck_assert_uint_eq(d.ip6.hop_limit, 64);
	ck_assert_mem_eq(d.ip6.saddr, src, 16);
	ck_assert_mem_eq(d.ip6.daddr, dst, 16);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 1234);
	ck_assert_uint_eq(d.dport, 5678);
	ck_assert(!d.has_icmp);
}
END_TEST

START_TEST(test_ipv6_icmpv6_echo)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv6_icmp6, sizeof(eth_ipv6_icmp6), true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV6);
	ck_assert_uint_eq(d.ip6.nexthdr, 58);
	ck_assert(d.has_icmp);
	ck_assert(!d.has_ports);
	ck_assert_uint_eq(d.icmp_type, 128);
	ck_assert_uint_eq(d.icmp_code, 0);
	ck_assert_uint_eq(d.icmp_id, 1);
	ck_assert_uint_eq(d.icmp_seq, 2);
}
END_TEST

static void check_arp_body(const struct pkt_decoded *d, uint16_t op)
{
	static const uint8_t sha[6] = { MAC_SRC }, tha[6] = { MAC_DST };

	ck_assert(d->l3_complete);
	ck_assert_uint_eq(d->arp.htype, 1);
	ck_assert_uint_eq(d->arp.ptype, 0x0800);
	ck_assert_uint_eq(d->arp.op, op);
	ck_assert_mem_eq(d->arp.sha, sha, 6);
	ck_assert_mem_eq(d->arp.spa, "\xc0\xa8\x01\x01", 4);
	ck_assert_mem_eq(d->arp.tha, tha, 6);
	ck_assert_mem_eq(d->arp.tpa, "\xc0\xa8\x01\x02", 4);
	ck_assert(!d->has_ports);
	ck_assert(!d->has_icmp);
}

START_TEST(test_arp_request_reply)
{
	struct pkt_decoded d;

	pkt_decode(eth_arp_request, sizeof(eth_arp_request), true, 0, &d);
	ck_assert_uint_eq(d.proto, 0x0806);
	ck_assert_int_eq(d.kind, PKT_ARP);
	check_arp_body(&d, 1);

	pkt_decode(eth_arp_reply, sizeof(eth_arp_reply), true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_ARP);
	check_arp_body(&d, 2);
}
END_TEST

START_TEST(test_rarp)
{
	struct pkt_decoded d;

	pkt_decode(eth_rarp, sizeof(eth_rarp), true, 0, &d);
	ck_assert_uint_eq(d.proto, 0x8035);
	ck_assert_int_eq(d.kind, PKT_RARP);
	check_arp_body(&d, 3);
}
END_TEST

START_TEST(test_truncated_arp)
{
	struct pkt_decoded d;

	pkt_decode(eth_arp_request, sizeof(eth_arp_request) - 1, true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_ARP);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.arp.op, 0);
}
END_TEST

START_TEST(test_unknown_ethertype)
{
	struct pkt_decoded d;

	pkt_decode(eth_lldp, sizeof(eth_lldp), true, 0, &d);
	check_macs(&d);
	ck_assert_uint_eq(d.outer_type, 0x88cc);
	ck_assert_uint_eq(d.proto, 0x88cc);
	ck_assert_int_eq(d.kind, PKT_OTHER);
	ck_assert(!d.l3_complete);
	ck_assert_ptr_eq(d.l3, eth_lldp + 14);
	ck_assert_uint_eq(d.l3_len, 7);
	ck_assert_mem_eq(d.l3, "\x02\x07\x04\x00\x11\x22\x33", 7);
}
END_TEST

START_TEST(test_truncated_ipv4_header)
{
	struct pkt_decoded d;

	/* Ethernet header plus the first 10 of 20 IPv4 header bytes. */
	pkt_decode(eth_ipv4_tcp, 14 + 10, true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.l3_len, 10);
	/* Fields that were not captured stay zero. */
	ck_assert_uint_eq(d.ip4.protocol, 0);
	ck_assert_uint_eq(d.ip4.saddr, 0);
	ck_assert(!d.has_ports);

	/* Exactly 19 bytes: still incomplete. */
	pkt_decode(eth_ipv4_tcp, 14 + 19, true, 0, &d);
	ck_assert(!d.l3_complete);
}
END_TEST

START_TEST(test_truncated_l4)
{
	struct pkt_decoded d;

	/* Complete IPv4 header, 3 bytes of TCP: no ports. */
	pkt_decode(eth_ipv4_tcp, 14 + 20 + 3, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.protocol, 6);
	ck_assert(!d.has_ports);
	/* 4 bytes of TCP are enough for the ports. */
	pkt_decode(eth_ipv4_tcp, 14 + 20 + 4, true, 0, &d);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.dport, 80);
	/* ICMP needs 8 bytes for id and sequence. */
	pkt_decode(eth_ipv4_icmp, sizeof(eth_ipv4_icmp) - 1, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert(!d.has_icmp);
	/* IPv4 options announced by the IHL but not captured: no L4 decode. */
	pkt_decode(eth_ipv4_opts_udp, 14 + 22, true, 0, &d);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.ip4.ihl, 6);
	ck_assert(!d.has_ports);
}
END_TEST

START_TEST(test_short_ethernet_frame)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_tcp, 13, true, 0x0800, &d);
	ck_assert(d.has_l2);
	ck_assert_uint_eq(d.proto, 0);
	ck_assert_int_eq(d.kind, PKT_OTHER);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.l3_len, 0);
}
END_TEST

START_TEST(test_no_l2)
{
	struct pkt_decoded d;
	static const uint8_t zero[6];
	const uint8_t *ip = eth_ipv4_tcp + 14;
	size_t len = sizeof(eth_ipv4_tcp) - 14;

	pkt_decode(ip, len, false, 0x0800, &d);
	ck_assert(!d.has_l2);
	ck_assert_uint_eq(d.proto, 0x0800);
	ck_assert_uint_eq(d.outer_type, 0);
	ck_assert_int_eq(d.vlan_tags, 0);
	ck_assert_mem_eq(d.src_mac, zero, 6);
	ck_assert_mem_eq(d.dst_mac, zero, 6);
	ck_assert_int_eq(d.kind, PKT_IPV4);
	ck_assert(d.l3_complete);
	ck_assert_ptr_eq(d.l3, ip);
	ck_assert_uint_eq(d.l3_len, len);
	ck_assert_mem_eq(&d.ip4.daddr, "\x0a\x00\x00\x02", 4);
	ck_assert(d.has_ports);
	ck_assert_uint_eq(d.sport, 5000);
	ck_assert_uint_eq(d.dport, 80);

	/* No L2 with IPv6 */
	pkt_decode(eth_ipv6_udp + 14, sizeof(eth_ipv6_udp) - 14, false, 0x86dd, &d);
	ck_assert_int_eq(d.kind, PKT_IPV6);
	ck_assert_uint_eq(d.dport, 5678);
}
END_TEST

START_TEST(test_decode_resets_previous_result)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_tcp, sizeof(eth_ipv4_tcp), true, 0, &d);
	ck_assert(d.has_ports);
	pkt_decode(eth_lldp, sizeof(eth_lldp), true, 0, &d);
	ck_assert(!d.has_ports);
	ck_assert_uint_eq(d.sport, 0);
	ck_assert(!d.l3_complete);
}
END_TEST

START_TEST(test_mac_format)
{
	static const uint8_t mac[6] = { 0x00, 0x1b, 0x21, 0xAB, 0xcd, 0xff };
	char buf[18];

	ck_assert_str_eq(mac_format(mac, buf, sizeof(buf)), "00:1b:21:ab:cd:ff");
	ck_assert_ptr_eq(mac_format(mac, buf, sizeof(buf)), buf);
	/* Truncated to the buffer, still NUL-terminated. */
	char small[6];

	mac_format(mac, small, sizeof(small));
	ck_assert_str_eq(small, "00:1b");
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_eth_ipv4_tcp,
				      test_ipv4_options_udp,
				      test_ipv4_icmp_echo,
				      test_ipv4_non_first_fragment_has_no_ports,
				      test_single_vlan_tag,
				      test_double_vlan_tag,
				      test_8021ad_outer_tag,
				      test_at_most_two_vlan_tags,
				      test_ipv6_udp,
				      test_ipv6_icmpv6_echo,
				      test_arp_request_reply,
				      test_rarp,
				      test_truncated_arp,
				      test_unknown_ethertype,
				      test_truncated_ipv4_header,
				      test_truncated_l4,
				      test_short_ethernet_frame,
				      test_no_l2,
				      test_decode_resets_previous_result,
				      test_mac_format };

	return unit_run(unit_suite("pktdecode", "core", core_tests, ARRAY_SIZE(core_tests)));
}
