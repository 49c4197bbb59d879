/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio types the guest-side virtio-net tools read, declared for CO-RE with only the
 * fields used, and the walks between them (NAPI → receive queue → virtqueue → device). The
 * ___bpfnet flavours keep this header independent of what the build host's vmlinux.h holds;
 * libbpf relocates them against vmlinux and the virtio, virtio_ring and virtio_net module BTF
 * (5.10: the --btf directory, which must hold those modules).
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* include/linux/virtio.h (module virtio, built in on some kernels). */
struct virtqueue___bpfnet {
	const char *name;
	struct virtio_device___bpfnet *vdev;
	unsigned int index;
	void *priv;
} __attribute__((preserve_access_index));

struct virtio_device___bpfnet {
	int index;
	void *priv; /* virtio_net: the struct virtnet_info */
} __attribute__((preserve_access_index));

/* drivers/net/virtio_net.c: one RX queue (vq index 2 * N) and one TX queue (2 * N + 1). */
struct receive_queue___bpfnet {
	struct virtqueue___bpfnet *vq;
	struct napi_struct napi;
} __attribute__((preserve_access_index));

struct send_queue___bpfnet {
	struct virtqueue___bpfnet *vq;
	struct napi_struct napi;
} __attribute__((preserve_access_index));

struct virtnet_info___bpfnet {
	struct virtio_device___bpfnet *vdev;
	struct net_device *dev;
	struct send_queue___bpfnet *sq;
	struct receive_queue___bpfnet *rq;
	__u16 max_queue_pairs;
	__u16 curr_queue_pairs;
} __attribute__((preserve_access_index));

/*
 * drivers/virtio/virtio_ring.c (module virtio_ring before 6.12). The split ring's fields sit
 * in an anonymous struct on 5.x and in struct vring_virtqueue_split later: same names.
 */
struct vring_virtqueue___bpfnet {
	struct virtqueue___bpfnet vq;
	bool packed_ring;
	__u16 last_used_idx;
	union {
		struct {
			struct vring vring;
			__u16 avail_flags_shadow;
			__u16 avail_idx_shadow;
		} split;
	};
} __attribute__((preserve_access_index));

/* The virtio_net RX queue number of a virtqueue (RX and TX virtqueues alternate). */
static __always_inline __u32 virtnet_queue_of_vq(struct virtqueue *vq)
{
	return BPF_CORE_READ((struct virtqueue___bpfnet *)vq, index) / 2;
}

/* Whether vq is an RX virtqueue of virtio_net (even index; the control queue is not asked). */
static __always_inline bool virtnet_vq_is_rx(struct virtqueue *vq)
{
	return !(BPF_CORE_READ((struct virtqueue___bpfnet *)vq, index) & 1);
}

/* The receive_queue whose napi member napi is (virtnet_poll's argument). */
static __always_inline struct receive_queue___bpfnet *virtnet_rq_of_napi(struct napi_struct *napi)
{
	return (void *)((char *)napi - bpf_core_field_offset(struct receive_queue___bpfnet, napi));
}

/* The virtqueue of the RX queue that owns napi; NULL on a fault. */
static __always_inline struct virtqueue *virtnet_vq_of_napi(struct napi_struct *napi)
{
	return (struct virtqueue *)BPF_CORE_READ(virtnet_rq_of_napi(napi), vq);
}

/* The net_device a virtio_net virtqueue belongs to (vq->vdev->priv->dev); NULL on a fault. */
static __always_inline struct net_device *virtnet_dev_of_vq(struct virtqueue *vq)
{
	struct virtnet_info___bpfnet *vi;

	vi = BPF_CORE_READ((struct virtqueue___bpfnet *)vq, vdev, priv);
	if (!vi)
		return NULL;
	return BPF_CORE_READ(vi, dev);
}

/* The virtnet_info of a virtio_net net_device: netdev_priv(dev). */
static __always_inline struct virtnet_info___bpfnet *virtnet_info_of_dev(struct net_device *dev)
{
	/* netdev_priv(): the private area follows struct net_device aligned to NETDEV_ALIGN (32). */
	return (void *)((char *)dev + ((bpf_core_type_size(struct net_device) + 31) & ~31UL));
}

/* The used-ring index the driver consumed up to, of any virtqueue (vring_virtqueue embeds it). */
static __always_inline __u16 vring_last_used_idx(struct virtqueue *vq)
{
	return BPF_CORE_READ((struct vring_virtqueue___bpfnet *)vq, last_used_idx);
}
