// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_queue_correlation_simple: the vhost signal and vhost_notify decisions of the vhost
 * virtqueues that serve the followed TAP queues.
 */
#include "vhost_queue_corr.bpf.h"

BPFNET_FUNC_ENTRY(vqc_tun_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct vqc_config *cfg = get_config();
	struct vqc_target t;

	if (cfg && vqc_types_known())
		vqc_follow_xmit(cfg, skb, dev, &t);
	return 0;
}

BPFNET_FUNC_ENTRY(vqc_signal, vhost_add_used_and_signal_n, void *dev, void *vq)
{
	const struct vqc_config *cfg = get_config();
	struct vqc_event *ev;

	if (!cfg || !vqc_types_known())
		return 0;
	if (cfg->debug)
		debug_set(cfg, VQC_DBG_PRIVATE_DATA_OFFSET,
			  bpf_core_field_offset(struct vhost_virtqueue___bpfnet, private_data));
	ev = vqc_signal_event(cfg, vq);
	if (ev)
		emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
