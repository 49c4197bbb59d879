/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vhost and vhost_net modules' private types (drivers/vhost/vhost.h, drivers/vhost/net.c)
 * the host-side vhost tools read, declared for CO-RE with only the fields used. libbpf
 * relocates them against the modules' BTF (5.10: the --btf directory, which must hold vhost
 * and vhost_net), so members that moved between kernels (a vhost worker pointer was added)
 * need no layout of our own.
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* 5.8+: the call eventfd and its irq-bypass producer. */
struct vhost_vring_call___bpfnet {
	void *ctx; /* struct eventfd_ctx * */
} __attribute__((preserve_access_index));

struct vhost_virtqueue___bpfnet {
	unsigned int num;
	void *avail; /* struct vring_avail __user *: the guest's avail ring, in QEMU's memory */
	struct vhost_vring_call___bpfnet call_ctx;
	__u64 log_addr;
	__u16 last_avail_idx;
	__u16 avail_idx;
	__u16 last_used_idx;
	__u16 used_flags;
	__u16 signalled_used;
	bool signalled_used_valid;
	bool log_used;
	void *private_data; /* vhost-net: the backend's struct socket (a tun_file's socket) */
	__u64 acked_features;
	__u64 acked_backend_features; /* 5.3+ */
	__u32 busyloop_timeout; /* 4.6+ */
} __attribute__((preserve_access_index));

/* Before 5.8 call_ctx was the eventfd pointer itself. */
struct vhost_virtqueue___call_ptr {
	void *call_ctx;
} __attribute__((preserve_access_index));

/*
 * The eventfd vhost signals to interrupt the guest for virtqueue vq (its "call" fd); NULL if
 * none, or without the vhost BTF (user space checks for it before loading).
 */
static __always_inline void *vhost_vq_call_eventfd(void *vq)
{
	if (bpf_core_field_exists(((struct vhost_virtqueue___bpfnet *)0)->call_ctx))
		return BPF_CORE_READ((struct vhost_virtqueue___bpfnet *)vq, call_ctx.ctx);
	if (bpf_core_field_exists(((struct vhost_virtqueue___call_ptr *)0)->call_ctx))
		return BPF_CORE_READ((struct vhost_virtqueue___call_ptr *)vq, call_ctx);
	return NULL;
}

/* drivers/vhost/net.c: the packets vhost-net took from the tap's ring and has not passed on yet. */
struct vhost_net_buf___bpfnet {
	void **queue;
	int tail;
	int head;
} __attribute__((preserve_access_index));

struct vhost_net_virtqueue___bpfnet {
	struct vhost_virtqueue___bpfnet vq;
	size_t vhost_hlen;
	size_t sock_hlen;
	int upend_idx;
	int done_idx;
	struct ptr_ring *rx_ring; /* 4.16+: the tap queue's TX ring (tun_get_tx_ring) */
	struct vhost_net_buf___bpfnet rxq; /* 4.16+ */
} __attribute__((preserve_access_index));

#define VHOST_NET_VQ_RX 0
#define VHOST_NET_VQ_TX 1

struct vhost_net___bpfnet {
	struct vhost_net_virtqueue___bpfnet vqs[2];
} __attribute__((preserve_access_index));

/* &net->vqs[idx] (idx VHOST_NET_VQ_RX or VHOST_NET_VQ_TX). */
static __always_inline struct vhost_net_virtqueue___bpfnet *vhost_net_nvq(struct vhost_net___bpfnet *net,
									  int idx)
{
	return (void *)((char *)net + bpf_core_field_offset(struct vhost_net___bpfnet, vqs) +
			idx * bpf_core_type_size(struct vhost_net_virtqueue___bpfnet));
}

/* The guest-RX virtqueue of a vhost-net device (&net->vqs[VHOST_NET_VQ_RX].vq). */
static __always_inline struct vhost_virtqueue___bpfnet *vhost_net_rx_vq(struct vhost_net___bpfnet *net)
{
	return (void *)((char *)net + bpf_core_field_offset(struct vhost_net___bpfnet, vqs) +
			bpf_core_field_offset(struct vhost_net_virtqueue___bpfnet, vq));
}
