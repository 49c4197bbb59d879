// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_lateny_details: time each packet spends in a device's qdisc. A record is created at
 * enqueue and reported (then deleted) at dequeue; packets the kernel drops meanwhile are
 * counted, not reported. Records are keyed by the skb, TCP GSO packets by flow and sequence
 * number (see qdisc_lateny_details.h).
 */
#include "bpfnet.bpf.h"
#include "drop_probe.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "qdisc_lateny_details.h"

BPFNET_CONFIG(struct qdisc_lat_config)
BPFNET_SCRATCH(snap, struct pkt_snap)

/* max_entries is set by user space (--max-entries). */
BPFNET_MAP(pending, BPF_MAP_TYPE_LRU_HASH, __u64, struct qdisc_pkt, 32768);

BPFNET_MAP(gso_pending, BPF_MAP_TYPE_LRU_HASH, struct qdisc_gso_key, struct qdisc_pkt, 8192);

/* When a GSO record was last created: only then are unknown TCP packets looked up by flow. */
BPFNET_MAP(gso_last, BPF_MAP_TYPE_ARRAY, __u32, __u64, 1);

BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, QC_COUNTERS);

/* Fills addresses, protocol and L4 fields; false for packets that are not IPv4/IPv6 or fail the filter. */
static __always_inline bool parse_skb(const struct qdisc_lat_config *cfg, struct sk_buff *skb,
				      struct qdisc_pkt *p)
{
	struct pkt_snap *snap = snap_get();
	struct pkt_key k;

	if (!snap || skb_pkt_key(skb, PKT_AT_NET, NULL, snap, &k) || !k.family)
		return false;
	if (cfg && !pkt_filter_match(&cfg->filter, &k))
		return false;
	p->family = k.family;
	__builtin_memcpy(p->saddr, k.saddr, sizeof(p->saddr));
	__builtin_memcpy(p->daddr, k.daddr, sizeof(p->daddr));
	p->l4proto = k.l4proto;
	p->ip_id = k.ip_id;
	if (k.flags & PKT_K_FRAGMENT)
		p->flags |= QDISC_PKT_FRAGMENT;
	if (k.flags & (PKT_K_PORTS | PKT_K_ICMP))
		p->flags |= QDISC_PKT_L4;
	p->sport = k.sport;
	p->dport = k.dport;
	p->tcp_seq = k.tcp_seq;
	p->udp_len = k.udp_len;
	p->icmp_type = k.icmp_type;
	p->icmp_id = k.icmp_id;
	p->icmp_seq = k.icmp_seq;
	return true;
}

static __always_inline void gso_key_of(const struct qdisc_pkt *p, struct qdisc_gso_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->ifindex = p->ifindex;
	k->seq = p->tcp_seq;
	__builtin_memcpy(k->saddr, p->saddr, 16);
	__builtin_memcpy(k->daddr, p->daddr, 16);
	k->sport = p->sport;
	k->dport = p->dport;
}

/* skb_shinfo(): on 64-bit kernels skb->end is an offset from skb->head. */
static __always_inline __u16 skb_gso_size(struct sk_buff *skb, __u16 *segs)
{
	struct skb_shared_info *shinfo = (void *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));

	if (segs)
		*segs = BPF_CORE_READ(shinfo, gso_segs);
	return BPF_CORE_READ(shinfo, gso_size);
}

static __always_inline bool gso_lookups_wanted(const struct qdisc_lat_config *cfg, __u64 now)
{
	__u32 zero = 0;
	__u64 *last = bpf_map_lookup_elem(&gso_last, &zero);

	return last && *last && now - *last <= cfg->expire_ns;
}

/* Stores a TCP GSO packet's record under its first and its last segment's sequence number. */
static __always_inline void gso_store(const struct qdisc_pkt *p)
{
	struct qdisc_gso_key gk;
	__u32 zero = 0;

	gso_key_of(p, &gk);
	bpf_map_update_elem(&gso_pending, &gk, p, BPF_ANY);
	if (p->gso_segs > 1) {
		gk.seq = p->tcp_seq + (__u32)(p->gso_segs - 1) * p->gso_size;
		bpf_map_update_elem(&gso_pending, &gk, p, BPF_ANY);
	}
	bpf_map_update_elem(&gso_last, &zero, &p->enqueue_ns, BPF_ANY);
}

/*
 * Takes the GSO record of the TCP packet skb (the GSO packet itself or one of its segments)
 * into out; out is filled from skb first. Both keys of the record are removed.
 */
static __always_inline bool gso_take(struct sk_buff *skb, struct net_device *dev, struct qdisc_pkt *out)
{
	struct qdisc_gso_key gk;
	struct qdisc_pkt *rec;
	__u32 seg_seq;

	__builtin_memset(out, 0, sizeof(*out));
	if (!parse_skb(NULL, skb, out) || out->l4proto != IPPROTO_TCP || !(out->flags & QDISC_PKT_L4))
		return false;
	out->ifindex = BPF_CORE_READ(dev, ifindex);
	gso_key_of(out, &gk);
	rec = bpf_map_lookup_elem(&gso_pending, &gk);
	if (!rec)
		return false;
	seg_seq = gk.seq;
	*out = *rec;
	bpf_map_delete_elem(&gso_pending, &gk);
	if (out->gso_segs > 1) {
		gk.seq = seg_seq == out->tcp_seq ? out->tcp_seq + (__u32)(out->gso_segs - 1) * out->gso_size
						 : out->tcp_seq;
		bpf_map_delete_elem(&gso_pending, &gk);
	}
	return true;
}

static __always_inline int on_enqueue(struct sk_buff *skb)
{
	const struct qdisc_lat_config *cfg = get_config();
	struct net_device *dev;
	struct qdisc_pkt p;
	__u64 key = (__u64)skb;

	if (!cfg || !skb)
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!dev || !pkt_filter_dev_match(&cfg->filter, dev))
		return 0;
	/* At a function entry the packet may be headed for a device without a queue. */
	if (cfg->kprobe_enqueue && !BPF_CORE_READ(dev, _tx, qdisc, enqueue))
		return 0;
	__builtin_memset(&p, 0, sizeof(p));
	if (!parse_skb(cfg, skb, &p)) {
		/* A record left by an earlier packet with this skb must not match this one. */
		bpf_map_delete_elem(&pending, &key);
		return 0;
	}
	p.enqueue_ns = bpf_ktime_get_ns();
	p.ifindex = BPF_CORE_READ(dev, ifindex);
	p.len = BPF_CORE_READ(skb, len);
	bpf_core_read_str(p.devname, sizeof(p.devname), &dev->name);
	counter_add(&counters, QC_ENQUEUED, 1);
	if (p.l4proto == IPPROTO_TCP && (p.flags & QDISC_PKT_L4))
		p.gso_size = skb_gso_size(skb, &p.gso_segs);
	if (p.gso_size) {
		bpf_map_delete_elem(&pending, &key);
		gso_store(&p);
	} else {
		bpf_map_update_elem(&pending, &key, &p, BPF_ANY);
	}
	return 0;
}

/* A dequeued skb's record, if it is to be reported, and the next skb of its batch. */
struct dequeued {
	struct qdisc_pkt ev;
	__u64 next;
};

BPFNET_SCRATCH(dequeued, struct dequeued)

/*
 * Takes the record of one dequeued skb: 1 when it goes to user space (the slot's ev). Called
 * once per skb of a batch, hence verified once (BPFNET_VERIFIED_ONCE: scalar argument, no ctx;
 * the caller emits).
 */
BPFNET_VERIFIED_ONCE int dequeue_one(__u64 addr)
{
	const struct qdisc_lat_config *cfg = get_config();
	struct dequeued *d = dequeued_get();
	struct sk_buff *skb = (struct sk_buff *)addr;
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	__u64 now = bpf_ktime_get_ns();
	struct qdisc_pkt *rec;

	if (!d)
		return 0;
	d->next = (__u64)BPF_CORE_READ(skb, next);
	if (!cfg || !dev)
		return 0;
	rec = bpf_map_lookup_elem(&pending, &addr);
	if (rec) {
		d->ev = *rec;
		bpf_map_delete_elem(&pending, &addr);
		/* Recorded on another device: a stale record whose skb address was reused. */
		if (d->ev.ifindex != (__u32)BPF_CORE_READ(dev, ifindex))
			return 0;
	} else if (pkt_filter_dev_match(&cfg->filter, dev) && gso_lookups_wanted(cfg, now) &&
		   gso_take(skb, dev, &d->ev)) {
		if (BPF_CORE_READ(skb, len) != d->ev.len)
			d->ev.flags |= QDISC_PKT_GSO_SPLIT;
	} else {
		return 0;
	}
	if (now - d->ev.enqueue_ns > cfg->expire_ns) {
		counter_add(&counters, QC_EXPIRED, 1);
		return 0;
	}
	d->ev.dequeue_ns = now;
	counter_add(&counters, QC_DEQUEUED, 1);
	return 1;
}

/* A dequeue hands over a list of skbs (bulk dequeue) linked through skb->next. */
static __always_inline int on_dequeue(void *ctx, __u64 skb, int packets)
{
	struct dequeued *d;
	int report;

#pragma unroll
	for (int i = 0; i < QDISC_DEQ_BATCH; i++) {
		if (!skb)
			return 0;
		report = dequeue_one(skb);
		d = dequeued_get();
		if (!d)
			return 0;
		if (report)
			emit_event(ctx, &d->ev, sizeof(d->ev));
		skb = d->next;
	}
	if (skb && packets > QDISC_DEQ_BATCH)
		counter_add(&counters, QC_BATCH_UNSEEN, packets - QDISC_DEQ_BATCH);
	return 0;
}

/* Raw tracepoints, as in the original: no perf record is built for every packet. */
SEC("raw_tp/qdisc_enqueue")
int enqueue_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	/* TP_PROTO(struct Qdisc *, const struct netdev_queue *, struct sk_buff *) */
	return on_enqueue((struct sk_buff *)ctx->args[2]);
}

SEC("raw_tp/qdisc_dequeue")
int dequeue_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	/* TP_PROTO(struct Qdisc *, const struct netdev_queue *, int packets, struct sk_buff *) */
	return on_dequeue(ctx, ctx->args[3], (int)ctx->args[2]);
}

/* Before 5.15: the entry of the transmit path (__dev_queue_xmit or dev_queue_xmit), before the qdisc. */
BPFNET_FUNC_ENTRY(enqueue_dev_queue_xmit, __dev_queue_xmit, struct sk_buff *skb)
{
	return on_enqueue(skb);
}

/* Called with the dequeued list, and with the packet itself when it bypasses an empty qdisc. */
BPFNET_FUNC_ENTRY(dequeue_sch_direct_xmit, sch_direct_xmit, struct sk_buff *skb)
{
	/* a number: dequeue_one is a global function (the modern object) */
	return on_dequeue(ctx, bpfnet_arg_number(skb), QDISC_DEQ_BATCH + 1);
}

static __always_inline int on_drop(void *ctx, struct sk_buff *skb, __u32 reason)
{
	const struct qdisc_lat_config *cfg = get_config();
	__u64 key = (__u64)skb;
	struct net_device *dev;
	struct qdisc_pkt p;

	if (bpf_map_lookup_elem(&pending, &key)) {
		bpf_map_delete_elem(&pending, &key);
		counter_add(&counters, QC_DROPPED, 1);
		return 0;
	}
	/* A whole TCP GSO packet dropped (its segments are not GSO packets). */
	if (!cfg || !gso_lookups_wanted(cfg, bpf_ktime_get_ns()) || !skb_gso_size(skb, NULL))
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (dev && pkt_filter_dev_match(&cfg->filter, dev) && gso_take(skb, dev, &p))
		counter_add(&counters, QC_DROPPED, 1);
	return 0;
}

BPFNET_LICENSE;
