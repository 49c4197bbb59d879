/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The netstage callbacks of the latency summaries: every hit after a packet's first stage
 * counts the time since its previous stage in stage_pair_hist, and its last stage the time
 * since its first in total_hist (layouts: netstage_pairs.h). Included instead of
 * netstage.bpf.h, with NETSTAGE_SESSION defined as for it.
 */
#pragma once
#include "hist.bpf.h"
#include "netstage_pairs.h"
#include "netstage.bpf.h"

HIST_MAP(stage_pair_hist, NS_PAIR_SLOTS);
HIST_MAP(total_hist, NS_TOTAL_SLOTS);

static __always_inline void netstage_record(void *ctx, NETSTAGE_SESSION *s, const struct netstage_hit *h)
{
	__u32 prev = s->hdr.last_pos, cur = h->pos;

	if (h->first || h->now <= s->hdr.last_ns || prev >= NS_MAX_POS || cur >= NS_MAX_POS)
		return;
	hist_add(&stage_pair_hist, netstage_pair_index(h->dir & 1, prev, cur, 0), NS_HIST_SLOTS,
		 (h->now - s->hdr.last_ns) / 1000);
}

static __always_inline void netstage_complete(void *ctx, NETSTAGE_SESSION *s, const struct netstage_hit *h)
{
	if (h->now > s->hdr.first_ns)
		hist_add(&total_hist, (h->dir & 1) * NS_HIST_SLOTS, NS_HIST_SLOTS,
			 (h->now - s->hdr.first_ns) / 1000);
}
