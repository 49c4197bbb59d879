// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtionet-rx-path-monitor: the returns of virtnet_poll and of the three calls that end a
 * virtio-net RX NAPI cycle (virtqueue_enable_cb_prepare, napi_complete_done, virtqueue_poll),
 * counted and histogrammed in the kernel; the returns the original prints are sent as events.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "kmod/virtio_net.h"
#include "virtionet-rx-path-monitor.h"

BPFNET_CONFIG(struct rxmon_config)
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, RXMON_COUNTERS);
BPFNET_MAP(ret_hist, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, RXMON_HIST_SLOTS);

/* This CPU's place in the cycle. */
struct rxmon_cpu {
	__u64 napi; /* the RX queue's NAPI virtnet_poll is polling; 0 outside virtnet_poll */
	__u64 vq; /* that queue's virtqueue */
	__u8 last_fn; /* 1 + the rxmon_fn entered last on this CPU: the call flow */
	__u8 pending[RXMON_FNS]; /* an entry that counts waits for its return */
};
BPFNET_SCRATCH(cpu_state, struct rxmon_cpu)

/* Whether a call of the generic functions belongs to the RX cycle virtnet_poll runs here. */
static __always_inline bool in_rx_cycle(const struct rxmon_cpu *st, __u64 ptr, bool is_napi)
{
	const struct rxmon_config *cfg = get_config();

	if (!cfg)
		return false;
	if (cfg->all_devices)
		return true;
	return ptr && ptr == (is_napi ? st->napi : st->vq);
}

static __always_inline void entered(struct rxmon_cpu *st, enum rxmon_fn fn)
{
	st->pending[fn & 3] = 1;
	st->last_fn = fn + 1;
}

/*
 * At a return: counts the call in calls, a non-zero return in nonzero, its histogram slot
 * and, where the original prints the return, sends it.
 */
static __always_inline void returned(void *ctx, enum rxmon_fn fn, __u64 ret, __u32 calls, __u32 nonzero,
				     bool print)
{
	__u32 slot = fn * BT_HIST_SLOTS + bt_hist_slot(ret);
	struct rxmon_event ev = { 0 };
	__u64 *count;

	counter_add(&counters, calls, 1);
	if (ret)
		counter_add(&counters, nonzero, 1);
	count = bpf_map_lookup_elem(&ret_hist, &slot);
	if (count)
		*count += 1;
	if (!print)
		return;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.ret = ret;
	ev.tgid = bpf_get_current_pid_tgid() >> 32;
	ev.fn = fn;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	emit_event(ctx, &ev, sizeof(ev));
}

/* Whether this return's entry counted (and forgets it). */
static __always_inline bool take_pending(struct rxmon_cpu *st, enum rxmon_fn fn)
{
	bool pending = st->pending[fn & 3];

	st->pending[fn & 3] = 0;
	return pending;
}

BPFNET_FUNC_ENTRY(rxmon_poll, virtnet_poll, struct napi_struct *napi)
{
	const struct rxmon_config *cfg = get_config();
	struct rxmon_cpu *st = cpu_state_get();

	if (!st || !cfg)
		return 0;
	st->napi = (__u64)napi;
	st->vq = 0;
	/* Without virtio_net's BTF (--all-devices only) the queue stays unknown: nothing filters. */
	if (!cfg->all_devices && bpf_core_type_exists(struct receive_queue___bpfnet))
		st->vq = (__u64)virtnet_vq_of_napi(napi);
	entered(st, RXMON_POLL);
	return 0;
}

/* virtnet_poll(napi, budget) */
BPFNET_FUNC_RETURN(rxmon_poll_ret, virtnet_poll, 2, long ret)
{
	struct rxmon_cpu *st = cpu_state_get();
	int packets = (int)ret;

	if (!st || !take_pending(st, RXMON_POLL))
		return 0;
	st->napi = st->vq = 0;
	if (packets < 0)
		packets = 0;
	counter_add(&counters, RXMON_POLL_PACKETS, packets);
	returned(ctx, RXMON_POLL, packets, RXMON_POLL_CALLS, RXMON_POLL_PRODUCTIVE, packets > 0);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(rxmon_enable_cb, struct virtqueue *vq)
{
	struct rxmon_cpu *st = cpu_state_get();

	if (!st || !in_rx_cycle(st, (__u64)vq, false))
		return 0;
	if (st->last_fn == RXMON_POLL + 1)
		counter_add(&counters, RXMON_POLL_TO_ENABLE_CB, 1);
	entered(st, RXMON_ENABLE_CB);
	return 0;
}

/* virtqueue_enable_cb_prepare(vq) */
BPFNET_FUNC_RETURN(rxmon_enable_cb_ret, virtqueue_enable_cb_prepare, 1, long ret)
{
	struct rxmon_cpu *st = cpu_state_get();
	__u32 token = (__u32)ret; /* unsigned int */

	if (!st || !take_pending(st, RXMON_ENABLE_CB))
		return 0;
	returned(ctx, RXMON_ENABLE_CB, token, RXMON_ENABLE_CB_CALLS, RXMON_ENABLE_CB_DATA, token > 0);
	return 0;
}

BPFNET_FUNC_ENTRY(rxmon_complete, napi_complete_done, struct napi_struct *napi)
{
	struct rxmon_cpu *st = cpu_state_get();

	if (!st || !in_rx_cycle(st, (__u64)napi, true))
		return 0;
	if (st->last_fn == RXMON_ENABLE_CB + 1)
		counter_add(&counters, RXMON_ENABLE_CB_TO_COMPLETE, 1);
	entered(st, RXMON_COMPLETE);
	return 0;
}

/* napi_complete_done(napi, work_done) */
BPFNET_FUNC_RETURN(rxmon_complete_ret, napi_complete_done, 2, long ret)
{
	struct rxmon_cpu *st = cpu_state_get();
	__u64 done = (__u8)ret != 0; /* bool: only the low byte is defined */

	if (!st || !take_pending(st, RXMON_COMPLETE))
		return 0;
	returned(ctx, RXMON_COMPLETE, done, RXMON_COMPLETE_CALLS, RXMON_COMPLETE_SUCCESS, true);
	return 0;
}

SEC("kprobe")
int BPF_KPROBE(rxmon_vq_poll, struct virtqueue *vq)
{
	struct rxmon_cpu *st = cpu_state_get();

	if (!st || !in_rx_cycle(st, (__u64)vq, false))
		return 0;
	entered(st, RXMON_VQ_POLL);
	return 0;
}

/* virtqueue_poll(vq, last_used_idx) */
BPFNET_FUNC_RETURN(rxmon_vq_poll_ret, virtqueue_poll, 2, long ret)
{
	struct rxmon_cpu *st = cpu_state_get();
	__u64 more = (__u8)ret != 0; /* bool */

	if (!st || !take_pending(st, RXMON_VQ_POLL))
		return 0;
	returned(ctx, RXMON_VQ_POLL, more, RXMON_VQ_POLL_CALLS, RXMON_VQ_POLL_DATA, more);
	return 0;
}

BPFNET_LICENSE;
