/* SPDX-License-Identifier: GPL-2.0-only */
/* The BPF programs of the vm-network tools' own hooks (vmnet_stage_ids.h), after netstage.bpf.h. */
#pragma once
#include "vmnet_stage_ids.h"

NS_SKB_FUNC(vm_dev_hard_start_xmit, dev_hard_start_xmit, VM_HOOK_HARD_START_XMIT, PKT_AT_NET,
	    struct sk_buff *skb)

NS_SKB_FUNC(vm_tun_net_xmit, tun_net_xmit, VM_HOOK_TUN_NET_XMIT, PKT_AT_NET, struct sk_buff *skb)
