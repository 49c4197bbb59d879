/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF programs of netstage's hooks, each handing its skb to netstage_hook(); included at
 * the end of netstage.bpf.h. User space loads and attaches the ones its stages need.
 */
#pragma once

/* The entry of func (kprobe prog or fentry prog_fentry, BPFNET_FUNC_ENTRY) handing its skb argument, read at, to hook. */
#define NS_SKB_FUNC(prog, func, hook, at, args...)                                                           \
	BPFNET_FUNC_ENTRY(prog, func, args)                                                                  \
	{                                                                                                    \
		return netstage_hook(ctx, hook, skb, at, NULL, NULL);                                        \
	}

/*
 * A raw tracepoint program prog on tracepoint name handing its argument number arg (the skb), read
 * at, to hook: the arguments as the kernel passes them, without the trace event record a classic
 * tracepoint program has the kernel fill per packet.
 */
#define NS_SKB_RAW_TRACEPOINT(prog, name, arg, hook, at)                                                     \
	SEC("raw_tp/" name)                                                                                  \
	int prog(struct bpf_raw_tracepoint_args *ctx)                                                        \
	{                                                                                                    \
		return netstage_hook(ctx, hook, (struct sk_buff *)ctx->args[arg], at, NULL, NULL);           \
	}

/* __ip_queue_xmit, or ip_queue_xmit(sk, skb, fl) before 4.18: the same first two arguments. */
BPFNET_FUNC_ENTRY(ns_ip_queue_xmit, __ip_queue_xmit, struct sock *sk, struct sk_buff *skb)
{
	return netstage_hook(ctx, NS_HOOK_IP_QUEUE_XMIT, skb, PKT_AT_TCP, sk,
			     BPF_CORE_READ(sk, __sk_common.skc_net.net));
}

BPFNET_FUNC_ENTRY(ns_ip_send_skb, ip_send_skb, struct net *net, struct sk_buff *skb)
{
	return netstage_hook(ctx, NS_HOOK_IP_SEND_SKB, skb, PKT_AT_NET, NULL, net);
}

BPFNET_FUNC_ENTRY(ns_ip_output, ip_output, struct net *net, struct sock *sk, struct sk_buff *skb)
{
	return netstage_hook(ctx, NS_HOOK_IP_OUTPUT, skb, PKT_AT_NET, NULL, net);
}

NS_SKB_FUNC(ns_internal_dev_xmit, internal_dev_xmit, NS_HOOK_INTERNAL_DEV_XMIT, PKT_AT_NET,
	    struct sk_buff *skb)

NS_SKB_FUNC(ns_ovs_vport_receive, ovs_vport_receive, NS_HOOK_OVS_VPORT_RECEIVE, PKT_AT_NET, void *vport,
	    struct sk_buff *skb)

NS_SKB_FUNC(ns_ovs_dp_process_packet, ovs_dp_process_packet, NS_HOOK_OVS_DP_PROCESS, PKT_AT_NET,
	    struct sk_buff *skb)

NS_SKB_FUNC(ns_ovs_dp_upcall, ovs_dp_upcall, NS_HOOK_OVS_DP_UPCALL, PKT_AT_NET, void *dp, struct sk_buff *skb)

/* The packet ovs-vswitchd sends back after an upcall: a new skb, Ethernet header at data. */
NS_SKB_FUNC(ns_ovs_flow_key_extract_userspace, ovs_flow_key_extract_userspace, NS_HOOK_OVS_KEY_USERSPACE,
	    PKT_AT_ETH, struct net *net, const void *attr, struct sk_buff *skb)

NS_SKB_FUNC(ns_ovs_ct_fill_key, ovs_ct_fill_key, NS_HOOK_OVS_CT_FILL_KEY, PKT_AT_NET, struct sk_buff *skb)

static __always_inline int ns_ct_in(void *ctx, struct sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *slot = bpf_map_lookup_elem(&netstage_ct_skb, &zero);

	if (slot)
		*slot = (__u64)(long)skb;
	return netstage_hook(ctx, NS_HOOK_CT_IN, skb, PKT_AT_NET, NULL, NULL);
}

/* nf_conntrack_in(skb, state) since 4.20. */
BPFNET_FUNC_ENTRY(ns_nf_conntrack_in, nf_conntrack_in, struct sk_buff *skb)
{
	return ns_ct_in(ctx, skb);
}

/* nf_conntrack_in(net, pf, hooknum, skb) before 4.20. */
SEC("kprobe")
int BPF_KPROBE(ns_nf_conntrack_in_old, struct net *net, __u8 pf, unsigned int hooknum, struct sk_buff *skb)
{
	return ns_ct_in(ctx, skb);
}

/* nf_conntrack_in(skb, state): the fexit program needs 5.5+, where the skb is the 1st of 2. */
BPFNET_FUNC_RETURN(ns_nf_conntrack_in_ret, nf_conntrack_in, 2, unsigned int verdict)
{
	__u32 zero = 0;
	__u64 *slot = bpf_map_lookup_elem(&netstage_ct_skb, &zero);
	struct sk_buff *skb;

	if (!slot || !*slot)
		return 0;
	(void)verdict;
	skb = (struct sk_buff *)(long)*slot;
	*slot = 0;
	return netstage_hook(ctx, NS_HOOK_CT_DONE, skb, PKT_AT_NET, NULL, NULL);
}

NS_SKB_FUNC(ns_ovs_vport_send, ovs_vport_send, NS_HOOK_OVS_VPORT_SEND, PKT_AT_NET, void *vport,
	    struct sk_buff *skb)

/* TP_PROTO(struct sk_buff *skb) */
NS_SKB_RAW_TRACEPOINT(ns_net_dev_queue, "net_dev_queue", 0, NS_HOOK_DEV_QUEUE, PKT_AT_NET)

/* __dev_queue_xmit, or dev_queue_xmit before 5.19. */
NS_SKB_FUNC(ns_dev_queue_xmit, __dev_queue_xmit, NS_HOOK_DEV_QUEUE, PKT_AT_NET, struct sk_buff *skb)

/* TP_PROTO(struct Qdisc *qdisc, const struct netdev_queue *txq, int packets, struct sk_buff *skb) */
NS_SKB_RAW_TRACEPOINT(ns_qdisc_dequeue, "qdisc_dequeue", 3, NS_HOOK_QDISC_DEQUEUE, PKT_AT_NET)

/* TP_PROTO(const struct sk_buff *skb, const struct net_device *dev) */
NS_SKB_RAW_TRACEPOINT(ns_net_dev_start_xmit, "net_dev_start_xmit", 0, NS_HOOK_DEV_START_XMIT, PKT_AT_NET)

BPFNET_FUNC_ENTRY(ns_dev_hard_start_xmit, dev_hard_start_xmit, struct sk_buff *first)
{
	return netstage_hook(ctx, NS_HOOK_DEV_START_XMIT, first, PKT_AT_NET, NULL, NULL);
}

/*
 * TP_PROTO(struct sk_buff *skb); fires before the core resets the network header: the IP header
 * is at skb->data.
 */
NS_SKB_RAW_TRACEPOINT(ns_netif_receive_skb, "netif_receive_skb", 0, NS_HOOK_NETIF_RECEIVE,
		      NS_AT_NETIF_RECEIVE)

/* A kprobe only: fentry takes no pointer-to-pointer argument before 6.x. */
SEC("kprobe")
int BPF_KPROBE(ns_netdev_frame_hook, struct sk_buff **pskb)
{
	struct sk_buff *skb = NULL;

	if (bpf_probe_read_kernel(&skb, sizeof(skb), pskb))
		return 0;
	return netstage_hook(ctx, NS_HOOK_NETDEV_FRAME_HOOK, skb, PKT_AT_NET, NULL, NULL);
}

NS_SKB_FUNC(ns_internal_dev_recv, internal_dev_recv, NS_HOOK_INTERNAL_DEV_RECV, PKT_AT_NET,
	    struct sk_buff *skb)

NS_SKB_FUNC(ns_ip_rcv, ip_rcv, NS_HOOK_IP_RCV, PKT_AT_NET, struct sk_buff *skb)

NS_SKB_FUNC(ns_tcp_v4_rcv, tcp_v4_rcv, NS_HOOK_TCP_V4_RCV, PKT_AT_NET, struct sk_buff *skb)

/* udp_rcv, or __udp4_lib_rcv(skb, ...) where udp_rcv is inlined. */
NS_SKB_FUNC(ns_udp_rcv, udp_rcv, NS_HOOK_UDP_RCV, PKT_AT_NET, struct sk_buff *skb)

NS_SKB_FUNC(ns_icmp_rcv, icmp_rcv, NS_HOOK_ICMP_RCV, PKT_AT_NET, struct sk_buff *skb)
