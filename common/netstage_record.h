/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The metrics tools' per-packet record (FLOW COMPLETE / FLOW INCOMPLETE, text and JSON) and their
 * per-probe "Performance Statistics": one printer, the tools differing in their stage table and
 * in the layout details of their originals (netstage_rec_style).
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/netstage_record.h"
#include "netstage.h"

/* A qdisc whose sojourn the record shows: dequeue stage id and line label. */
struct netstage_rec_qdisc {
	uint8_t deq_stage;
	const char *label;
};

struct netstage_rec_style {
	const struct netstage_model *m; /* the stage names */
	const char *dir_names[NS_DIRS]; /* DIR= and JSON "direction" */
	bool by_id; /* stages in stage id order (deltas may be negative), else in time order */
	bool time_first; /* "[time] === FLOW COMPLETE: ..." rather than "=== FLOW COMPLETE: ... === time" */
	bool ktime_parens; /* "Stage X: (KTIME=..ns)" rather than "Stage X: KTIME=..ns" */
	const struct netstage_rec_qdisc *qdiscs; /* the first seen dequeue stage is shown */
	unsigned nqdiscs;
};

/* One packet's record, as the tool's session holds it. */
struct netstage_rec {
	const struct netstage_session *hdr;
	const struct netstage_stage_rec *stages; /* by stage id; ts 0 = not seen */
	unsigned nstages;
	const struct netstage_rec_tail *tail; /* qdisc_enq_ns, ct_lookup_ns: 0 = none */
};

/* The record of session ev (a pointer to a session with NETSTAGE_REC_MEMBERS). */
#define NETSTAGE_REC_OF(ev)                                                                                  \
	(&(const struct netstage_rec){ &(ev)->hdr, (ev)->stages,                                             \
				       sizeof((ev)->stages) / sizeof((ev)->stages[0]), &(ev)->tail })

/* The FLOW COMPLETE report; datetime "YYYY-MM-DD HH:MM:SS.mmm". */
void netstage_rec_print(FILE *f, const struct netstage_rec_style *s, const char *datetime,
			const struct netstage_rec *r);
/* A packet that stopped being seen before its last stage (idle_s seconds): FLOW INCOMPLETE. */
void netstage_rec_print_incomplete(FILE *f, const struct netstage_rec_style *s, const char *datetime,
				   const struct netstage_rec *r, double idle_s);
/* The same as one JSON object ("complete": true or false). */
void netstage_rec_json(FILE *f, const struct netstage_rec_style *s, const char *datetime,
		       const struct netstage_rec *r, bool complete);

/*
 * "=== Performance Statistics ===", "Event counts by probe point:" and "  Probe <id>: <n> events"
 * for each non-zero counter of counts (NS_PROBE_STATS, by stage id); with json one object
 * {"probe_events": [{"probe": id, "events": n}, ...]}.
 */
void netstage_probe_stats_print(FILE *f, bool json, const uint64_t *counts);
/* The same from the netstage_probe_stats map of netstage_record.bpf.h. */
void netstage_probe_stats_report(FILE *f, bool json, struct bpf_map *map);
