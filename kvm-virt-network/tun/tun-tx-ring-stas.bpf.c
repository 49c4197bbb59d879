// SPDX-License-Identifier: GPL-2.0-only
/* tun-tx-ring-stas: at every tun_net_xmit into the chosen tap, one queue's TX ptr_ring and the stacks. */
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "kmod/tun.h"
#include "tun-tx-ring-stas.h"

BPFNET_CONFIG(struct ttrs_config)
BPFNET_SCRATCH(event, struct ttrs_event)
BPFNET_STACK_MAP(stacks, 16384);

BPFNET_FUNC_ENTRY(ttrs_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct ttrs_config *cfg = get_config();
	struct ttrs_event *ev = event_zeroed();
	__u64 id = bpf_get_current_pid_tgid();
	struct net_device *tun_dev;

	if (!cfg || !ev || !dev_name_set_has(&cfg->device, BPF_CORE_READ(skb, dev), ev->dev))
		return 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->queue = cfg->queue;
	ev->queue_mapping = BPF_CORE_READ(skb, queue_mapping);
	tun_ring_read(dev, cfg->queue, &ev->ring);
	tun_dev = BPF_CORE_READ(tun_of_dev(dev), dev);
	if (tun_dev)
		bpf_core_read_str(ev->tun_dev, sizeof(ev->tun_dev), &tun_dev->name);
	ev->kstack_id = bpf_get_stackid(ctx, &stacks, 0);
	ev->ustack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
