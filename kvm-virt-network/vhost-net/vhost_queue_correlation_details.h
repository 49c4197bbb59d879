/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vhost_queue_correlation_details: its events (the shared vhost_signal and vhost_notify ones
 * plus tun_net_xmit, handle_rx and tun_recvmsg) and layouts.
 */
#pragma once
#include "bpf/tun_ring.h"
#include "vhost_queue_corr.h"

/*
 * An event of the three stages only this tool has. The signal and notify stages send the
 * shared struct vqc_event alone: user space reads those into this one, zero beyond base.
 */
struct vqcd_event {
	struct vqc_event base; /* vq and state: handle_rx's RX virtqueue */
	__u64 skb; /* tun_net_xmit */
	__u64 tx_ring; /* tun_net_xmit, tun_recvmsg: &tfile->tx_ring */
	__u64 nvq, tx_nvq; /* handle_rx: &net->vqs[RX], &net->vqs[TX] */
	__u64 rx_ring; /* handle_rx: nvq->rx_ring (the tap queue's tx_ring) */
	__u64 vhost_hlen, sock_hlen;
	__s32 upend_idx, done_idx;
	__s32 rxq_head, rxq_tail; /* the packets vhost-net took from rx_ring and has not passed on */
	__u32 rx_busyloop_timeout, tx_busyloop_timeout;
	__u32 saddr, daddr; /* IPv4, network order; 0: not an IPv4 packet */
	__u16 sport, dport; /* host order */
	__u8 protocol;
	__u8 pad[7];
	struct tun_ring_state ring; /* tun_net_xmit, tun_recvmsg */
};

/* Per-stage events of one --interval. */
struct vqcd_counts {
	__u64 events[VQC_NOTIFY + 1]; /* by enum vqc_event_type */
};

#ifndef __bpf__
#include <stddef.h>

/* The start-up lines echoing the filters (dev NULL: all; queue < 0: all). */
void vqcd_print_banner(FILE *f, const char *dev, int queue);
/* The event in data (size bytes: a struct vqc_event or a struct vqcd_event) into ev; false if too short. */
bool vqcd_event_read(struct vqcd_event *ev, const void *data, size_t size);
/* The block of one event of any stage; hms_ms is its local "HH:MM:SS.mmm". */
void vqcd_print_event(FILE *f, const struct vqcd_event *ev, const char *hms_ms);
/* The same event as one JSON object. */
void vqcd_print_event_json(FILE *f, const struct vqcd_event *ev, const char *hms_ms);
/* "10.0.0.5:443 -> 10.0.0.9:51234 (TCP)" (TCP, UDP, else the protocol's number) into buf. */
void vqcd_format_flow(const struct vqcd_event *ev, char *buf, size_t len);
/* The --interval report: each stage's events of the last interval_s seconds. */
void vqcd_print_counts(FILE *f, const struct vqcd_counts *c, const char *hms, int interval_s);
void vqcd_print_counts_json(FILE *f, const struct vqcd_counts *c, const char *hms);

struct hook_table;
extern const struct hook_table vqcd_hook_table;
#endif
