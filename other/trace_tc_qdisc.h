/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_tc_qdisc: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_gso.h"

/* The probes, in the original's attach order (the event's probe number). */
enum tcq_probe {
	TCQ_SCH_DIRECT_XMIT,
	TCQ_HTB_ENQUEUE,
	TCQ_FQ_CODEL_ENQUEUE,
	TCQ_TCF_CLASSIFY,
	TCQ_TCF_ACTION_EXEC,
	TCQ_CLS_CGROUP_CLASSIFY,
	TCQ_FQ_CODEL_QDISC, /* the second handler on fq_codel_enqueue: --fq-codel-device, the qdisc's callback */
	TCQ_PROBES,
};

#ifndef __bpf__
#include <stdio.h>

struct gso_frames;

/* The probe's name in the output (both fq_codel handlers: "fq_codel_enqueue"). */
const char *tcq_probe_name(unsigned probe);
/* One anomaly in the original's layout: the generic block or the fq_codel block. */
void tcq_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *frames);

struct hook_table;
extern const struct hook_table tcq_hook_table;
#endif
