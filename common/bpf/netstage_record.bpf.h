/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side of netstage_record.h, after netstage.bpf.h: filling a stage's record from the
 * hit's skb, and the per-stage hit counters.
 */
#pragma once
#include "netstage_record.h"

BPFNET_MAP(netstage_probe_stats, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, NS_PROBE_STATS);

/* The stage's record from the hit, if the stage has none yet (the first hit is the one reported). */
static __always_inline void netstage_rec_fill(struct netstage_stage_rec *rec, const struct netstage_hit *h)
{
	struct sk_buff *skb = h->skb; /* not inside BPF_CORE_READ: netstage_hit is no kernel type */
	struct net_device *dev;

	if (rec->ts)
		return;
	rec->ts = h->now;
	rec->skb = (__u64)(long)skb;
	rec->cpu = bpf_get_smp_processor_id();
	rec->len = BPF_CORE_READ(skb, len);
	rec->data_len = BPF_CORE_READ(skb, data_len);
	rec->hash = BPF_CORE_READ(skb, hash);
	rec->queue_mapping = BPF_CORE_READ(skb, queue_mapping);
	dev = BPF_CORE_READ(skb, dev);
	if (dev) {
		rec->ifindex = BPF_CORE_READ(dev, ifindex);
		bpf_core_read_str(rec->devname, sizeof(rec->devname), &dev->name);
	}
}

/* What a hit is to the record's tail (netstage_rec_note). */
enum netstage_rec_kind { NS_REC_OTHER, NS_REC_QDISC_ENQ, NS_REC_CT_IN, NS_REC_CT_OUT };

/* The tail's times at a hit of kind, and the process at the first stage. */
static __always_inline void netstage_rec_note(struct netstage_rec_tail *t, const struct netstage_hit *h,
					      enum netstage_rec_kind kind)
{
	if (kind == NS_REC_QDISC_ENQ)
		t->qdisc_enq_ns = h->now;
	else if (kind == NS_REC_CT_IN)
		t->ct_start_ns = h->now;
	else if (kind == NS_REC_CT_OUT && t->ct_start_ns)
		t->ct_lookup_ns = h->now - t->ct_start_ns;
	if (h->first) {
		t->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(t->comm, sizeof(t->comm));
	}
}

/* The hit's stage record in session s (NETSTAGE_REC_MEMBERS), if its stage id has one. */
#define NETSTAGE_REC_STAGE(s, h)                                                                             \
	do {                                                                                                 \
		const __u32 n_ = sizeof((s)->stages) / sizeof((s)->stages[0]);                               \
		__u32 i_ = (h)->stage;                                                                       \
                                                                                                             \
		_Static_assert(sizeof((s)->stages) / sizeof((s)->stages[0]) <= NS_PROBE_STATS,               \
			       "stage ids are masked with NS_PROBE_STATS - 1");                              \
		if (i_ < n_) {                                                                               \
			i_ = netstage_index(i_, NS_PROBE_STATS - 1);                                         \
			if (i_ < n_)                                                                         \
				netstage_rec_fill(&(s)->stages[i_], h);                                      \
		}                                                                                            \
	} while (0)

/* One more hit of the stage. */
static __always_inline void netstage_probe_count(__u32 stage)
{
	counter_add(&netstage_probe_stats, netstage_index(stage, NS_PROBE_STATS - 1), 1);
}
