/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The adjacent-stage histogram tools' run (system_network_latency_summary,
 * vm_network_latency_summary): per interval, the stage pair histograms, the end-to-end
 * histogram per direction and the session counters, handed to the tool's printer.
 */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "netstage.h"
#include "netstage_pairs.h"
#include "prom.h"

/* One interval's report. */
struct netstage_interval {
	double interval_s;
	unsigned dirs; /* NS_DIR_BIT of the traced directions */
	const struct netstage_pair *pairs; /* sorted by direction, then path positions */
	size_t npairs;
	uint64_t total[NS_DIRS][NS_HIST_SLOTS]; /* first -> last stage of the packets completed */
	uint64_t packets[NS_DIRS]; /* packets that entered the first stage in the interval */
	struct netstage_counts counts; /* since start */
};

struct bpf_object_skeleton;

struct netstage_summary {
	struct bpf_object_skeleton *skel; /* opened; maps stage_pair_hist and total_hist */
	struct netstage_config *cfg; /* rules built */
	const struct netstage_model *model;
	unsigned dirs;
	double interval_s, duration_s;
	const struct prom_opts *prom; /* --prometheus-textfile, --quiet */
	/* the text banner, after attach */
	void (*print_banner)(const struct netstage_config *cfg, const struct netstage_probes *probes);
	/* datetime "YYYY-MM-DD HH:MM:SS" */
	void (*print_text)(FILE *f, const char *datetime, const struct netstage_interval *r);
	void (*print_json)(FILE *f, const char *datetime, const struct netstage_interval *r, int final);
};

/*
 * Selects the probes, loads, attaches and reports every interval until Ctrl-C/SIGTERM or the
 * duration; the final report comes after the probes are detached. With --prometheus-textfile,
 * each report also writes the cumulative counters and histograms (bpfnet_<tool>_...) there.
 * Leaves the skeleton to its owner to destroy.
 */
void netstage_summary_run(const struct netstage_summary *s);
