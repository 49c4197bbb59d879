/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF side both vhost_queue_correlation tools share: at tun_net_xmit vqc_follow_xmit learns
 * which sockets belong to the followed TAP queues (in each tool's own vqc_tun_xmit program); the
 * vhost signal and vhost_notify stages report the virtqueues whose private_data is one of them.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "kmod/tun.h"
#include "kmod/vhost.h"
#include "vhost_queue_corr.h"

BPFNET_CONFIG(struct vqc_config)
BPFNET_MAP(target_queues, BPF_MAP_TYPE_HASH, __u64, struct vqc_target, VQC_MAX_QUEUES);
/* Slot 0: TAP queues seen while target_queues was full (not followed). */
BPFNET_MAP(target_queues_full, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);
/* The vq of each vhost_notify call in progress, by thread (the vhost worker). */
BPFNET_MAP(notify_vq_by_thread, BPF_MAP_TYPE_LRU_HASH, __u64, __u64, VQC_MAX_QUEUES);
BPFNET_MAP(debug_stats, BPF_MAP_TYPE_ARRAY, __u32, __u64, VQC_DBG_SLOTS);
BPFNET_SCRATCH(vqc_ev, struct vqc_event)

/*
 * Whether the tun and vhost types have BTF; every program returns at once otherwise, so that the
 * object still loads (the verifier drops the unrelocated code) where user space refused to run.
 */
static __always_inline bool vqc_types_known(void)
{
	return bpf_core_type_exists(struct tun_struct___bpfnet) &&
	       bpf_core_type_exists(struct vhost_virtqueue___bpfnet);
}

static __always_inline void debug_add(const struct vqc_config *cfg, __u32 slot)
{
	if (cfg->debug)
		counter_add(&debug_stats, slot, 1);
}

static __always_inline void debug_set(const struct vqc_config *cfg, __u32 slot, __u64 value)
{
	if (cfg->debug)
		bpf_map_update_elem(&debug_stats, &slot, &value, BPF_ANY);
}

/* The device and queue filters at tun_net_xmit; the followed queue's target, NULL if filtered out. */
static __always_inline struct vqc_target *vqc_follow_xmit(const struct vqc_config *cfg, struct sk_buff *skb,
							  struct net_device *dev, struct vqc_target *t)
{
	struct tun_file___bpfnet *tfile;
	__u32 q, numqueues;

	debug_add(cfg, VQC_DBG_TUN_CALLS);
	__builtin_memset(t, 0, sizeof(*t));
	bpf_core_read_str(t->dev, sizeof(t->dev), &dev->name);
	if (cfg->dev[0]) {
		for (int i = 0; i < (int)sizeof(t->dev); i++) {
			if (t->dev[i] != cfg->dev[i])
				return NULL;
			if (!t->dev[i])
				break;
		}
	}
	q = BPF_CORE_READ(skb, queue_mapping);
	if (cfg->queue_filter && q != cfg->queue)
		return NULL;
	tfile = tun_tfile(tun_of_dev(dev), q, &numqueues);
	if (!tfile)
		return NULL;
	t->sock = (__u64)&tfile->socket;
	t->queue = q;
	if (bpf_map_update_elem(&target_queues, &t->sock, t, BPF_ANY))
		counter_add(&target_queues_full, 0, 1);
	debug_add(cfg, VQC_DBG_TUN_TRACKED);
	debug_set(cfg, VQC_DBG_LAST_TUN_SOCK, t->sock);
	return t;
}

/* The socket vhost-net reads vq through. */
static __always_inline __u64 vqc_vq_sock(void *vq)
{
	return (__u64)BPF_CORE_READ((struct vhost_virtqueue___bpfnet *)vq, private_data);
}

/* The index state and features of virtqueue vqp into st. */
static __always_inline void vqc_read_state(void *vqp, struct vqc_vq_state *st)
{
	struct vhost_virtqueue___bpfnet *vq = vqp;

	st->avail_idx = BPF_CORE_READ(vq, avail_idx);
	st->last_avail_idx = BPF_CORE_READ(vq, last_avail_idx);
	st->last_used_idx = BPF_CORE_READ(vq, last_used_idx);
	st->used_flags = BPF_CORE_READ(vq, used_flags);
	st->signalled_used = BPF_CORE_READ(vq, signalled_used);
	st->signalled_used_valid = BPF_CORE_READ(vq, signalled_used_valid);
	st->log_used = BPF_CORE_READ(vq, log_used);
	st->log_addr = BPF_CORE_READ(vq, log_addr);
	st->acked_features = BPF_CORE_READ(vq, acked_features);
	if (bpf_core_field_exists(vq->acked_backend_features))
		st->acked_backend_features = BPF_CORE_READ(vq, acked_backend_features);
}

/* Fills the head of ev: when, by whom, the followed queue t, the stage type. */
static __always_inline void vqc_event_head(struct vqc_event *ev, const struct vqc_target *t, __u8 type)
{
	__u64 id = bpf_get_current_pid_tgid();

	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->sock = t->sock;
	ev->queue = t->queue;
	__builtin_memcpy(ev->dev, t->dev, sizeof(ev->dev));
	ev->type = type;
}

/* A zeroed event of type for the followed queue t and virtqueue vq, with its state. */
static __always_inline struct vqc_event *vqc_event_for(const struct vqc_target *t, void *vq, __u8 type)
{
	struct vqc_event *ev = vqc_ev_zeroed();

	if (!ev)
		return NULL;
	vqc_event_head(ev, t, type);
	ev->vq = (__u64)vq;
	vqc_read_state(vq, &ev->st);
	return ev;
}

/* The signal stage's event for vq, or NULL when its socket is not followed. */
static __always_inline struct vqc_event *vqc_signal_event(const struct vqc_config *cfg, void *vq)
{
	__u64 sock = vqc_vq_sock(vq);
	struct vqc_target *t;

	debug_add(cfg, VQC_DBG_SIGNAL_CALLS);
	debug_set(cfg, VQC_DBG_LAST_SIGNAL_SOCK, sock);
	t = bpf_map_lookup_elem(&target_queues, &sock);
	if (!t)
		return NULL;
	debug_add(cfg, VQC_DBG_SIGNAL_MATCHED);
	return vqc_event_for(t, vq, VQC_SIGNAL);
}

static __always_inline void vqc_notify_entry(void *vq)
{
	const struct vqc_config *cfg = get_config();
	__u64 sock, thread = bpf_get_current_pid_tgid(), vq_ptr = (__u64)vq;

	if (!cfg || !vqc_types_known())
		return;
	sock = vqc_vq_sock(vq);
	debug_add(cfg, VQC_DBG_NOTIFY_CALLS);
	debug_set(cfg, VQC_DBG_LAST_NOTIFY_SOCK, sock);
	debug_set(cfg, VQC_DBG_LAST_NOTIFY_VQ, vq_ptr);
	if (!bpf_map_lookup_elem(&target_queues, &sock))
		return;
	debug_add(cfg, VQC_DBG_NOTIFY_MATCHED);
	bpf_map_update_elem(&notify_vq_by_thread, &thread, &vq_ptr, BPF_ANY);
}

/* vhost_notify(dev, vq) */
SEC("kprobe/vhost_notify")
int BPF_KPROBE(vqc_notify_arg2, void *dev, void *vq)
{
	vqc_notify_entry(vq);
	return 0;
}

/* vhost_notify.constprop.N(vq): GCC dropped the unused dev. */
SEC("kprobe/vhost_notify")
int BPF_KPROBE(vqc_notify_arg1, void *vq)
{
	vqc_notify_entry(vq);
	return 0;
}

SEC("kretprobe/vhost_notify")
int BPF_KRETPROBE(vqc_notify_ret, int ret)
{
	__u64 thread = bpf_get_current_pid_tgid(),
	      *saved = bpf_map_lookup_elem(&notify_vq_by_thread, &thread);
	struct vhost_virtqueue___bpfnet *vq;
	struct vqc_target *t;
	struct vqc_event *ev;
	__u64 sock;
	char *avail;
	__u32 num;

	if (!saved || !vqc_types_known())
		return 0;
	vq = (void *)*saved;
	bpf_map_delete_elem(&notify_vq_by_thread, &thread);
	sock = vqc_vq_sock(vq);
	t = bpf_map_lookup_elem(&target_queues, &sock);
	if (!t)
		return 0;
	ev = vqc_event_for(t, vq, VQC_NOTIFY);
	if (!ev)
		return 0;
	ev->ret = (__u8)ret; /* a bool */
	ev->has_event_idx = (ev->st.acked_features >> VIRTIO_RING_F_EVENT_IDX) & 1;
	/* The guest's ring lives in QEMU's memory: the vhost worker runs with QEMU's mm. */
	avail = BPF_CORE_READ(vq, avail);
	num = BPF_CORE_READ(vq, num);
	if (avail)
		ev->guest_flags_valid =
			!bpf_probe_read_user(&ev->avail_flags, sizeof(ev->avail_flags), avail);
	if (avail && ev->has_event_idx && num) /* used_event = avail->ring[num], after flags and idx */
		ev->guest_event_valid = !bpf_probe_read_user(&ev->used_event, sizeof(ev->used_event),
							     avail + 4 + (__u64)num * 2);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}
