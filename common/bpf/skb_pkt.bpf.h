/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one way a BPF program reads an skb's packet: copy its first bytes from where the hook
 * finds the headers (struct pkt_snap), then parse them (pkt_key.h). User space decodes the
 * same bytes in full (common/pktdecode.h). Also the one way to match a packet's device
 * against a struct iface_set.
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
	} else if (bpf_core_field_exists(((struct sk_buff___v62 *)skb)->vlan_all)) {
		s->hw_vlan = proto != 0;
	} else {
		s->hw_vlan = (tci & 0x1000) != 0; /* VLAN_TAG_PRESENT, before 5.0 */
		tci &= ~0x1000;
	}
	s->hw_vlan_tci = tci;
}

/* Where the packet starts when its link-layer header is wanted: see skb_snapshot(). */
#define PKT_AT_MAC 0xFF

/*
 * Where PKT_AT_MAC starts: the Ethernet header at mac, else the network header when no
 * link-layer header is set (locally generated packets before neighbour output), else data.
 */
static __always_inline unsigned char *skb_mac_start(unsigned char *head, __u16 mac, __u16 net,
						    unsigned char *data, struct pkt_snap *s)
{
	if (mac != SKB_HDR_UNSET && (net == SKB_HDR_UNSET || net >= mac + sizeof(struct wire_eth))) {
		s->at = PKT_AT_ETH;
		return head + mac;
	}
	if (net != SKB_HDR_UNSET) {
		s->at = PKT_AT_NET;
		return head + net;
	}
	s->at = PKT_AT_ETH;
	return data;
}

static __always_inline unsigned char *skb_snap_start(struct sk_buff *skb, struct pkt_snap *s, int at)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 mac, net, th;

	if (at == PKT_AT_DATA || at == PKT_AT_ETH) {
		s->at = at;
		return BPF_CORE_READ(skb, data);
	}
	net = BPF_CORE_READ(skb, network_header);
	if (at == PKT_AT_NET) {
		s->at = PKT_AT_NET;
		return net == SKB_HDR_UNSET ? NULL : head + net;
	}
	if (at == PKT_AT_TCP) {
		th = BPF_CORE_READ(skb, transport_header);
		s->at = PKT_AT_TCP;
		return th == SKB_HDR_UNSET ? BPF_CORE_READ(skb, data) : head + th;
	}
	mac = BPF_CORE_READ(skb, mac_header);
	return skb_mac_start(head, mac, net,
			     mac == SKB_HDR_UNSET && net == SKB_HDR_UNSET ? BPF_CORE_READ(skb, data) : NULL,
			     s);
}

/* Copies the bytes at start into s (PKT_SNAP_LEN, else 64); non-zero when nothing could be read. */
static __always_inline int skb_snap_copy(unsigned char *start, struct pkt_snap *s)
{
	s->len = 0;
	if (!start)
		return -1;
	if (bpf_probe_read_kernel(s->bytes, PKT_SNAP_LEN, start) == 0)
		s->len = PKT_SNAP_LEN;
	else if (bpf_probe_read_kernel(s->bytes, 64, start) == 0)
		s->len = 64;
	return s->len ? 0 : -1;
}

/*
 * Copies the packet's first bytes from where the hook finds its headers: at is a PKT_AT_*
 * (PKT_AT_ETH: an Ethernet frame at skb->data), or PKT_AT_MAC for the Ethernet header at
 * mac_header, else the network header when no link-layer header is set, else skb->data.
 * Non-zero when nothing could be read.
 */
static __always_inline int skb_snapshot(struct sk_buff *skb, const int at, struct pkt_snap *s)
{
	unsigned char *start = skb_snap_start(skb, s, at);

	s->skb_protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	skb_hw_vlan(skb, s);
	return skb_snap_copy(start, s);
}

/*
 * Reads the headers of skb as the hook at point at sees them into k (s: scratch room for
 * the bytes). At PKT_AT_TCP the addresses come from sk and l4_len is the skb's length.
 * Non-zero when nothing could be read (k is then zeroed).
 */
static __always_inline int skb_pkt_key(struct sk_buff *skb, const int at, struct sock *sk, struct pkt_snap *s,
				       struct pkt_key *k)
{
	if (skb_snapshot(skb, at, s)) {
		__builtin_memset(k, 0, sizeof(*k));
		return -1;
	}
	pkt_key_parse(s, k);
	if (at == PKT_AT_TCP) {
		if (!sk)
			return -1;
		k->family = 4;
		k->saddr[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		k->daddr[0] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		k->l4_len = BPF_CORE_READ(skb, len);
	}
	return 0;
}

/* True when dev is one of the set's devices: one of its ifindexes, in its network namespace. */
static __always_inline bool iface_set_has(const struct iface_set *set, struct net_device *dev)
{
	bool listed = false;
	__u32 ifindex;

	if (!dev)
		return false;
	ifindex = BPF_CORE_READ(dev, ifindex);
	if (!ifindex)
		return false;
#pragma unroll
	for (int i = 0; i < PKT_MAX_IFACES; i++)
		listed |= set->ifindex[i] == ifindex;
	return listed && dev_in_netns(dev, set->netns);
}

/* True when dev passes the filter's interface set: any device when the set is empty. */
static __always_inline bool pkt_filter_dev_match(const struct pkt_filter *f, struct net_device *dev)
{
	return !f->iface.ifindex[0] || iface_set_has(&f->iface, dev);
}

/*
 * The fields of an sk_buff that locate its headers. protocol, the header offsets, tail, end,
 * head and data sit together in every kernel's sk_buff: skb_hdrs_read() takes them in one probe
 * read (one field at a time only where a kernel spreads them over more than SKB_HDRS_SPAN bytes).
 */
struct skb_hdrs {
	unsigned char *head, *data;
	__u16 protocol; /* network order */
	__u16 mac_header, network_header, transport_header;
};

#define SKB_HDRS_SPAN 64

/* off - base, computed before it is added to a stack pointer (the verifier refuses subtracting from one). */
static __always_inline __u32 skb_hdrs_index(__u32 off, __u32 base)
{
	__u32 i = off - base;

	barrier_var(i);
	return i;
}

/* The u16 / pointer field of struct sk_buff at its offset in buf, which starts at offset base. */
#define SKB_HDRS_U16(buf, base, field)                                                                       \
	(*(__u16 *)((void *)(buf) + skb_hdrs_index(bpf_core_field_offset(struct sk_buff, field), base)))
#define SKB_HDRS_PTR(buf, base, field)                                                                       \
	(*(unsigned char **)((void *)(buf) +                                                                 \
			     skb_hdrs_index(bpf_core_field_offset(struct sk_buff, field), base)))

/* Whether field lies within the size bytes at offset base of struct sk_buff. */
#define SKB_HDRS_IN(base, size, field)                                                                       \
	(bpf_core_field_offset(struct sk_buff, field) >= (base) &&                                           \
	 bpf_core_field_offset(struct sk_buff, field) + bpf_core_field_size(struct sk_buff, field) <=        \
		 (base) + (size))

static __always_inline void skb_hdrs_read(struct sk_buff *skb, struct skb_hdrs *h)
{
	/* From protocol's 8-byte word (aligned: the verifier wants aligned stack reads) to the end of data. */
	__u32 base = bpf_core_field_offset(struct sk_buff, protocol) & ~7U;
	__u32 size = bpf_core_field_offset(struct sk_buff, data) + sizeof(void *) - base;
	__u64 buf[SKB_HDRS_SPAN / 8];

	if (size <= sizeof(buf) && SKB_HDRS_IN(base, size, mac_header) &&
	    SKB_HDRS_IN(base, size, network_header) && SKB_HDRS_IN(base, size, transport_header) &&
	    SKB_HDRS_IN(base, size, head) && !bpf_probe_read_kernel(buf, size, (void *)skb + base)) {
		h->protocol = SKB_HDRS_U16(buf, base, protocol);
		h->mac_header = SKB_HDRS_U16(buf, base, mac_header);
		h->network_header = SKB_HDRS_U16(buf, base, network_header);
		h->transport_header = SKB_HDRS_U16(buf, base, transport_header);
		h->head = SKB_HDRS_PTR(buf, base, head);
		h->data = SKB_HDRS_PTR(buf, base, data);
		return;
	}
	h->protocol = BPF_CORE_READ(skb, protocol);
	h->mac_header = BPF_CORE_READ(skb, mac_header);
	h->network_header = BPF_CORE_READ(skb, network_header);
	h->transport_header = BPF_CORE_READ(skb, transport_header);
	h->head = BPF_CORE_READ(skb, head);
	h->data = BPF_CORE_READ(skb, data);
}

/*
 * skb_pkt_key(skb, PKT_AT_MAC, ...) from the fields skb_hdrs_read() took: the accelerated VLAN
 * tag is read only with hw_vlan (pkt_key's vlan_id needs it; s has no tag otherwise, skb_hw_vlan()
 * can add it later).
 */
static __always_inline int skb_pkt_key_hdrs(struct sk_buff *skb, const struct skb_hdrs *h, bool hw_vlan,
					    struct pkt_snap *s, struct pkt_key *k)
{
	unsigned char *start = skb_mac_start(h->head, h->mac_header, h->network_header, h->data, s);

	s->skb_protocol = bpf_ntohs(h->protocol);
	s->hw_vlan = 0;
	s->hw_vlan_tci = 0;
	if (hw_vlan)
		skb_hw_vlan(skb, s);
	if (skb_snap_copy(start, s)) {
		__builtin_memset(k, 0, sizeof(*k));
		return -1;
	}
	pkt_key_parse(s, k);
	return 0;
}
