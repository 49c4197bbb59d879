// SPDX-License-Identifier: GPL-2.0-only
/* system_network_latency_details: every completed packet with the time it reached each stage. */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "system_network_latency_details.h"

_Static_assert(SLD_STAGES == 16, "stage ids are masked with SLD_STAGES - 1");

#define NETSTAGE_SESSION struct sld_session
#include "netstage.bpf.h"

static __always_inline void netstage_record(void *ctx, struct sld_session *s, const struct netstage_hit *h)
{
	__u32 stage = h->stage;

	if (h->first) {
		struct sk_buff *skb = h->skb; /* not inside BPF_CORE_READ: netstage_hit is no kernel type */
		struct net_device *dev = BPF_CORE_READ(skb, dev);

		s->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(s->comm, sizeof(s->comm));
		if (dev)
			bpf_core_read_str(s->ifname, sizeof(s->ifname), &dev->name);
	}
	if (stage >= SLD_STAGES)
		return;
	stage = netstage_index(stage, SLD_STAGES - 1);
	if (!s->ts[stage])
		s->ts[stage] = h->now;
}

static __always_inline void netstage_complete(void *ctx, struct sld_session *s, const struct netstage_hit *h)
{
	if (netstage_reportable(s, h))
		emit_event(ctx, s, sizeof(*s));
}

BPFNET_LICENSE;
