/* SPDX-License-Identifier: GPL-2.0-only */
/* vm_network_latency_summary: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"

struct vms_session {
	struct netstage_session hdr;
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

#include "netstage.h"
#include "netstage_pairs.h"

/* One interval's report. */
struct vms_report {
	double interval_s;
	unsigned dir; /* NS_TX (VM TX) or NS_RX (VM RX): the traced direction */
	const struct netstage_pair *pairs; /* sorted by direction, then path positions */
	size_t npairs;
	uint64_t total[NS_HIST_SLOTS]; /* first -> last stage of the packets completed */
	uint64_t packets[NS_DIRS]; /* packets that entered the first stage in the interval */
	struct netstage_counts counts; /* since start */
};

/* The report in the original layout, with datetime "YYYY-MM-DD HH:MM:SS". */
void vms_print_report(FILE *f, const char *datetime, const struct vms_report *r);
/* The report as one JSON object. */
void vms_print_json(FILE *f, const char *datetime, const struct vms_report *r, int final);
#endif
