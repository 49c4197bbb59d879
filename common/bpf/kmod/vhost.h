/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vhost module's private types (drivers/vhost/vhost.h) the host-side vhost tools read,
 * declared for CO-RE with only the fields used. libbpf relocates them against the vhost
 * module's BTF (5.10: the --btf directory, which must hold vhost).
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* 5.8+: the call eventfd and its irq-bypass producer. */
struct vhost_vring_call___bpfnet {
	void *ctx; /* struct eventfd_ctx * */
} __attribute__((preserve_access_index));

struct vhost_virtqueue___bpfnet {
	struct vhost_vring_call___bpfnet call_ctx;
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
