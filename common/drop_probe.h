/* SPDX-License-Identifier: GPL-2.0-only */
/* User side of common/bpf/drop_probe.bpf.h: choosing the drop hook, naming drop reasons. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "hook.h"

/* The candidates of the drop hook of an object that includes drop_probe.bpf.h, in order of preference. */
#define DROP_HOOK_CANDIDATES                                                                                 \
	{ HOOK_RAW_TP, "drop_raw_tp", "skb:kfree_skb" }, { HOOK_KPROBE, "drop_kfree_skb", "kfree_skb" },     \
		{ HOOK_KPROBE, "drop_kfree_skb_reason", "kfree_skb_reason" },                                \
	{                                                                                                    \
		HOOK_KPROBE, "drop_sk_skb_reason_drop", "sk_skb_reason_drop"                                 \
	}

/* The one hook of the drop tools: "packet drops", with DROP_HOOK_CANDIDATES. */
extern const struct hook_def drop_hook;

/* The kernel's name of a drop reason ("NO_SOCKET"), from its BTF; NULL if unknown. */
const char *drop_reason_name(unsigned reason);
/* Calls fn for every drop reason the kernel's BTF defines, named without SKB_DROP_REASON_. */
void drop_reason_foreach(void (*fn)(unsigned value, const char *name, void *ctx), void *ctx);

/*
 * The normal-kfree-pattern heuristic of eth_drop: true if the frame after the free function
 * (kfree_skb, kfree_skb_reason, sk_skb_reason_drop) is a caller that frees packets as a
 * matter of course (icmp_rcv, tcp_v4_rcv, ...). frames are rendered symbols, innermost first.
 */
bool drop_is_normal_pattern(const char *const *frames, int n);
