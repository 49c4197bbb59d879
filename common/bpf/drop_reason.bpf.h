/* SPDX-License-Identifier: GPL-2.0-only */
/* What a drop reason of the skb:kfree_skb tracepoint or kfree_skb_reason() means to a BPF program. */
#pragma once
#include "bpfnet.bpf.h"

/* 6.0+, declared here so that a vmlinux.h of an older kernel (arm64's, 6.1) compiles too. */
enum skb_drop_reason___v60 { SKB_CONSUMED___v60 = 1 };

/* From 6.0, kfree_skb_reason(skb, SKB_CONSUMED) is a normal free, not a drop. */
static __always_inline bool drop_reason_is_consumed(__u32 reason)
{
	if (bpf_core_enum_value_exists(enum skb_drop_reason___v60, SKB_CONSUMED___v60))
		return reason == bpf_core_enum_value(enum skb_drop_reason___v60, SKB_CONSUMED___v60);
	return false;
}
