// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtnet_poll_monitor: virtio-net RX interrupts (skb_recv_done) and NAPI polls (virtnet_poll
 * entry with its budget, exit with the packets processed), per device and RX queue.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "kmod/virtio_net.h"
#include "virtnet_poll_monitor.h"

BPFNET_CONFIG(struct virtnet_poll_config)

/*
 * The poll in progress on each CPU: NAPI polls run in softirq (or busy polling with BH off),
 * so they neither nest nor migrate. The original keyed it by the first-argument register at
 * return, which the callee had clobbered: exits were rarely matched.
 */
struct poll_in_progress {
	struct virtnet_poll_event entry;
	__u8 valid;
};
BPFNET_MAP(poll_by_cpu, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct poll_in_progress, 1);
BPFNET_SCRATCH(event, struct virtnet_poll_event)

/* Fills ev for vq of dev; non-zero when the filters reject it. */
static __always_inline int fill(const struct virtnet_poll_config *cfg, struct virtnet_poll_event *ev,
				struct virtqueue *vq, struct net_device *dev, __u8 type)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (!vq || !dev)
		return -1;
	ev->vq_index = BPF_CORE_READ((struct virtqueue___bpfnet *)vq, index);
	ev->queue_index = ev->vq_index / 2;
	if (cfg->queue_filter && ev->queue_index != cfg->queue)
		return -1;
	if (cfg->ifindex && BPF_CORE_READ(dev, ifindex) != (int)cfg->ifindex)
		return -1;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	bpf_core_read_str(ev->dev_name, sizeof(ev->dev_name), &dev->name);
	ev->vq_ptr = (__u64)vq;
	ev->netdev_ptr = (__u64)dev;
	ev->type = type;
	return 0;
}

BPFNET_FUNC_ENTRY(vpoll_entry, virtnet_poll, struct napi_struct *napi, int budget)
{
	const struct virtnet_poll_config *cfg = get_config();
	__u32 zero = 0;
	struct poll_in_progress *p = bpf_map_lookup_elem(&poll_by_cpu, &zero);

	if (!cfg || !p)
		return 0;
	p->valid = 0;
	__builtin_memset(&p->entry, 0, sizeof(p->entry));
	if (fill(cfg, &p->entry, virtnet_vq_of_napi(napi), BPF_CORE_READ(napi, dev), VPOLL_ENTRY))
		return 0;
	p->entry.budget = budget;
	p->entry.napi_ptr = (__u64)napi;
	p->entry.rq_ptr = (__u64)virtnet_rq_of_napi(napi);
	p->valid = 1;
	emit_event(ctx, &p->entry, sizeof(p->entry));
	return 0;
}

/* virtnet_poll(napi, budget) */
BPFNET_FUNC_RETURN(vpoll_exit, virtnet_poll, 2, int processed)
{
	__u32 zero = 0;
	struct poll_in_progress *p = bpf_map_lookup_elem(&poll_by_cpu, &zero);

	if (!p || !p->valid)
		return 0;
	p->valid = 0;
	p->entry.ts_ns = bpf_ktime_get_ns();
	p->entry.processed = processed;
	p->entry.type = VPOLL_EXIT;
	emit_event(ctx, &p->entry, sizeof(p->entry));
	return 0;
}

BPFNET_FUNC_ENTRY(vpoll_recv_done, skb_recv_done, struct virtqueue *rvq)
{
	const struct virtnet_poll_config *cfg = get_config();
	struct virtnet_poll_event *ev = event_zeroed();

	if (!cfg || !ev || fill(cfg, ev, rvq, virtnet_dev_of_vq(rvq), VPOLL_RECV_DONE))
		return 0;
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
