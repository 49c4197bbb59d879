// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_queue_correlation_details: every stage of a followed TAP queue on the host -> guest
 * path: tun_net_xmit (the packet and the tap's TX ring), handle_rx (the RX virtqueue and
 * vhost-net's state), tun_recvmsg (the ring as vhost-net takes a packet), the vhost signal and
 * vhost_notify.
 */
#include "skb_pkt.bpf.h"
#include "vhost_queue_corr.bpf.h"
#include "vhost_queue_correlation_details.h"

/* Each followed socket's RX virtqueue, once handle_rx ran for it. */
BPFNET_MAP(handle_rx_vqs, BPF_MAP_TYPE_HASH, __u64, __u64, VQC_MAX_QUEUES);
BPFNET_SCRATCH(vqcd_ev, struct vqcd_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

static __always_inline struct vqcd_event *detail_event(const struct vqc_target *t, __u8 type)
{
	struct vqcd_event *ev = vqcd_ev_zeroed();

	if (ev)
		vqc_event_head(&ev->base, t, type);
	return ev;
}

static __always_inline void read_tx_ring(struct vqcd_event *ev, struct tun_file___bpfnet *tfile)
{
	ev->tx_ring = (__u64)&tfile->tx_ring;
	tun_tfile_ring_read(tfile, &ev->ring);
}

BPFNET_FUNC_ENTRY(vqc_tun_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct vqc_config *cfg = get_config();
	struct pkt_snap *s = snap_get();
	struct vqc_target t, *followed;
	struct vqcd_event *ev;
	struct pkt_key k;

	if (!cfg || !s || !vqc_types_known())
		return 0;
	followed = vqc_follow_xmit(cfg, skb, dev, &t);
	if (!followed)
		return 0;
	ev = detail_event(followed, VQC_TUN_XMIT);
	if (!ev)
		return 0;
	ev->skb = (__u64)skb;
	read_tx_ring(ev, tun_file_of_socket((struct socket *)t.sock));
	if (!skb_pkt_key(skb, PKT_AT_MAC, NULL, s, &k) && k.family == 4) {
		ev->saddr = k.saddr[0];
		ev->daddr = k.daddr[0];
		ev->protocol = k.l4proto;
		if (k.flags & PKT_K_PORTS) {
			ev->sport = k.sport;
			ev->dport = k.dport;
		}
	}
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(vqcd_handle_rx, handle_rx, struct vhost_net___bpfnet *net)
{
	struct vhost_net_virtqueue___bpfnet *nvq, *tx_nvq;
	struct vhost_virtqueue___bpfnet *vq;
	struct vqc_target *t;
	struct vqcd_event *ev;
	__u64 sock, vq_addr;

	if (!vqc_types_known() || !bpf_core_type_exists(struct vhost_net___bpfnet))
		return 0;
	nvq = vhost_net_nvq(net, VHOST_NET_VQ_RX);
	tx_nvq = vhost_net_nvq(net, VHOST_NET_VQ_TX);
	vq = vhost_net_rx_vq(net);
	sock = vqc_vq_sock(vq);
	t = bpf_map_lookup_elem(&target_queues, &sock);
	if (!t)
		return 0;
	vq_addr = (__u64)vq;
	bpf_map_update_elem(&handle_rx_vqs, &sock, &vq_addr, BPF_ANY);
	ev = detail_event(t, VQC_HANDLE_RX);
	if (!ev)
		return 0;
	ev->base.vq = vq_addr;
	vqc_read_state(vq, &ev->base.st);
	ev->nvq = (__u64)nvq;
	ev->tx_nvq = (__u64)tx_nvq;
	if (bpf_core_field_exists(vq->busyloop_timeout)) {
		ev->rx_busyloop_timeout = BPF_CORE_READ(vq, busyloop_timeout);
		ev->tx_busyloop_timeout = BPF_CORE_READ(tx_nvq, vq.busyloop_timeout);
	}
	ev->vhost_hlen = BPF_CORE_READ(nvq, vhost_hlen);
	ev->sock_hlen = BPF_CORE_READ(nvq, sock_hlen);
	ev->upend_idx = BPF_CORE_READ(nvq, upend_idx);
	ev->done_idx = BPF_CORE_READ(nvq, done_idx);
	if (bpf_core_field_exists(nvq->rx_ring))
		ev->rx_ring = (__u64)BPF_CORE_READ(nvq, rx_ring);
	if (bpf_core_field_exists(nvq->rxq)) {
		ev->rxq_head = BPF_CORE_READ(nvq, rxq.head);
		ev->rxq_tail = BPF_CORE_READ(nvq, rxq.tail);
	}
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(vqcd_recvmsg, tun_recvmsg, struct socket *sock)
{
	__u64 key = (__u64)sock;
	struct vqc_target *t;
	struct vqcd_event *ev;

	if (!vqc_types_known())
		return 0;
	t = bpf_map_lookup_elem(&target_queues, &key);
	if (!t)
		return 0;
	ev = detail_event(t, VQC_TUN_RECVMSG);
	if (!ev)
		return 0;
	read_tx_ring(ev, tun_file_of_socket(sock));
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_FUNC_ENTRY(vqc_signal, vhost_add_used_and_signal_n, void *dev, void *vq)
{
	const struct vqc_config *cfg = get_config();
	struct vqc_event *ev;
	__u64 *rx_vq;

	if (!cfg || !vqc_types_known())
		return 0;
	ev = vqc_signal_event(cfg, vq);
	if (!ev)
		return 0;
	/* The RX and TX virtqueue share the socket: once handle_rx named the RX one, only it. */
	rx_vq = bpf_map_lookup_elem(&handle_rx_vqs, &ev->sock);
	if (rx_vq && *rx_vq != (__u64)vq)
		return 0;
	emit_event(ctx, ev, sizeof(*ev));
	return 0;
}

BPFNET_LICENSE;
