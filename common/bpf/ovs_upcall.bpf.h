/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The upcall of ovs_dp_upcall() as the OVS tools read it: the sk_buff, the upcall command
 * (OVS_PACKET_CMD_*) and the netlink port id, from the openvswitch:ovs_dp_upcall tracepoint
 * where the kernel has it, else from the function's arguments (kprobe). Both through the
 * openvswitch module's BTF (kmod/openvswitch.h).
 */
#pragma once
#include "bpfnet.bpf.h"
#include "kmod/openvswitch.h"

struct ovs_upcall {
	struct sk_buff *skb;
	__u32 portid;
	__u8 cmd;
};

/* From the tracepoint's record; non-zero where the module's BTF lacks the fields. */
static __always_inline int ovs_upcall_from_tp(struct trace_event_raw_ovs_dp_upcall *ctx, struct ovs_upcall *u)
{
	if (!bpf_core_field_exists(ctx->skbaddr) || !bpf_core_field_exists(ctx->upcall_cmd))
		return -1;
	u->skb = ctx->skbaddr;
	u->cmd = ctx->upcall_cmd;
	u->portid = ctx->upcall_port;
	return 0;
}

/*
 * int ovs_dp_upcall(struct datapath *dp, struct sk_buff *skb, const struct sw_flow_key *key,
 *                   const struct dp_upcall_info *upcall_info, uint32_t cutlen)
 */
static __always_inline int ovs_upcall_from_kprobe(struct pt_regs *ctx, struct ovs_upcall *u)
{
	const struct dp_upcall_info *info = (void *)PT_REGS_PARM4(ctx);

	u->skb = (struct sk_buff *)PT_REGS_PARM2(ctx);
	if (!u->skb || !info || !bpf_core_type_exists(struct dp_upcall_info))
		return -1;
	u->cmd = BPF_CORE_READ(info, cmd);
	u->portid = BPF_CORE_READ(info, portid);
	return 0;
}
