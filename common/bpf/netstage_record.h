/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-packet record of the netstage metrics tools (system_network_perfomance_metrics,
 * vm_network_performance_metrics): what each stage saw of the packet, and the per-stage hit
 * counters of their "Performance Statistics". Shared by BPF and user space.
 */
#pragma once
#include "bpf/netstage.h"

/* What a stage saw of the packet, at its first hit. */
struct netstage_stage_rec {
	__u64 ts; /* 0: stage not seen */
	__u64 skb; /* sk_buff address */
	__u32 len, data_len, hash, ifindex, cpu;
	__u16 queue_mapping;
	__u16 pad;
	char devname[16];
};

/* Slots of the per-stage hit counters, and the stage ids a record can hold (masked with 31). */
#define NS_PROBE_STATS 32

/* What a record keeps beside its stages (members of struct netstage_rec_tail and of the session). */
#define NETSTAGE_REC_TAIL_FIELDS                                                                             \
	__u64 qdisc_enq_ns; /* latest qdisc enqueue */                                                       \
	__u64 ct_start_ns; /* latest conntrack lookup start */                                               \
	__u64 ct_lookup_ns; /* duration of the latest conntrack lookup */                                    \
	__u32 pid; /* at the first stage */                                                                  \
	__u32 pad;                                                                                           \
	char comm[16];

struct netstage_rec_tail {
	NETSTAGE_REC_TAIL_FIELDS
};

/*
 * A metrics tool's session members after "struct netstage_session hdr": its stage records by
 * stage id (at most NS_PROBE_STATS), and the tail, as "tail" and as members of their own.
 */
#define NETSTAGE_REC_MEMBERS(nstages)                                                                        \
	struct netstage_stage_rec stages[nstages];                                                           \
	union {                                                                                              \
		struct netstage_rec_tail tail;                                                               \
		struct {                                                                                     \
			NETSTAGE_REC_TAIL_FIELDS                                                             \
		};                                                                                           \
	}
