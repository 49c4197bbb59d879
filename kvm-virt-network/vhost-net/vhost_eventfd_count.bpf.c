// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_eventfd_count: every "add used and signal" of a vhost virtqueue, counted per
 * (virtqueue, call eventfd) pair: how often each queue asks to interrupt its guest.
 */
#include "bpfnet.bpf.h"
#include "kmod/vhost.h"
#include "vhost_eventfd_count.h"

BPFNET_MAP(counts, BPF_MAP_TYPE_HASH, struct pair_key, __u64, PAIR_COUNTS_MAX);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, VEFD_COUNTERS);

BPFNET_FUNC_ENTRY(vefd_signal, vhost_add_used_and_signal_n, void *dev, void *vq)
{
	struct pair_key key = {
		.ptr = (__u64)vq,
		.value = (__s64)vhost_vq_call_eventfd(vq),
	};

	hash_counter_inc(&counts, &key, &counters, VEFD_TABLE_FULL);
	return 0;
}

BPFNET_LICENSE;
