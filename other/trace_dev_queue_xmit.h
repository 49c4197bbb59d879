/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_dev_queue_xmit: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_gso.h"

/* The probes, in the original's order (the event's probe number). */
enum dqx_probe {
	DQX_SCH_DIRECT_XMIT,
	DQX_DEV_QUEUE_XMIT, /* kprobe __dev_queue_xmit, or the tracepoint net:net_dev_queue in it */
	DQX_PROBES,
};

#ifndef __bpf__
#include <stdio.h>

struct gso_frames;

/* The probed function's name in the output. */
const char *dqx_probe_name(unsigned probe);
/* One anomaly in the original's layout. */
void dqx_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *frames);

struct hook_table;
extern const struct hook_table dqx_hook_table;
#endif
