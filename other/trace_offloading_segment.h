/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_offloading_segment: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_snapshot.h"

/* Probe ids: the index of each hook in the hook table. */
enum offseg_probe {
	OFFSEG_IPTUNNEL_XMIT,
	OFFSEG_UDP_TUNNEL_SEGMENT,
	OFFSEG_KFREE_SKB,
	OFFSEG_PROBES,
};

struct offseg_config {
	__u16 dst_port; /* the UDP destination port of the tunnel packets shown */
	__u16 pad;
};

#ifndef __bpf__
#include <stdio.h>

struct skb_probe_view;
/* Prints one probe hit in the original's layout: its banner line and, if it matched, its block. */
void offseg_print_event(FILE *f, const struct skb_probe_view *v);
extern const struct hook_table offseg_hook_table;
#endif
