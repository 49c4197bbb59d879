// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_drop_trace: entries and return codes of the transmit path's functions, qdisc
 * enqueue/dequeue and qdisc drops, for one interface or all. User space chooses, per hook,
 * a kprobe pair or a tracepoint and loads only those programs.
 */
#include "bpfnet.bpf.h"
#include "call_nest.bpf.h"
#include "drop_reason.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "qdisc_drop_trace.h"

BPFNET_CONFIG(struct qdt_config)
BPFNET_SCRATCH(event, struct qdt_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_MAP(entry_counts, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, QDT_HOOKS);

BPFNET_MAP(code_counts, BPF_MAP_TYPE_HASH, struct qdt_code_key, __u64, 4096);

/* Counters code_counts had no room for. */
BPFNET_MAP(code_counts_full, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);

/* What a return probe needs from its entry: whether it passed the filter, and more. */
struct qdt_call {
	__u64 ptr; /* dev_hard_start_xmit: its int *ret; else the net_device */
	__u32 len;
	__u32 saddr;
	__u32 daddr;
	__u16 proto;
	__u8 passed;
	__u8 has_ip;
};

/*
 * The calls of one thread into one function, innermost last: tunnels nest transmits, up to 8
 * devices deep (XMIT_RECURSION_LIMIT, CALL_NEST_MAX).
 */
struct qdt_calls {
	struct call_nest nest;
	struct qdt_call call[CALL_NEST_MAX];
};

struct qdt_thread_key {
	__u64 tid;
	__u32 hook;
	__u32 pad;
};

BPFNET_MAP(calls_in_flight, BPF_MAP_TYPE_LRU_HASH, struct qdt_thread_key, struct qdt_calls, 4096);

static __always_inline void count_code(__u32 hook, __u32 code)
{
	struct qdt_code_key key = { .hook = hook, .code = code };

	hash_counter_inc(&code_counts, &key, &code_counts_full, 0);
}

/* Reads a device name zero-padded and compares it with the filter as two words. */
static __always_inline bool dev_name_matches(char *name, const void *src, const struct qdt_config *cfg)
{
	const __u64 *want = (const __u64 *)cfg->ifname;
	__u64 *have = (__u64 *)name;

	have[0] = 0;
	have[1] = 0;
	if (src)
		bpf_probe_read_kernel_str(name, 16, src);
	if (!cfg->ifname[0])
		return true;
	return have[0] == want[0] && have[1] == want[1];
}

static __always_inline bool skb_dev_matches(struct sk_buff *skb, char *name, const struct qdt_config *cfg)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	return dev_name_matches(name, dev ? (const void *)dev->name : NULL, cfg);
}

/*
 * EtherType and IPv4 addresses, from the link-layer header when one is set, else from the
 * network header (locally generated packets have no link-layer header offset yet at
 * __dev_queue_xmit's entry).
 */
static __always_inline void read_l3(struct sk_buff *skb, struct qdt_event *ev)
{
	struct pkt_snap *snap = snap_get();
	struct pkt_key k;

	ev->has_ip = 0;
	ev->proto = 0;
	ev->saddr = 0;
	ev->daddr = 0;
	if (!snap || skb_pkt_key(skb, PKT_AT_MAC, NULL, snap, &k))
		return;
	ev->proto = k.ethertype;
	if (k.family == 4) {
		ev->saddr = k.saddr[0];
		ev->daddr = k.daddr[0];
		ev->has_ip = 1;
	}
}

static __always_inline void read_qdisc(struct Qdisc *q, struct qdt_event *ev)
{
	const struct Qdisc_ops *ops = BPF_CORE_READ(q, ops);

	ev->has_qdisc = q != NULL;
	__builtin_memset(&ev->qdisc, 0, sizeof(ev->qdisc));
	if (!q)
		return;
	if (ops)
		bpf_probe_read_kernel_str(ev->qdisc.kind, sizeof(ev->qdisc.kind), ops->id);
	ev->qdisc.handle = BPF_CORE_READ(q, handle);
	ev->qdisc.parent = BPF_CORE_READ(q, parent);
	ev->qdisc.flags = BPF_CORE_READ(q, flags);
	ev->qdisc.qlen = BPF_CORE_READ(q, q.qlen);
	ev->qdisc.backlog = BPF_CORE_READ(q, qstats.backlog);
	ev->qdisc.drops = BPF_CORE_READ(q, qstats.drops);
	ev->qdisc.requeues = BPF_CORE_READ(q, qstats.requeues);
	ev->qdisc.overlimits = BPF_CORE_READ(q, qstats.overlimits);
}

/* The root qdisc of the transmit queue the packet was steered to. */
static __always_inline struct Qdisc *txq_qdisc(struct net_device *dev, __u32 queue)
{
	struct netdev_queue *txq = BPF_CORE_READ(dev, _tx);

	if (!txq || queue >= BPF_CORE_READ(dev, real_num_tx_queues))
		return NULL;
	txq = (void *)txq + queue * bpf_core_type_size(struct netdev_queue);
	return BPF_CORE_READ(txq, qdisc);
}

static __always_inline void fill_task(struct qdt_event *ev, __u8 type, __u32 hook)
{
	ev->ts_ns = bpf_ktime_get_ns();
	ev->type = type;
	ev->hook = hook;
	ev->pid = (__u32)bpf_get_current_pid_tgid();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->has_qdisc = 0;
	ev->code = 0;
	ev->packets = 0;
}

static __always_inline void fill_skb(struct qdt_event *ev, struct sk_buff *skb)
{
	ev->len = BPF_CORE_READ(skb, len);
	ev->txq = BPF_CORE_READ(skb, queue_mapping);
	read_l3(skb, ev);
}

static __always_inline struct qdt_calls *thread_calls(__u32 hook, bool create)
{
	struct qdt_thread_key key = { .tid = bpf_get_current_pid_tgid(), .hook = hook };
	struct qdt_calls *calls = bpf_map_lookup_elem(&calls_in_flight, &key);

	if (calls || !create)
		return calls;
	struct qdt_calls fresh = {};

	bpf_map_update_elem(&calls_in_flight, &key, &fresh, BPF_ANY);
	return bpf_map_lookup_elem(&calls_in_flight, &key);
}

static __always_inline void call_push(__u32 hook, const struct qdt_event *ev, bool passed, __u64 ptr,
				      __u64 sp)
{
	struct qdt_calls *calls = thread_calls(hook, true);
	struct qdt_call *c;
	__u32 slot;

	if (!calls)
		return;
	slot = call_nest_enter(&calls->nest, sp);
	if (slot >= CALL_NEST_MAX)
		return;
	barrier_var(slot); /* as in call_pop */
	c = &calls->call[slot & (CALL_NEST_MAX - 1)];
	c->ptr = ptr;
	c->passed = passed;
	c->len = ev->len;
	c->saddr = ev->saddr;
	c->daddr = ev->daddr;
	c->proto = ev->proto;
	c->has_ip = ev->has_ip;
}

/* The entry record of the call now returning at sp, if it passed the filter. */
static __always_inline bool call_pop(__u32 hook, struct qdt_call *out, __u64 sp)
{
	struct qdt_calls *calls = thread_calls(hook, false);
	__u32 slot;

	if (!calls)
		return false;
	slot = call_nest_return(&calls->nest, sp);
	if (slot >= CALL_NEST_MAX)
		return false;
	barrier_var(slot); /* the mask below stays: the verifier needs it on the register it indexes with */
	*out = calls->call[slot & (CALL_NEST_MAX - 1)];
	return out->passed;
}

static __always_inline int on_entry(void *ctx, __u64 sp, __u32 hook, struct sk_buff *skb, __u64 ptr,
				    struct Qdisc *sch)
{
	const struct qdt_config *cfg = get_config();
	struct qdt_event *ev = event_get();
	bool passed;

	if (!cfg || !ev)
		return 0;
	/* Every call is recorded, filtered or not, so that its return finds its own entry. */
	passed = skb && skb_dev_matches(skb, ev->ifname, cfg);
	if (passed)
		fill_skb(ev, skb);
	call_push(hook, ev, passed, ptr, sp);
	if (!passed)
		return 0;
	counter_add(&entry_counts, hook, 1);
	if (!cfg->entry_events)
		return 0;
	fill_task(ev, QDT_EV_ENTRY, hook);
	if (sch)
		read_qdisc(sch, ev);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

/* __dev_queue_xmit returned DROP or CN on a kernel without drop reasons: report the drop. */
static __always_inline void drop_from_return(void *ctx, const struct qdt_config *cfg,
					     const struct qdt_call *c, __u32 code)
{
	struct qdt_event *ev = event_get();
	struct net_device *dev = (void *)c->ptr;

	count_code(QDT_QDISC_DROP, code);
	if (!ev || !cfg->drop_events)
		return;
	fill_task(ev, QDT_EV_DROP, QDT_QDISC_DROP);
	dev_name_matches(ev->ifname, dev ? (const void *)dev->name : NULL, cfg);
	ev->code = code;
	ev->txq = 0;
	ev->len = c->len;
	ev->saddr = c->saddr;
	ev->daddr = c->daddr;
	ev->proto = c->proto;
	ev->has_ip = c->has_ip;
	if (dev)
		read_qdisc(BPF_CORE_READ(dev, qdisc), ev);
	emit_event(ctx, ev, sizeof(*ev));
}

static __always_inline int on_return(void *ctx, __u64 sp, __u32 hook, __u32 code)
{
	const struct qdt_config *cfg = get_config();
	struct qdt_call c;
	int out = 0;

	if (!cfg || !call_pop(hook, &c, sp))
		return 0;
	/* dev_hard_start_xmit returns a pointer; its status is in the int its 4th argument points to. */
	if (hook == QDT_HARD_START_XMIT) {
		if (c.ptr)
			bpf_probe_read_kernel(&out, sizeof(out), (void *)c.ptr);
		code = (__u32)out;
	}
	count_code(hook, code);
	if (hook == QDT_DEV_QUEUE_XMIT && cfg->drops_from_return &&
	    (code == QDT_NET_XMIT_DROP || code == QDT_NET_XMIT_CN))
		drop_from_return(ctx, cfg, &c, code);
	return 0;
}

/* kprobe pairs: the original's probe points */

/* The kretprobe prog (fexit prog_fexit) counting the return code of hook's function func of nargs arguments. */
#define QDT_RETURN_PROBE(prog, func, nargs, hook)                                                            \
	BPFNET_FUNC_RETURN_SP(prog, func, nargs, int ret)                                                    \
	{                                                                                                    \
		return on_return(ctx, sp, hook, (__u32)ret);                                                 \
	}

/*
 * The entry (kprobe or fentry) and return (kretprobe or fexit) ret of hook's function func of
 * nargs arguments, the first of them the skb.
 */
#define QDT_SKB_XMIT_PROBES(entry, ret, func, nargs, hook)                                                   \
	BPFNET_FUNC_ENTRY_SP(entry, func, struct sk_buff *skb)                                               \
	{                                                                                                    \
		return on_entry(ctx, sp, hook, skb, (__u64)BPF_CORE_READ(skb, dev), NULL);                   \
	}                                                                                                    \
	QDT_RETURN_PROBE(ret, func, nargs, hook)

/* __dev_queue_xmit(skb, sb_dev); its fexit program is not planned on dev_queue_xmit (1 argument). */
QDT_SKB_XMIT_PROBES(kp_dev_queue_xmit, krp_dev_queue_xmit, __dev_queue_xmit, 2, QDT_DEV_QUEUE_XMIT)

BPFNET_FUNC_ENTRY_SP(kp_hard_start_xmit, dev_hard_start_xmit, struct sk_buff *first, struct net_device *dev,
		     struct netdev_queue *txq, int *ret)
{
	return on_entry(ctx, sp, QDT_HARD_START_XMIT, first, (__u64)ret, NULL);
}

/* Its return value is the skb list left: the status is read from *ret (on_return). */
BPFNET_FUNC_RETURN_SP(krp_hard_start_xmit, dev_hard_start_xmit, 4, void *left)
{
	(void)left;
	return on_return(ctx, sp, QDT_HARD_START_XMIT, 0);
}

/* erspan_xmit(skb, dev) */
QDT_SKB_XMIT_PROBES(kp_erspan_xmit, krp_erspan_xmit, erspan_xmit, 2, QDT_ERSPAN_XMIT)

BPFNET_FUNC_ENTRY_SP(kp_fq_codel_enqueue, fq_codel_enqueue, struct sk_buff *skb, struct Qdisc *sch)
{
	return on_entry(ctx, sp, QDT_FQ_CODEL_ENQUEUE, skb, (__u64)BPF_CORE_READ(skb, dev), sch);
}

/* fq_codel_enqueue(skb, sch, to_free) */
QDT_RETURN_PROBE(krp_fq_codel_enqueue, fq_codel_enqueue, 3, QDT_FQ_CODEL_ENQUEUE)

/* tracepoints: the same hooks on kernels without kprobes, and the qdisc's own events */

static __always_inline int on_tp_entry(void *ctx, __u32 hook, struct sk_buff *skb)
{
	const struct qdt_config *cfg = get_config();
	struct qdt_event *ev = event_get();

	if (!cfg || !ev || !skb || !skb_dev_matches(skb, ev->ifname, cfg))
		return 0;
	counter_add(&entry_counts, hook, 1);
	if (!cfg->entry_events)
		return 0;
	fill_task(ev, QDT_EV_ENTRY, hook);
	fill_skb(ev, skb);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

/*
 * The tracepoints are raw ones: their arguments as the kernel passes them, without the trace
 * event record a classic tracepoint program has the kernel fill per packet.
 */

/* TP_PROTO(struct sk_buff *skb) */
SEC("raw_tp/net_dev_queue")
int raw_net_dev_queue(struct bpf_raw_tracepoint_args *ctx)
{
	return on_tp_entry(ctx, QDT_DEV_QUEUE_XMIT, (struct sk_buff *)ctx->args[0]);
}

/* TP_PROTO(const struct sk_buff *skb, const struct net_device *dev) */
SEC("raw_tp/net_dev_start_xmit")
int raw_net_dev_start_xmit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_tp_entry(ctx, QDT_HARD_START_XMIT, (struct sk_buff *)ctx->args[0]);
}

/*
 * TP_PROTO(struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len): the
 * driver's status for one packet; the skb may already be freed, the device is not.
 */
SEC("raw_tp/net_dev_xmit")
int raw_net_dev_xmit(struct bpf_raw_tracepoint_args *ctx)
{
	const struct qdt_config *cfg = get_config();
	struct qdt_event *ev = event_get();
	struct net_device *dev = (struct net_device *)ctx->args[2];

	if (!cfg || !ev || !dev_name_matches(ev->ifname, dev ? (const void *)dev->name : NULL, cfg))
		return 0;
	count_code(QDT_HARD_START_XMIT, (__u32)ctx->args[1]);
	return 0;
}

static __always_inline int on_qdisc_event(void *ctx, __u32 hook, struct Qdisc *q,
					  const struct netdev_queue *txq, struct sk_buff *skb, __u32 packets)
{
	const struct qdt_config *cfg = get_config();
	struct qdt_event *ev = event_get();
	struct net_device *dev = BPF_CORE_READ(txq, dev);

	if (!cfg || !ev || !skb || !dev_name_matches(ev->ifname, dev ? (const void *)dev->name : NULL, cfg))
		return 0;
	counter_add(&entry_counts, hook, packets);
	if (!cfg->queue_events)
		return 0;
	fill_task(ev, QDT_EV_ENTRY, hook);
	fill_skb(ev, skb);
	ev->packets = packets;
	read_qdisc(q, ev);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

/* TP_PROTO(struct Qdisc *qdisc, const struct netdev_queue *txq, struct sk_buff *skb) */
SEC("raw_tp/qdisc_enqueue")
int raw_qdisc_enqueue(struct bpf_raw_tracepoint_args *ctx)
{
	return on_qdisc_event(ctx, QDT_QDISC_ENQUEUE, (struct Qdisc *)ctx->args[0],
			      (const struct netdev_queue *)ctx->args[1], (struct sk_buff *)ctx->args[2], 1);
}

/*
 * TP_PROTO(struct Qdisc *qdisc, const struct netdev_queue *txq, int packets, struct sk_buff *skb):
 * fires for empty dequeue attempts too (no skb), which are not counted.
 */
SEC("raw_tp/qdisc_dequeue")
int raw_qdisc_dequeue(struct bpf_raw_tracepoint_args *ctx)
{
	return on_qdisc_event(ctx, QDT_QDISC_DEQUEUE, (struct Qdisc *)ctx->args[0],
			      (const struct netdev_queue *)ctx->args[1], (struct sk_buff *)ctx->args[3],
			      (__u32)ctx->args[2]);
}

/* Packets freed with a qdisc drop reason (5.17+ kernels report reasons; 0 is none of them). */
SEC("raw_tp/kfree_skb")
int raw_kfree_skb(struct bpf_raw_tracepoint_args *ctx)
{
	const struct qdt_config *cfg;
	struct qdt_event *ev;
	struct sk_buff *skb;
	struct net_device *dev;
	__u32 reason = kfree_skb_raw_reason(ctx), word;

	cfg = get_config();
	if (!cfg || reason >= 64 * QDT_REASON_WORDS)
		return 0;
	word = reason >> 6;
	barrier_var(word); /* keeps the bound the verifier needs on the index itself */
	if (!((cfg->qdisc_reasons[word & (QDT_REASON_WORDS - 1)] >> (reason & 63)) & 1))
		return 0;
	ev = event_get();
	skb = (struct sk_buff *)ctx->args[0];
	if (!ev || !skb || !skb_dev_matches(skb, ev->ifname, cfg))
		return 0;
	count_code(QDT_QDISC_DROP, reason);
	if (!cfg->drop_events)
		return 0;
	fill_task(ev, QDT_EV_DROP, QDT_QDISC_DROP);
	fill_skb(ev, skb);
	ev->code = reason;
	dev = BPF_CORE_READ(skb, dev);
	if (dev)
		read_qdisc(txq_qdisc(dev, ev->txq), ev);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
