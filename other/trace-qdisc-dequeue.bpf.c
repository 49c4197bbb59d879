// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-qdisc-dequeue: skbs with a GSO size but no GSO type at qdisc dequeue and device queue
 * entry (named devices), and at the transmit and TCP functions of the original (any device,
 * or --kprobe-device).
 */
#include "skb_gso.bpf.h"
#include "trace-qdisc-dequeue.h"

/*
 * The raw tracepoints first, the classic ones as their fallback; their arguments are the same on
 * every kernel: qdisc_dequeue(qdisc, txq, packets, skb), net_dev_queue(skb). The skb is NULL
 * when the dequeue found nothing.
 */
SEC("raw_tp/qdisc_dequeue")
int BPF_PROG(qdq_tp_qdisc_dequeue_raw, struct Qdisc *qdisc, const struct netdev_queue *txq, int packets,
	     struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, QDQ_QDISC_DEQUEUE, false);
}

SEC("raw_tp/net_dev_queue")
int BPF_PROG(qdq_tp_net_dev_queue_raw, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, QDQ_NET_DEV_QUEUE, false);
}

SEC("tp/qdisc/qdisc_dequeue")
int qdq_tp_qdisc_dequeue(struct trace_event_raw_qdisc_dequeue *ctx)
{
	return gso_on_skb(ctx, ctx->skbaddr, QDQ_QDISC_DEQUEUE, false);
}

SEC("tp/net/net_dev_queue")
int qdq_tp_net_dev_queue(struct trace_event_raw_net_dev_template *ctx)
{
	return gso_on_skb(ctx, ctx->skbaddr, QDQ_NET_DEV_QUEUE, false);
}

/* sk: the skb's own socket (sk_of_skb) or the function's socket argument. */
static __always_inline int on_function(void *ctx, struct sock *sk, struct sk_buff *skb, bool sk_of_skb,
				       __u32 probe)
{
	const struct gso_config *cfg = get_config();
	struct gso_event *ev;

	if (!cfg)
		return 0;
	ev = gso_check(skb, &cfg->devices2, cfg, false);
	if (!ev)
		return 0;
	gso_event_sock(ev, sk_of_skb ? BPF_CORE_READ(skb, sk) : sk);
	gso_submit(ctx, ev, probe);
	return 0;
}

BPFNET_FUNC_ENTRY(qdq_sch_direct_xmit, sch_direct_xmit, struct sk_buff *skb)
{
	return on_function(ctx, NULL, skb, true, QDQ_SCH_DIRECT_XMIT);
}

BPFNET_FUNC_ENTRY(qdq_tun_net_xmit, tun_net_xmit, struct sk_buff *skb)
{
	return on_function(ctx, NULL, skb, true, QDQ_TUN_NET_XMIT);
}

BPFNET_FUNC_ENTRY(qdq_ip_queue_xmit, __ip_queue_xmit, struct sock *sk, struct sk_buff *skb)
{
	return on_function(ctx, sk, skb, false, QDQ_IP_QUEUE_XMIT);
}

BPFNET_FUNC_ENTRY(qdq_tcp_transmit_skb, __tcp_transmit_skb, struct sock *sk, struct sk_buff *skb)
{
	return on_function(ctx, sk, skb, false, QDQ_TCP_TRANSMIT_SKB);
}

BPFNET_FUNC_ENTRY(qdq_tcp_add_backlog, tcp_add_backlog, struct sock *sk, struct sk_buff *skb)
{
	return on_function(ctx, sk, skb, false, QDQ_TCP_ADD_BACKLOG);
}

BPFNET_FUNC_ENTRY(qdq_tcp_v4_do_rcv, tcp_v4_do_rcv, struct sock *sk, struct sk_buff *skb)
{
	return on_function(ctx, sk, skb, false, QDQ_TCP_V4_DO_RCV);
}

BPFNET_LICENSE;
