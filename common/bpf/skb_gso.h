/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GSO anomaly detectors (trace-qdisc-dequeue, trace_dev_queue_xmit, trace_tc_qdisc,
 * tun-abnormal-gso-type): an skb whose shared info has a GSO size but no GSO type, caught at a probe
 * point, with everything the bpftrace originals printed of it. Shared by the BPF side
 * (skb_gso.bpf.h) and user space (common/skb_gso_report.h).
 */
#pragma once
#include "both_sides.h"
#include "dev_name_set.h"
#include "skb_snapshot.h"
#include "tun_ring.h"

#define GSO_STACK_MAX 127 /* frames of a kernel stack (bpftrace's kstack) */
#define GSO_MAX_PROBES 16

struct gso_event {
	__u64 ts_ns;
	__u64 enqueue_fn; /* the qdisc's enqueue callback (trace_tc_qdisc's fq_codel check) */
	__u32 probe; /* the tool's probe number */
	__u32 pid; /* tgid */
	__u32 sk_saddr, sk_daddr; /* the socket's addresses, network order; 0 without a socket */
	__u16 sk_dport; /* the socket's destination port, network order as the original printed it */
	__u16 pad;
	__s32 stack_bytes; /* bytes of stack, or a negative error */
	char comm[16];
	struct skb_snapshot skb;
	/* tun-abnormal-gso-type's tun_net_xmit: the packet's queue's TX ring (ring.tun 0: none) */
	struct tun_ring_state ring;
	char tun_dev[16]; /* tun->dev->name */
	__s32 ustack_id; /* the sender's user stack in the tool's stack map, or negative */
	__u32 pad2;
	__u64 stack[GSO_STACK_MAX];
};

/* What the three tools configure. */
struct gso_config {
	struct dev_name_set devices; /* the tool's --device */
	struct dev_name_set devices2; /* --kprobe-device or --fq-codel-device */
	/*
	 * gso_type bits treated as absent: 0 in a normal run. A test switch (BPFNET_TEST_GSO_TYPE_IGNORE)
	 * sets it, since no kernel path makes a GSO size without a type on purpose.
	 */
	__u32 gso_type_ignore;
	__u32 pad;
};
