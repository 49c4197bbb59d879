/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packet headers as they are on the wire, for the bytes a BPF program copies out of a packet
 * with bpf_probe_read_kernel(). Plain structs, not the kernel's types: their layout is the
 * protocol's, so they need no CO-RE relocation. Multi-byte fields are in network byte order.
 * Included by bpfnet.bpf.h.
 */
#pragma once

#define WIRE_IP_OFFSET 0x1FFF /* frag_off, host order: fragment offset in 8-byte units */

/* EtherTypes, host order (the underscore keeps them apart from <linux/if_ether.h>). */
#define ETH_P_IP_ 0x0800
#define ETH_P_IPV6_ 0x86DD
#define ETH_P_ARP_ 0x0806
#define ETH_P_RARP_ 0x8035
#define ETH_P_8021Q_ 0x8100
#define ETH_P_8021AD_ 0x88A8
#define ETH_P_LLDP_ 0x88CC
#define ETH_P_PAUSE_ 0x8808

struct wire_eth {
	__u8 dst[6];
	__u8 src[6];
	__be16 proto;
};

/* An 802.1Q/802.1ad tag: what follows the EtherType that announced it. */
struct wire_vlan {
	__be16 tci;
	__be16 proto;
};

struct wire_ipv4 {
	__u8 ver_ihl; /* version (high nibble), header length in 32-bit words (low) */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
};

struct wire_ipv6 {
	__u8 ver_tc; /* version (high nibble), traffic class's high nibble (low) */
	__u8 flow_lbl[3];
	__be16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* The first four bytes of a TCP or UDP header. */
struct wire_l4_ports {
	__be16 source;
	__be16 dest;
};

struct wire_tcp {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
	__u8 doff_res; /* data offset in 32-bit words (high nibble) */
	__u8 flags; /* CWR ECE URG ACK PSH RST SYN FIN, high bit first */
	__be16 window;
	__sum16 check;
	__be16 urg_ptr;
};

struct wire_icmp_echo {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 seq;
};

static __always_inline __u8 wire_ipv4_version(const struct wire_ipv4 *ip)
{
	return ip->ver_ihl >> 4;
}

/* Header length in bytes. */
static __always_inline __u32 wire_ipv4_hlen(const struct wire_ipv4 *ip)
{
	return (ip->ver_ihl & 0x0F) * 4;
}

static __always_inline __u8 wire_ipv6_version(const struct wire_ipv6 *ip6)
{
	return ip6->ver_tc >> 4;
}
