/* SPDX-License-Identifier: GPL-2.0-only */
/* system_network_perfomance_metrics: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"
#include "sysnet_stage_ids.h"

#define SMM_STAGES SM_STAGES

/* What a stage saw of the packet, at its first hit. */
struct smm_stage_rec {
	__u64 ts; /* 0: stage not seen */
	__u64 skb; /* sk_buff address */
	__u32 len, data_len, hash, ifindex, cpu;
	__u16 queue_mapping;
	__u16 pad;
	char devname[16];
};

/* One packet's session; sent to user space as it is when the packet completes. */
struct smm_session {
	struct netstage_session hdr;
	struct smm_stage_rec stages[SMM_STAGES];
	__u64 qdisc_enq_ns; /* latest PHY_QDISC_ENQ hit */
	__u64 ct_start_ns; /* latest conntrack lookup start */
	__u64 ct_lookup_ns; /* duration of the latest conntrack lookup */
	__u32 pid; /* at the first stage */
	__u32 pad;
	char comm[16];
};

#ifndef __bpf__
#include <stdio.h>

/* The FLOW COMPLETE report of one packet; datetime "YYYY-MM-DD HH:MM:SS.mmm". */
void smm_print_flow(FILE *f, const char *datetime, const struct smm_session *ev);
/* --verbose: a packet that stopped being seen before its last stage (idle_s seconds). */
void smm_print_incomplete(FILE *f, const char *datetime, const struct smm_session *ev, double idle_s);
/* The same as one JSON object ("complete": true or false). */
void smm_print_json(FILE *f, const char *datetime, const struct smm_session *ev, int complete);
#endif
