/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packet byte fixtures for the packet decoder tests (pktdecode, pkt_key), built header by header
 * so that every test builds its packets the same way.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define MAC_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define MAC_SRC 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb

struct pkt_bytes {
	uint8_t b[128];
	size_t len;
	size_t ip; /* offset of the last IP header: pkt_done() fills in its length field */
	int ip_version;
};

/* IPv4 header fields (checksum 0); the total length comes from pkt_done(). */
struct pkt_ipv4 {
	uint8_t tos, ttl, protocol;
	uint16_t id, frag_off;
	const char *saddr, *daddr;
	uint8_t options[4]; /* with has_options: 4 option bytes, IHL 6 */
	int has_options;
};

/* Empties p. */
void pkt_start(struct pkt_bytes *p);
/* Appends n bytes, each given as an int. */
void pkt_raw(struct pkt_bytes *p, size_t n, ...);
/* Appends n 16-bit words in network order, each given as an int. */
void pkt_be16(struct pkt_bytes *p, size_t n, ...);
/* Appends an Ethernet header MAC_SRC -> MAC_DST of EtherType type. */
void pkt_eth(struct pkt_bytes *p, uint16_t type);
/* Appends an 802.1Q tag's TCI and the EtherType that follows it. */
void pkt_vlan(struct pkt_bytes *p, uint16_t tci, uint16_t type);
/* Appends an IPv4 header. */
void pkt_ipv4(struct pkt_bytes *p, const struct pkt_ipv4 *h);
/* Appends an IPv6 header 2001:db8::1 -> 2001:db8::2, hop limit 64, next header nexthdr. */
void pkt_ipv6(struct pkt_bytes *p, uint8_t nexthdr);
/* Sets the last IP header's total (IPv4) or payload (IPv6) length to the bytes after it. */
void pkt_done(struct pkt_bytes *p);

/*
 * Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 UDP id 0x99 ttl 64 with fragment field frag_off, then
 * the four 16-bit words of its payload (a UDP header in a first fragment).
 */
void pkt_ipv4_udp_fragment(struct pkt_bytes *p, uint16_t frag_off, const uint16_t payload[4]);

/* The packets of the pktdecode tests; each empties p first. */
/* 10.0.0.1 -> 10.0.0.2, TCP 5000 -> 80 (SYN), DF, id 0x1234, ttl 64, tos 0x10 */
void pkt_eth_ipv4_tcp(struct pkt_bytes *p);
/* IPv4 with IHL 6 (4 bytes of options: NOP NOP NOP EOL), UDP 53 -> 12345 */
void pkt_eth_ipv4_opts_udp(struct pkt_bytes *p);
/* IPv4 ICMP echo request, id 42, seq 7 */
void pkt_eth_ipv4_icmp(struct pkt_bytes *p);
/* Non-first fragment (offset 185 * 8) of a UDP datagram: the payload bytes are not ports. */
void pkt_eth_ipv4_frag(struct pkt_bytes *p);
/* First fragment (MF set, offset 0) of the same datagram: carries the UDP header 1024 -> 2049. */
void pkt_eth_ipv4_first_frag(struct pkt_bytes *p);
/* One 802.1Q tag (prio 5, id 100), IPv4 UDP 1024 -> 2049 */
void pkt_eth_vlan_ipv4_udp(struct pkt_bytes *p);
/* Two 802.1Q tags (outer prio 3 id 10, inner id 20), IPv6 UDP 1234 -> 5678 */
void pkt_eth_qinq_ipv6_udp(struct pkt_bytes *p);
/* 802.1ad service tag (id 30) over an 802.1Q tag (id 40), IPv4 UDP 1024 -> 2049 */
void pkt_eth_8021ad_ipv4_udp(struct pkt_bytes *p);
/* Three tags (ids 1, 2, 3) before two bytes of IPv4. */
void pkt_eth_three_tags(struct pkt_bytes *p);
/* IPv6 UDP 1234 -> 5678 */
void pkt_eth_ipv6_udp(struct pkt_bytes *p);
/* ICMPv6 echo request (type 128), id 1, seq 2 */
void pkt_eth_ipv6_icmp6(struct pkt_bytes *p);
/* ARP (type 0x0806) or RARP (0x8035) operation op: MAC_SRC 192.168.1.1 asks MAC_DST 192.168.1.2. */
void pkt_eth_arp(struct pkt_bytes *p, uint16_t type, uint16_t op);
/* LLDP: an EtherType the decoder does not know, 7 bytes of payload */
void pkt_eth_lldp(struct pkt_bytes *p);
