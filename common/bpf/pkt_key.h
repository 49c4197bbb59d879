/*
 * Parsing of captured packet bytes (struct pkt_snap) and the packet filter. Shared by the BPF
 * programs and user space (the unit tests feed it byte fixtures).
 */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <netinet/in.h>
#include <stdbool.h>
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "flow_filter.h"
#include "pkt_snap.h"
#include "wire.h"

struct pkt_meta {
	__u16 proto;		/* L3 EtherType after up to two 802.1Q tags */
	__u16 vlan_id;		/* outer tag (in packet or accelerated), 0 if none */
	__u8 family;		/* 4, 6, or 0 when no IP header was captured */
	__u8 l4proto;
	__u8 has_ports;
	__u8 pad;
	__u16 sport, dport;	/* host order */
	__u32 saddr[4], daddr[4];	/* network order */
};

static __always_inline __u16 snap_be16(const struct pkt_snap *s, __u32 off)
{
	off &= 0x7f;
	if (off + 1 >= PKT_SNAP_LEN)
		return 0;
	return ((__u16)s->bytes[off] << 8) | s->bytes[off + 1];
}

static __always_inline __u32 snap_raw32(const struct pkt_snap *s, __u32 off)
{
	__u32 v = 0;

	off &= 0x7f;
	if (off + 4 > PKT_SNAP_LEN)
		return 0;
	__builtin_memcpy(&v, &s->bytes[off], 4);
	return v;
}

/* Parses what the filters need: EtherType, outer VLAN id, IP addresses, L4 protocol, ports. */
static __always_inline void pkt_parse(const struct pkt_snap *s, struct pkt_meta *m)
{
	__u32 l3 = 0, l4;

	__builtin_memset(m, 0, sizeof(*m));
	if (s->has_l2) {
		m->proto = snap_be16(s, 12);
		l3 = 14;
		if (m->proto == ETH_P_8021Q_) {
			m->vlan_id = snap_be16(s, 14) & 0x0fff;
			m->proto = snap_be16(s, 16);
			l3 = 18;
			if (m->proto == ETH_P_8021Q_) {
				m->proto = snap_be16(s, 20);
				l3 = 22;
			}
		} else if (s->hw_vlan) {
			m->vlan_id = s->hw_vlan_tci & 0x0fff;
		}
	} else {
		m->proto = s->skb_protocol;
		if (s->hw_vlan)
			m->vlan_id = s->hw_vlan_tci & 0x0fff;
	}
	if (m->proto == ETH_P_IP_ && l3 + 20 <= s->len) {
		__u8 ihl = s->bytes[l3 & 0x1f] & 0x0f;

		if ((s->bytes[l3 & 0x1f] >> 4) != 4 || ihl < 5)
			return;
		m->family = 4;
		m->l4proto = s->bytes[(l3 + 9) & 0x3f];
		m->saddr[0] = snap_raw32(s, l3 + 12);
		m->daddr[0] = snap_raw32(s, l3 + 16);
		l4 = l3 + ihl * 4;
		if (snap_be16(s, l3 + 6) & WIRE_IP_OFFSET)
			return;	/* a non-first fragment: payload, not an L4 header */
	} else if (m->proto == ETH_P_IPV6_ && l3 + 40 <= s->len) {
		m->family = 6;
		m->l4proto = s->bytes[(l3 + 6) & 0x3f];
		for (int i = 0; i < 4; i++) {
			m->saddr[i] = snap_raw32(s, l3 + 8 + 4 * i);
			m->daddr[i] = snap_raw32(s, l3 + 24 + 4 * i);
		}
		l4 = l3 + 40;
	} else {
		return;
	}
	if ((m->l4proto == IPPROTO_TCP || m->l4proto == IPPROTO_UDP) && l4 + 4 <= s->len) {
		m->has_ports = 1;
		m->sport = snap_be16(s, l4);
		m->dport = snap_be16(s, l4 + 2);
	}
}

static __always_inline bool addr_match(const __u32 *want, __u8 want_family, const struct pkt_meta *m,
				       const __u32 *have)
{
	if (!want_family)
		return true;
	if (want_family != m->family)
		return false;
	if (want_family == 4)
		return want[0] == have[0];
	return want[0] == have[0] && want[1] == have[1] && want[2] == have[2] && want[3] == have[3];
}

static __always_inline bool is_known_ethertype(__u16 p)
{
	return p == ETH_P_IP_ || p == ETH_P_ARP_ || p == ETH_P_RARP_ || p == ETH_P_IPV6_ ||
	       p == ETH_P_LLDP_ || p == ETH_P_PAUSE_;
}

/*
 * True when the packet passes every filter that is set. With an address, port or L4
 * protocol filter, packets without an IP header (or without ports, for a port filter)
 * cannot match.
 */
static __always_inline bool flow_match(const struct flow_filter *f, const struct pkt_meta *m)
{
	bool l3_filters = f->sfamily || f->dfamily || f->l4proto || f->sport || f->dport;

	if (f->ethertype == ETHERTYPE_OTHER) {
		if (is_known_ethertype(m->proto))
			return false;
	} else if (f->ethertype && f->ethertype != m->proto) {
		return false;
	}
	if (f->vlan_id && f->vlan_id != m->vlan_id)
		return false;
	if (!l3_filters)
		return true;
	if (!m->family || (f->ipv4_only && m->family != 4))
		return false;
	if (f->l4proto && f->l4proto != m->l4proto)
		return false;
	if (!addr_match(f->saddr, f->sfamily, m, m->saddr) ||
	    !addr_match(f->daddr, f->dfamily, m, m->daddr))
		return false;
	if (f->sport || f->dport) {
		if (!m->has_ports)
			return false;
		if (f->sport && f->sport != m->sport)
			return false;
		if (f->dport && f->dport != m->dport)
			return false;
	}
	return true;
}
