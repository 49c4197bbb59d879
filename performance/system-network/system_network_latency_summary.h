/* SPDX-License-Identifier: GPL-2.0-only */
/* system_network_latency_summary: shared by the BPF program and user space. */
#pragma once
#include "bpf/netstage.h"

struct sls_session {
	struct netstage_session hdr;
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

#include "netstage.h"
#include "netstage_pairs.h"

/* One interval's report. */
struct sls_report {
	double interval_s;
	unsigned dirs; /* NS_DIR_BIT of the traced directions */
	const struct netstage_pair *pairs; /* sorted by direction, then path positions */
	size_t npairs;
	uint64_t total[NS_DIRS][NS_HIST_SLOTS]; /* first -> last stage of the packets completed */
	uint64_t packets[NS_DIRS]; /* packets that entered the first stage */
	struct netstage_counts counts; /* since start */
};

/* The report in the original layout, with datetime "YYYY-MM-DD HH:MM:SS". */
void sls_print_report(FILE *f, const char *datetime, const struct sls_report *r);
/* The report as one JSON object. */
void sls_print_json(FILE *f, const char *datetime, const struct sls_report *r, int final);
#endif
