/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Metrics for Prometheus: a Summary tool's cumulative counters and histograms in the text
 * exposition format, written atomically to the file node_exporter's textfile collector reads
 * (--prometheus-textfile PATH; --quiet leaves stdout empty).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* The options of a tool that exports metrics (OPT_PROMETHEUS in its option table). */
struct prom_opts {
	const char *path; /* --prometheus-textfile */
	bool quiet; /* --quiet */
};

/* clang-format off */
#define OPT_PROMETHEUS(p)                                                                                    \
	OPT_STR("prometheus-textfile", 0, &(p)->path,                                                        \
		"after each interval, write the cumulative counters and histograms to PATH in the "          \
		"Prometheus text format, atomically (PATH ending in .prom in node_exporter's textfile "      \
		"collector directory)", .metavar = "PATH"),                                                  \
	OPT_FLAG("quiet", 0, &(p)->quiet, "print no report on stdout (with --prometheus-textfile)")
/* clang-format on */

/*
 * After parsing: --quiet without --prometheus-textfile is a usage error (exit 2); with it,
 * stdout goes to /dev/null from here on (banner, probes and reports alike; errors stay on stderr).
 */
void prom_opts_check(const struct prom_opts *o);

enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM };

struct prom_label {
	const char *name, *value;
};

/*
 * An exposition being built: metric names are bpfnet_<tool>_<what>, with '-' in the tool's
 * name as '_' and its word "_summary" left out (a Prometheus type name: kernel_drop_stack_stats_summary
 * gives bpfnet_kernel_drop_stack_stats_drops_total).
 */
struct prom {
	struct strbuf text;
	char prefix[96];
	char family[160]; /* the full name of the current family */
	enum prom_type type;
	unsigned warned; /* the failure kinds already reported on stderr */
};

/* Starts (or restarts, keeping what was warned about) an exposition of tool's metrics. */
void prom_begin(struct prom *p, const char *tool);
/*
 * Starts the family bpfnet_<tool>_<what> with its # HELP and # TYPE lines; counters end in
 * _total, histograms of seconds in _seconds (the caller names them so).
 */
void prom_family(struct prom *p, const char *what, enum prom_type type, const char *help);
/* A sample of the current counter or gauge family, with n labels. */
void prom_value(struct prom *p, const struct prom_label *labels, size_t n, double value);
/*
 * A sample of the current histogram family from log2 slots of unit (seconds: 1e-6 for slots of
 * microseconds): a cumulative bucket per slot with le at the slot's highest value, +Inf, _count,
 * and _sum estimated from the slots' midpoints (log2 slots keep no sum).
 */
void prom_log2_histogram(struct prom *p, const struct prom_label *labels, size_t n, const uint64_t *slots,
			 unsigned nslots, double unit);
/*
 * The same from slots of other bounds, with the sum known: slot s holds values up to high(s)
 * units (its bucket's le: high(s) * unit), and sum is the values' exact sum (in seconds for a
 * _seconds family). For BCC's log2 slots of whole microseconds (slot s: 2^(s-1) .. 2^s - 1,
 * slot 0: 0), high is prom_bcc_slot_high and unit 1e-6.
 */
void prom_histogram(struct prom *p, const struct prom_label *labels, size_t n, const uint64_t *slots,
		    unsigned nslots, uint64_t (*high)(unsigned s), double unit, double sum);
/* The highest value of BCC's log2 slot s (bpf_log2l's, bt_hist_slot's): 0, 1, 3, 7, ... */
uint64_t prom_bcc_slot_high(unsigned s);
/*
 * Writes the exposition to path through a temporary file in the same directory and a rename, so
 * a reader never sees half of it. On failure says why on stderr, once per kind of failure, and
 * returns false; the tool keeps tracing.
 */
bool prom_commit(struct prom *p, const char *path);
void prom_free(struct prom *p);
