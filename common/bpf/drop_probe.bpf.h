/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's packet-drop hook, whichever form this kernel has: the skb:kfree_skb raw
 * tracepoint (its arguments as the kernel passes them, without the trace event record a classic
 * tracepoint program makes the kernel fill on every drop; the drop reason from 5.17), else a
 * kprobe on kfree_skb (before 5.17), kfree_skb_reason (5.17+) or sk_skb_reason_drop (6.10+).
 * User space picks one (common/drop_probe.h). The including tool defines
 *   static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u32 reason);
 * where reason is 0 when the kernel does not report one.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "drop_reason.bpf.h"

static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u32 reason);

SEC("raw_tp/kfree_skb")
int drop_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	return on_drop(ctx, (struct sk_buff *)ctx->args[0], kfree_skb_raw_reason(ctx));
}

SEC("kprobe")
int BPF_KPROBE(drop_kfree_skb, struct sk_buff *skb)
{
	return on_drop(ctx, skb, 0);
}

SEC("kprobe")
int BPF_KPROBE(drop_kfree_skb_reason, struct sk_buff *skb, __u32 reason)
{
	if (drop_reason_is_consumed(reason))
		return 0;
	return on_drop(ctx, skb, reason);
}

SEC("kprobe")
int BPF_KPROBE(drop_sk_skb_reason_drop, struct sock *sk, struct sk_buff *skb, __u32 reason)
{
	if (drop_reason_is_consumed(reason))
		return 0;
	return on_drop(ctx, skb, reason);
}

/* Compares two device names up to their terminating NUL (bytes after it may be stale). */
static __always_inline bool ifname_equal(const char *a, const char *b)
{
#pragma unroll
	for (int i = 0; i < 16; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}
