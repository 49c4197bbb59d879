// SPDX-License-Identifier: GPL-2.0-only
/*
 * iface_netstat: per-queue packet and byte counts and packet-size classes of one interface,
 * for transmitted (net_dev_start_xmit) and received (netif_receive_skb) packets.
 */
#include "bpfnet.bpf.h"
#include "skb_pkt.bpf.h"
#include "iface_netstat.h"

BPFNET_CONFIG(struct iface_netstat_config)

/* max_entries: the device's queue count + 1 (the slot of unknown queue ids), set at load. */
BPFNET_MAP(tx_queues, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct queue_stats, IFACE_MAX_QUEUES + 1);
BPFNET_MAP(rx_queues, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct queue_stats, IFACE_MAX_QUEUES + 1);

static __always_inline void count(void *map, __u32 qid, __u32 other, __u32 len)
{
	struct queue_stats *q = bpf_map_lookup_elem(map, &qid);

	if (!q)
		q = bpf_map_lookup_elem(map, &other);
	if (!q)
		return;
	q->bytes += len;
	q->packets += 1;
	if (len < 64)
		q->size[0] += 1;
	else if (len < 512)
		q->size[1] += 1;
	else if (len < 2048)
		q->size[2] += 1;
	else if (len < 16384)
		q->size[3] += 1;
	else if (len < 65536)
		q->size[4] += 1;
}

/* A transmitted packet, as net_dev_start_xmit passes it. */
static __always_inline void tx_packet(struct net_device *dev, __u16 qmap, __u32 len)
{
	const struct iface_netstat_config *cfg = get_config();

	if (!cfg || !iface_set_has(&cfg->iface, dev))
		return;
	count(&tx_queues, qmap, cfg->tx_other, len);
}

/*
 * A received packet, as netif_receive_skb passes it; data_off: skb->data - skb->head. The driver
 * records RX queue n as queue_mapping n + 1 (skb_record_rx_queue). The link-layer header was
 * pulled already: it is counted, as on transmit.
 */
static __always_inline void rx_packet(struct net_device *dev, __u16 qmap, __u32 len, __u16 mac,
				      __u32 data_off)
{
	const struct iface_netstat_config *cfg = get_config();

	if (!cfg || !iface_set_has(&cfg->iface, dev))
		return;
	if (mac != SKB_HDR_UNSET && mac < data_off && data_off - mac <= 64)
		len += data_off - mac;
	count(&rx_queues, qmap ? qmap - 1 : 0, cfg->rx_other, len);
}

/*
 * BTF tracepoints (5.5+ with the kernel's BTF): the tracepoint's own arguments, no trace event
 * record to fill, and the sk_buff's fields read by plain loads instead of probe reads.
 */
SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(tx_btf, const struct sk_buff *skb, const struct net_device *dev)
{
	tx_packet(skb->dev, skb->queue_mapping, skb->len);
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(rx_btf, struct sk_buff *skb)
{
	rx_packet(skb->dev, skb->queue_mapping, skb->len, skb->mac_header, (__u32)(skb->data - skb->head));
	return 0;
}

/* Classic tracepoints (kernels without BTF, BPFNET_FORCE_KPROBE=1): the skb from the trace event record. */
SEC("tp/net/net_dev_start_xmit")
int tx_tracepoint(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;

	tx_packet(BPF_CORE_READ(skb, dev), BPF_CORE_READ(skb, queue_mapping), BPF_CORE_READ(skb, len));
	return 0;
}

SEC("tp/net/netif_receive_skb")
int rx_tracepoint(struct trace_event_raw_net_dev_template *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;

	rx_packet(BPF_CORE_READ(skb, dev), BPF_CORE_READ(skb, queue_mapping), BPF_CORE_READ(skb, len),
		  BPF_CORE_READ(skb, mac_header), BPF_CORE_READ(skb, data) - BPF_CORE_READ(skb, head));
	return 0;
}

BPFNET_LICENSE;
