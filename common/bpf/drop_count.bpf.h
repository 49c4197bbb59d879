/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting packet drops in the kernel by (stack, device[, 5-tuple]) for the summary tools.
 * Keys carry a generation that user space advances at each report, so an interval's counts
 * are read and deleted without racing the next interval's increments.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "drop_probe.bpf.h"
#include "skb_pkt.bpf.h"
#include "drop_count.h"

BPFNET_CONFIG(struct drop_count_config)
BPFNET_SCRATCH(snap, struct pkt_snap)

#define DROP_COUNT_HASH(name, entries)                                                                       \
	struct {                                                                                             \
		__uint(type, BPF_MAP_TYPE_HASH);                                                             \
		__uint(max_entries, entries);                                                                \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                                        \
		__type(key, struct drop_count_key);                                                          \
		__type(value, __u64);                                                                        \
	} name SEC(".maps")

DROP_COUNT_HASH(drop_counts, 10240);
DROP_COUNT_HASH(stack_counts, 10240);
DROP_COUNT_HASH(tuple_counts, 10240);
DROP_COUNT_HASH(failed_counts, 1024);

BPFNET_STACK_MAP(stacks, 16384);

BPFNET_MAP(generation, BPF_MAP_TYPE_ARRAY, __u32, __u32, 1);

BPFNET_MAP(drop_count_errors, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, DROP_COUNT_ERRORS);

static __always_inline void count_key(void *map, struct drop_count_key *key)
{
	hash_counter_inc(map, key, &drop_count_errors, DROP_COUNT_TABLE_FULL);
}

/*
 * Filters first, with the fewest reads: the device name before the packet only under a
 * device filter, the skb's header fields in one read and the packet bytes only when a
 * 5-tuple is filtered on or counted; stack and counters only for a drop that passed.
 */
static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u32 reason)
{
	const struct drop_count_config *cfg = get_config();
	struct drop_count_key key = {};
	struct net_device *dev;
	__u32 zero = 0, *gen;

	if (!cfg || !skb)
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!dev)
		return 0; /* as the originals: drops without a device are not counted */
	if (cfg->ifname[0]) {
		bpf_core_read_str(key.devname, sizeof(key.devname), &dev->name);
		if (!ifname_equal(key.devname, cfg->ifname))
			return 0;
	}
	if (cfg->by_tuple || cfg->filter.sfamily || cfg->filter.dfamily || cfg->filter.l4proto ||
	    cfg->filter.sport || cfg->filter.dport) {
		struct pkt_snap *snap = snap_get();
		struct skb_hdrs h;
		struct pkt_key pkt;

		if (!snap)
			return 0;
		skb_hdrs_read(skb, &h);
		skb_pkt_key_hdrs(skb, &h, cfg->filter.vlan_id, snap, &pkt);
		if (!pkt_filter_match(&cfg->filter, &pkt))
			return 0;
		if (cfg->by_tuple && pkt.family == 4) {
			key.tuple.saddr = pkt.saddr[0];
			key.tuple.daddr = pkt.daddr[0];
			key.tuple.protocol = pkt.l4proto;
			key.tuple.sport = pkt.sport;
			key.tuple.dport = pkt.dport;
		}
	}
	if (!cfg->ifname[0])
		bpf_core_read_str(key.devname, sizeof(key.devname), &dev->name);
	gen = bpf_map_lookup_elem(&generation, &zero);
	key.gen = gen ? *gen : 0;
	key.stack_id = bpf_get_stackid(ctx, &stacks, 0);
	if (key.stack_id < 0) {
		key.stack_id = DROP_STACK_NONE;
		__builtin_memset(&key.tuple, 0, sizeof(key.tuple));
		count_key(&failed_counts, &key);
		return 0;
	}
	count_key(&drop_counts, &key);
	if (!cfg->by_tuple)
		return 0;
	struct drop_tuple tuple = key.tuple;

	__builtin_memset(&key.tuple, 0, sizeof(key.tuple));
	count_key(&stack_counts, &key);
	key.tuple = tuple;
	key.stack_id = DROP_STACK_NONE;
	count_key(&tuple_counts, &key);
	return 0;
}
