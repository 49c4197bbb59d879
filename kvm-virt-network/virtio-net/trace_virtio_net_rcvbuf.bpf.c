// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_virtio_net_rcvbuf: each packet virtio-net's receive_buf hands to GRO, with the RX
 * ring's indexes at receive_buf entry and the TCP seq/ack; each TX kick from start_xmit with
 * the TX ring's indexes; markers for RX/TX interrupts and NAPI polls.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "skb_pkt.bpf.h"
#include "kmod/virtio_net.h"
#include "trace_virtio_net_rcvbuf.h"

BPFNET_CONFIG(struct rcvbuf_config)

/* This CPU's receive and transmit in progress. */
struct rcvbuf_cpu {
	__u64 rx_ts; /* receive_buf entry; 0 outside */
	__u64 tx_ts; /* start_xmit entry; 0 outside */
	__u64 poll_vq; /* rx_at_get_buf: the RX virtqueue virtnet_poll polls */
	__u32 rx_num; /* receive_buf calls since virtnet_poll */
	__u32 tx_seq, tx_ack;
	__u8 tx_proto;
	__u8 pad[3];
	struct rcvbuf_ring rx_ring; /* at receive_buf entry */
};
BPFNET_SCRATCH(cpu_state, struct rcvbuf_cpu)
BPFNET_SCRATCH(event, struct rcvbuf_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

/* Before 5.0 the split ring's fields were members of vring_virtqueue itself. */
struct vring_virtqueue___flat {
	struct vring vring;
	__u16 avail_flags_shadow;
	__u16 avail_idx_shadow;
} __attribute__((preserve_access_index));

static __always_inline void ring_read(struct virtqueue *vq, struct rcvbuf_ring *r)
{
	struct vring_virtqueue___bpfnet *vvq = (void *)vq;
	struct vring_virtqueue___flat *flat = (void *)vq;
	struct vring_avail *avail;
	struct vring_used *used;

	__builtin_memset(r, 0, sizeof(*r));
	bpf_probe_read_kernel_str(r->name, sizeof(r->name), BPF_CORE_READ(vvq, vq.name));
	r->last_used_idx = BPF_CORE_READ(vvq, last_used_idx);
	if (bpf_core_field_exists(vvq->split)) {
		if (bpf_core_field_exists(vvq->packed_ring) && BPF_CORE_READ(vvq, packed_ring)) {
			r->packed = 1;
			return;
		}
		r->num = BPF_CORE_READ(vvq, split.vring.num);
		avail = (void *)BPF_CORE_READ(vvq, split.vring.avail);
		used = (void *)BPF_CORE_READ(vvq, split.vring.used);
		r->avail_flags_shadow = BPF_CORE_READ(vvq, split.avail_flags_shadow);
		r->avail_idx_shadow = BPF_CORE_READ(vvq, split.avail_idx_shadow);
	} else {
		r->num = BPF_CORE_READ(flat, vring.num);
		avail = (void *)BPF_CORE_READ(flat, vring.avail);
		used = (void *)BPF_CORE_READ(flat, vring.used);
		r->avail_flags_shadow = BPF_CORE_READ(flat, avail_flags_shadow);
		r->avail_idx_shadow = BPF_CORE_READ(flat, avail_idx_shadow);
	}
	r->avail_flags = BPF_CORE_READ(avail, flags);
	r->avail_idx = BPF_CORE_READ(avail, idx);
	r->used_flags = BPF_CORE_READ(used, flags);
	r->used_idx = BPF_CORE_READ(used, idx);
}

/* The packet's TCP seq/ack or ICMP echo field (echo_id: the id, else the sequence number). */
static __always_inline __u8 read_headers(struct sk_buff *skb, int at, bool echo_id, struct rcvbuf_event *ev)
{
	struct pkt_snap *s = snap_get();
	struct pkt_key k;

	if (!s || skb_snapshot(skb, at, s))
		return RCVBUF_UNKNOWN;
	pkt_key_parse(s, &k);
	if (k.family != 4)
		return RCVBUF_UNKNOWN;
	ev->saddr = k.saddr[0];
	ev->daddr = k.daddr[0];
	ev->sport = k.sport;
	ev->dport = k.dport;
	if (k.l4proto == IPPROTO_TCP && k.tcp_hlen) {
		ev->seq = k.tcp_seq;
		ev->ack_seq = k.tcp_ack;
		return RCVBUF_TCP;
	}
	if (k.l4proto == IPPROTO_ICMP && (k.flags & PKT_K_ICMP)) {
		ev->seq = echo_id ? k.icmp_id : k.icmp_seq;
		ev->ack_seq = 0;
		return RCVBUF_ICMP;
	}
	return RCVBUF_UNKNOWN;
}

static __always_inline struct rcvbuf_event *new_event(enum rcvbuf_kind kind)
{
	struct rcvbuf_event *ev = event_zeroed();

	if (ev) {
		ev->ts_ns = bpf_ktime_get_ns();
		ev->cpu = bpf_get_smp_processor_id();
		ev->kind = kind;
	}
	return ev;
}

static __always_inline void rx_started(struct rcvbuf_cpu *st, struct virtqueue *vq)
{
	st->rx_ts = bpf_ktime_get_ns();
	st->rx_num++;
	ring_read(vq, &st->rx_ring);
}

SEC("kprobe")
int BPF_KPROBE(rcv_receive_buf, void *vi, struct receive_queue___bpfnet *rq)
{
	struct rcvbuf_cpu *st = cpu_state_get();

	if (st)
		rx_started(st, (struct virtqueue *)BPF_CORE_READ(rq, vq));
	return 0;
}

SEC("kretprobe")
int BPF_KRETPROBE(rcv_receive_buf_ret)
{
	struct rcvbuf_cpu *st = cpu_state_get();

	if (st)
		st->rx_ts = 0;
	return 0;
}

/* receive_buf inlined: a packet starts where virtnet_poll dequeues its first buffer. */
SEC("kprobe")
int BPF_KPROBE(rcv_get_buf, struct virtqueue *vq)
{
	struct rcvbuf_cpu *st = cpu_state_get();

	if (st && !st->rx_ts && st->poll_vq && st->poll_vq == (__u64)vq)
		rx_started(st, vq);
	return 0;
}

BPFNET_FUNC_ENTRY(rcv_poll, virtnet_poll, struct napi_struct *napi, int budget)
{
	const struct rcvbuf_config *cfg = get_config();
	struct rcvbuf_cpu *st = cpu_state_get();
	struct rcvbuf_event *ev;

	if (!st || !cfg)
		return 0;
	st->rx_num = 0;
	if (cfg->rx_at_get_buf) {
		st->rx_ts = 0;
		st->poll_vq = (__u64)virtnet_vq_of_napi(napi);
	}
	ev = new_event(RCVBUF_POLL);
	if (ev) {
		ev->budget = budget;
		emit_event(ctx, ev, sizeof(*ev));
	}
	return 0;
}

static __always_inline int marker(void *ctx, enum rcvbuf_kind kind)
{
	struct rcvbuf_event *ev = new_event(kind);

	if (ev)
		emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(rcv_recv_done, skb_recv_done)
{
	return marker(ctx, RCVBUF_RECV_DONE);
}

BPFNET_FUNC_ENTRY(rcv_xmit_done, skb_xmit_done)
{
	return marker(ctx, RCVBUF_XMIT_DONE);
}

BPFNET_FUNC_ENTRY(rcv_gro, napi_gro_receive, void *napi, struct sk_buff *skb)
{
	const struct rcvbuf_config *cfg = get_config();
	struct rcvbuf_cpu *st = cpu_state_get();
	struct rcvbuf_event *ev;

	if (!st || !cfg || !st->rx_ts)
		return 0;
	ev = new_event(RCVBUF_RX);
	if (!ev)
		return 0;
	ev->delay_ns = ev->ts_ns - st->rx_ts;
	ev->num = st->rx_num;
	/* eth_type_trans() has pulled the Ethernet header: the network header is at data */
	ev->proto = read_headers(skb, PKT_AT_DATA, true, ev);
	ev->ring = st->rx_ring;
	if (cfg->rx_at_get_buf)
		st->rx_ts = 0;
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(rcv_xmit, start_xmit, struct sk_buff *skb)
{
	const struct rcvbuf_config *cfg = get_config();
	struct rcvbuf_cpu *st = cpu_state_get();
	struct rcvbuf_event *ev;

	if (!st || !cfg)
		return 0;
	st->tx_ts = bpf_ktime_get_ns();
	st->tx_proto = RCVBUF_UNKNOWN;
	/* The original reads the headers only of a transmit made while receive_buf runs here. */
	if (!st->rx_ts && !cfg->all_tx)
		return 0;
	ev = event_zeroed();
	if (!ev)
		return 0;
	st->tx_proto = read_headers(skb, PKT_AT_ETH, false, ev);
	st->tx_seq = ev->seq;
	st->tx_ack = ev->ack_seq;
	return 0;
}

/* start_xmit(skb, dev); its netdev_tx_t is not read */
BPFNET_FUNC_RETURN(rcv_xmit_ret, start_xmit, 2, long ret)
{
	struct rcvbuf_cpu *st = cpu_state_get();

	if (st) {
		st->tx_ts = 0;
		st->tx_seq = st->tx_ack = 0;
		st->tx_proto = RCVBUF_UNKNOWN; /* the original kept it for the next transmit */
	}
	return 0;
}

/* A kick inside start_xmit: the TX ring as the device is told about it. */
SEC("kprobe")
int BPF_KPROBE(rcv_notify, struct virtqueue *vq)
{
	struct rcvbuf_cpu *st = cpu_state_get();
	struct rcvbuf_event *ev;

	if (!st || !st->tx_ts)
		return 0;
	ev = new_event(RCVBUF_TX);
	if (!ev)
		return 0;
	ev->proto = st->tx_proto;
	ev->seq = st->tx_seq;
	ev->ack_seq = st->tx_ack;
	ring_read(vq, &ev->ring);
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
