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
} __attribute__((preserve_access_index));

struct virtio_device___bpfnet {
	void *priv; /* virtio_net: the struct virtnet_info */
} __attribute__((preserve_access_index));

/* drivers/net/virtio_net.c: one RX queue (vq index 2 * N) and one TX queue (2 * N + 1). */
struct receive_queue___bpfnet {
	struct virtqueue___bpfnet *vq;
	struct napi_struct napi;
} __attribute__((preserve_access_index));

struct virtnet_info___bpfnet {
	struct net_device *dev;
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

/* The used-ring index the driver consumed up to, of any virtqueue (vring_virtqueue embeds it). */
static __always_inline __u16 vring_last_used_idx(struct virtqueue *vq)
{
	return BPF_CORE_READ((struct vring_virtqueue___bpfnet *)vq, last_used_idx);
}
