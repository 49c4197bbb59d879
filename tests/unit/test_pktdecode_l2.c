// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/pktdecode.h, link layer (Ethernet, VLAN tags, ARP), on built packet bytes. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "pkt_fixtures.h"
#include "pktdecode.h"
#include "unit_helpers.h"
#include "util.h"

static struct pkt_bytes eth_ipv4_tcp, eth_vlan_ipv4_udp, eth_qinq_ipv6_udp, eth_8021ad_ipv4_udp,
	eth_three_tags, eth_ipv6_udp, eth_arp_request, eth_arp_reply, eth_rarp, eth_lldp;

static void build_packets(void)
{
	pkt_eth_ipv4_tcp(&eth_ipv4_tcp);
	pkt_eth_vlan_ipv4_udp(&eth_vlan_ipv4_udp);
	pkt_eth_qinq_ipv6_udp(&eth_qinq_ipv6_udp);
	pkt_eth_8021ad_ipv4_udp(&eth_8021ad_ipv4_udp);
	pkt_eth_three_tags(&eth_three_tags);
	pkt_eth_ipv6_udp(&eth_ipv6_udp);
	pkt_eth_arp(&eth_arp_request, 0x0806, 1);
	pkt_eth_arp(&eth_arp_reply, 0x0806, 2);
	pkt_eth_arp(&eth_rarp, 0x8035, 3);
	pkt_eth_lldp(&eth_lldp);
}

static void check_macs(const struct pkt_decoded *d)
{
	static const uint8_t dst[6] = { MAC_DST }, src[6] = { MAC_SRC };

	ck_assert(d->has_l2);
	ck_assert_mem_eq(d->dst_mac, dst, 6);
	ck_assert_mem_eq(d->src_mac, src, 6);
}

/* The Ethernet header and VLAN tags of a frame, and where its L3 header starts. */
static const struct l2_case {
	const struct pkt_bytes *frame;
	bool check_macs;
	uint16_t outer_type;
	int vlan_tags;
	uint16_t vlan_id;
	uint8_t vlan_prio;
	uint16_t vlan_inner;
	uint16_t proto; /* the payload's EtherType after the tags */
	enum pkt_kind kind;
	size_t l3_offset;
	bool check_l3_len;
} l2_frames[] = {
	{ &eth_ipv4_tcp, true, 0x0800, 0, 0, 0, 0, 0x0800, PKT_IPV4, 14, true },
	{ &eth_vlan_ipv4_udp, true, 0x8100, 1, 100, 5, 0x0800, 0x0800, PKT_IPV4, 18, true },
	/* The vlan_* fields describe the outer tag; proto is the real payload type after both tags. */
	{ &eth_qinq_ipv6_udp, false, 0x8100, 2, 10, 3, 0x8100, 0x86dd, PKT_IPV6, 22, false },
	/* An 802.1ad outer tag is skipped as the BPF reader (pkt_key.h) skips it. */
	{ &eth_8021ad_ipv4_udp, false, 0x88a8, 2, 30, 0, 0x8100, 0x0800, PKT_IPV4, 22, true },
	/* At most two tags are decoded: the third stays the payload's EtherType. */
	{ &eth_three_tags, false, 0x8100, 2, 1, 0, 0x8100, 0x8100, PKT_OTHER, 22, true },
	/* An EtherType the decoder does not know */
	{ &eth_lldp, true, 0x88cc, 0, 0, 0, 0, 0x88cc, PKT_OTHER, 14, true },
};

START_TEST(test_l2_frames)
{
	const struct l2_case *c = &l2_frames[_i];
	struct pkt_decoded d;

	pkt_decode(c->frame->b, c->frame->len, true, 0, &d);
	if (c->check_macs)
		check_macs(&d);
	ck_assert_uint_eq(d.outer_type, c->outer_type);
	ck_assert_int_eq(d.vlan_tags, c->vlan_tags);
	ck_assert_uint_eq(d.vlan_id, c->vlan_id);
	ck_assert_uint_eq(d.vlan_prio, c->vlan_prio);
	ck_assert_uint_eq(d.vlan_inner, c->vlan_inner);
	ck_assert_uint_eq(d.proto, c->proto);
	ck_assert_int_eq(d.kind, c->kind);
	ck_assert_ptr_eq(d.l3, c->frame->b + c->l3_offset);
	if (c->check_l3_len)
		ck_assert_uint_eq(d.l3_len, c->frame->len - c->l3_offset);
}
END_TEST

START_TEST(test_unknown_ethertype_payload)
{
	struct pkt_decoded d;

	pkt_decode(eth_lldp.b, eth_lldp.len, true, 0, &d);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.l3_len, 7);
	ck_assert_mem_eq(d.l3, "\x02\x07\x04\x00\x11\x22\x33", 7);
}
END_TEST

/* ARP and RARP frames, and what each decodes to. */
static const struct arp_case {
	const struct pkt_bytes *frame;
	uint16_t proto;
	enum pkt_kind kind;
	uint16_t op;
} arp_frames[] = {
	{ &eth_arp_request, 0x0806, PKT_ARP, 1 },
	{ &eth_arp_reply, 0x0806, PKT_ARP, 2 },
	{ &eth_rarp, 0x8035, PKT_RARP, 3 },
};

START_TEST(test_arp_frames)
{
	static const uint8_t sha[6] = { MAC_SRC }, tha[6] = { MAC_DST };
	const struct arp_case *c = &arp_frames[_i];
	struct pkt_decoded d;

	pkt_decode(c->frame->b, c->frame->len, true, 0, &d);
	ck_assert_uint_eq(d.proto, c->proto);
	ck_assert_int_eq(d.kind, c->kind);
	ck_assert(d.l3_complete);
	ck_assert_uint_eq(d.arp.htype, 1);
	ck_assert_uint_eq(d.arp.ptype, 0x0800);
	ck_assert_uint_eq(d.arp.op, c->op);
	ck_assert_mem_eq(d.arp.sha, sha, 6);
	ck_assert_mem_eq(d.arp.spa, "\xc0\xa8\x01\x01", 4);
	ck_assert_mem_eq(d.arp.tha, tha, 6);
	ck_assert_mem_eq(d.arp.tpa, "\xc0\xa8\x01\x02", 4);
	ck_assert(!d.has_ports);
	ck_assert(!d.has_icmp);
}
END_TEST

START_TEST(test_truncated_arp)
{
	struct pkt_decoded d;

	pkt_decode(eth_arp_request.b, eth_arp_request.len - 1, true, 0, &d);
	ck_assert_int_eq(d.kind, PKT_ARP);
	ck_assert(!d.l3_complete);
	ck_assert_uint_eq(d.arp.op, 0);
}
END_TEST

START_TEST(test_short_ethernet_frame)
{
	struct pkt_decoded d;

	pkt_decode(eth_ipv4_tcp.b, 13, true, 0x0800, &d);
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
	const uint8_t *ip = eth_ipv4_tcp.b + 14;
	size_t len = eth_ipv4_tcp.len - 14;

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
	pkt_decode(eth_ipv6_udp.b + 14, eth_ipv6_udp.len - 14, false, 0x86dd, &d);
	ck_assert_int_eq(d.kind, PKT_IPV6);
	ck_assert_uint_eq(d.dport, 5678);
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
	const TTest *l2_tests[] = { test_unknown_ethertype_payload, test_truncated_arp,
				    test_short_ethernet_frame, test_no_l2, test_mac_format };
	Suite *s = suite_create("pktdecode_l2");
	TCase *tc = unit_tcase(s, "l2", l2_tests, ARRAY_SIZE(l2_tests));

	tcase_add_loop_test(tc, test_l2_frames, 0, ARRAY_SIZE(l2_frames));
	tcase_add_loop_test(tc, test_arp_frames, 0, ARRAY_SIZE(arp_frames));
	build_packets();
	return unit_run(s);
}
