// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_offloading_segment: UDP tunnel (Geneve) packets at tunnel transmit, at UDP-tunnel GSO
 * segmentation and when freed, with their GSO and encapsulation state.
 */
#include "bpfnet.bpf.h"
#include "skb_snapshot.bpf.h"
#include "trace_offloading_segment.h"

BPFNET_CONFIG(struct offseg_config)
BPFNET_SCRATCH(event, struct skb_probe_event)
BPFNET_STACK_MAP(stacks, 16384);

/*
 * The original's filter: UDP (by the protocol field at the network header) to the tunnel port
 * (at the transport header). banner: the probe's line is printed for every call, matched or not.
 */
static __always_inline int on_skb(void *ctx, struct sk_buff *skb, __u8 probe, bool banner)
{
	const struct offseg_config *cfg = get_config();
	struct skb_probe_event *ev = event_zeroed();
	bool match;

	if (!cfg || !ev || !skb)
		return 0;
	skb_snap_l4(skb, &ev->skb);
	match = ev->skb.ip_protocol == IPPROTO_UDP && ev->skb.dport == cfg->dst_port;
	if (!match && !banner)
		return 0;
	if (match) {
		skb_snapshot_read(skb, &ev->skb);
		ev->flags = SKB_EV_MATCH;
	}
	skb_probe_submit(ctx, ev, &stacks, probe, match);
	return 0;
}

/* More than 6 arguments: x86 trampolines before 6.6 cannot carry them, a kprobe only. */
SEC("kprobe")
int BPF_KPROBE(os_iptunnel_xmit, void *sk, void *rt, struct sk_buff *skb)
{
	return on_skb(ctx, skb, OFFSEG_IPTUNNEL_XMIT, true);
}

BPFNET_FUNC_ENTRY(os_udp_tunnel_segment, skb_udp_tunnel_segment, struct sk_buff *skb)
{
	return on_skb(ctx, skb, OFFSEG_UDP_TUNNEL_SEGMENT, true);
}

BPFNET_FUNC_ENTRY(os_kfree_skb, __kfree_skb, struct sk_buff *skb)
{
	return on_skb(ctx, skb, OFFSEG_KFREE_SKB, false);
}

BPFNET_LICENSE;
