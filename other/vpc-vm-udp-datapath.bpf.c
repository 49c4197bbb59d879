// SPDX-License-Identifier: GPL-2.0-only
/*
 * vpc-vm-udp-datapath: the offload and GSO state of a VM's UDP traffic on a VPC host (OVS and
 * a Geneve overlay) at tunnel offload setup, UDP-tunnel transmit, GSO segmentation, the
 * device checks before transmit and the mlx5 driver's transmit.
 */
#include "bpfnet.bpf.h"
#include "skb_snapshot.bpf.h"
#include "vpc-vm-udp-datapath.h"

BPFNET_CONFIG(struct vpc_config)
BPFNET_SCRATCH(event, struct skb_probe_event)
BPFNET_STACK_MAP(stacks, 16384);

/* Which hits a probe shows beyond its device set: the script's per-probe protocol filters. */
enum vpc_filter {
	ANY_PACKET,
	IPV4_FRAME_NOT_ICMP_OR_DHCP, /* validate_xmit_skb, netif_skb_features */
	TUNNEL_PORT, /* mlx5e_xmit: UDP to --dst-port */
};

static __always_inline bool protocol_passes(const struct skb_snapshot *s, enum vpc_filter filter,
					    const struct vpc_config *cfg)
{
	if (filter == ANY_PACKET)
		return true;
	if (s->ip_protocol == IPPROTO_ICMP)
		return false;
	if (filter == TUNNEL_PORT)
		return s->ip_protocol == IPPROTO_UDP && s->dport == cfg->dst_port;
	if (s->data[12] != 0x08 || s->data[13] != 0x00)
		return false;
	return !(s->ip_protocol == IPPROTO_UDP && (s->sport == 67 || s->sport == 68));
}

/*
 * A hit on a device of the configuration's set at set_offset, passing filter: the snapshot with
 * arg, the probe's printed argument.
 */
static __always_inline int on_skb(void *ctx, struct sk_buff *skb, __u8 probe, __u64 arg, __u32 set_offset,
				  enum vpc_filter filter)
{
	const struct vpc_config *cfg = get_config();
	struct skb_probe_event *ev = event_zeroed();

	if (!cfg || !ev || !skb)
		return 0;
	if (!dev_name_set_has((const void *)cfg + set_offset, BPF_CORE_READ(skb, dev), ev->skb.dev))
		return 0;
	skb_snapshot_read(skb, &ev->skb);
	if (!protocol_passes(&ev->skb, filter, cfg))
		return 0;
	ev->arg = arg;
	ev->flags = SKB_EV_MATCH;
	skb_probe_submit(ctx, ev, &stacks, probe, true);
	return 0;
}

#define SET(field) __builtin_offsetof(struct vpc_config, field)

BPFNET_FUNC_ENTRY(vpc_handle_offloads, iptunnel_handle_offloads, struct sk_buff *skb, int gso_type_mask)
{
	return on_skb(ctx, skb, VPC_HANDLE_OFFLOADS, (__u64)(__s64)gso_type_mask, SET(tunnel), ANY_PACKET);
}

/* More than 6 arguments: x86 trampolines before 6.6 cannot carry them, a kprobe only. */
SEC("kprobe")
int BPF_KPROBE(vpc_udp_tunnel_xmit, void *rt, void *sk, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VPC_UDP_TUNNEL_XMIT, 0, SET(tunnel), ANY_PACKET);
}

BPFNET_FUNC_ENTRY(vpc_udp_gso_segment, __udp_gso_segment, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VPC_UDP_GSO_SEGMENT, 0, SET(devices), ANY_PACKET);
}

BPFNET_FUNC_ENTRY(vpc_skb_gso_segment, __skb_gso_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VPC_SKB_GSO_SEGMENT, features, SET(devices), ANY_PACKET);
}

BPFNET_FUNC_ENTRY(vpc_segment, skb_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VPC_SEGMENT, features, SET(devices), ANY_PACKET);
}

BPFNET_FUNC_ENTRY(vpc_mlx5e_xmit, mlx5e_xmit, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VPC_MLX5E_XMIT, 0, SET(phy), TUNNEL_PORT);
}

BPFNET_FUNC_ENTRY(vpc_validate_xmit, validate_xmit_skb, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VPC_VALIDATE_XMIT, 0, SET(validate), IPV4_FRAME_NOT_ICMP_OR_DHCP);
}

BPFNET_FUNC_ENTRY(vpc_netif_skb_features, netif_skb_features, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VPC_NETIF_SKB_FEATURES, 0, SET(devices), IPV4_FRAME_NOT_ICMP_OR_DHCP);
}

BPFNET_LICENSE;
