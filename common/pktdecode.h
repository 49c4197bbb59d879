/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding of captured packet bytes (Ethernet, 802.1Q, ARP, IPv4, IPv6, TCP, UDP, ICMP). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pkt_kind { PKT_OTHER, PKT_IPV4, PKT_IPV6, PKT_ARP, PKT_RARP };

struct pkt_decoded {
	bool has_l2;
	uint8_t src_mac[6], dst_mac[6];
	uint16_t outer_type; /* EtherType in the Ethernet header (0x8100 or 0x88a8 when tagged) */
	int vlan_tags; /* 802.1Q/802.1ad tags in the packet: 0, 1 or 2 */
	uint16_t vlan_id, vlan_prio, vlan_inner; /* of the outer tag */
	uint16_t proto; /* EtherType of the payload after the tags */
	enum pkt_kind kind;
	bool l3_complete; /* the whole fixed L3 header was captured */
	union {
		struct {
			uint8_t tos, ttl, protocol, ihl;
			uint16_t tot_len, id, frag_off;
			uint32_t saddr, daddr; /* network order */
		} ip4;
		struct {
			uint16_t payload_len;
			uint8_t nexthdr, hop_limit;
			uint8_t saddr[16], daddr[16];
		} ip6;
		struct {
			uint16_t htype, ptype, op;
			uint8_t sha[6], spa[4], tha[6], tpa[4];
		} arp;
	};
	bool has_ports;
	uint16_t sport, dport;
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;
	const uint8_t *l3; /* bytes after the L2 header(s) within the input */
	size_t l3_len;
};

/*
 * Decodes len bytes starting at the Ethernet header (has_l2) or at the network header of
 * EtherType l3_proto. Fields that were not captured stay zero.
 */
void pkt_decode(const uint8_t *buf, size_t len, bool has_l2, uint16_t l3_proto, struct pkt_decoded *out);
/* "aa:bb:cc:dd:ee:ff" */
const char *mac_format(const uint8_t *mac, char *buf, size_t len);
