/* SPDX-License-Identifier: GPL-2.0-only */
/* vm_network_performance_metrics: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"
#include "bpf/netstage_record.h"
#include "vmnet_stage_ids.h"

#define VMM_STAGES VS_STAGES /* records by stage id (1..21; slot 0 unused) */

/* One packet's session; sent to user space as it is when the packet completes. */
struct vmm_session {
	struct netstage_session hdr;
	NETSTAGE_REC_MEMBERS(VMM_STAGES); /* qdisc_enq_ns: QDISC_ENQ (VM TX) or VNET_QDISC_ENQ (VM RX) */
};

#ifndef __bpf__
#include <stdio.h>

/* The FLOW COMPLETE report of one packet; datetime "YYYY-MM-DD HH:MM:SS.mmm". */
void vmm_print_flow(FILE *f, const char *datetime, const struct vmm_session *ev);
/* --verbose: a packet that stopped being seen before its last stage (idle_s seconds). */
void vmm_print_incomplete(FILE *f, const char *datetime, const struct vmm_session *ev, double idle_s);
/* The same as one JSON object ("complete": true or false). */
void vmm_print_json(FILE *f, const char *datetime, const struct vmm_session *ev, int complete);
#endif
