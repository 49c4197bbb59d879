// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs_userspace_megaflow: every upcall of the OVS datapath (the packet's headers, the upcall
 * command and netlink port) and every OVS_FLOW_CMD_NEW request of ovs-vswitchd (the netlink
 * message itself, decoded in user space).
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "ovs_upcall.bpf.h"
#include "skb_pkt.bpf.h"
#include "ovs_userspace_megaflow.h"

BPFNET_SCRATCH(fresh, struct megaflow_event)

static __always_inline struct megaflow_event *event_start(__u32 kind)
{
	struct megaflow_event *ev = fresh_get();

	if (!ev)
		return NULL;
	__builtin_memset(ev, 0, MEGAFLOW_UPCALL_SIZE);
	ev->ts_ns = bpf_ktime_get_ns();
	ev->kind = kind;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	return ev;
}

static __always_inline int on_upcall(void *ctx, const struct ovs_upcall *u)
{
	struct megaflow_event *ev = event_start(MEGAFLOW_UPCALL);
	struct sk_buff *skb = u->skb; /* a local copy: BPF_CORE_READ relocates each member it reads */
	struct net_device *dev;

	if (!ev)
		return 0;
	ev->portid = u->portid;
	ev->cmd = u->cmd;
	ev->skb_len = BPF_CORE_READ(skb, len);
	ev->mark = BPF_CORE_READ(skb, mark);
	dev = BPF_CORE_READ(skb, dev);
	if (dev)
		bpf_core_read_str(ev->ifname, sizeof(ev->ifname), &dev->name);
	/* The datapath hands the frame over with skb->data at its Ethernet header. */
	skb_snapshot(skb, PKT_AT_ETH, &ev->snap);
	emit_event(ctx, ev, MEGAFLOW_UPCALL_SIZE);
	return 0;
}

SEC("tp/openvswitch/ovs_dp_upcall")
int tp_ovs_dp_upcall(struct trace_event_raw_ovs_dp_upcall *ctx)
{
	struct ovs_upcall u;

	return ovs_upcall_from_tp(ctx, &u) ? 0 : on_upcall(ctx, &u);
}

SEC("kprobe")
int kp_ovs_dp_upcall(struct pt_regs *ctx)
{
	struct ovs_upcall u;

	return ovs_upcall_from_kprobe(ctx, &u) ? 0 : on_upcall(ctx, &u);
}

/*
 * int ovs_flow_cmd_new(struct sk_buff *skb, struct genl_info *info): the request is at
 * info->nlhdr; skb->data is the first message of ovs-vswitchd's batch, which may be another.
 */
BPFNET_FUNC_ENTRY(kp_ovs_flow_cmd_new, ovs_flow_cmd_new, struct sk_buff *skb, struct genl_info *info)
{
	struct megaflow_event *ev;
	const struct nlmsghdr *nlh;
	__u32 len, n;

	if (!info)
		return 0;
	nlh = BPF_CORE_READ(info, nlhdr);
	if (!nlh)
		return 0;
	ev = event_start(MEGAFLOW_FLOW_NEW);
	if (!ev)
		return 0;
	ev->portid = BPF_CORE_READ(info, snd_portid);
	len = BPF_CORE_READ(nlh, nlmsg_len);
	ev->skb_len = len;
	n = len < MEGAFLOW_MSG_MAX ? len : MEGAFLOW_MSG_MAX;
	barrier_var(n);
	if (n > MEGAFLOW_MSG_MAX || n == 0)
		return 0;
	if (bpf_probe_read_kernel(ev->msg, n, nlh))
		return 0;
	ev->captured = n;
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
