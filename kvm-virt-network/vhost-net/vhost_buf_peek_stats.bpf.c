// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_buf_peek_stats: the return values of vhost_net_buf_peek (the length of the next packet
 * of a vhost-net RX queue's batch, 0 when the batch and the tap's ring are empty), counted per
 * struct vhost_net_virtqueue.
 */
#include "bpfnet.bpf.h"
#include "vhost_buf_peek_stats.h"

/* LRU: an entry whose return was never seen (a missed kretprobe) ages out instead of piling up. */
BPFNET_MAP(nvq_by_thread, BPF_MAP_TYPE_LRU_HASH, __u64, __u64, VPEEK_MAX_INFLIGHT);
BPFNET_MAP(counts, BPF_MAP_TYPE_HASH, struct pair_key, __u64, PAIR_COUNTS_MAX);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, VPEEK_COUNTERS);

BPFNET_FUNC_ENTRY(vpeek_entry, vhost_net_buf_peek, void *nvq)
{
	__u64 thread = bpf_get_current_pid_tgid(), ptr = (__u64)nvq;

	bpf_map_update_elem(&nvq_by_thread, &thread, &ptr, BPF_ANY);
	return 0;
}

/* vhost_net_buf_peek(nvq) */
BPFNET_FUNC_RETURN(vpeek_return, vhost_net_buf_peek, 1, int ret)
{
	__u64 thread = bpf_get_current_pid_tgid(), *nvq = bpf_map_lookup_elem(&nvq_by_thread, &thread);
	struct pair_key key = { .value = ret };

	if (!nvq) {
		counter_add(&counters, VPEEK_UNMATCHED, 1);
		return 0;
	}
	key.ptr = *nvq;
	bpf_map_delete_elem(&nvq_by_thread, &thread);
	hash_counter_inc(&counts, &key, &counters, VPEEK_TABLE_FULL);
	return 0;
}

BPFNET_LICENSE;
