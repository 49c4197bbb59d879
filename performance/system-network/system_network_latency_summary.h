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

#include "netstage_summary.h"

/* The report in the original layout, with datetime "YYYY-MM-DD HH:MM:SS". */
void sls_print_report(FILE *f, const char *datetime, const struct netstage_interval *r);
/* The report as one JSON object. */
void sls_print_json(FILE *f, const char *datetime, const struct netstage_interval *r, int final);
#endif
