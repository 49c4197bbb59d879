/* SPDX-License-Identifier: GPL-2.0-only */
/* system_network_perfomance_metrics: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"
#include "bpf/netstage_record.h"
#include "sysnet_stage_ids.h"

#define SMM_STAGES SM_STAGES

/* The common stage record, under the name this tool and its tests use. */
#define smm_stage_rec netstage_stage_rec

/* One packet's session; sent to user space as it is when the packet completes. */
struct smm_session {
	struct netstage_session hdr;
	NETSTAGE_REC_MEMBERS(SMM_STAGES);
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
