// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_dev_queue_xmit: skbs with a GSO size but no GSO type entering __dev_queue_xmit and
 * sch_direct_xmit on the named devices, DHCP left out.
 */
#include "skb_gso.bpf.h"
#include "trace_dev_queue_xmit.h"

BPFNET_FUNC_ENTRY(dqx_sch_direct_xmit, sch_direct_xmit, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, DQX_SCH_DIRECT_XMIT, true);
}

BPFNET_FUNC_ENTRY(dqx_dev_queue_xmit, __dev_queue_xmit, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, DQX_DEV_QUEUE_XMIT, true);
}

/* net_dev_queue(skb) on every kernel: the raw tracepoint, the classic one as its fallback. */
SEC("raw_tp/net_dev_queue")
int BPF_PROG(dqx_tp_net_dev_queue_raw, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, DQX_DEV_QUEUE_XMIT, true);
}

SEC("tp/net/net_dev_queue")
int dqx_tp_net_dev_queue(struct trace_event_raw_net_dev_template *ctx)
{
	return gso_on_skb(ctx, ctx->skbaddr, DQX_DEV_QUEUE_XMIT, true);
}

BPFNET_LICENSE;
