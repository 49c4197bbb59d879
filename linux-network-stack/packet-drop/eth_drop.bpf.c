// SPDX-License-Identifier: GPL-2.0-only
/* eth_drop: every dropped packet that passes the filters, with its headers and kernel stack. */
#include "bpfnet.bpf.h"
#include "drop_probe.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "eth_drop.h"

BPFNET_CONFIG(struct eth_drop_config)
BPFNET_SCRATCH(event, struct eth_drop_event)

BPFNET_STACK_MAP(stacks, 16384);

/* The device's name into ev (zeros without a device); its device, NULL if none. */
static __always_inline struct net_device *event_ifname(struct sk_buff *skb, struct eth_drop_event *ev)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	__builtin_memset(ev->ifname, 0, sizeof(ev->ifname));
	if (dev)
		bpf_core_read_str(ev->ifname, sizeof(ev->ifname), &dev->name);
	return dev;
}

/*
 * Filters first, with the fewest reads: the device name only under --interface, the skb's
 * header fields in one read, the accelerated VLAN tag only under --vlan-id; the rest of the
 * event (name, tag, lengths, task, stack) only for a drop that passed.
 */
static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u32 reason)
{
	const struct eth_drop_config *cfg = get_config();
	struct eth_drop_event *ev = event_get();
	struct skb_hdrs h;
	struct pkt_key pkt;

	if (!cfg || !ev || !skb)
		return 0;
	if (cfg->ifname[0] && (!event_ifname(skb, ev) || !ifname_equal(ev->ifname, cfg->ifname)))
		return 0;
	skb_hdrs_read(skb, &h);
	if (skb_pkt_key_hdrs(skb, &h, cfg->filter.vlan_id, &ev->snap, &pkt) ||
	    !pkt_filter_match(&cfg->filter, &pkt))
		return 0;
	if (!cfg->ifname[0])
		event_ifname(skb, ev);
	if (!cfg->filter.vlan_id)
		skb_hw_vlan(skb, &ev->snap);

	__u64 id = bpf_get_current_pid_tgid();

	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = (__u32)id;
	ev->tgid = id >> 32;
	ev->cpu = bpf_get_smp_processor_id();
	ev->reason = reason;
	ev->len = BPF_CORE_READ(skb, len);
	ev->data_len = BPF_CORE_READ(skb, data_len);
	ev->mac_header = h.mac_header;
	ev->network_header = h.network_header;
	ev->transport_header = h.transport_header;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_REUSE_STACKID);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
