// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_ip_defrag: IPv4 fragments entering reassembly, duplicate and overlapping fragments,
 * completed and failed reassemblies, queue timeouts, and IPv4 frees with their stacks.
 */
#include "bpfnet.bpf.h"
#include "drop_reason.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "trace_ip_defrag.h"

BPFNET_CONFIG(struct defrag_config)
BPFNET_SCRATCH(event, struct defrag_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_STACK_MAP(stacks, 16384);

/* ip_defrag calls in progress, by thread: what the kretprobe needs. */
struct defrag_call {
	struct sk_buff *skb;
	struct defrag_pkt pkt; /* the fragment as it entered (the skb is gone after a failure) */
	__u8 insert_reported; /* a DUP/OVERLAP event already explains a failure */
};

BPFNET_MAP(defrag_calls, BPF_MAP_TYPE_LRU_HASH, __u64, struct defrag_call, 10240);

/* inet_frag_queue_insert calls in progress, by thread. */
struct insert_call {
	struct inet_frag_queue *q;
	struct defrag_pkt pkt; /* the fragment, read once at the entry */
	__s32 offset, end;
};

BPFNET_MAP(insert_calls, BPF_MAP_TYPE_LRU_HASH, __u64, struct insert_call, 10240);

#define IPFRAG_DUP_ 1
#define IPFRAG_OVERLAP_ 2
#define EINPROGRESS_ 115

/* Reads what is printed of an IPv4 skb; non-zero if it is not IPv4 or fails the filter. */
static __always_inline int read_pkt(const struct defrag_config *cfg, struct sk_buff *skb,
				    struct defrag_pkt *p)
{
	struct pkt_snap *snap = snap_get();
	struct net_device *dev;
	struct pkt_key k;

	if (!snap || skb_pkt_key(skb, PKT_AT_NET, NULL, snap, &k) || k.family != 4 ||
	    !pkt_filter_match(&cfg->filter, &k))
		return -1;
	__builtin_memset(p, 0, sizeof(*p));
	p->saddr = k.saddr[0];
	p->daddr = k.daddr[0];
	p->protocol = k.l4proto;
	p->ip_id = k.ip_id;
	p->frag_off = k.frag_off;
	p->sport = k.sport;
	p->dport = k.dport;
	p->l4_hdr_set = k.l4proto == IPPROTO_ICMP || (k.flags & PKT_K_PORTS);
	dev = BPF_CORE_READ(skb, dev);
	if (dev)
		bpf_core_read_str(p->dev, sizeof(p->dev), &dev->name);
	return 0;
}

static __always_inline void read_queue(struct inet_frag_queue *q, struct defrag_queue *out)
{
	out->saddr = BPF_CORE_READ(q, key.v4.saddr);
	out->daddr = BPF_CORE_READ(q, key.v4.daddr);
	out->id = bpf_ntohs(BPF_CORE_READ(q, key.v4.id));
	out->protocol = (__u8)BPF_CORE_READ(q, key.v4.protocol);
	out->flags = BPF_CORE_READ(q, flags);
	out->meat = BPF_CORE_READ(q, meat);
	out->len = BPF_CORE_READ(q, len);
	/* struct ipq starts with its inet_frag_queue. */
	out->iif = BPF_CORE_READ((struct ipq *)q, iif);
}

/* The filter applied to a reassembly queue's key. */
static __always_inline bool queue_pass(const struct defrag_config *cfg, const struct defrag_queue *q)
{
	struct pkt_key k = { .family = 4, .l4proto = q->protocol };

	k.saddr[0] = q->saddr;
	k.daddr[0] = q->daddr;
	return pkt_filter_match(&cfg->filter, &k);
}

static __always_inline struct defrag_event *event_start(__u8 type)
{
	struct defrag_event *ev = event_zeroed();

	if (!ev)
		return NULL;
	ev->type = type;
	ev->stack_id = -1;
	return ev;
}

static __always_inline void submit(void *ctx, struct defrag_event *ev)
{
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	emit_event(ctx, ev, sizeof(*ev));
}

BPFNET_FUNC_ENTRY(df_ip_defrag, ip_defrag, void *net, struct sk_buff *skb, __u32 user)
{
	const struct defrag_config *cfg = get_config();
	struct defrag_event *ev = event_start(DEFRAG_EV_IP_DEFRAG);
	__u64 id = bpf_get_current_pid_tgid();
	struct defrag_call call = { .skb = skb };

	if (!cfg || !ev || read_pkt(cfg, skb, &ev->pkt))
		return 0;
	ev->user = user;
	call.pkt = ev->pkt;
	bpf_map_update_elem(&defrag_calls, &id, &call, BPF_ANY);
	submit(ctx, ev);
	return 0;
}

/* ip_defrag(net, skb, user) */
BPFNET_FUNC_RETURN(df_ip_defrag_ret, ip_defrag, 3, int ret)
{
	const struct defrag_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct defrag_call *call = bpf_map_lookup_elem(&defrag_calls, &id);
	struct defrag_event *ev;

	if (!cfg || !call)
		return 0;
	if (ret == -EINPROGRESS_ || (ret && call->insert_reported))
		goto out;
	ev = event_start(ret ? DEFRAG_EV_FAILED : DEFRAG_EV_REASSEMBLED);
	if (!ev)
		goto out;
	ev->retval = ret;
	if (ret) {
		ev->pkt = call->pkt;
	} else {
		struct sk_buff *skb = call->skb;

		/* The skb is now the whole datagram. */
		if (read_pkt(cfg, skb, &ev->pkt))
			ev->pkt = call->pkt;
		ev->skb_len = BPF_CORE_READ(skb, len);
	}
	submit(ctx, ev);
out:
	bpf_map_delete_elem(&defrag_calls, &id);
	return 0;
}

BPFNET_FUNC_ENTRY(df_frag_insert, inet_frag_queue_insert, struct inet_frag_queue *q, struct sk_buff *skb,
		  int offset, int end)
{
	const struct defrag_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct insert_call call = { .q = q, .offset = offset, .end = end };

	if (!cfg || read_pkt(cfg, skb, &call.pkt))
		return 0;
	bpf_map_update_elem(&insert_calls, &id, &call, BPF_ANY);
	return 0;
}

/* inet_frag_queue_insert(q, skb, offset, end) */
BPFNET_FUNC_RETURN(df_frag_insert_ret, inet_frag_queue_insert, 4, int ret)
{
	const struct defrag_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct insert_call *call = bpf_map_lookup_elem(&insert_calls, &id);
	struct defrag_call *defrag;
	struct defrag_event *ev;

	if (!cfg || !call)
		return 0;
	if (ret != IPFRAG_DUP_ && ret != IPFRAG_OVERLAP_)
		goto out;
	ev = event_start(ret == IPFRAG_DUP_ ? DEFRAG_EV_DUP_INSERT : DEFRAG_EV_OVERLAP_INSERT);
	if (!ev)
		goto out;
	ev->pkt = call->pkt;
	ev->offset = call->offset;
	ev->end = call->end;
	read_queue(call->q, &ev->q);
	defrag = bpf_map_lookup_elem(&defrag_calls, &id);
	if (defrag)
		defrag->insert_reported = 1;
	submit(ctx, ev);
out:
	bpf_map_delete_elem(&insert_calls, &id);
	return 0;
}

/* The queue's timer fired before every fragment arrived. */
BPFNET_FUNC_ENTRY(df_ip_expire, ip_expire, void *timer)
{
	const struct defrag_config *cfg = get_config();
	struct defrag_event *ev = event_start(DEFRAG_EV_TIMEOUT);
	struct inet_frag_queue *q;

	if (!cfg || !ev)
		return 0;
	q = timer - bpf_core_field_offset(struct inet_frag_queue, timer);
	read_queue(q, &ev->q);
	if (ev->q.flags & DEFRAG_Q_COMPLETE)
		return 0;
	if (!queue_pass(cfg, &ev->q))
		return 0;
	submit(ctx, ev);
	return 0;
}

static __always_inline int on_free(void *ctx, struct sk_buff *skb, __u32 reason, __u8 hook)
{
	const struct defrag_config *cfg = get_config();
	struct defrag_event *ev = event_start(DEFRAG_EV_KFREE);

	if (!cfg || !ev || !skb || read_pkt(cfg, skb, &ev->pkt))
		return 0;
	ev->reason = reason;
	ev->free_hook = hook;
	ev->stack_id = bpf_get_stackid(ctx, &stacks, 0);
	submit(ctx, ev);
	return 0;
}

/* The raw tracepoints: TP_PROTO(skb, location[, reason[, rx_sk]]) and TP_PROTO(skb[, location]). */
SEC("raw_tp/kfree_skb")
int df_raw_kfree_skb(struct bpf_raw_tracepoint_args *ctx)
{
	return on_free(ctx, (struct sk_buff *)ctx->args[0], kfree_skb_raw_reason(ctx), DEFRAG_FREE_TP_KFREE);
}

SEC("raw_tp/consume_skb")
int df_raw_consume_skb(struct bpf_raw_tracepoint_args *ctx)
{
	return on_free(ctx, (struct sk_buff *)ctx->args[0], 0, DEFRAG_FREE_TP_CONSUME);
}

/* __kfree_skb(skb), as the original, or kfree_skb(skb). */
BPFNET_FUNC_ENTRY(df_kprobe_free, __kfree_skb, struct sk_buff *skb)
{
	return on_free(ctx, skb, 0, DEFRAG_FREE_KPROBE);
}

BPFNET_LICENSE;
