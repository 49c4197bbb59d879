// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-ovs-ct-invalid: packets that the OVS ct() action finds invalid. ovs_ct_execute starts a
 * packet of a watched device; the conntrack functions it calls add their steps (skb->_nfct,
 * TCP window state); __ovs_ct_update_key is the verdict: with OVS_CS_F_INVALID the packet and
 * its steps are sent, else forgotten.
 */
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "kmod/openvswitch.h"
#include "skb_pkt.bpf.h"
#include "trace-ovs-ct-invalid.h"

BPFNET_CONFIG(struct ctinv_config)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_STACK_MAP(stacks, 16384);

/* The packet this CPU's ct() action is working on (ct() runs to its verdict on one CPU). */
struct ct_packet {
	struct sk_buff *skb; /* NULL: none watched */
	struct sw_flow_key *key;
	struct ctinv_event ev;
};

BPFNET_MAP(ct_packets, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct ct_packet, 1);

static __always_inline struct ct_packet *current_packet(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&ct_packets, &zero);
}

BPFNET_FUNC_ENTRY(ctinv_ovs_ct_execute, ovs_ct_execute, struct net *net, struct sk_buff *skb,
		  struct sw_flow_key *key)
{
	const struct ctinv_config *cfg = get_config();
	struct ct_packet *p = current_packet();
	struct pkt_snap *snap = snap_get();
	char name[DEV_NAME_LEN];
	struct pkt_key k;

	if (!cfg || !p || !snap)
		return 0;
	p->skb = NULL;
	__builtin_memset(&p->ev, 0, sizeof(p->ev));
	if (!dev_name_set_has(&cfg->devices, BPF_CORE_READ(skb, dev), name))
		return 0;
	__builtin_memcpy(p->ev.ifname, name, DEV_NAME_LEN);
	/* The original read every packet as IPv4. */
	if (skb_pkt_key(skb, PKT_AT_NET, NULL, snap, &k) || k.family != 4)
		return 0;
	p->skb = skb;
	p->key = key;
	p->ev.saddr = k.saddr[0];
	p->ev.daddr = k.daddr[0];
	p->ev.protocol = k.l4proto;
	p->ev.sport = k.sport;
	p->ev.dport = k.dport;
	p->ev.pid = (__u32)bpf_get_current_pid_tgid();
	bpf_get_current_comm(p->ev.comm, sizeof(p->ev.comm));
	return 0;
}

/* The next step of the packet, or NULL if skb is not the watched packet or no room is left. */
static __always_inline struct ctinv_step *step_add(void *ctx, struct ct_packet *p, struct sk_buff *skb,
						   __u8 probe)
{
	const struct ctinv_config *cfg = get_config();
	struct ctinv_step *s;
	__u8 n;

	if (!cfg || !p || !p->skb || p->skb != skb)
		return NULL;
	n = p->ev.nsteps;
	if (n >= CTINV_MAX_STEPS) {
		p->ev.steps_lost++;
		return NULL;
	}
	s = &p->ev.steps[n & (CTINV_MAX_STEPS - 1)];
	__builtin_memset(s, 0, sizeof(*s));
	s->probe = probe;
	if (bpf_core_field_exists(skb->_nfct))
		s->nfct = BPF_CORE_READ(skb, _nfct);
	s->kstack_id = s->ustack_id = CTINV_NO_STACK;
	if (cfg->want_stack) {
		s->kstack_id = bpf_get_stackid(ctx, &stacks, 0);
		s->ustack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	}
	p->ev.nsteps = n + 1;
	return s;
}

static __always_inline int step(void *ctx, struct sk_buff *skb, __u8 probe)
{
	step_add(ctx, current_packet(), skb, probe);
	return 0;
}

BPFNET_FUNC_ENTRY(ctinv_nf_conntrack_in, nf_conntrack_in, struct sk_buff *skb)
{
	return step(ctx, skb, CTINV_CONNTRACK_IN);
}

/* 4.19: nf_conntrack_in(net, pf, hooknum, skb). */
SEC("kprobe")
int BPF_KPROBE(ctinv_nf_conntrack_in_old, void *net, __u8 pf, unsigned int hooknum, struct sk_buff *skb)
{
	return step(ctx, skb, CTINV_CONNTRACK_IN);
}

BPFNET_FUNC_ENTRY(ctinv_tcp_packet, nf_conntrack_tcp_packet, struct nf_conn *ct, struct sk_buff *skb)
{
	return step(ctx, skb, CTINV_TCP_PACKET);
}

BPFNET_FUNC_ENTRY(ctinv_refresh_acct, __nf_ct_refresh_acct, struct nf_conn *ct, int ctinfo,
		  struct sk_buff *skb)
{
	return step(ctx, skb, CTINV_REFRESH);
}

BPFNET_FUNC_ENTRY(ctinv_ovs_ct_lookup, __ovs_ct_lookup, struct net *net, struct sw_flow_key *key,
		  const void *info, struct sk_buff *skb)
{
	return step(ctx, skb, CTINV_OVS_LOOKUP);
}

static __always_inline void read_window(const struct ip_ct_tcp_state *w, struct ctinv_window *out)
{
	out->td_end = BPF_CORE_READ(w, td_end);
	out->td_maxend = BPF_CORE_READ(w, td_maxend);
	out->td_maxwin = BPF_CORE_READ(w, td_maxwin);
	out->td_maxack = BPF_CORE_READ(w, td_maxack);
}

static __always_inline int window_step(void *ctx, struct ip_ct_tcp *state, __u32 dir, struct sk_buff *skb)
{
	struct ctinv_step *s = step_add(ctx, current_packet(), skb, CTINV_TCP_IN_WINDOW);

	if (!s)
		return 0;
	s->dir = dir;
	s->tcp_state = BPF_CORE_READ(state, state);
	read_window(&state->seen[dir & 1], &s->sender);
	read_window(&state->seen[!(dir & 1)], &s->receiver);
	return 0;
}

/* Up to 5.18: tcp_in_window(ct, state, dir, index, skb, ...). */
BPFNET_FUNC_ENTRY(ctinv_tcp_in_window_state, tcp_in_window, struct nf_conn *ct, struct ip_ct_tcp *state,
		  __u32 dir, unsigned int index, struct sk_buff *skb)
{
	return window_step(ctx, state, dir, skb);
}

/* 5.19+: tcp_in_window(ct, dir, index, skb, ...), the state is ct->proto.tcp. */
BPFNET_FUNC_ENTRY(ctinv_tcp_in_window, tcp_in_window, struct nf_conn *ct, __u32 dir, unsigned int index,
		  struct sk_buff *skb)
{
	return window_step(ctx, &ct->proto.tcp, dir, skb);
}

BPFNET_FUNC_ENTRY(ctinv_ovs_ct_update_key, __ovs_ct_update_key, struct sw_flow_key *key, __u8 state,
		  const struct nf_conntrack_zone *zone)
{
	struct ct_packet *p = current_packet();
	struct ctinv_step *s;

	if (!p || !p->skb || p->key != key)
		return 0;
	if (!(state & CTINV_CS_INVALID))
		return 0;
	/* The verdict always has its place: it replaces the last step. */
	if (p->ev.nsteps >= CTINV_MAX_STEPS) {
		p->ev.nsteps = CTINV_MAX_STEPS - 1;
		p->ev.steps_lost++;
	}
	s = step_add(ctx, p, p->skb, CTINV_UPDATE_KEY);
	if (!s)
		return 0;
	p->ev.ct_state = state;
	if (zone)
		p->ev.zone = BPF_CORE_READ(zone, id);
	p->ev.ts_ns = bpf_ktime_get_ns();
	emit_event(ctx, &p->ev, sizeof(p->ev));
	p->skb = NULL;
	return 0;
}

BPFNET_LICENSE;
