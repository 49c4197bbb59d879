// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_vlanvm_udp_workload: the offload and GSO state of skbs on the listed devices along the
 * transmit path (tunnel offloads, GSO segmentation, IP output and fragmentation, ICMP errors,
 * driver transmit, validate_xmit_skb / netif_skb_features).
 */
#include "bpfnet.bpf.h"
#include "skb_snapshot.bpf.h"
#include "trace_vlanvm_udp_workload.h"

BPFNET_CONFIG(struct vlanvm_config)
BPFNET_SCRATCH(event, struct skb_probe_event)
BPFNET_STACK_MAP(stacks, 16384);

/* The script's pre-filter of validate_xmit_skb and netif_skb_features: IPv4 frames, no DHCP. */
static __always_inline bool ipv4_not_dhcp(const struct skb_snapshot *s)
{
	if (s->data[12] != 0x08 || s->data[13] != 0x00)
		return false;
	return !(s->ip_protocol == IPPROTO_UDP && (s->sport == 67 || s->sport == 68));
}

/* A hit on a listed device: the snapshot with arg, the probe's other printed argument. */
static __always_inline int on_skb(void *ctx, struct sk_buff *skb, __u8 probe, __u64 arg, bool ipv4_only)
{
	const struct vlanvm_config *cfg = get_config();
	struct skb_probe_event *ev = event_zeroed();

	if (!cfg || !ev || !skb)
		return 0;
	if (!skb_snap_dev_listed(skb, &cfg->devices, &ev->skb))
		return 0;
	skb_snapshot_read(skb, &ev->skb);
	if (ipv4_only && !ipv4_not_dhcp(&ev->skb))
		return 0;
	ev->arg = arg;
	ev->flags = SKB_EV_MATCH;
	skb_probe_submit(ctx, ev, &stacks, probe, true);
	return 0;
}

/* mlx5e_xmit and internal_dev_xmit: the NIC's block and, independently, the internal ports'. */
static __always_inline int on_driver_xmit(void *ctx, struct sk_buff *skb, __u8 probe)
{
	const struct vlanvm_config *cfg = get_config();
	struct skb_probe_event *ev = event_zeroed();

	if (!cfg || !ev || !skb)
		return 0;
	if (skb_snap_dev_listed(skb, &cfg->phy, &ev->skb))
		ev->flags |= VLANVM_EV_PHY;
	if (skb_snap_dev_listed(skb, &cfg->internal, &ev->skb))
		ev->flags |= VLANVM_EV_INTERNAL;
	if (!ev->flags)
		return 0;
	ev->flags |= SKB_EV_MATCH;
	skb_snapshot_read(skb, &ev->skb);
	skb_probe_submit(ctx, ev, &stacks, probe, true);
	return 0;
}

BPFNET_FUNC_ENTRY(vv_handle_offloads, iptunnel_handle_offloads, struct sk_buff *skb, int gso_type_mask)
{
	return on_skb(ctx, skb, VLANVM_HANDLE_OFFLOADS, (__u64)(__s64)gso_type_mask, false);
}

/* More than 6 arguments: x86 trampolines before 6.6 cannot carry them, a kprobe only. */
SEC("kprobe")
int BPF_KPROBE(vv_iptunnel_xmit, void *sk, void *rt, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_IPTUNNEL_XMIT, 0, false);
}

/* More than 6 arguments: x86 trampolines before 6.6 cannot carry them, a kprobe only. */
SEC("kprobe")
int BPF_KPROBE(vv_udp_tunnel_xmit, void *rt, void *sk, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_UDP_TUNNEL_XMIT, 0, false);
}

BPFNET_FUNC_ENTRY(vv_mac_gso_segment, skb_mac_gso_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_MAC_GSO_SEGMENT, features, false);
}

BPFNET_FUNC_ENTRY(vv_tcp_gso_segment, tcp_gso_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_TCP_GSO_SEGMENT, features, false);
}

BPFNET_FUNC_ENTRY(vv_skb_gso_segment, __skb_gso_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_SKB_GSO_SEGMENT, features, false);
}

BPFNET_FUNC_ENTRY(vv_udp_gso_segment, __udp_gso_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_UDP_GSO_SEGMENT, features, false);
}

BPFNET_FUNC_ENTRY(vv_segment_list, skb_segment_list, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_SEGMENT_LIST, features, false);
}

BPFNET_FUNC_ENTRY(vv_segment, skb_segment, struct sk_buff *skb, __u64 features)
{
	return on_skb(ctx, skb, VLANVM_SEGMENT, features, false);
}

BPFNET_FUNC_ENTRY(vv_ip_finish_output, __ip_finish_output, void *net, void *sk, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_IP_FINISH_OUTPUT, 0, false);
}

BPFNET_FUNC_ENTRY(vv_ip_finish_output_gso, ip_finish_output_gso, void *net, void *sk, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_IP_FINISH_OUTPUT_GSO, 0, false);
}

BPFNET_FUNC_ENTRY(vv_icmp_send, __icmp_send, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_ICMP_SEND, 0, false);
}

BPFNET_FUNC_ENTRY(vv_ip_fragment, ip_fragment, void *net, void *sk, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_IP_FRAGMENT, 0, false);
}

BPFNET_FUNC_ENTRY(vv_mlx5e_xmit, mlx5e_xmit, struct sk_buff *skb)
{
	return on_driver_xmit(ctx, skb, VLANVM_MLX5E_XMIT);
}

BPFNET_FUNC_ENTRY(vv_internal_dev_xmit, internal_dev_xmit, struct sk_buff *skb)
{
	return on_driver_xmit(ctx, skb, VLANVM_INTERNAL_DEV_XMIT);
}

BPFNET_FUNC_ENTRY(vv_validate_xmit, validate_xmit_skb, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_VALIDATE_XMIT, 0, true);
}

BPFNET_FUNC_ENTRY(vv_netif_skb_features, netif_skb_features, struct sk_buff *skb)
{
	return on_skb(ctx, skb, VLANVM_NETIF_SKB_FEATURES, 0, true);
}

BPFNET_LICENSE;
