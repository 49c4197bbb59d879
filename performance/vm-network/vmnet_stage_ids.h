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

/* The vm tools' own hook: the driver hand-off of a packet list (TX_QUEUE, VNET_TX). */
enum vmnet_hook {
	VM_HOOK_HARD_START_XMIT = NS_HOOKS_COMMON,
	VM_HOOKS,
};
