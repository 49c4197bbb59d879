/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of tun_to_vhost_queue_status_simple and tun_to_vhost_queue_stats_details:
 * per tap queue, the TX ptr_ring depth when tun_net_xmit queues a packet and when vhost-net
 * takes it (tun_recvmsg), and the guest-RX virtqueue's indices when vhost-net starts draining
 * (handle_rx) and when it signals the guest (vhost_add_used_and_signal_n). A queue is known by
 * its tun_file's socket, which vhost-net keeps as vq->private_data. Every count only grows;
 * user space reports what grew in each interval.
 */
#include "bpfnet.bpf.h"
#include "kmod/tun.h"
#include "kmod/vhost.h"
#include "tun_vhost_queue.h"

BPFNET_CONFIG(struct tvq_config);
BPFNET_MAP(target_queues, BPF_MAP_TYPE_HASH, __u64, struct tvq_queue_key, TVQ_MAX_QUEUES);
BPFNET_MAP(queue_stats, BPF_MAP_TYPE_HASH, struct tvq_queue_key, struct tvq_queue_stats, TVQ_MAX_QUEUES);
BPFNET_MAP(handle_rx_vqs, BPF_MAP_TYPE_HASH, __u64, __u64, TVQ_MAX_QUEUES);
BPFNET_MAP(signal_idx, BPF_MAP_TYPE_HASH, struct tvq_signal_idx_key, __u64, TVQ_MAX_SIGNAL_IDX);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, TVQC_COUNTERS);
/* Never written: the initial value of a new queue (too large to clear on the stack). */
BPFNET_MAP(zero_stats, BPF_MAP_TYPE_ARRAY, __u32, struct tvq_queue_stats, 1);

/* The counts of queue q, created on first use; NULL when the table is full. */
static __always_inline struct tvq_queue_stats *queue_stats_of(const struct tvq_queue_key *q)
{
	struct tvq_queue_stats *st = bpf_map_lookup_elem(&queue_stats, q), *zero;
	__u32 first = 0;

	if (st)
		return st;
	zero = bpf_map_lookup_elem(&zero_stats, &first);
	if (!zero)
		return NULL;
	bpf_map_update_elem(&queue_stats, q, zero, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&queue_stats, q);
	if (!st)
		counter_add(&counters, TVQC_QUEUES_FULL, 1);
	return st;
}

static __always_inline void hist_inc(struct tvq_queue_stats *st, enum tvq_hist h, __u64 value)
{
	__u32 slot = tvq_slot(value);

	/* 5.10 and 6.1 lose the clamp's bound on the way to the address: mask where they see it. */
	asm volatile("" : "+r"(slot));
	__sync_fetch_and_add(&st->hist[h][slot & (TVQ_SLOTS - 1)], 1);
}

static __always_inline bool dev_name_matches(const char *name, const struct tvq_config *cfg)
{
	if (!cfg->dev[0])
		return true;
#pragma unroll
	for (int i = 0; i < TVQ_DEV_LEN; i++) {
		if (name[i] != cfg->dev[i])
			return false;
		if (!name[i])
			return true;
	}
	return true;
}

BPFNET_FUNC_ENTRY(tvq_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct tvq_config *cfg = get_config();
	struct tun_file___bpfnet *tfile;
	struct tvq_queue_stats *st;
	struct tvq_queue_key q = {};
	__u32 numqueues;
	__u64 sock;

	if (!cfg || !skb || !dev)
		return 0;
	BPF_CORE_READ_STR_INTO(&q.dev, dev, name);
	if (!dev_name_matches(q.dev, cfg))
		return 0;
	q.queue = BPF_CORE_READ(skb, queue_mapping);
	if (cfg->filter_queue && q.queue != cfg->queue)
		return 0;
	tfile = tun_tfile(tun_of_dev(dev), q.queue, &numqueues);
	if (!tfile)
		return 0;
	sock = (__u64)&tfile->socket;
	if (bpf_map_update_elem(&target_queues, &sock, &q, BPF_ANY))
		counter_add(&counters, TVQC_TARGETS_FULL, 1);
	st = queue_stats_of(&q);
	if (!st)
		return 0;
	st->napi_enabled = BPF_CORE_READ(tfile, napi_enabled);
	st->napi_frags_enabled = BPF_CORE_READ(tfile, napi_frags_enabled);
	__sync_fetch_and_add(&st->xmits, 1);
	hist_inc(st, TVQH_RING_XMIT, tun_tx_ring_depth(tfile));
	return 0;
}

BPFNET_FUNC_ENTRY(tvq_recvmsg, tun_recvmsg, struct socket *sock)
{
	__u64 key = (__u64)sock;
	struct tvq_queue_key *q = bpf_map_lookup_elem(&target_queues, &key);
	struct tvq_queue_stats *st;

	if (!q)
		return 0;
	st = queue_stats_of(q);
	if (st)
		hist_inc(st, TVQH_RING_RECV, tun_tx_ring_depth(tun_file_of_socket(sock)));
	return 0;
}

/* The guest-RX ring's descriptors: made available, not yet taken; taken, not yet returned. */
static __always_inline void vq_indices(struct tvq_queue_stats *st, struct vhost_virtqueue___bpfnet *vq,
				       enum tvq_hist avail, enum tvq_hist inflight, enum tvq_hist used)
{
	__u16 last_avail = BPF_CORE_READ(vq, last_avail_idx), avail_idx = BPF_CORE_READ(vq, avail_idx);
	__u16 last_used = BPF_CORE_READ(vq, last_used_idx);

	hist_inc(st, avail, (__u16)(avail_idx - last_avail));
	hist_inc(st, inflight, (__u16)(last_avail - last_used));
	hist_inc(st, used, last_used);
}

BPFNET_FUNC_ENTRY(tvq_handle_rx, handle_rx, struct vhost_net___bpfnet *net)
{
	struct vhost_virtqueue___bpfnet *vq;
	struct tvq_queue_stats *st;
	struct tvq_queue_key *q;
	__u64 sock, vq_addr;

	/* Without the vhost modules' types the accesses below are dead code the verifier skips. */
	if (!bpf_core_type_exists(struct vhost_net___bpfnet) ||
	    !bpf_core_type_exists(struct vhost_virtqueue___bpfnet))
		return 0;
	counter_add(&counters, TVQC_RX_ENTRY, 1);
	if (!net) {
		counter_add(&counters, TVQC_RX_NULL, 1);
		return 0;
	}
	vq = vhost_net_rx_vq(net);
	sock = (__u64)BPF_CORE_READ(vq, private_data);
	counter_add(&counters, TVQC_RX_LOOKUP, 1);
	q = bpf_map_lookup_elem(&target_queues, &sock);
	if (!q) {
		counter_add(&counters, TVQC_RX_NOT_FOUND, 1);
		return 0;
	}
	counter_add(&counters, TVQC_RX_FOUND, 1);
	vq_addr = (__u64)vq;
	if (bpf_map_update_elem(&handle_rx_vqs, &sock, &vq_addr, BPF_ANY))
		counter_add(&counters, TVQC_RX_VQS_FULL, 1);
	st = queue_stats_of(q);
	if (st)
		vq_indices(st, vq, TVQH_AVAIL_RX, TVQH_INFLIGHT_RX, TVQH_USED_RX);
	return 0;
}

static __always_inline void count_signal_idx(__u32 generation, __u64 sock, __u16 last_used)
{
	struct tvq_signal_idx_key key = { .sock = sock,
					  .last_used_idx = last_used,
					  .generation = generation };
	__u64 one = 1, *n = bpf_map_lookup_elem(&signal_idx, &key);

	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&signal_idx, &key, &one, BPF_NOEXIST)) {
		n = bpf_map_lookup_elem(&signal_idx, &key);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			counter_add(&counters, TVQC_SIGNAL_IDX_FULL, 1);
	}
}

BPFNET_FUNC_ENTRY(tvq_signal, vhost_add_used_and_signal_n, void *vdev, struct vhost_virtqueue___bpfnet *vq)
{
	const struct tvq_config *cfg = get_config();
	struct tvq_queue_stats *st;
	struct tvq_queue_key *q;
	__u64 sock, *rx_vq;
	__u16 last_used;

	if (!bpf_core_type_exists(struct vhost_virtqueue___bpfnet))
		return 0;
	counter_add(&counters, TVQC_SIGNAL_ENTRY, 1);
	if (!cfg || !vq)
		return 0;
	sock = (__u64)BPF_CORE_READ(vq, private_data);
	q = bpf_map_lookup_elem(&target_queues, &sock);
	if (!q)
		return 0;
	/* vhost-net gives the RX and the TX virtqueue of a queue pair the same socket. */
	rx_vq = bpf_map_lookup_elem(&handle_rx_vqs, &sock);
	if (cfg->details && rx_vq && *rx_vq != (__u64)vq)
		return 0;
	st = queue_stats_of(q);
	if (!st)
		return 0;
	last_used = BPF_CORE_READ(vq, last_used_idx);
	if (cfg->details) {
		/* Read once: the index count and the queue's count go to the same generation. */
		__u32 gen = cfg->generation & 1;

		vq_indices(st, vq, TVQH_AVAIL_SIGNAL, TVQH_INFLIGHT_SIGNAL, TVQH_USED_SIGNAL);
		count_signal_idx(gen, sock, last_used);
		__sync_fetch_and_add(&st->gen_signals[gen], 1);
	} else {
		hist_inc(st, TVQH_USED_SIGNAL, last_used);
	}
	st->last_used_idx = last_used;
	__sync_fetch_and_add(&st->signals, 1);
	return 0;
}

BPFNET_LICENSE;
