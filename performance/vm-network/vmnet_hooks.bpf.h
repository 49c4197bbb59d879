/* SPDX-License-Identifier: GPL-2.0-only */
/* The BPF program of the vm-network tools' own hook (vmnet_stage_ids.h), after netstage.bpf.h. */
#pragma once
#include "vmnet_stage_ids.h"

NS_SKB_KPROBE(vm_dev_hard_start_xmit, VM_HOOK_HARD_START_XMIT, PKT_AT_NET, struct sk_buff *skb)
