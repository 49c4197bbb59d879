/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side of the stage tracking of common/bpf/netstage.h: one BPF program per hook, the
 * packet key built from the headers the hook can see, the filters, and the per-packet
 * session that follows the packet from its first stage to its last.
 *
 * User space decides, per hook, which stage a hit stands for (netstage_config.rules); this
 * file does the rest. The including tool defines before including it
 *   NETSTAGE_SESSION   its session value type, whose first member is "struct netstage_session hdr"
 * and after including it the two callbacks declared below. Both run with the session
 * header still describing the previous stage (hdr.last_*); the generic code updates it after
 * netstage_record() and deletes the session after netstage_complete().
 */
#pragma once
#include "bpfnet.bpf.h"
#include "netstage.h"
#include "skb_pkt.bpf.h"

#ifndef NETSTAGE_SESSION
#error "define NETSTAGE_SESSION (the tool's session value type) before including netstage.bpf.h"
#endif
#ifndef NETSTAGE_MAX_SESSIONS
#define NETSTAGE_MAX_SESSIONS 10240
#endif

struct netstage_hit {
	const struct netstage_config *cfg;
	struct sk_buff *skb;
	__u64 now;
	__u8 stage;
	__u8 pos;
	__u8 dir;
	__u8 first; /* this hit started the session */
};

static __always_inline void netstage_record(void *ctx, NETSTAGE_SESSION *s, const struct netstage_hit *h);

/*
 * i & mask, done where the verifier sees it: kernels before ~6.2 lose the range of a checked
 * index when the compiler reloads the unchecked copy from the stack for the access.
 */
static __always_inline __u32 netstage_index(__u32 i, const __u32 mask)
{
	asm volatile("%0 &= %1" : "+r"(i) : "i"(mask));
	return i;
}
static __always_inline void netstage_complete(void *ctx, NETSTAGE_SESSION *s, const struct netstage_hit *h);

BPFNET_CONFIG(struct netstage_config)
BPFNET_SCRATCH(ns_snap, struct pkt_snap)

BPFNET_MAP(netstage_sessions, BPF_MAP_TYPE_LRU_HASH, struct netstage_key, NETSTAGE_SESSION,
	   NETSTAGE_MAX_SESSIONS);

/* Never written: the zeroed value a new session starts from (values may exceed the stack). */
BPFNET_MAP(netstage_zero, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, NETSTAGE_SESSION, 1);

BPFNET_MAP(netstage_counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, NS_COUNTERS);

/* nf_conntrack_in's skb between its entry and its return, per CPU (it runs with BHs off). */
BPFNET_MAP(netstage_ct_skb, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);

struct netstage_pkt {
	__u8 tcp_flags;
	__u16 payload_len;
};

/*
 * The packet's key as the hook at point at (a PKT_AT_*) sees it: IPv4 TCP, UDP or ICMP of
 * the protocols the tool tracks, passing the filter. Non-zero for any other packet.
 */
static __always_inline int ns_parse(const struct netstage_config *cfg, struct sk_buff *skb, const int at,
				    struct sock *sk, struct netstage_key *k, struct netstage_pkt *p)
{
	struct pkt_snap *snap = ns_snap_get();
	struct pkt_key pk;
	__u8 bit;

	if (!snap || skb_pkt_key(skb, at, sk, snap, &pk) || pk.family != 4)
		return -1;
	__builtin_memset(k, 0, sizeof(*k));
	k->saddr = pk.saddr[0];
	k->daddr = pk.daddr[0];
	k->protocol = pk.l4proto;
	p->tcp_flags = 0;
	p->payload_len = 0;
	if (pk.l4proto == IPPROTO_TCP && (pk.flags & PKT_K_PORTS)) {
		bit = NS_PROTO_TCP;
		k->tcp.sport = bpf_htons(pk.sport);
		k->tcp.dport = bpf_htons(pk.dport);
		k->tcp.seq = bpf_htonl(pk.tcp_seq);
		k->tcp.ack_seq = bpf_htonl(pk.tcp_ack);
		p->tcp_flags = pk.tcp_flags;
		p->payload_len = pk.l4_len > pk.tcp_hlen ? pk.l4_len - pk.tcp_hlen : 0;
	} else if (pk.l4proto == IPPROTO_UDP && (pk.flags & PKT_K_PORTS)) {
		bit = NS_PROTO_UDP;
		k->udp.sport = bpf_htons(pk.sport);
		k->udp.dport = bpf_htons(pk.dport);
		k->udp.ip_id = bpf_htons(pk.ip_id);
		k->udp.len = bpf_htons(pk.udp_len);
		p->payload_len = pk.udp_len > 8 ? pk.udp_len - 8 : 0;
	} else if (pk.l4proto == IPPROTO_ICMP && (pk.flags & PKT_K_ICMP)) {
		bit = NS_PROTO_ICMP;
		k->icmp.id = bpf_htons(pk.icmp_id);
		k->icmp.seq = bpf_htons(pk.icmp_seq);
		k->icmp.type = pk.icmp_type;
		k->icmp.code = pk.icmp_code;
	} else {
		return -1; /* other protocols, and non-first fragments */
	}
	if (!(cfg->protocols & bit) || !pkt_filter_match(&cfg->filter, &pk))
		return -1;
	return 0;
}

#define NS_DEVBIT_PHY (1 << NS_DEV_PHY)
#define NS_DEVBIT_INTERNAL (1 << NS_DEV_INTERNAL)
#define NS_DEVBIT_LOCAL (1 << NS_DEV_LOCAL)
#define NS_DEVBIT_VM (1 << NS_DEV_VM)

/* Which of the kinds want asks for (bits 1 << NS_DEV_*) skb->dev is. */
static __always_inline __u8 ns_dev_bits(struct sk_buff *skb, const struct netstage_config *cfg, __u8 want)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	__u8 bits = 0;

	if (!dev)
		return 0;
	if ((want & NS_DEVBIT_PHY) && iface_set_has(&cfg->phy, dev))
		bits |= NS_DEVBIT_PHY;
	if ((want & NS_DEVBIT_INTERNAL) && iface_set_has(&cfg->internal, dev))
		bits |= NS_DEVBIT_INTERNAL;
	if ((want & NS_DEVBIT_LOCAL) && dev_in_netns(dev, cfg->netns_inum))
		bits |= NS_DEVBIT_LOCAL;
	if ((want & NS_DEVBIT_VM) && iface_set_has(&cfg->vm, dev))
		bits |= NS_DEVBIT_VM;
	return bits;
}

static __always_inline bool ns_dev_ok(__u8 want, __u8 bits)
{
	return want == NS_DEV_ANY || (bits & (1 << want));
}

static __always_inline void ns_count(__u32 slot)
{
	counter_add(&netstage_counters, slot, 1);
}

static __always_inline void ns_init(NETSTAGE_SESSION *s, const struct netstage_key *key,
				    const struct netstage_pkt *pkt, const struct netstage_rule *rule,
				    struct netstage_hit *hit)
{
	s->hdr.key = *key;
	s->hdr.first_ns = hit->now;
	s->hdr.last_ns = hit->now;
	s->hdr.dir = rule->dir;
	s->hdr.tcp_flags = pkt->tcp_flags;
	s->hdr.payload_len = pkt->payload_len;
	hit->first = 1;
}

static __always_inline void ns_started(NETSTAGE_SESSION *s, const struct netstage_rule *rule)
{
	s->hdr.last_stage = rule->stage;
	s->hdr.last_pos = rule->pos;
	s->hdr.nstages = 1;
	ns_count(NS_CNT_STARTED + (rule->dir & 1));
}

static __always_inline void ns_start(void *ctx, const struct netstage_key *key,
				     const struct netstage_pkt *pkt, const struct netstage_rule *rule,
				     struct netstage_hit *hit)
{
	__u32 zero = 0;
	NETSTAGE_SESSION *s;

	if (sizeof(NETSTAGE_SESSION) <= 128) {
		/* Small sessions are built on the stack: one map operation instead of three. */
		NETSTAGE_SESSION init;

		__builtin_memset(&init, 0, sizeof(init));
		ns_init(&init, key, pkt, rule, hit);
		netstage_record(ctx, &init, hit);
		ns_started(&init, rule);
		if (bpf_map_update_elem(&netstage_sessions, key, &init, BPF_ANY))
			ns_count(NS_CNT_NO_SESSION);
		return;
	}
	s = bpf_map_lookup_elem(&netstage_zero, &zero);
	if (!s)
		return;
	if (bpf_map_update_elem(&netstage_sessions, key, s, BPF_ANY)) {
		ns_count(NS_CNT_NO_SESSION);
		return;
	}
	s = bpf_map_lookup_elem(&netstage_sessions, key);
	if (!s)
		return;
	ns_init(s, key, pkt, rule, hit);
	netstage_record(ctx, s, hit);
	ns_started(s, rule);
}

static __always_inline void ns_continue(void *ctx, const struct netstage_key *key, NETSTAGE_SESSION *s,
					const struct netstage_rule *rule, const struct netstage_hit *hit)
{
	netstage_record(ctx, s, hit);
	s->hdr.last_ns = hit->now;
	s->hdr.last_stage = rule->stage;
	s->hdr.last_pos = rule->pos;
	s->hdr.nstages++;
	if (!(rule->flags & NS_LAST))
		return;
	ns_count(NS_CNT_COMPLETED + (rule->dir & 1));
	netstage_complete(ctx, s, hit);
	bpf_map_delete_elem(&netstage_sessions, key);
}

/* True when a completed packet is to be reported by a per-packet tool (--latency-us). */
static __always_inline bool netstage_reportable(const NETSTAGE_SESSION *s, const struct netstage_hit *h)
{
	if (h->cfg->report_min_ns && h->now - s->hdr.first_ns < h->cfg->report_min_ns) {
		ns_count(NS_CNT_UNREPORTED + (h->dir & 1));
		return false;
	}
	return true;
}

/* One hit of a hook: which stage it is for this packet, if any, and the session bookkeeping. */
/* Copies into *rule the first matching rule (m0: r0 matches, m1: r1) that has flag; false if none. */
static __always_inline bool ns_rule_with(bool m0, const struct netstage_rule *r0, bool m1,
					 const struct netstage_rule *r1, __u8 flag,
					 struct netstage_rule *rule)
{
	if (m0 && (r0->flags & flag))
		*rule = *r0;
	else if (m1 && (r1->flags & flag))
		*rule = *r1;
	else
		return false;
	return true;
}

/* The hit is at the rule's stage. */
static __always_inline void ns_hit_at(struct netstage_hit *hit, const struct netstage_rule *rule)
{
	hit->stage = rule->stage;
	hit->pos = rule->pos;
	hit->dir = rule->dir;
}

static __always_inline int netstage_hook(void *ctx, const int hook, struct sk_buff *skb, const int at,
					 struct sock *sk, struct net *net)
{
	const struct netstage_config *cfg = get_config();
	struct netstage_rule r0, r1, rule;
	struct netstage_hit hit = {};
	struct netstage_key key;
	struct netstage_pkt pkt;
	NETSTAGE_SESSION *s;
	bool m0, m1, start = false;

	if (!cfg || !skb)
		return 0;
	r0 = cfg->rules[hook][0];
	r1 = cfg->rules[hook][1];
	m0 = r0.stage != NS_STAGE_NONE;
	m1 = r1.stage != NS_STAGE_NONE;
	if (!m0 && !m1)
		return 0;
	/* The host stack of the tool's namespace only: not the peers of its veths. */
	if (net && cfg->netns_inum && BPF_CORE_READ(net, ns.inum) != cfg->netns_inum)
		return 0;
	if ((m0 && r0.dev) || (m1 && r1.dev)) {
		__u8 want = (m0 ? 1 << r0.dev : 0) | (m1 ? 1 << r1.dev : 0);
		__u8 bits = ns_dev_bits(skb, cfg, want & ~(1 << NS_DEV_ANY));

		m0 = m0 && ns_dev_ok(r0.dev, bits);
		m1 = m1 && ns_dev_ok(r1.dev, bits);
		if (!m0 && !m1)
			return 0;
	}
	if (ns_parse(cfg, skb, at, sk, &key, &pkt))
		return 0;
	hit.cfg = cfg;
	hit.skb = skb;
	hit.now = bpf_ktime_get_ns();

	if (ns_rule_with(m0, &r0, m1, &r1, NS_FIRST, &rule)) {
		start = true;
	} else {
		s = bpf_map_lookup_elem(&netstage_sessions, &key);
		if (s && hit.now > s->hdr.last_ns && hit.now - s->hdr.last_ns > cfg->stale_ns) {
			bpf_map_delete_elem(&netstage_sessions, &key); /* stale: counted as incomplete */
			s = NULL;
		}
		if (s) {
			if (m0 && r0.dir == s->hdr.dir)
				rule = r0;
			else if (m1 && r1.dir == s->hdr.dir)
				rule = r1;
			else
				return 0;
			ns_hit_at(&hit, &rule);
			ns_continue(ctx, &key, s, &rule, &hit);
			return 0;
		}
		start = ns_rule_with(m0, &r0, m1, &r1, NS_FIRST_IF_NEW, &rule);
	}
	if (start) {
		ns_hit_at(&hit, &rule);
		ns_start(ctx, &key, &pkt, &rule, &hit);
	}
	return 0;
}

#include "netstage_hooks.bpf.h"
