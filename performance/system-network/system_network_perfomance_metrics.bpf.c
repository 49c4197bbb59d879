// SPDX-License-Identifier: GPL-2.0-only
/* system_network_perfomance_metrics: every completed packet with what each stage saw of it. */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "system_network_perfomance_metrics.h"

#define NETSTAGE_SESSION struct smm_session
#include "netstage.bpf.h"

static __always_inline void netstage_record(void *ctx, struct smm_session *s, const struct netstage_hit *h)
{
	struct sk_buff *skb = h->skb;
	struct smm_stage_rec *rec;
	struct net_device *dev;
	__u32 stage = h->stage;

	if (stage == SM_PHY_QDISC_ENQ)
		s->qdisc_enq_ns = h->now;
	else if (stage == SM_CT_TX || stage == SM_CT_RX)
		s->ct_start_ns = h->now;
	else if ((stage == SM_CT_OUT_TX || stage == SM_CT_OUT_RX) && s->ct_start_ns)
		s->ct_lookup_ns = h->now - s->ct_start_ns;
	if (h->first) {
		s->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(s->comm, sizeof(s->comm));
	}
	if (stage >= SMM_STAGES)
		return;
	stage = netstage_index(stage, 31);
	if (stage >= SMM_STAGES)
		return;
	rec = &s->stages[stage];
	if (rec->ts)
		return; /* the first hit of a stage is the one reported */
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

static __always_inline void netstage_complete(void *ctx, struct smm_session *s, const struct netstage_hit *h)
{
	if (netstage_reportable(s, h))
		emit_event(ctx, s, sizeof(*s));
}

BPFNET_LICENSE;
