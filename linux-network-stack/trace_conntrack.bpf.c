// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_conntrack: for each hit of the conntrack functions, the packet, skb->_nfct and what
 * it points to (status, ctinfo, zone, labels), and the OVS ct() action's arguments.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "kmod/openvswitch.h"
#include "skb_pkt.bpf.h"
#include "trace_conntrack.h"

BPFNET_CONFIG(struct ct_config)
BPFNET_SCRATCH(event, struct ct_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_STACK_MAP(stacks, 16384);

/* Threads whose tcp_packet entry passed the filter, for the kretprobe (kernels before 5.4). */
BPFNET_MAP(tcp_entry_passed, BPF_MAP_TYPE_LRU_HASH, __u64, __u8, 10240);

#define AF_INET_ 2
#define NFCT_INFOMASK 7UL
#define IP_CT_IS_REPLY_ 3

static __always_inline struct ct_event *event_start(__u8 probe_id)
{
	struct ct_event *ev = event_zeroed();

	if (!ev)
		return NULL;
	ev->probe_id = probe_id;
	ev->ct_status = CT_STATUS_INIT;
	ev->ctinfo = CT_CTINFO_NA;
	ev->ovs_ct = CT_U64_INIT;
	ev->ovs_commit = CT_U8_INIT;
	ev->ovs_zone_id = CT_U16_INIT;
	ev->ovs_zone_dir = CT_U8_INIT;
	ev->zone_id = CT_U16_INIT;
	ev->zone_dir = CT_U8_INIT;
	ev->label[0] = ev->label[1] = ~0ULL;
	ev->sk_state = CT_SK_STATE_NONE;
	return ev;
}

/* Device, IPv4 header and TCP/UDP header of the skb into ev and k. Non-zero: drop the event. */
static __always_inline int read_packet(struct sk_buff *skb, struct ct_event *ev, struct pkt_key *k)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	struct pkt_snap *snap = snap_get();
	struct sock *sk;

	if (dev) {
		ev->ifindex = BPF_CORE_READ(dev, ifindex);
		bpf_core_read_str(ev->ifname, sizeof(ev->ifname), &dev->name);
	}
	if (!snap || skb_pkt_key(skb, PKT_AT_NET, NULL, snap, k))
		return -1;
	/* The original parsed every packet as IPv4; other protocols are shown as (Pkt N/A). */
	if (k->family != 4) {
		k->family = 0;
		return 0;
	}
	ev->pkt_source = CT_PKT_SKB;
	ev->saddr = k->saddr[0];
	ev->daddr = k->daddr[0];
	ev->protocol = k->l4proto;
	ev->ip_id = k->ip_id;
	ev->sport = k->sport;
	ev->dport = k->dport;
	if (k->l4proto != IPPROTO_TCP || !(k->flags & PKT_K_PORTS))
		return 0;
	ev->seq = k->tcp_seq;
	ev->ack = k->tcp_ack;
	ev->tcp_flags = k->tcp_flags;
	sk = BPF_CORE_READ(skb, sk);
	if (sk)
		ev->sk_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	return 0;
}

/* A zone as read from the kernel (err: the read's result), or the read-failure markers. */
static __always_inline void store_zone(long err, const struct nf_conntrack_zone *zone, __u16 *id, __u8 *dir)
{
	*id = err ? CT_U16_READ_FAIL : zone->id;
	*dir = err ? CT_U8_READ_FAIL : zone->dir;
}

/* Status, zone and labels of a conntrack entry. */
static __always_inline void read_conn(struct nf_conn *ct, struct ct_event *ev)
{
	struct nf_conntrack_zone zone;
	struct nf_ct_ext *ext;
	__u32 labels;
	__u8 off = 0;

	if (bpf_core_read(&ev->ct_status, sizeof(ev->ct_status), &ct->status))
		ev->ct_status = CT_STATUS_FIELD_FAIL;
	if (!bpf_core_field_exists(ct->zone)) {
		ev->zone_id = 0;
		ev->zone_dir = CT_U8_NO_CFG;
	} else {
		store_zone(bpf_core_read(&zone, sizeof(zone), &ct->zone), &zone, &ev->zone_id, &ev->zone_dir);
	}
	/* The labels' extension index depends on the kernel's configuration: ask its BTF. */
	if (!bpf_core_enum_value_exists(enum nf_ct_ext_id, NF_CT_EXT_LABELS))
		return;
	labels = bpf_core_enum_value(enum nf_ct_ext_id, NF_CT_EXT_LABELS);
	ev->label[0] = ev->label[1] = 0;
	ext = BPF_CORE_READ(ct, ext);
	if (!ext || labels > 31)
		return;
	bpf_probe_read_kernel(&off, 1, (void *)ext + bpf_core_field_offset(ext->offset) + labels);
	if (off)
		bpf_probe_read_kernel(ev->label, sizeof(ev->label), (void *)ext + off);
}

/* Conntrack information attached to the skb. */
static __always_inline void read_skb_ct(struct sk_buff *skb, struct ct_event *ev)
{
	unsigned long nfct;
	struct nf_conn *ct;

	if (!bpf_core_field_exists(skb->_nfct))
		return;
	if (bpf_core_read(&nfct, sizeof(nfct), &skb->_nfct)) {
		ev->ct_status = CT_STATUS_READ_FAIL;
		return;
	}
	ev->nfct = nfct;
	if (!nfct) {
		ev->ct_status = CT_STATUS_NFCT_ZERO;
		return;
	}
	ev->ctinfo = nfct & NFCT_INFOMASK;
	ct = (struct nf_conn *)(nfct & ~NFCT_INFOMASK);
	if (!ct) {
		ev->ct_status = CT_STATUS_MASKED_NULL;
		return;
	}
	read_conn(ct, ev);
}

/* For probe points without an skb: the conntrack's tuple of direction dir as the packet. */
static __always_inline void read_tuple(struct nf_conn *ct, int dir, struct ct_event *ev, struct pkt_key *k)
{
	struct nf_conntrack_tuple *t = dir ? &ct->tuplehash[1].tuple : &ct->tuplehash[0].tuple;

	if (BPF_CORE_READ(t, src.l3num) != AF_INET_)
		return;
	ev->pkt_source = CT_PKT_TUPLE;
	ev->saddr = k->saddr[0] = BPF_CORE_READ(t, src.u3.ip);
	ev->daddr = k->daddr[0] = BPF_CORE_READ(t, dst.u3.ip);
	ev->protocol = k->l4proto = BPF_CORE_READ(t, dst.protonum);
	k->family = 4;
	if (ev->protocol == IPPROTO_TCP || ev->protocol == IPPROTO_UDP) {
		ev->sport = k->sport = bpf_ntohs(BPF_CORE_READ(t, src.u.all));
		ev->dport = k->dport = bpf_ntohs(BPF_CORE_READ(t, dst.u.all));
		k->flags = PKT_K_PORTS;
	}
}

/* Fixed x86-64/arm64 layout of ovs_conntrack_info, for kernels without openvswitch BTF. */
#define OVS_INFO_ZONE_OFF 8
#define OVS_INFO_CT_OFF 16
#define OVS_INFO_FLAGS_OFF 24

static __always_inline void read_ovs_info(const void *info, struct ct_event *ev)
{
	struct nf_conntrack_zone zone;
	__u8 flags = 0;

	if (!info)
		return;
	if (bpf_core_type_exists(struct ovs_conntrack_info)) {
		const struct ovs_conntrack_info *i = info;

		if (bpf_core_read(&ev->ovs_ct, sizeof(ev->ovs_ct), &i->ct))
			ev->ovs_ct = CT_U64_READ_FAIL;
		store_zone(bpf_core_read(&zone, sizeof(zone), &i->zone), &zone, &ev->ovs_zone_id,
			   &ev->ovs_zone_dir);
		ev->ovs_commit = BPF_CORE_READ_BITFIELD_PROBED(i, commit);
		return;
	}
	if (bpf_probe_read_kernel(&ev->ovs_ct, sizeof(ev->ovs_ct), info + OVS_INFO_CT_OFF))
		ev->ovs_ct = CT_U64_READ_FAIL;
	store_zone(bpf_probe_read_kernel(&zone, sizeof(zone), info + OVS_INFO_ZONE_OFF), &zone,
		   &ev->ovs_zone_id, &ev->ovs_zone_dir);
	if (bpf_probe_read_kernel(&flags, 1, info + OVS_INFO_FLAGS_OFF))
		ev->ovs_commit = CT_U8_READ_FAIL;
	else
		ev->ovs_commit = flags & 1;
}

BPFNET_SCRATCH(match_key, struct pkt_key)

/* Whether rule i matches the key in the scratch slot (a scalar argument: BPFNET_VERIFIED_ONCE). */
BPFNET_VERIFIED_ONCE int rule_matches_scratch_key(__u64 i)
{
	const struct ct_config *cfg = get_config();
	const struct pkt_key *k = match_key_get();

	if (!cfg || !k || i >= CT_MAX_RULES)
		return 0;
	return pkt_filter_match(&cfg->rules[i], k);
}

/* True when there are no rules or one matches the IPv4 packet k (family 0: no packet). */
static __always_inline bool filter_pass(const struct ct_config *cfg, const struct pkt_key *k)
{
	struct pkt_key *slot;

	if (!cfg->nrules)
		return true;
	if (!k->family)
		return false;
	slot = match_key_get();
	if (!slot)
		return false;
	*slot = *k;
#pragma unroll
	for (int i = 0; i < CT_MAX_RULES; i++)
		if (i < cfg->nrules && rule_matches_scratch_key(i))
			return true;
	return false;
}

static __always_inline void submit(void *ctx, const struct ct_config *cfg, struct ct_event *ev)
{
	ev->ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->stack_id = cfg->want_stack ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	emit_event(ctx, ev, sizeof(*ev));
}

/* An event for a probe point that has the packet; info: the OVS ct() arguments or NULL. */
static __always_inline int on_skb(void *ctx, struct sk_buff *skb, __u8 probe_id, const void *info)
{
	const struct ct_config *cfg = get_config();
	struct ct_event *ev;
	struct pkt_key k;

	if (!cfg || !skb)
		return 0;
	ev = event_start(probe_id);
	if (!ev || read_packet(skb, ev, &k) || !filter_pass(cfg, &k))
		return 0;
	read_skb_ct(skb, ev);
	if (probe_id == CT_PROBE_OVS_CT_LOOKUP || probe_id == CT_PROBE_OVS_CT_UPDATE_KEY ||
	    probe_id == CT_PROBE_OVS_CT_EXECUTE)
		read_ovs_info(info, ev);
	if (probe_id == CT_PROBE_TCP_PACKET && cfg->track_tcp_ret) {
		__u64 id = bpf_get_current_pid_tgid();
		__u8 one = 1;

		bpf_map_update_elem(&tcp_entry_passed, &id, &one, BPF_ANY);
	}
	submit(ctx, cfg, ev);
	return 0;
}

/* An event for a probe point that has only the conntrack (and maybe the packet's ctinfo). */
static __always_inline int on_conn(void *ctx, struct nf_conn *ct, __u8 probe_id, __u8 ctinfo)
{
	const struct ct_config *cfg = get_config();
	struct pkt_key k = {};
	struct ct_event *ev;

	if (!cfg || !ct)
		return 0;
	ev = event_start(probe_id);
	if (!ev)
		return 0;
	read_tuple(ct, ctinfo != CT_CTINFO_NA && ctinfo >= IP_CT_IS_REPLY_, ev, &k);
	if (!filter_pass(cfg, &k))
		return 0;
	/*
	 * An fentry program's ct is a BTF pointer, which the verifier lets no bitwise operator
	 * touch (6.12 refused ct | ctinfo): the OR is done on the copy in the event, a number.
	 */
	*(volatile __u64 *)&ev->nfct = (unsigned long)ct;
	if (ctinfo != CT_CTINFO_NA)
		ev->nfct = *(volatile __u64 *)&ev->nfct | (ctinfo & NFCT_INFOMASK);
	ev->ctinfo = ctinfo;
	read_conn(ct, ev);
	submit(ctx, cfg, ev);
	return 0;
}

/* 5.0+: nf_conntrack_in(skb, state). */
BPFNET_FUNC_ENTRY(ct_nf_conntrack_in, nf_conntrack_in, struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_NF_CONNTRACK_IN, NULL);
}

/* Before 5.0: nf_conntrack_in(net, pf, hooknum, skb). */
SEC("kprobe")
int BPF_KPROBE(ct_nf_conntrack_in_old, void *net, __u8 pf, unsigned int hooknum, struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_NF_CONNTRACK_IN, NULL);
}

BPFNET_FUNC_ENTRY(ct_ovs_ct_lookup, __ovs_ct_lookup, void *net, void *key, const void *info,
		  struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_OVS_CT_LOOKUP, info);
}

SEC("kprobe")
int BPF_KPROBE(ct_ovs_ct_update_key, struct sk_buff *skb, const void *info)
{
	return on_skb(ctx, skb, CT_PROBE_OVS_CT_UPDATE_KEY, info);
}

/* __nf_ct_refresh_acct(ct, ctinfo, skb, extra_jiffies, do_acct), until the skb was dropped. */
BPFNET_FUNC_ENTRY(ct_refresh_acct, __nf_ct_refresh_acct, struct nf_conn *ct, unsigned int ctinfo,
		  struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_REFRESH_ACCT, NULL);
}

/* __nf_ct_refresh_acct(ct, ctinfo, extra_jiffies, bytes) on recent kernels. */
BPFNET_FUNC_ENTRY(ct_refresh_acct_noskb, __nf_ct_refresh_acct, struct nf_conn *ct, unsigned int ctinfo)
{
	return on_conn(ctx, ct, CT_PROBE_REFRESH_ACCT, ctinfo & NFCT_INFOMASK);
}

/* nf_conntrack_tcp_packet(ct, skb, ...) from 5.4, tcp_packet(ct, skb, ...) before. */
BPFNET_FUNC_ENTRY(ct_tcp_packet, nf_conntrack_tcp_packet, struct nf_conn *ct, struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_TCP_PACKET, NULL);
}

SEC("kretprobe")
int BPF_KRETPROBE(ct_tcp_packet_ret, long ret)
{
	const struct ct_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct ct_event *ev;

	if (!cfg || !bpf_map_lookup_elem(&tcp_entry_passed, &id))
		return 0;
	bpf_map_delete_elem(&tcp_entry_passed, &id);
	ev = event_start(CT_PROBE_TCP_PACKET_RET);
	if (!ev)
		return 0;
	ev->is_return = 1;
	ev->retval = (__s32)ret;
	submit(ctx, cfg, ev);
	return 0;
}

/* Before 5.0: tcp_error(net, tmpl, skb, dataoff, pf, hooknum). */
BPFNET_FUNC_ENTRY(ct_tcp_error, tcp_error, void *net, void *tmpl, struct sk_buff *skb)
{
	return on_skb(ctx, skb, CT_PROBE_TCP_ERROR, NULL);
}

BPFNET_FUNC_ENTRY(ct_ovs_ct_execute, ovs_ct_execute, void *net, struct sk_buff *skb, void *key,
		  const void *info)
{
	return on_skb(ctx, skb, CT_PROBE_OVS_CT_EXECUTE, info);
}

/* An entry leaves the conntrack table (timeout, conntrack -D, flush, early drop). */
BPFNET_FUNC_ENTRY(ct_nf_ct_delete, nf_ct_delete, struct nf_conn *ct)
{
	return on_conn(ctx, ct, CT_PROBE_NF_CT_DELETE, CT_CTINFO_NA);
}

BPFNET_LICENSE;
