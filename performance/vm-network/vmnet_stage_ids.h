/* SPDX-License-Identifier: GPL-2.0-only */
/* Stage ids of the vm-network tools' path model (vmnet_stages.h), for BPF and user space. */
#pragma once
#include "bpf/netstage.h"

/* The originals' 21 stages, named from the VM's tap device: _RX stages are VM TX, _TX VM RX. */
enum vmnet_stage {
	VS_VNET_RX = 1,
	VS_OVS_RX,
	VS_FLOW_EXTRACT_END_RX,
	VS_OVS_UPCALL_RX,
	VS_OVS_USERSPACE_RX,
	VS_CT_RX,
	VS_CT_OUT_RX,
	VS_QDISC_ENQ,
	VS_QDISC_DEQ,
	VS_TX_QUEUE,
	VS_TX_XMIT,
	VS_PHY_RX = 12,
	VS_OVS_TX,
	VS_FLOW_EXTRACT_END_TX,
	VS_OVS_UPCALL_TX,
	VS_OVS_USERSPACE_TX,
	VS_CT_TX,
	VS_CT_OUT_TX,
	VS_VNET_QDISC_ENQ,
	VS_VNET_QDISC_DEQ,
	VS_VNET_TX,
	VS_STAGES,
};

/* vm_network_latency_details: the original's 14 stages (RX_S* are VM TX, TX_S* VM RX). */
enum vmnet_details_stage {
	VD_RX_NETIF_RECEIVE = 0,
	VD_RX_FRAME_HOOK,
	VD_RX_DP_PROCESS,
	VD_RX_UPCALL,
	VD_RX_USERSPACE,
	VD_RX_VPORT_SEND,
	VD_RX_DEV_QUEUE,
	VD_TX_NETIF_RECEIVE = 7,
	VD_TX_FRAME_HOOK,
	VD_TX_DP_PROCESS,
	VD_TX_UPCALL,
	VD_TX_USERSPACE,
	VD_TX_VPORT_SEND,
	VD_TX_TUN_NET_XMIT,
	VD_STAGES,
};

/* The vm tools' own hooks, after the common ones (each tool's rules use some of them). */
enum vmnet_hook {
	VM_HOOK_HARD_START_XMIT = NS_HOOKS_COMMON, /* the driver hand-off of a packet list */
	VM_HOOK_TUN_NET_XMIT, /* the tap's transmit to the guest */
	VM_HOOKS,
};
