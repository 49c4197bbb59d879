// SPDX-License-Identifier: GPL-2.0-only
/* system_network_latency_summary: adjacent-stage and end-to-end latency histograms, in the kernel. */
#include "bpfnet.bpf.h"
#include "hist.bpf.h"
#include "system_network_latency_summary.h"

#define NETSTAGE_SESSION struct sls_session
#include "netstage.bpf.h"

HIST_MAP(stage_pair_hist, SLS_PAIR_SLOTS);
HIST_MAP(total_hist, NS_DIRS *SLS_SLOTS);

static __always_inline void netstage_record(void *ctx, struct sls_session *s, const struct netstage_hit *h)
{
	__u32 prev = s->hdr.last_pos, cur = h->pos;

	if (h->first || h->now <= s->hdr.last_ns || prev >= NS_MAX_POS || cur >= NS_MAX_POS)
		return;
	hist_add(&stage_pair_hist, sls_pair_index(h->dir & 1, prev, cur, 0), SLS_SLOTS,
		 (h->now - s->hdr.last_ns) / 1000);
}

static __always_inline void netstage_complete(void *ctx, struct sls_session *s, const struct netstage_hit *h)
{
	if (h->now > s->hdr.first_ns)
		hist_add(&total_hist, (h->dir & 1) * SLS_SLOTS, SLS_SLOTS, (h->now - s->hdr.first_ns) / 1000);
}

BPFNET_LICENSE;
