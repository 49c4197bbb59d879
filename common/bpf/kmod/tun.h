/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tun driver's private types (drivers/net/tun.c), declared for CO-RE with only the fields
 * the host-side tun tools read, and the walk from a tap's net_device to one queue's TX
 * ptr_ring. The ___bpfnet flavours keep this header independent of what the build host's
 * vmlinux.h holds; libbpf relocates them against vmlinux (tun built in) or the tun module's BTF
 * (5.10: the --btf directory, which must hold tun).
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

#include "tun_ring.h"

#define TUN_MAX_QUEUES 256 /* MAX_TAP_QUEUES: tun_struct.tfiles[] */

struct tun_file___bpfnet {
	struct socket socket; /* its address is what vhost-net keeps in vq->private_data */
	union {
		__u16 queue_index;
		unsigned int ifindex;
	};
	bool napi_enabled;
	bool napi_frags_enabled;
	struct ptr_ring tx_ring;
} __attribute__((preserve_access_index));

/* tfiles[] is at offset 0 in every known kernel; CO-RE checks that anyway. */
struct tun_struct___bpfnet {
	struct tun_file___bpfnet *tfiles[TUN_MAX_QUEUES];
	unsigned int numqueues;
	struct net_device *dev;
} __attribute__((preserve_access_index));

struct net_device___priv_member {
	__u8 priv[0];
} __attribute__((preserve_access_index));

/* netdev_priv(dev): the priv[] member (6.12+), else ALIGN(sizeof(struct net_device), NETDEV_ALIGN). */
static __always_inline struct tun_struct___bpfnet *tun_of_dev(struct net_device *dev)
{
	struct net_device___priv_member *d = (void *)dev;

	if (bpf_core_field_exists(d->priv))
		return (void *)((char *)dev + bpf_core_field_offset(d->priv));
	return (void *)((char *)dev + ((bpf_core_type_size(struct net_device) + 31) & ~31));
}

/* The tun_file of queue idx, NULL if idx is not below numqueues or on a fault. */
static __always_inline struct tun_file___bpfnet *tun_tfile(struct tun_struct___bpfnet *tun, __u32 idx,
							   __u32 *numqueues)
{
	struct tun_file___bpfnet *tfile = NULL;
	char *base;

	*numqueues = BPF_CORE_READ(tun, numqueues);
	if (idx >= *numqueues || idx >= TUN_MAX_QUEUES)
		return NULL;
	base = (char *)tun + bpf_core_field_offset(struct tun_struct___bpfnet, tfiles);
	bpf_probe_read_kernel(&tfile, sizeof(tfile), base + idx * sizeof(tfile));
	return tfile;
}

/*
 * Reads tfile's TX ring into r (its tfile, queue_index and ring fields). The ring is full when
 * the slot the producer would fill next still holds a packet (the kernel's __ptr_ring_full()).
 */
static __always_inline void tun_tfile_ring_read(struct tun_file___bpfnet *tfile, struct tun_ring_state *r)
{
	struct ptr_ring *ring = &tfile->tx_ring;
	void **queue;

	r->tfile = (__u64)tfile;
	r->queue_index = BPF_CORE_READ(tfile, queue_index);
	r->producer = BPF_CORE_READ(ring, producer);
	r->consumer_head = BPF_CORE_READ(ring, consumer_head);
	r->consumer_tail = BPF_CORE_READ(ring, consumer_tail);
	r->size = BPF_CORE_READ(ring, size);
	r->batch = BPF_CORE_READ(ring, batch);
	queue = BPF_CORE_READ(ring, queue);
	r->queue = (__u64)queue;
	if (!queue || r->size <= 0 || r->producer < 0 || r->producer >= r->size)
		return;
	bpf_probe_read_kernel(&r->slot, sizeof(r->slot), &queue[r->producer]);
	r->full = r->slot != 0;
}

/* Reads queue idx's TX ring of the tap dev into r (all zero but tun and numqueues without one). */
static __always_inline void tun_ring_read(struct net_device *dev, __u32 idx, struct tun_ring_state *r)
{
	struct tun_struct___bpfnet *tun = tun_of_dev(dev);
	struct tun_file___bpfnet *tfile;

	__builtin_memset(r, 0, sizeof(*r));
	r->tun = (__u64)tun;
	tfile = tun_tfile(tun, idx, &r->numqueues);
	if (tfile)
		tun_tfile_ring_read(tfile, r);
}

/* The tun_file whose embedded socket sock is (container_of; tun_recvmsg's argument). */
static __always_inline struct tun_file___bpfnet *tun_file_of_socket(struct socket *sock)
{
	return (void *)((char *)sock - bpf_core_field_offset(struct tun_file___bpfnet, socket));
}

/*
 * How many slots of a queue's TX ring are taken: produced and not yet released by the
 * consumer (consumer_tail lags consumer_head by up to a batch); 0 for an unsized ring.
 */
static __always_inline __u32 tun_tx_ring_depth(struct tun_file___bpfnet *tfile)
{
	struct ptr_ring *ring = &tfile->tx_ring;
	int producer = BPF_CORE_READ(ring, producer), tail = BPF_CORE_READ(ring, consumer_tail);
	int size = BPF_CORE_READ(ring, size);

	if (size <= 0)
		return 0;
	return producer >= tail ? producer - tail : size - tail + producer;
}
