// SPDX-License-Identifier: GPL-2.0-only
/* system_network_perfomance_metrics: every completed packet with what each stage saw of it. */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "system_network_perfomance_metrics.h"

#define NETSTAGE_SESSION struct smm_session
#include "netstage.bpf.h"
#include "netstage_record.bpf.h"

static __always_inline void netstage_record(void *ctx, struct smm_session *s, const struct netstage_hit *h)
{
	__u32 stage = h->stage;
	enum netstage_rec_kind kind = NS_REC_OTHER;

	if (stage == SM_PHY_QDISC_ENQ)
		kind = NS_REC_QDISC_ENQ;
	else if (stage == SM_CT_TX || stage == SM_CT_RX)
		kind = NS_REC_CT_IN;
	else if (stage == SM_CT_OUT_TX || stage == SM_CT_OUT_RX)
		kind = NS_REC_CT_OUT;
	netstage_rec_note(&s->tail, h, kind);
	NETSTAGE_REC_STAGE(s, h);
}

static __always_inline void netstage_complete(void *ctx, struct smm_session *s, const struct netstage_hit *h)
{
	if (netstage_reportable(s, h))
		emit_event(ctx, s, sizeof(*s));
}

BPFNET_LICENSE;
