// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_ring_monitor: at every tun_net_xmit, the TX ptr_ring of the packet's queue of the tap;
 * an event when the ring is full (the packet is about to be dropped) or, with --all, always.
 */
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "kmod/tun.h"
#include "skb_pkt.bpf.h"
#include "tun_ring_monitor.h"

BPFNET_CONFIG(struct trm_config)
BPFNET_MAP(queue_counts, BPF_MAP_TYPE_HASH, struct trm_queue_key, struct trm_queue_count,
	   TRM_MAX_QUEUE_COUNTS);
/* Transmits not counted because queue_counts was full. */
BPFNET_MAP(queue_counts_overflow, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);
BPFNET_SCRATCH(event, struct trm_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

/* The original's filter: any one of the given address, port or protocol settings matching is enough. */
static __always_inline bool tuple_match(const struct trm_config *cfg, const struct pkt_key *k)
{
	bool ports = k->flags & PKT_K_PORTS;

	return (cfg->saddr && k->saddr[0] == cfg->saddr) || (cfg->daddr && k->daddr[0] == cfg->daddr) ||
	       (cfg->sport && ports && k->sport == cfg->sport) ||
	       (cfg->dport && ports && k->dport == cfg->dport) ||
	       (cfg->protocol && k->l4proto == cfg->protocol);
}

static __always_inline void count_queue(struct trm_event *ev, __u32 ifindex)
{
	struct trm_queue_key key = { .ifindex = ifindex, .queue = ev->queue_mapping };
	struct trm_queue_count *c = bpf_map_lookup_elem(&queue_counts, &key), fresh = {};

	if (!c) {
		__builtin_memcpy(fresh.dev, ev->dev, sizeof(fresh.dev));
		bpf_map_update_elem(&queue_counts, &key, &fresh, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&queue_counts, &key);
		if (!c) {
			counter_add(&queue_counts_overflow, 0, 1);
			return;
		}
	}
	__sync_fetch_and_add(&c->xmits, 1);
	if (ev->ring.full)
		__sync_fetch_and_add(&c->full, 1);
}

BPFNET_FUNC_ENTRY(trm_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct trm_config *cfg = get_config();
	struct trm_event *ev = event_zeroed();
	struct pkt_snap *s = snap_get();
	__u64 id = bpf_get_current_pid_tgid();
	struct pkt_key k;

	if (!cfg || !ev || !s || !dev_name_set_has(&cfg->device, dev, ev->dev))
		return 0;
	if (!skb_pkt_key(skb, PKT_AT_MAC, NULL, s, &k) && k.family == 4) {
		ev->saddr = k.saddr[0];
		ev->daddr = k.daddr[0];
		ev->protocol = k.l4proto;
		if (k.flags & PKT_K_PORTS) {
			ev->sport = k.sport;
			ev->dport = k.dport;
		}
		if (cfg->filter_enabled && !tuple_match(cfg, &k))
			return 0;
	} else if (cfg->filter_enabled) {
		return 0;
	}
	ev->queue_mapping = BPF_CORE_READ(skb, queue_mapping);
	tun_ring_read(dev, ev->queue_mapping, &ev->ring);
	if (cfg->count_queues)
		count_queue(ev, BPF_CORE_READ(dev, ifindex));
	if (!cfg->all && !ev->ring.full)
		return 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->skb = (__u64)skb;
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->tfiles_size = bpf_core_field_size(struct tun_struct___bpfnet, tfiles);
	ev->numqueues_offset = bpf_core_field_offset(struct tun_struct___bpfnet, numqueues);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
