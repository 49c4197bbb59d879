/* SPDX-License-Identifier: GPL-2.0-only */
/* trace-qdisc-dequeue: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_gso.h"

/* The probes, in the original's order (the event's probe number). */
enum qdq_probe {
	QDQ_QDISC_DEQUEUE, /* tracepoint qdisc:qdisc_dequeue */
	QDQ_NET_DEV_QUEUE, /* tracepoint net:net_dev_queue */
	QDQ_SCH_DIRECT_XMIT,
	QDQ_TUN_NET_XMIT,
	QDQ_IP_QUEUE_XMIT,
	QDQ_TCP_TRANSMIT_SKB,
	QDQ_TCP_ADD_BACKLOG,
	QDQ_TCP_V4_DO_RCV,
	QDQ_PROBES,
};

#ifndef __bpf__
#include <stdio.h>

struct gso_frames;

/* The probe's name in the output: the tracepoint's or the function's. */
const char *qdq_probe_name(unsigned probe);
/* One anomaly in the original's layout: a tracepoint block or a function block. */
void qdq_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *frames);

struct hook_table;
extern const struct hook_table qdq_hook_table;
#endif
