/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side of the skb snapshot (skb_snapshot.h): reads what the bpftrace offload tracers
 * printed of an skb, the way they read it (IPv4 header at head + network_header whatever it
 * holds, ports at head + transport_header, "MACs" at skb->data), with the shared info at
 * head + end. A failed read leaves zeros, as bpftrace's did.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "skb_snapshot.h"

struct sk_buff___pre62_snap {
	__u8 vlan_present : 1;
} __attribute__((preserve_access_index));

/* skb_shinfo(skb): head + end (end is an offset on 64-bit kernels). */
static __always_inline struct skb_shared_info *skb_snap_shinfo(struct sk_buff *skb)
{
	return (void *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));
}

/* The IPv4 protocol and the L4 ports at the skb's header offsets: the filters' fields. */
static __always_inline void skb_snap_l4(struct sk_buff *skb, struct skb_snapshot *s)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	struct wire_ipv4 ip = {};
	__u16 ports[2] = {};

	s->network_header = BPF_CORE_READ(skb, network_header);
	s->transport_header = BPF_CORE_READ(skb, transport_header);
	if (s->network_header != SKB_HDR_UNSET &&
	    !bpf_probe_read_kernel(&ip, sizeof(ip), head + s->network_header)) {
		s->ip_version = ip.ver_ihl >> 4;
		s->ip_protocol = ip.protocol;
		s->saddr = ip.saddr;
		s->daddr = ip.daddr;
	}
	if (s->transport_header != SKB_HDR_UNSET &&
	    !bpf_probe_read_kernel(ports, sizeof(ports), head + s->transport_header)) {
		s->sport = bpf_ntohs(ports[0]);
		s->dport = bpf_ntohs(ports[1]);
	}
}

static __always_inline void skb_snap_vlan(struct sk_buff *skb, struct skb_snapshot *s)
{
	struct sk_buff___pre62_snap *old = (void *)skb;
	__u16 tci = BPF_CORE_READ(skb, vlan_tci);

	if (bpf_core_field_exists(old->vlan_present)) {
		s->hw_vlan = BPF_CORE_READ_BITFIELD_PROBED(old, vlan_present);
	} else if (bpf_core_field_exists(((struct sk_buff___v62 *)skb)->vlan_all)) {
		s->hw_vlan = BPF_CORE_READ(skb, vlan_proto) != 0;
	} else {
		s->hw_vlan = (tci & 0x1000) != 0; /* VLAN_TAG_PRESENT, before 5.0 */
		tci &= ~0x1000;
	}
	s->hw_vlan_tci = s->hw_vlan ? tci : 0;
}

/* Fills s from skb and its device (s must be zeroed; skb_snap_l4 may have run already). */
static __always_inline void skb_snapshot_read(struct sk_buff *skb, struct skb_snapshot *s)
{
	struct skb_shared_info *shinfo = skb_snap_shinfo(skb);
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	void *cb = (void *)skb + bpf_core_field_offset(struct sk_buff, cb);

	skb_snap_l4(skb, s);
	s->len = BPF_CORE_READ(skb, len);
	s->data_len = BPF_CORE_READ(skb, data_len);
	s->cloned = BPF_CORE_READ_BITFIELD_PROBED(skb, cloned);
	s->inner_network_header = BPF_CORE_READ(skb, inner_network_header);
	s->inner_transport_header = BPF_CORE_READ(skb, inner_transport_header);
	s->inner_protocol = bpf_ntohs(BPF_CORE_READ(skb, inner_protocol));
	s->encapsulation = BPF_CORE_READ_BITFIELD_PROBED(skb, encapsulation);
	s->ignore_df = BPF_CORE_READ_BITFIELD_PROBED(skb, ignore_df);
	s->ip_summed = BPF_CORE_READ_BITFIELD_PROBED(skb, ip_summed);
	s->pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	s->inner_protocol_type = BPF_CORE_READ_BITFIELD_PROBED(skb, inner_protocol_type);
	bpf_probe_read_kernel(&s->frag_max_size, sizeof(s->frag_max_size),
			      cb + bpf_core_field_offset(struct inet_skb_parm, frag_max_size));
	s->gso_size = BPF_CORE_READ(shinfo, gso_size);
	s->gso_segs = BPF_CORE_READ(shinfo, gso_segs);
	s->gso_type = BPF_CORE_READ(shinfo, gso_type);
	s->nr_frags = BPF_CORE_READ(shinfo, nr_frags);
	s->frag_list = (__u64)BPF_CORE_READ(shinfo, frag_list);
	s->dataref = BPF_CORE_READ(shinfo, dataref.counter);
	bpf_probe_read_kernel(s->data, sizeof(s->data), BPF_CORE_READ(skb, data));
	skb_snap_vlan(skb, s);
	if (!dev)
		return;
	bpf_core_read_str(s->dev, sizeof(s->dev), &dev->name);
	s->ifindex = BPF_CORE_READ(dev, ifindex);
	s->features = BPF_CORE_READ(dev, features);
	s->hw_features = BPF_CORE_READ(dev, hw_features);
	s->wanted_features = BPF_CORE_READ(dev, wanted_features);
	s->hw_enc_features = BPF_CORE_READ(dev, hw_enc_features);
	s->gso_partial_features = BPF_CORE_READ(dev, gso_partial_features);
}

/* Whether skb's device is one of set's (a non-empty set), its name copied to s->dev. */
static __always_inline bool skb_snap_dev_listed(struct sk_buff *skb, const struct dev_name_set *set,
						struct skb_snapshot *s)
{
	return dev_name_set_has(set, BPF_CORE_READ(skb, dev), s->dev) && set->count;
}

/* Sends ev as probe probe, with a kernel stack in stacks when stack is set. */
static __always_inline void skb_probe_submit(void *ctx, struct skb_probe_event *ev, void *stacks, __u8 probe,
					     bool stack)
{
	ev->probe = probe;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->stack_id = stack ? bpf_get_stackid(ctx, stacks, 0) : -1;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	emit_event(ctx, ev, sizeof(*ev));
}
