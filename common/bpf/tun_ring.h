/* SPDX-License-Identifier: GPL-2.0-only */
/* A tap queue's TX ptr_ring as the tun tools read it (kmod/tun.h), shared with user space. */
#pragma once
#include "both_sides.h"

/* One queue's TX ring as tun_net_xmit finds it (all zero when the queue has no tun_file). */
struct tun_ring_state {
	__u64 tun; /* struct tun_struct * */
	__u64 tfile; /* struct tun_file *, 0 if none */
	__u64 queue; /* ptr_ring.queue */
	__u64 slot; /* queue[producer]: non-zero means the ring is full */
	__s32 producer, consumer_head, consumer_tail, size, batch;
	__u32 numqueues;
	__u32 queue_index; /* tun_file.queue_index */
	__u8 full; /* __ptr_ring_full(): queue[producer] != NULL */
	__u8 pad[3];
};
