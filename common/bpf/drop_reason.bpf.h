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

/*
 * The drop reason of a skb:kfree_skb raw tracepoint, TP_PROTO(skb, location[, reason[, rx_sk]]):
 * the third argument where the trace event has one (5.17+), else 0. Elsewhere the read is dead
 * code the verifier never visits, so the program does not claim an argument the raw tracepoint
 * lacks (its attach would fail).
 */
static __always_inline __u32 kfree_skb_raw_reason(const struct bpf_raw_tracepoint_args *ctx)
{
	struct trace_event_raw_kfree_skb *record = NULL;

	return bpf_core_field_exists(record->reason) ? (__u32)ctx->args[2] : 0;
}
