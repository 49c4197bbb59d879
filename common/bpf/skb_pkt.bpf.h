/*
 * Capture the first bytes of an skb's packet and parse them just enough to filter in the
 * kernel; user space decodes the same bytes in full (common/pktdecode.h).
 */
#pragma once
#include "bpfnet.bpf.h"
#include "flow_filter.h"
#include "pkt_snap.h"



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

struct sk_buff___pre62 {
	__u8 vlan_present : 1;
} __attribute__((preserve_access_index));

/* The accelerated VLAN tag: vlan_present (5.0 - 6.1), vlan_all (6.2+) or the 4.19 CFI bit. */
static __always_inline void skb_hw_vlan(struct sk_buff *skb, struct pkt_snap *s)
{
	__u16 tci = BPF_CORE_READ(skb, vlan_tci);
	__u16 proto = BPF_CORE_READ(skb, vlan_proto);
	struct sk_buff___pre62 *old = (void *)skb;

	if (bpf_core_field_exists(old->vlan_present)) {
		s->hw_vlan = BPF_CORE_READ_BITFIELD_PROBED(old, vlan_present);
	} else if (bpf_core_field_exists(skb->vlan_all)) {
		s->hw_vlan = proto != 0;
	} else {
		s->hw_vlan = (tci & 0x1000) != 0;	/* VLAN_TAG_PRESENT, before 5.0 */
		tci &= ~0x1000;
	}
	s->hw_vlan_tci = tci;
}

/*
 * Copies the packet from its Ethernet header, or from its network header when no link-layer
 * header has been built yet (locally generated packets before neighbour output).
 */
static __always_inline int skb_snapshot(struct sk_buff *skb, struct pkt_snap *s)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 mac = BPF_CORE_READ(skb, mac_header);
	__u16 net = BPF_CORE_READ(skb, network_header);
	unsigned char *start;

	s->skb_protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	skb_hw_vlan(skb, s);
	if (mac != SKB_HDR_UNSET && (net == SKB_HDR_UNSET || net >= mac + 14)) {
		start = head + mac;
		s->has_l2 = 1;
	} else if (net != SKB_HDR_UNSET) {
		start = head + net;
		s->has_l2 = 0;
	} else {
		start = BPF_CORE_READ(skb, data);
		s->has_l2 = 1;
	}
	s->len = 0;
	if (bpf_probe_read_kernel(s->bytes, PKT_SNAP_LEN, start) == 0)
		s->len = PKT_SNAP_LEN;
	else if (bpf_probe_read_kernel(s->bytes, 64, start) == 0)
		s->len = 64;
	return s->len ? 0 : -1;
}

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
