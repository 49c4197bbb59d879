/* SPDX-License-Identifier: GPL-2.0-only */
/* vm_network_latency_details: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"
#include "vmnet_stage_ids.h"

#define VMD_STAGES 16 /* stage ids (VD_STAGES) rounded up to a power of two: see the BPF side */

/* One packet's session; sent to user space as it is when the packet completes. */
struct vmd_session {
	struct netstage_session hdr;
	__u64 ts[VMD_STAGES]; /* first hit of each stage, by stage id; 0 = not seen */
	__u32 pid; /* at the first stage */
	char comm[16];
	char first_ifname[16]; /* skb->dev at the first stage: the tap (VM TX) or the NIC (VM RX) */
	char last_ifname[16]; /* skb->dev at the last stage */
};

#ifndef __bpf__
#include <stdio.h>

/* One completed packet in the original layout; datetime "YYYY-MM-DD HH:MM:SS.mmm". */
void vmd_print_event(FILE *f, const char *datetime, const struct vmd_session *ev);
/* The same as one JSON object. */
void vmd_print_json(FILE *f, const char *datetime, const struct vmd_session *ev);
#endif
