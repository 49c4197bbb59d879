/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side of the GSO anomaly detectors (skb_gso.h): the configuration, the check every
 * probe makes (device name, GSO size without a type, DHCP excluded where the original did),
 * the skb snapshot and the event with its kernel stack.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "skb_gso.h"

BPFNET_CONFIG(struct gso_config)
BPFNET_SCRATCH(gso_event, struct gso_event)

/* Anomalies reported, per probe number. */
BPFNET_MAP(gso_anomalies, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, GSO_MAX_PROBES);

#define GSO_UDP_PROTO 17
#define GSO_DHCP_SERVER_PORT 67
#define GSO_DHCP_CLIENT_PORT 68

/* skb_shinfo(): 64-bit kernels keep skb->end as an offset from head. */
static __always_inline struct skb_shared_info *skb_gso_shinfo(struct sk_buff *skb)
{
	return (void *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));
}

/* A GSO size without a GSO type (bits of gso_type_ignore count as absent). */
static __always_inline bool skb_gso_anomalous(const struct gso_config *cfg, struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_gso_shinfo(skb);
	__u32 type = BPF_CORE_READ(sh, gso_type);

	return BPF_CORE_READ(sh, gso_size) && !(type & ~cfg->gso_type_ignore);
}

static __always_inline void skb_gso_read_dev(struct net_device *dev, struct skb_gso_state *s)
{
	if (!dev)
		return;
	s->features = BPF_CORE_READ(dev, features);
	s->hw_features = BPF_CORE_READ(dev, hw_features);
	s->wanted_features = BPF_CORE_READ(dev, wanted_features);
	s->hw_enc_features = BPF_CORE_READ(dev, hw_enc_features);
	s->gso_partial_features = BPF_CORE_READ(dev, gso_partial_features);
}

/* The IPv4 header at network_header and the ports at transport_header, when there is one. */
static __always_inline void skb_gso_read_ip(unsigned char *head, struct skb_gso_state *s)
{
	struct wire_l4_ports ports;
	struct wire_ipv4 ip;

	if (s->network_header == SKB_HDR_UNSET ||
	    bpf_probe_read_kernel(&ip, sizeof(ip), head + s->network_header) || ip.ver_ihl >> 4 != 4)
		return;
	s->ipv4 = 1;
	s->ip_proto = ip.protocol;
	s->saddr = ip.saddr;
	s->daddr = ip.daddr;
	if (s->transport_header == SKB_HDR_UNSET ||
	    bpf_probe_read_kernel(&ports, sizeof(ports), head + s->transport_header))
		return;
	s->sport = bpf_ntohs(ports.source);
	s->dport = bpf_ntohs(ports.dest);
}

/* Everything printed of skb but its device's name (s is zeroed by the caller). */
static __always_inline void skb_gso_read(struct sk_buff *skb, struct skb_gso_state *s)
{
	struct skb_shared_info *sh = skb_gso_shinfo(skb);
	struct inet_skb_parm *parm = (void *)skb + bpf_core_field_offset(skb->cb);
	unsigned char *head = BPF_CORE_READ(skb, head);
	struct wire_eth eth;

	skb_gso_read_dev(BPF_CORE_READ(skb, dev), s);
	s->len = BPF_CORE_READ(skb, len);
	s->data_len = BPF_CORE_READ(skb, data_len);
	s->ignore_df = BPF_CORE_READ_BITFIELD_PROBED(skb, ignore_df);
	s->cloned = BPF_CORE_READ_BITFIELD_PROBED(skb, cloned);
	s->ip_summed = BPF_CORE_READ_BITFIELD_PROBED(skb, ip_summed);
	s->encapsulation = BPF_CORE_READ_BITFIELD_PROBED(skb, encapsulation);
	s->network_header = BPF_CORE_READ(skb, network_header);
	s->transport_header = BPF_CORE_READ(skb, transport_header);
	s->inner_network_header = BPF_CORE_READ(skb, inner_network_header);
	s->inner_transport_header = BPF_CORE_READ(skb, inner_transport_header);
	s->frag_max_size = BPF_CORE_READ(parm, frag_max_size);
	s->gso_size = BPF_CORE_READ(sh, gso_size);
	s->gso_segs = BPF_CORE_READ(sh, gso_segs);
	s->gso_type = BPF_CORE_READ(sh, gso_type);
	s->nr_frags = BPF_CORE_READ(sh, nr_frags);
	s->frag_list = (__u64)BPF_CORE_READ(sh, frag_list);
	s->dataref = BPF_CORE_READ(sh, dataref.counter);
	skb_gso_read_ip(head, s);
	if (!bpf_probe_read_kernel(&eth, sizeof(eth), BPF_CORE_READ(skb, data))) {
		__builtin_memcpy(s->mac_src, eth.src, 6);
		__builtin_memcpy(s->mac_dst, eth.dst, 6);
	}
}

static __always_inline bool skb_gso_is_dhcp(const struct skb_gso_state *s)
{
	return s->ipv4 && s->ip_proto == GSO_UDP_PROTO &&
	       (s->sport == GSO_DHCP_SERVER_PORT || s->sport == GSO_DHCP_CLIENT_PORT);
}

/*
 * The check of every probe: skb's device is one of devices (any when the set is empty) and
 * skb has a GSO size without a type; with skip_dhcp, DHCP (IPv4 UDP from port 67 or 68) is
 * left out. Returns the event, filled but for the probe's own fields, or NULL.
 */
static __always_inline struct gso_event *gso_check(struct sk_buff *skb, const struct dev_name_set *devices,
						   const struct gso_config *cfg, bool skip_dhcp)
{
	struct gso_event *ev;
	char name[DEV_NAME_LEN];

	if (!skb || !dev_name_set_has(devices, BPF_CORE_READ(skb, dev), name) || !skb_gso_anomalous(cfg, skb))
		return NULL;
	ev = gso_event_get();
	if (!ev)
		return NULL;
	__builtin_memset(ev, 0, __builtin_offsetof(struct gso_event, stack));
	__builtin_memcpy(ev->skb.dev, name, DEV_NAME_LEN);
	skb_gso_read(skb, &ev->skb);
	if (skip_dhcp && skb_gso_is_dhcp(&ev->skb))
		return NULL;
	return ev;
}

/* The socket's addresses and destination port, as the originals printed them. */
static __always_inline void gso_event_sock(struct gso_event *ev, struct sock *sk)
{
	if (!sk)
		return;
	ev->sk_saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	ev->sk_daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	ev->sk_dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
}

/* Counts the anomaly for probe and sends the event with the kernel stack of ctx. */
static __always_inline void gso_submit(void *ctx, struct gso_event *ev, __u32 probe)
{
	ev->probe = probe;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->stack_bytes = bpf_get_stack(ctx, ev->stack, sizeof(ev->stack), 0);
	counter_add(&gso_anomalies, probe, 1);
	emit_event(ctx, ev, sizeof(*ev));
}

/* A probe on the tool's device list: the check, then the event. */
static __always_inline int gso_on_skb(void *ctx, struct sk_buff *skb, __u32 probe, bool skip_dhcp)
{
	const struct gso_config *cfg = get_config();
	struct gso_event *ev;

	if (!cfg)
		return 0;
	ev = gso_check(skb, &cfg->devices, cfg, skip_dhcp);
	if (ev)
		gso_submit(ctx, ev, probe);
	return 0;
}
