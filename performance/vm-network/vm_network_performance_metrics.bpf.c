// SPDX-License-Identifier: GPL-2.0-only
/* vm_network_performance_metrics: every completed packet of a VM with what each stage saw of it. */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "vm_network_performance_metrics.h"

#define NETSTAGE_SESSION struct vmm_session
#include "netstage.bpf.h"
#include "netstage_record.bpf.h"
#include "vmnet_hooks.bpf.h"

static __always_inline bool last_stage(__u32 stage)
{
	return stage == VS_TX_XMIT || stage == VS_VNET_TX;
}

static __always_inline void netstage_record(void *ctx, struct vmm_session *s, const struct netstage_hit *h)
{
	__u32 stage = h->stage;
	enum netstage_rec_kind kind = NS_REC_OTHER;

	if (stage == VS_QDISC_ENQ || stage == VS_VNET_QDISC_ENQ)
		kind = NS_REC_QDISC_ENQ;
	else if (stage == VS_CT_RX || stage == VS_CT_TX)
		kind = NS_REC_CT_IN;
	else if (stage == VS_CT_OUT_RX || stage == VS_CT_OUT_TX)
		kind = NS_REC_CT_OUT;
	netstage_rec_note(&s->tail, h, kind);
	/* The last stage is counted when it is reported (not below --latency-us). */
	if (!last_stage(stage))
		netstage_probe_count(stage);
	NETSTAGE_REC_STAGE(s, h);
}

static __always_inline void netstage_complete(void *ctx, struct vmm_session *s, const struct netstage_hit *h)
{
	if (!netstage_reportable(s, h))
		return;
	netstage_probe_count(h->stage);
	emit_event(ctx, s, sizeof(*s));
}

BPFNET_LICENSE;
