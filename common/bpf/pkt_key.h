/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The packet reader and the packet filter of every tool: pkt_key_parse() turns the bytes an
 * skb snapshot holds (common/bpf/skb_pkt.bpf.h) into one struct pkt_key, pkt_filter_match()
 * applies the one struct pkt_filter user space fills (common/filter.h) to it, and
 * skb_pkt.bpf.h's iface_set_has() matches a device against an interface set. Shared by the BPF
 * programs and user space (the unit tests feed it byte fixtures).
 */
#pragma once
#ifndef __VMLINUX_H__
#include <netinet/in.h>
#endif
#include "both_sides.h"
#include "pkt_snap.h"
#include "wire.h"

#define PKT_IPPROTO_ICMPV6 58

/* Flags of struct pkt_key. */
#define PKT_K_PORTS 0x1 /* TCP/UDP ports read */
#define PKT_K_ICMP 0x2 /* ICMP/ICMPv6 header read */
#define PKT_K_FRAGMENT 0x4 /* a non-first IPv4 fragment: no L4 header */

/* What the headers say; fields that were not captured stay zero. */
struct pkt_key {
	__u32 saddr[4], daddr[4]; /* network order; IPv4 in [0] */
	__u32 tcp_seq, tcp_ack; /* host order */
	__u16 ethertype; /* L3 EtherType after the VLAN tags, host order */
	__u16 vlan_id; /* outer tag (in packet, else accelerated), 0 if none */
	__u16 sport, dport; /* host order */
	__u16 icmp_id, icmp_seq; /* host order */
	__u16 ip_id; /* IPv4 identification, host order */
	__u16 frag_off; /* IPv4 flags and fragment offset, host order */
	__u16 l4_len; /* bytes from the L4 header on, per the IP header */
	__u16 udp_len; /* host order */
	__u8 family; /* 4, 6, or 0 when no IP header was captured */
	__u8 l4proto;
	__u8 flags; /* PKT_K_* */
	__u8 tcp_hlen; /* TCP header length in bytes */
	__u8 tcp_flags; /* CWR ECE URG ACK PSH RST SYN FIN, high bit first */
	__u8 icmp_type, icmp_code;
	__u8 pad;
};

static __always_inline __u8 snap_u8(const struct pkt_snap *s, __u32 off)
{
	off &= PKT_SNAP_LEN - 1;
	return s->bytes[off];
}

static __always_inline __u16 snap_be16(const struct pkt_snap *s, __u32 off)
{
	off &= PKT_SNAP_LEN - 1;
	if (off + 1 >= PKT_SNAP_LEN)
		return 0;
	return ((__u16)s->bytes[off] << 8) | s->bytes[off + 1];
}

static __always_inline __u32 snap_raw32(const struct pkt_snap *s, __u32 off)
{
	__u32 v = 0;

	off &= PKT_SNAP_LEN - 1;
	if (off + 4 > PKT_SNAP_LEN)
		return 0;
	__builtin_memcpy(&v, &s->bytes[off], 4);
	return v;
}

static __always_inline void snap_addr6(const struct pkt_snap *s, __u32 off, __u32 *addr)
{
	addr[0] = snap_raw32(s, off);
	addr[1] = snap_raw32(s, off + 4);
	addr[2] = snap_raw32(s, off + 8);
	addr[3] = snap_raw32(s, off + 12);
}

static __always_inline bool pkt_is_vlan(__u16 ethertype)
{
	return ethertype == ETH_P_8021Q_ || ethertype == ETH_P_8021AD_;
}

/* EtherType of bytes that start at the network header. */
static __always_inline __u16 pkt_l3_proto(const struct pkt_snap *s)
{
	__u8 version = snap_u8(s, 0) >> 4;

	/* Not set yet (ip_send_skb), or the tag of a VLAN device that sits before the header. */
	if ((!s->skb_protocol || pkt_is_vlan(s->skb_protocol)) && s->len)
		return version == 4 ? ETH_P_IP_ : version == 6 ? ETH_P_IPV6_ : s->skb_protocol;
	return s->skb_protocol;
}

/* The TCP/UDP/ICMP header at l4. */
static __always_inline void pkt_parse_l4(const struct pkt_snap *s, __u32 l4, struct pkt_key *k)
{
	if (k->l4proto == IPPROTO_TCP || k->l4proto == IPPROTO_UDP) {
		if (l4 + 4 > s->len)
			return;
		k->flags |= PKT_K_PORTS;
		k->sport = snap_be16(s, l4);
		k->dport = snap_be16(s, l4 + 2);
		if (k->l4proto == IPPROTO_UDP) {
			if (l4 + 6 <= s->len)
				k->udp_len = snap_be16(s, l4 + 4);
		} else if (l4 + 14 <= s->len) {
			k->tcp_seq = (__u32)snap_be16(s, l4 + 4) << 16 | snap_be16(s, l4 + 6);
			k->tcp_ack = (__u32)snap_be16(s, l4 + 8) << 16 | snap_be16(s, l4 + 10);
			k->tcp_hlen = (snap_u8(s, l4 + 12) >> 4) * 4;
			k->tcp_flags = snap_u8(s, l4 + 13);
		}
	} else if (k->l4proto == IPPROTO_ICMP || k->l4proto == PKT_IPPROTO_ICMPV6) {
		if (l4 + 8 > s->len)
			return;
		k->flags |= PKT_K_ICMP;
		k->icmp_type = snap_u8(s, l4);
		k->icmp_code = snap_u8(s, l4 + 1);
		k->icmp_id = snap_be16(s, l4 + 4);
		k->icmp_seq = snap_be16(s, l4 + 6);
	}
}

/*
 * Reads the headers of a snapshot: VLAN tags (in the packet, else the accelerated one), IPv4
 * or IPv6, and the TCP/UDP/ICMP header unless the packet is a non-first IPv4 fragment (its
 * bytes there are payload). A PKT_AT_TCP snapshot yields the TCP fields only.
 */
static __always_inline void pkt_key_parse(const struct pkt_snap *s, struct pkt_key *k)
{
	__u32 l3 = 0, l4, hlen;
	__u16 proto, tot;
	__u8 vihl;

	__builtin_memset(k, 0, sizeof(*k));
	if (s->at == PKT_AT_TCP) {
		k->l4proto = IPPROTO_TCP;
		pkt_parse_l4(s, 0, k);
		return;
	}
	if (s->at == PKT_AT_ETH) {
		proto = snap_be16(s, 12);
		l3 = sizeof(struct wire_eth);
	} else if (s->at == PKT_AT_DATA) {
		proto = s->skb_protocol; /* the first tag's TCI is at data */
	} else {
		proto = pkt_l3_proto(s);
	}
	if (s->at != PKT_AT_NET && pkt_is_vlan(proto)) {
		k->vlan_id = snap_be16(s, l3) & 0x0fff;
		proto = snap_be16(s, l3 + 2);
		l3 += sizeof(struct wire_vlan);
		if (pkt_is_vlan(proto)) {
			proto = snap_be16(s, l3 + 2);
			l3 += sizeof(struct wire_vlan);
		}
	}
	if (!k->vlan_id && s->hw_vlan)
		k->vlan_id = s->hw_vlan_tci & 0x0fff;
	k->ethertype = proto;
	if (proto == ETH_P_IP_) {
		if (l3 + sizeof(struct wire_ipv4) > s->len)
			return;
		vihl = snap_u8(s, l3);
		hlen = (vihl & 0x0f) * 4;
		if ((vihl >> 4) != 4 || hlen < sizeof(struct wire_ipv4))
			return;
		k->family = 4;
		tot = snap_be16(s, l3 + 2);
		k->ip_id = snap_be16(s, l3 + 4);
		k->frag_off = snap_be16(s, l3 + 6);
		k->l4proto = snap_u8(s, l3 + 9);
		k->saddr[0] = snap_raw32(s, l3 + 12);
		k->daddr[0] = snap_raw32(s, l3 + 16);
		k->l4_len = tot > hlen ? tot - hlen : 0;
		l4 = l3 + hlen;
		if (k->frag_off & WIRE_IP_OFFSET) {
			k->flags |= PKT_K_FRAGMENT;
			return;
		}
	} else if (proto == ETH_P_IPV6_) {
		if (l3 + sizeof(struct wire_ipv6) > s->len || (snap_u8(s, l3) >> 4) != 6)
			return;
		k->family = 6;
		k->l4_len = snap_be16(s, l3 + 4);
		k->l4proto = snap_u8(s, l3 + 6);
		snap_addr6(s, l3 + 8, k->saddr);
		snap_addr6(s, l3 + 24, k->daddr);
		l4 = l3 + sizeof(struct wire_ipv6);
	} else {
		return;
	}
	pkt_parse_l4(s, l4, k);
}

#define ETHERTYPE_OTHER 0xFFFF /* "none of IPv4, ARP, RARP, IPv6, LLDP, flow control" */

/* Flags of struct pkt_filter: how the tool's original matched. */
#define PKT_F_IPV4_ONLY 0x01 /* address, port and protocol filters never match IPv6 */
#define PKT_F_EITHER_DIR                                                                                     \
	0x02 /* the reverse direction matches too (source against destination, ports alike) */
#define PKT_F_EITHER_ADDR 0x04 /* each address matches the source or the destination */
#define PKT_F_EITHER_PORT 0x08 /* each port matches the source or the destination port */
#define PKT_F_PORTS_TCP_UDP 0x10 /* port filters do not apply to protocols without ports */
#define PKT_F_ICMP_V6 0x20 /* l4proto ICMP matches ICMPv6 too */

#define PKT_MAX_IFACES 4 /* devices of one struct iface_set */

/* Network devices by ifindex, valid in one network namespace: ifindexes repeat across them. */
struct iface_set {
	__u32 ifindex[PKT_MAX_IFACES]; /* 0 = unused slot */
	__u32 netns; /* inode of the namespace the names were resolved in; 0 = any */
};

/* The packet filter of every tool, filled by user space (common/filter.h), 0 = any. */
struct pkt_filter {
	__u32 saddr[4]; /* network order; IPv4 uses saddr[0] */
	__u32 daddr[4];
	__u8 sfamily; /* 0 = any, 4 or 6 */
	__u8 dfamily;
	__u8 l4proto;
	__u8 flags; /* PKT_F_* */
	__u16 sport; /* host order */
	__u16 dport;
	__u16 ethertype; /* real EtherType after VLAN tags, or ETHERTYPE_OTHER */
	__u16 vlan_id; /* outer 802.1Q id */
	struct iface_set iface; /* the packet's device (pkt_filter_dev_match); empty = any */
};

static __always_inline bool pkt_addr_eq(const __u32 *want, __u8 family, const struct pkt_key *k,
					const __u32 *have)
{
	if (family != k->family)
		return false;
	if (family == 4)
		return want[0] == have[0];
	return want[0] == have[0] && want[1] == have[1] && want[2] == have[2] && want[3] == have[3];
}

static __always_inline bool pkt_addr_ok(const struct pkt_filter *f, const __u32 *want, __u8 family,
					const struct pkt_key *k, const __u32 *have, const __u32 *other)
{
	return !family || pkt_addr_eq(want, family, k, have) ||
	       ((f->flags & PKT_F_EITHER_ADDR) && pkt_addr_eq(want, family, k, other));
}

static __always_inline bool pkt_port_ok(const struct pkt_filter *f, __u16 want, __u16 have, __u16 other)
{
	return !want || want == have || ((f->flags & PKT_F_EITHER_PORT) && want == other);
}

/* Addresses and ports, the filter's source taken as the packet's source or (reverse) destination. */
static __always_inline bool pkt_filter_dir(const struct pkt_filter *f, const struct pkt_key *k, bool reverse)
{
	const __u32 *src = reverse ? k->daddr : k->saddr, *dst = reverse ? k->saddr : k->daddr;
	__u16 sport = reverse ? k->dport : k->sport, dport = reverse ? k->sport : k->dport;

	if (!pkt_addr_ok(f, f->saddr, f->sfamily, k, src, dst) ||
	    !pkt_addr_ok(f, f->daddr, f->dfamily, k, dst, src))
		return false;
	if (!f->sport && !f->dport)
		return true;
	if (!(k->flags & PKT_K_PORTS))
		return (f->flags & PKT_F_PORTS_TCP_UDP) && k->l4proto != IPPROTO_TCP &&
		       k->l4proto != IPPROTO_UDP;
	return pkt_port_ok(f, f->sport, sport, dport) && pkt_port_ok(f, f->dport, dport, sport);
}

static __always_inline bool pkt_known_ethertype(__u16 p)
{
	return p == ETH_P_IP_ || p == ETH_P_ARP_ || p == ETH_P_RARP_ || p == ETH_P_IPV6_ ||
	       p == ETH_P_LLDP_ || p == ETH_P_PAUSE_;
}

/*
 * True when the packet's headers pass every filter that is set (the interface set is
 * pkt_filter_dev_match()'s). With an address, port or L4 protocol filter, packets without an
 * IP header cannot match; nor can TCP/UDP packets without ports (non-first fragments) match a
 * port filter.
 */
static __always_inline bool pkt_filter_match(const struct pkt_filter *f, const struct pkt_key *k)
{
	if (f->ethertype == ETHERTYPE_OTHER) {
		if (pkt_known_ethertype(k->ethertype))
			return false;
	} else if (f->ethertype && f->ethertype != k->ethertype) {
		return false;
	}
	if (f->vlan_id && f->vlan_id != k->vlan_id)
		return false;
	if (!f->sfamily && !f->dfamily && !f->l4proto && !f->sport && !f->dport)
		return true;
	if (!k->family || ((f->flags & PKT_F_IPV4_ONLY) && k->family != 4))
		return false;
	if (f->l4proto && f->l4proto != k->l4proto &&
	    !((f->flags & PKT_F_ICMP_V6) && f->l4proto == IPPROTO_ICMP && k->l4proto == PKT_IPPROTO_ICMPV6))
		return false;
	return pkt_filter_dir(f, k, false) || ((f->flags & PKT_F_EITHER_DIR) && pkt_filter_dir(f, k, true));
}
