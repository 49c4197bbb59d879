/* SPDX-License-Identifier: GPL-2.0-only */
/* system_network_latency_details: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"
#include "sysnet_stage_ids.h"

#define SLD_STAGES SL_STAGES /* a power of two: see the BPF side */

/* One packet's session; sent to user space as it is when the packet completes. */
struct sld_session {
	struct netstage_session hdr;
	__u64 ts[SLD_STAGES]; /* first hit of each stage, by stage id; 0 = not seen */
	__u32 pid; /* at the first stage (TX: the sending process) */
	char comm[16];
	char ifname[16]; /* skb->dev at the first stage, empty if none yet */
};

#ifndef __bpf__
#include <stdio.h>

/* One completed packet in the original layout; datetime "YYYY-MM-DD HH:MM:SS.mmm". */
void sld_print_event(FILE *f, const char *datetime, const struct sld_session *ev);
/* The same as one JSON object. */
void sld_print_json(FILE *f, const char *datetime, const struct sld_session *ev);
#endif
