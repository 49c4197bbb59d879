/* SPDX-License-Identifier: GPL-2.0-only */
/* qdisc_lateny_details: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

/* Packets of one dequeue batch examined by the kernel side (the rest are counted). */
#define QDISC_DEQ_BATCH 16

/* The original's filters: each address and each port is the source or the destination. */
#define QDISC_FILTER_FLAGS (PKT_F_EITHER_ADDR | PKT_F_EITHER_PORT | PKT_F_PORTS_TCP_UDP | PKT_F_ICMP_V6)

struct qdisc_lat_config {
	struct pkt_filter
		filter; /* --dev, --src-ip, --dst-ip, --src-port, --dst-port, --proto: QDISC_FILTER_FLAGS */
	__u8 kprobe_enqueue; /* enqueue hook is a function entry: skip devices without a qdisc */
	__u8 pad[7];
	__u64 expire_ns; /* records older than this at dequeue are expired, not reported */
};

/* Flags of struct qdisc_pkt. */
#define QDISC_PKT_L4 0x1 /* the TCP/UDP/ICMP header was read */
#define QDISC_PKT_FRAGMENT 0x2 /* a non-first IPv4 fragment: no L4 header */
#define QDISC_PKT_GSO_SPLIT 0x4 /* the qdisc split this GSO packet; timed to a segment */

/*
 * Recorded at enqueue, sent to user space at dequeue. Records are keyed by the skb, except
 * TCP GSO packets: a qdisc may split those into segments (tbf), so they are keyed by flow and
 * sequence number and found again from the first of their segments to leave the qdisc.
 */
struct qdisc_pkt {
	__u64 enqueue_ns;
	__u64 dequeue_ns;
	__u32 saddr[4]; /* network order; IPv4 in [0] */
	__u32 daddr[4];
	__u32 ifindex;
	__u32 len; /* skb->len at enqueue */
	__u32 tcp_seq; /* host order */
	__u16 ip_id; /* host order */
	__u16 udp_len;
	__u16 sport, dport; /* host order */
	__u16 icmp_id, icmp_seq; /* host order */
	__u8 icmp_type;
	__u8 family; /* 4 or 6 */
	__u8 l4proto;
	__u8 flags; /* QDISC_PKT_* */
	__u8 pad;
	__u16 gso_segs; /* TCP GSO packets: segments and their payload size */
	__u16 gso_size;
	char devname[16];
};

/*
 * Key of a TCP GSO packet's record, under the sequence number of its first and of its last
 * segment: when the qdisc splits it and the first segment does not fit, only the shorter
 * last one may.
 */
struct qdisc_gso_key {
	__u32 ifindex;
	__u32 seq;
	__u32 saddr[4];
	__u32 daddr[4];
	__u16 sport, dport;
};

/* Slots of the per-CPU counters map. */
enum qdisc_counter {
	QC_ENQUEUED, /* records created */
	QC_DEQUEUED, /* records matched at dequeue and reported */
	QC_DROPPED, /* records whose packet the kernel dropped (kfree_skb) */
	QC_EXPIRED, /* records found at dequeue older than expire_ns */
	QC_BATCH_UNSEEN, /* packets of a dequeue batch beyond QDISC_DEQ_BATCH */
	QC_COUNTERS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The end-of-run accounting of every packet recorded at enqueue. */
struct qdisc_summary {
	uint64_t enqueued, dequeued, still_queued;
	uint64_t dropped, expired, evicted; /* never seen dequeued, by cause */
	uint64_t batch_unseen, lost_events;
};

/* "TCP 45678->80 seq=1234567890", "UDP 5000->53 id=42", "ICMP id=7 seq=1 type=8", "Proto47". */
const char *qdisc_pkt_ident(const struct qdisc_pkt *p, char *buf, size_t len);
/* One dequeued packet in the original layout; hms_ms is its local time "HH:MM:SS.mmm". */
void qdisc_print_event(FILE *f, const struct qdisc_pkt *p, const char *hms_ms);
/* One dequeued packet as a JSON object on one line. */
void qdisc_print_event_json(FILE *f, const struct qdisc_pkt *p, const char *hms_ms);
/* The accounting printed when the tool stops (text or JSON). */
void qdisc_print_summary(FILE *f, const struct qdisc_summary *s, bool json);
/* Completes s: evicted = enqueued minus every other outcome (records the table lost). */
void qdisc_summary_finish(struct qdisc_summary *s);
/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table qdisc_lat_hook_table;
#endif
