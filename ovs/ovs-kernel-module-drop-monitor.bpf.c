// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs-kernel-module-drop-monitor: packets the Open vSwitch kernel datapath drops. A drop is
 * an skb:kfree_skb whose call site is in the openvswitch module (with the kernel's drop
 * reason from 5.17, OVS's own reasons from 6.8), or, before 6.8, a flow whose action list is
 * empty (the datapath consumes such packets instead of freeing them). The flow key of the
 * actions being run on the skb says its recirculation id, input port and conntrack state.
 */
#include "bpfnet.bpf.h"
#include "call_nest.bpf.h"
#include "drop_reason.bpf.h"
#include "events.bpf.h"
#include "kmod/openvswitch.h"
#include "skb_pkt.bpf.h"
#include "ovs-kernel-module-drop-monitor.h"

BPFNET_CONFIG(struct ovsdrop_config)
BPFNET_SCRATCH(event, struct ovsdrop_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_STACK_MAP(stacks, 8192);

/*
 * The skbs whose actions this CPU is running (do_execute_actions, nested for clone(), sample()
 * and recirculation), innermost last, with their flow keys: a free of one of them happens
 * during the actions, in the datapath or in what its output called (dev_queue_xmit).
 */
struct running_actions {
	struct call_nest nest;
	struct sk_buff *skb[CALL_NEST_MAX];
	struct sw_flow_key *key[CALL_NEST_MAX];
};

BPFNET_MAP(actions_running, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct running_actions, 1);

/* The flow key of skb if its actions are running on this CPU, else NULL. */
static __always_inline struct sw_flow_key *running_key(struct sk_buff *skb, bool *found)
{
	struct running_actions *r;
	__u32 zero = 0;

	*found = false;
	r = bpf_map_lookup_elem(&actions_running, &zero);
	if (!r)
		return NULL;
#pragma unroll
	for (int i = CALL_NEST_MAX - 1; i >= 0; i--) {
		if (i < r->nest.depth && r->skb[i] == skb) {
			*found = true;
			return r->key[i];
		}
	}
	return NULL;
}

#define CALLERS_DEPTH 32

struct callers {
	__u64 ip[CALLERS_DEPTH];
};

BPFNET_SCRATCH(callers, struct callers)

/*
 * Whether the openvswitch module's code is on the kernel stack of this free: a per-CPU entry
 * of actions_running can outlive its call (a missed return probe), and a new skb at the
 * same address must not pass for one whose actions run.
 */
static __always_inline bool called_from_datapath(void *ctx, const struct ovsdrop_config *cfg)
{
	struct callers *c = callers_get();
	long n;

	if (!c)
		return false;
	n = bpf_get_stack(ctx, c->ip, sizeof(c->ip), 0);
#pragma unroll
	for (int i = 0; i < CALLERS_DEPTH; i++)
		if (i * 8 < n && c->ip[i] >= cfg->text_lo && c->ip[i] < cfg->text_hi)
			return true;
	return false;
}

static __always_inline void read_flow(struct sw_flow_key *key, struct ovsdrop_flow *f)
{
	if (!key || !bpf_core_type_exists(struct sw_flow_key))
		return;
	f->recirc_id = BPF_CORE_READ(key, recirc_id);
	f->in_port = BPF_CORE_READ(key, phy.in_port);
	f->ct_state = BPF_CORE_READ(key, ct_state);
	f->ct_zone = BPF_CORE_READ(key, ct_zone);
	f->known = 1;
}

/* Sends the event of a dropped skb that passes the filter; key: its flow key, if known. */
static __always_inline int report(void *ctx, struct sk_buff *skb, struct sw_flow_key *key, __u8 kind,
				  __u64 location, __u32 reason)
{
	const struct ovsdrop_config *cfg = get_config();
	struct pkt_snap *snap = snap_get();
	struct ovsdrop_event *ev;
	struct net_device *dev;
	struct pkt_key k;

	if (!cfg || !snap || skb_pkt_key(skb, PKT_AT_NET, NULL, snap, &k) || k.family != 4 ||
	    !pkt_filter_match(&cfg->filter, &k))
		return 0;
	ev = event_zeroed();
	if (!ev)
		return 0;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->location = location;
	ev->pid = (__u32)bpf_get_current_pid_tgid();
	ev->reason = reason;
	ev->kind = kind;
	ev->saddr = k.saddr[0];
	ev->daddr = k.daddr[0];
	ev->protocol = k.l4proto;
	ev->sport = k.sport;
	ev->dport = k.dport;
	ev->icmp_type = k.icmp_type;
	ev->icmp_code = k.icmp_code;
	read_flow(key, &ev->flow);
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	dev = BPF_CORE_READ(skb, dev);
	if (dev)
		bpf_core_read_str(ev->ifname, sizeof(ev->ifname), &dev->name);
	ev->kstack_id = ev->ustack_id = OVSDROP_NO_STACK;
	if (cfg->want_stack) {
		ev->kstack_id = bpf_get_stackid(ctx, &stacks, 0);
		ev->ustack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	}
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY_SP(ovsdrop_do_execute_actions, do_execute_actions, void *dp, struct sk_buff *skb,
		     struct sw_flow_key *key, const void *attr, int len)
{
	const struct ovsdrop_config *cfg = get_config();
	struct running_actions *r;
	__u32 zero = 0;

	r = bpf_map_lookup_elem(&actions_running, &zero);
	if (r) {
		__u32 slot = call_nest_enter(&r->nest, sp);

		if (slot < CALL_NEST_MAX) {
			r->skb[slot] = skb;
			r->key[slot] = key;
		}
	}
	if (cfg && cfg->empty_actions && len == 0)
		return report(ctx, skb, key, OVSDROP_EMPTY_ACTIONS, 0, 0);
	return 0;
}

/* do_execute_actions(dp, skb, key, attr, len) */
BPFNET_FUNC_RETURN_SP(ovsdrop_do_execute_actions_ret, do_execute_actions, 5, int ret)
{
	struct running_actions *r;
	__u32 zero = 0;

	(void)ret;

	r = bpf_map_lookup_elem(&actions_running, &zero);
	if (r)
		call_nest_return(&r->nest, sp);
	return 0;
}

SEC("tp/skb/kfree_skb")
int ovsdrop_kfree_skb(struct trace_event_raw_kfree_skb *ctx)
{
	const struct ovsdrop_config *cfg = get_config();
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;
	__u64 location = (__u64)ctx->location;
	struct sw_flow_key *key;
	__u32 reason = 0;
	bool running;

	if (!cfg)
		return 0;
	key = running_key(skb, &running);
	if (location < cfg->text_lo || location >= cfg->text_hi) {
		if (!running || !called_from_datapath(ctx, cfg))
			return 0;
	}
	if (bpf_core_field_exists(ctx->reason))
		reason = ctx->reason;
	if (drop_reason_is_consumed(reason))
		return 0;
	return report(ctx, skb, key, running ? OVSDROP_FREED_IN_ACTIONS : OVSDROP_FREED, location, reason);
}

BPFNET_LICENSE;
