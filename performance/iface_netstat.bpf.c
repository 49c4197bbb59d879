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

SEC("tp/net/net_dev_start_xmit")
int tx_tracepoint(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	const struct iface_netstat_config *cfg = get_config();
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;

	if (!cfg || !iface_set_has(&cfg->iface, BPF_CORE_READ(skb, dev)))
		return 0;
	count(&tx_queues, BPF_CORE_READ(skb, queue_mapping), cfg->tx_other, BPF_CORE_READ(skb, len));
	return 0;
}

SEC("tp/net/netif_receive_skb")
int rx_tracepoint(struct trace_event_raw_net_dev_template *ctx)
{
	const struct iface_netstat_config *cfg = get_config();
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;
	__u16 qmap, mac;
	__u32 len, data_off;

	if (!cfg || !iface_set_has(&cfg->iface, BPF_CORE_READ(skb, dev)))
		return 0;
	/* The driver records RX queue n as queue_mapping n + 1 (skb_record_rx_queue). */
	qmap = BPF_CORE_READ(skb, queue_mapping);
	/* The link-layer header was pulled already: count it, as on transmit. */
	len = BPF_CORE_READ(skb, len);
	mac = BPF_CORE_READ(skb, mac_header);
	data_off = BPF_CORE_READ(skb, data) - BPF_CORE_READ(skb, head);
	if (mac != SKB_HDR_UNSET && mac < data_off && data_off - mac <= 64)
		len += data_off - mac;
	count(&rx_queues, qmap ? qmap - 1 : 0, cfg->rx_other, len);
	return 0;
}

BPFNET_LICENSE;
