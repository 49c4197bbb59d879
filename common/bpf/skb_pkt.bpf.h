/*
 * Capture the first bytes of an skb's packet and parse them just enough to filter in the
 * kernel; user space decodes the same bytes in full (common/pktdecode.h).
 */
#pragma once
#include "bpfnet.bpf.h"
#include "pkt_key.h"

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
