// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtionet-rx-path-summary: return values along the guest's virtio-net RX path (NAPI poll,
 * callback re-enabling, completion), virtqueue last_used_idx, IRQ handler and vring_interrupt
 * counts. Everything is a counter that only grows; user space reports the differences.
 */
#include "bpfnet.bpf.h"
#include "irq_handler.bpf.h"
#include "kmod/virtio_net.h"
#include "virtionet-rx-path-summary.h"

BPFNET_MAP(totals, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, RXS_SLOTS);
BPFNET_MAP(vring_irq_calls, BPF_MAP_TYPE_HASH, __s32, __u64, RXS_VRING_IRQS);

static __always_inline void add(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&totals, &slot);

	if (v)
		*v += n; /* a per-CPU slot: only this CPU writes it */
}

static __always_inline void hist(enum rxsum_hist h, __u64 value)
{
	add(RXS_AT_HIST + h * BT_HIST_SLOTS + bt_hist_slot(value), 1);
}

/* virtnet_poll(napi, budget) */
BPFNET_FUNC_RETURN(rxs_poll_ret, virtnet_poll, 2, int received)
{
	add(RXS_POLL_CALLS, 1);
	if (received > 0) {
		add(RXS_POLL_PRODUCTIVE, 1);
		add(RXS_POLL_PACKETS, received);
	}
	/* bpftrace's hist() puts a negative value below [0]; a NAPI poll never returns one. */
	hist(RXH_POLL_RET, received > 0 ? received : 0);
	return 0;
}

/* virtqueue_enable_cb_prepare(vq) */
BPFNET_FUNC_RETURN(rxs_cb_prepare_ret, virtqueue_enable_cb_prepare, 1, unsigned int opaque)
{
	add(RXS_CB_PREPARE_CALLS, 1);
	hist(RXH_CB_PREPARE_RET, opaque);
	return 0;
}

/* napi_complete_done(napi, work_done) */
BPFNET_FUNC_RETURN(rxs_napi_complete_ret, napi_complete_done, 2, long ret)
{
	bool done = (__u8)ret;

	add(RXS_NAPI_COMPLETE_CALLS, 1);
	add(RXS_NAPI_COMPLETE_SUCCESS, done);
	hist(RXH_NAPI_COMPLETE_RET, done);
	return 0;
}

/* virtqueue_poll(vq, last_used_idx) */
BPFNET_FUNC_RETURN(rxs_vq_poll_ret, virtqueue_poll, 2, long ret)
{
	bool pending = (__u8)ret;

	add(RXS_VQ_POLL_CALLS, 1);
	add(RXS_VQ_POLL_DATA, pending);
	hist(RXH_VQ_POLL_RET, pending);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(rxs_cb_delayed, struct virtqueue *vq)
{
	add(RXS_CB_DELAYED_CALLS, 1);
	hist(RXH_CB_DELAYED_LAST_USED, vring_last_used_idx(vq));
	return 0;
}

/* virtqueue_enable_cb_delayed(vq) */
BPFNET_FUNC_RETURN(rxs_cb_delayed_ret, virtqueue_enable_cb_delayed, 1, long ret)
{
	bool enabled = (__u8)ret;

	add(RXS_CB_DELAYED_DATA, enabled);
	hist(RXH_CB_DELAYED_RET, enabled);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(rxs_get_buf, struct virtqueue *vq)
{
	add(RXS_GET_BUF_CALLS, 1);
	hist(RXH_GET_BUF_LAST_USED, vring_last_used_idx(vq));
	return 0;
}

static __always_inline void irq_entry(int irq)
{
	if (irq >= RXS_IRQ_FIRST && irq <= RXS_IRQ_LAST)
		add(RXS_AT_IRQ_ENTRY + (irq - RXS_IRQ_FIRST), 1);
}

static __always_inline void irq_exit(int irq, int ret)
{
	if (irq >= RXS_IRQ_FIRST && irq <= RXS_IRQ_LAST && ret >= 0 && ret < RXS_RETS)
		add(RXS_AT_IRQ_EXIT + (irq - RXS_IRQ_FIRST) * RXS_RETS + ret, 1);
}

BPFNET_IRQ_HANDLER_PROGS(rxs_irq_entry, rxs_irq_exit, irq_entry, irq_exit)

SEC("kprobe")
int BPF_KPROBE(rxs_vring, int irq)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&vring_irq_calls, &irq);

	add(RXS_VRING_CALLS, 1);
	if (v) {
		__sync_fetch_and_add(v, 1);
	} else if (bpf_map_update_elem(&vring_irq_calls, &irq, &one, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&vring_irq_calls, &irq);
		if (v)
			__sync_fetch_and_add(v, 1);
		else
			add(RXS_VRING_IRQ_FULL, 1);
	}
	return 0;
}

/* vring_interrupt(irq, vq) */
BPFNET_FUNC_RETURN(rxs_vring_ret, vring_interrupt, 2, int ret)
{
	if (ret >= 0 && ret < RXS_RETS)
		add(RXS_AT_VRING_RET + ret, 1);
	return 0;
}

BPFNET_LICENSE;
