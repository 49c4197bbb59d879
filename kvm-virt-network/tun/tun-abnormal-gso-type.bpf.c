// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun-abnormal-gso-type: skbs with a GSO size but no GSO type on the transmit path of a VM's
 * tap (tun_net_xmit, the qdisc, validate_xmit_skb) and through openvswitch, and every
 * segmentation's result.
 */
#include "bpfnet.bpf.h"
#include "kmod/tun.h"
#include "skb_gso.bpf.h"
#include "tun-abnormal-gso-type.h"

BPFNET_STACK_MAP(ustacks, 4096);
/* An empty device set, never written: the probes the original left unfiltered match every device. */
BPFNET_MAP(every_device, BPF_MAP_TYPE_ARRAY, __u32, struct dev_name_set, 1);

#define MAX_ERRNO 4095

static __always_inline int on_skb(void *ctx, struct sk_buff *skb, const struct dev_name_set *devices,
				  __u32 probe, bool skip_dhcp)
{
	const struct gso_config *cfg = get_config();
	struct gso_event *ev;

	if (!cfg || !devices)
		return 0;
	ev = gso_check(skb, devices, cfg, skip_dhcp);
	if (ev)
		gso_submit(ctx, ev, probe);
	return 0;
}

static __always_inline int on_any_skb(void *ctx, struct sk_buff *skb, __u32 probe)
{
	__u32 zero = 0;

	return on_skb(ctx, skb, bpf_map_lookup_elem(&every_device, &zero), probe, true);
}

static __always_inline int on_listed_device(void *ctx, struct sk_buff *skb, __u32 probe)
{
	const struct gso_config *cfg = get_config();

	return cfg ? on_skb(ctx, skb, &cfg->devices2, probe, true) : 0;
}

BPFNET_FUNC_ENTRY(tagt_tun_net_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct gso_config *cfg = get_config();
	struct net_device *tun_dev;
	struct gso_event *ev;

	if (!cfg)
		return 0;
	ev = gso_check(skb, &cfg->devices, cfg, false);
	if (!ev)
		return 0;
	/* The original read queue 1 whatever the packet's queue: this reads the packet's own. */
	tun_ring_read(dev, BPF_CORE_READ(skb, queue_mapping), &ev->ring);
	tun_dev = BPF_CORE_READ(tun_of_dev(dev), dev);
	if (tun_dev)
		bpf_core_read_str(ev->tun_dev, sizeof(ev->tun_dev), &tun_dev->name);
	ev->ustack_id = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	gso_submit(ctx, ev, TAGT_TUN_NET_XMIT);
	return 0;
}

BPFNET_FUNC_ENTRY(tagt_sch_direct_xmit, sch_direct_xmit, struct sk_buff *skb)
{
	return on_any_skb(ctx, skb, TAGT_SCH_DIRECT_XMIT);
}

/* Its argument is a struct sk_buff **, which fentry refuses before 6.x: a kprobe only. */
SEC("kprobe")
int BPF_KPROBE(tagt_netdev_frame_hook, struct sk_buff **pskb)
{
	struct sk_buff *skb = NULL;

	bpf_probe_read_kernel(&skb, sizeof(skb), pskb);
	return on_any_skb(ctx, skb, TAGT_NETDEV_FRAME_HOOK);
}

BPFNET_FUNC_ENTRY(tagt_queue_gso_packets, queue_gso_packets, void *dp, struct sk_buff *skb)
{
	return on_any_skb(ctx, skb, TAGT_QUEUE_GSO_PACKETS);
}

BPFNET_FUNC_ENTRY(tagt_queue_userspace_packet, queue_userspace_packet, void *dp, struct sk_buff *skb)
{
	return on_any_skb(ctx, skb, TAGT_QUEUE_USERSPACE_PACKET);
}

BPFNET_FUNC_ENTRY(tagt_validate_xmit_skb_list, validate_xmit_skb_list, struct sk_buff *skb)
{
	return on_listed_device(ctx, skb, TAGT_VALIDATE_XMIT_SKB_LIST);
}

BPFNET_FUNC_ENTRY(tagt_validate_xmit_skb, validate_xmit_skb, struct sk_buff *skb)
{
	return on_listed_device(ctx, skb, TAGT_VALIDATE_XMIT_SKB);
}

/*
 * Every segmentation, as the original printed it: the first segment's device and the stack.
 * Not an anomaly, so not counted in gso_anomalies. skb_segment(head_skb, features): segs, a BTF
 * pointer in the fexit program, is read as a number.
 */
BPFNET_FUNC_RETURN(tagt_skb_segment_ret, skb_segment, 2, struct sk_buff *segs)
{
	struct gso_event *ev = gso_event_get();
	__u64 first = bpfnet_arg_number(segs);

	if (!ev)
		return 0;
	__builtin_memset(ev, 0, __builtin_offsetof(struct gso_event, stack));
	if (first && first < (__u64)-MAX_ERRNO)
		skb_snapshot_read((struct sk_buff *)(long)first, &ev->skb);
	ev->probe = TAGT_SKB_SEGMENT;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->stack_bytes = bpf_get_stack(ctx, ev->stack, sizeof(ev->stack), 0);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
