// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-abnormal-arp: every packet received from or sent into the named tap is counted per
 * (process, interface); an ARP packet whose sender protocol address is the one asked for is
 * sent to user space with its addresses, opcode and kernel stack.
 */
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "trace-abnormal-arp.h"

BPFNET_CONFIG(struct arp_config)
BPFNET_SCRATCH(arp_event, struct arp_event)
BPFNET_MAP(packet_counts, BPF_MAP_TYPE_HASH, struct arp_count_key, __u64, ARP_MAX_COUNTS);
/* Packets packet_counts had no room for. */
BPFNET_MAP(counts_full, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);

struct sk_buff___arp {
	__u8 pkt_type : 3;
} __attribute__((preserve_access_index));

/* An Ethernet/IPv4 ARP header, as on the wire. */
struct wire_arp {
	__be16 htype, ptype;
	__u8 hlen, plen;
	__be16 op;
	__u8 sha[6];
	__u8 spa[4];
	__u8 tha[6];
	__u8 tpa[4];
} __attribute__((packed));

static __always_inline int on_skb(void *ctx, struct sk_buff *skb, __u32 probe)
{
	const struct arp_config *cfg = get_config();
	struct arp_count_key key = {};
	unsigned char *head;
	struct arp_event *ev;
	struct wire_eth eth;
	struct wire_arp arp;
	__u16 mac, net;

	if (!cfg || !skb || !dev_name_set_has(&cfg->devices, BPF_CORE_READ(skb, dev), key.dev))
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	hash_counter_inc(&packet_counts, &key, &counts_full, 0);
	if (bpf_ntohs(BPF_CORE_READ(skb, protocol)) != ETH_P_ARP_)
		return 0;
	head = BPF_CORE_READ(skb, head);
	mac = BPF_CORE_READ(skb, mac_header);
	net = BPF_CORE_READ(skb, network_header);
	/* The ARP header follows the Ethernet header where there is one (not always network_header). */
	if (mac != SKB_HDR_UNSET)
		net = mac + sizeof(struct wire_eth);
	if (net == SKB_HDR_UNSET || bpf_probe_read_kernel(&arp, sizeof(arp), head + net) || arp.hlen != 6 ||
	    arp.plen != 4 || __builtin_memcmp(arp.spa, &cfg->sender_ip, 4))
		return 0;
	ev = arp_event_get();
	if (!ev)
		return 0;
	__builtin_memset(ev, 0, __builtin_offsetof(struct arp_event, stack));
	ev->probe = probe;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	__builtin_memcpy(ev->comm, key.comm, sizeof(ev->comm));
	__builtin_memcpy(ev->dev, key.dev, sizeof(ev->dev));
	ev->pkt_type = BPF_CORE_READ_BITFIELD_PROBED((struct sk_buff___arp *)skb, pkt_type);
	ev->protocol = ETH_P_ARP_;
	ev->op = bpf_ntohs(arp.op);
	__builtin_memcpy(&ev->spa, arp.spa, 4);
	__builtin_memcpy(ev->sha, arp.sha, 6);
	__builtin_memcpy(ev->tha, arp.tha, 6);
	if (mac != SKB_HDR_UNSET && !bpf_probe_read_kernel(&eth, sizeof(eth), head + mac)) {
		__builtin_memcpy(ev->eth_src, eth.src, 6);
		__builtin_memcpy(ev->eth_dst, eth.dst, 6);
	}
	if (cfg->stack)
		ev->stack_bytes = bpf_get_stack(ctx, ev->stack, sizeof(ev->stack), 0);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(arp_kprobe_receive, __netif_receive_skb, struct sk_buff *skb)
{
	return on_skb(ctx, skb, ARP_RECEIVE);
}

BPFNET_FUNC_ENTRY(arp_kprobe_tun_xmit, tun_net_xmit, struct sk_buff *skb)
{
	return on_skb(ctx, skb, ARP_TUN_XMIT);
}

SEC("tp/net/netif_receive_skb")
int arp_tp_receive(struct trace_event_raw_net_dev_template *ctx)
{
	return on_skb(ctx, ctx->skbaddr, ARP_RECEIVE);
}

SEC("tp/net/net_dev_start_xmit")
int arp_tp_xmit(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	return on_skb(ctx, (struct sk_buff *)ctx->skbaddr, ARP_TUN_XMIT);
}

BPFNET_LICENSE;
