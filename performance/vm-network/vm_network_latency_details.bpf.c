// SPDX-License-Identifier: GPL-2.0-only
/* vm_network_latency_details: every completed packet of a VM with the time it reached each stage. */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "vm_network_latency_details.h"

_Static_assert(VMD_STAGES >= VD_STAGES && (VMD_STAGES & (VMD_STAGES - 1)) == 0,
	       "stage ids are masked with VMD_STAGES - 1");

#define NETSTAGE_SESSION struct vmd_session
#include "netstage.bpf.h"
#include "vmnet_hooks.bpf.h"

static __always_inline void read_ifname(char *name, const struct netstage_hit *h)
{
	struct sk_buff *skb = h->skb; /* not inside BPF_CORE_READ: netstage_hit is no kernel type */
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	if (dev)
		bpf_core_read_str(name, 16, &dev->name);
}

static __always_inline void netstage_record(void *ctx, struct vmd_session *s, const struct netstage_hit *h)
{
	__u32 stage = h->stage;

	if (h->first) {
		s->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(s->comm, sizeof(s->comm));
		read_ifname(s->first_ifname, h);
	}
	if (stage >= VMD_STAGES)
		return;
	stage = netstage_index(stage, VMD_STAGES - 1);
	if (!s->ts[stage])
		s->ts[stage] = h->now;
}

static __always_inline void netstage_complete(void *ctx, struct vmd_session *s, const struct netstage_hit *h)
{
	read_ifname(s->last_ifname, h);
	if (netstage_reportable(s, h))
		emit_event(ctx, s, sizeof(*s));
}

BPFNET_LICENSE;
