/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of the VM pair latency tools: include it in the tool's .bpf.c, which then
 * has the programs vm_pair_rx (host receive) and vm_pair_tx (host transmit) for the hook
 * table of common/vm_pair.h. User space fills rx_devs, tx_devs (device name -> pair id) and
 * ports (host order -> 1).
 */
#pragma once
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "vm_pair.h"

BPFNET_CONFIG(struct vm_pair_config)
BPFNET_SCRATCH(snap, struct pkt_snap)
BPFNET_SCRATCH(vm_ev, struct vm_pair_event)

BPFNET_MAP(rx_devs, BPF_MAP_TYPE_HASH, struct vm_pair_dev, __u32, VM_PAIR_MAX_DEVS);
BPFNET_MAP(tx_devs, BPF_MAP_TYPE_HASH, struct vm_pair_dev, __u32, VM_PAIR_MAX_DEVS);
BPFNET_MAP(ports, BPF_MAP_TYPE_HASH, __u16, __u8, VM_PAIR_MAX_PORTS);
BPFNET_MAP(flows, BPF_MAP_TYPE_HASH, struct vm_flow_key, struct vm_flow_start, VM_PAIR_MAX_FLOWS);
BPFNET_MAP(last_seen, BPF_MAP_TYPE_HASH, struct vm_gap_key, __u64, VM_PAIR_MAX_FLOWS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, VPC_COUNTERS);

/*
 * Reads the flow of a packet at one of the devices into ev (flow, and protocol for the
 * others): VM_PAIR_LATENCY for a listed UDP flow, the kind of a packet that is not IPv4/UDP,
 * or -1 for a packet to ignore.
 */
static __always_inline int vm_pair_flow(const struct vm_pair_config *cfg, struct sk_buff *skb,
					struct vm_pair_event *ev)
{
	struct pkt_snap *s = snap_get();
	struct pkt_key k;

	/* The Ethernet header at mac_header on both sides: skb->data is past it at receive. */
	if (!s || skb_pkt_key(skb, PKT_AT_MAC, NULL, s, &k))
		return -1;
	if (k.family != 4) {
		ev->protocol = s->skb_protocol;
		return VM_PAIR_NON_IP;
	}
	if (k.l4proto != IPPROTO_UDP) {
		ev->protocol = k.l4proto;
		return VM_PAIR_NON_UDP;
	}
	if (!(k.flags & PKT_K_PORTS) ||
	    (!bpf_map_lookup_elem(&ports, &k.sport) && !bpf_map_lookup_elem(&ports, &k.dport)))
		return -1;
	ev->flow.saddr = k.saddr[0];
	ev->flow.daddr = k.daddr[0];
	ev->flow.sport = k.sport;
	ev->flow.dport = k.dport;
	if (cfg->key_macs && s->at == PKT_AT_ETH) {
		__builtin_memcpy(ev->flow.dmac, s->bytes, 6);
		__builtin_memcpy(ev->flow.smac, s->bytes + 6, 6);
	}
	return VM_PAIR_LATENCY;
}

/*
 * The event slot with the flow of skb on a device of map filled in, or NULL when the device
 * is not in map or the packet is to be ignored; *kind says what the packet is.
 */
static __always_inline struct vm_pair_event *vm_pair_read(void *ctx, void *map, struct sk_buff *skb,
							  bool at_xmit, int *kind)
{
	const struct vm_pair_config *cfg = get_config();
	struct vm_pair_event *ev = vm_ev_get();
	struct net_device *dev;
	struct vm_pair_dev name;
	__u32 *pair_id;

	if (!cfg || !ev || !skb)
		return NULL;
	dev = BPF_CORE_READ(skb, dev);
	if (!dev)
		return NULL;
	__builtin_memset(&name, 0, sizeof(name));
	bpf_probe_read_kernel_str(name.name, sizeof(name.name), dev->name);
	pair_id = bpf_map_lookup_elem(map, &name);
	if (!pair_id)
		return NULL;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->flow.pair_id = *pair_id;
	ev->at_xmit = at_xmit;
	__builtin_memcpy(at_xmit ? ev->tx_dev : ev->rx_dev, name.name, VM_PAIR_DEV_LEN);
	*kind = vm_pair_flow(cfg, skb, ev);
	if (*kind < 0)
		return NULL;
	ev->kind = *kind;
	ev->ts_ns = bpf_ktime_get_ns();
	if (*kind != VM_PAIR_LATENCY && cfg->report_protocols) {
		emit_event(ctx, ev, sizeof(*ev));
		return NULL;
	}
	return *kind == VM_PAIR_LATENCY ? ev : NULL;
}

/* Gap tools: the interval since the flow's previous packet on this device and side. */
static __always_inline void vm_pair_gap(void *ctx, const struct vm_pair_config *cfg, struct vm_pair_event *ev)
{
	struct vm_gap_key key;
	__u64 *last;

	__builtin_memset(&key, 0, sizeof(key));
	key.flow = ev->flow;
	key.at_xmit = ev->at_xmit;
	__builtin_memcpy(key.dev, ev->at_xmit ? ev->tx_dev : ev->rx_dev, VM_PAIR_DEV_LEN);
	last = bpf_map_lookup_elem(&last_seen, &key);
	if (!last) {
		if (bpf_map_update_elem(&last_seen, &key, &ev->ts_ns, BPF_ANY))
			counter_add(&counters, VPC_TABLE_FULL, 1);
		return;
	}
	ev->gap_ns = ev->ts_ns > *last ? ev->ts_ns - *last : 0;
	*last = ev->ts_ns;
	if (ev->gap_ns < cfg->gap_min_ns)
		return;
	ev->kind = VM_PAIR_GAP;
	counter_add(&counters, VPC_GAPS, 1);
	emit_event(ctx, ev, sizeof(*ev));
}

/* Host receive from a sending VM: the flow's latest packet starts its record. */
static __always_inline int vm_pair_on_rx(void *ctx, struct sk_buff *skb)
{
	const struct vm_pair_config *cfg = get_config();
	struct vm_flow_start start;
	struct vm_pair_event *ev;
	int kind;

	ev = vm_pair_read(ctx, &rx_devs, skb, false, &kind);
	if (!ev || !cfg)
		return 0;
	if (cfg->gaps) {
		vm_pair_gap(ctx, cfg, ev);
		return 0;
	}
	start.rx_ns = ev->ts_ns;
	__builtin_memcpy(start.rx_dev, ev->rx_dev, VM_PAIR_DEV_LEN);
	if (bpf_map_update_elem(&flows, &ev->flow, &start, BPF_ANY))
		counter_add(&counters, VPC_TABLE_FULL, 1);
	else
		counter_add(&counters, VPC_STARTED, 1);
	return 0;
}

/* Host transmit to a receiving VM: a packet of a recorded flow ends the record. */
static __always_inline int vm_pair_on_tx(void *ctx, struct sk_buff *skb)
{
	const struct vm_pair_config *cfg = get_config();
	struct vm_flow_start *start;
	struct vm_pair_event *ev;
	int kind;

	ev = vm_pair_read(ctx, &tx_devs, skb, true, &kind);
	if (!ev || !cfg)
		return 0;
	if (cfg->gaps) {
		vm_pair_gap(ctx, cfg, ev);
		return 0;
	}
	start = bpf_map_lookup_elem(&flows, &ev->flow);
	if (!start)
		return 0;
	ev->latency_ns = ev->ts_ns > start->rx_ns ? ev->ts_ns - start->rx_ns : 0;
	__builtin_memcpy(ev->rx_dev, start->rx_dev, VM_PAIR_DEV_LEN);
	bpf_map_delete_elem(&flows, &ev->flow);
	counter_add(&counters, VPC_MATCHED, 1);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

/* TP_PROTO(struct sk_buff *skb) */
SEC("raw_tp/netif_receive_skb")
int vm_pair_rx(struct bpf_raw_tracepoint_args *ctx)
{
	return vm_pair_on_rx(ctx, (struct sk_buff *)ctx->args[0]);
}

/* TP_PROTO(struct sk_buff *skb, struct net_device *dev): before the driver owns the skb. */
SEC("raw_tp/net_dev_start_xmit")
int vm_pair_tx_start(struct bpf_raw_tracepoint_args *ctx)
{
	return vm_pair_on_tx(ctx, (struct sk_buff *)ctx->args[0]);
}

/* TP_PROTO(struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len) */
SEC("raw_tp/net_dev_xmit")
int vm_pair_tx_done(struct bpf_raw_tracepoint_args *ctx)
{
	return vm_pair_on_tx(ctx, (struct sk_buff *)ctx->args[0]);
}
