/* SPDX-License-Identifier: GPL-2.0-only */
/* The report layouts the drop-stack summary tools share (their text and the head of their JSON). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drop_count.h"

#define DROP_LINE60 "============================================================"
#define DROP_DASH60 "------------------------------------------------------------"
#define DROP_DASH40 "----------------------------------------"

/* What each listed entry shows besides its count and device. */
enum drop_show {
	DROP_SHOW_STACK = 1, /* stack id and the brief stack */
	DROP_SHOW_FLOW = 2, /* "Flow: <5-tuple>" */
};

/*
 * A periodic report after its heading line: the failures, the drops not counted (table full),
 * then "Found <n> <found>, showing top <top>:" and the entries (or "  <none>"), and the closing line.
 */
void drop_print_cycle_body(FILE *f, size_t top, const struct drop_table *shown,
			   const struct drop_table *failed, uint64_t table_full, const char *found,
			   const char *none, unsigned show);

/* The words of a final report. */
struct drop_final_text {
	const char *title; /* after the date in the heading */
	const char *drops; /* "<drops>: N" */
	const char *failed; /* "<failed>: N (P%)" */
	const char *none; /* the last line when nothing was dropped */
	const char *top; /* the heading of the list */
};

/* The final report: heading, totals, then the first top entries with their full stacks (and flows if flows). */
void drop_print_final(FILE *f, const char *datetime, size_t top, const struct drop_table *drops,
		      const struct drop_table *failed, const struct drop_final_text *t, bool flows);

struct json;
/* Starts a report's JSON object on f: {"time": datetime, then "cycle": cycle, or "final": true when cycle is 0. */
void drop_json_begin(struct json *j, FILE *f, const char *datetime, int cycle);

struct prom;
/*
 * The drop summaries' metrics (prom.h), cumulative: drops_total{device,stack_id,caller}
 * (caller: the function below the freeing one), failed_stack_traces_total{device} and
 * not_counted_table_full_total.
 */
void drop_prom_write(struct prom *p, const struct drop_table *drops, const struct drop_table *failed,
		     uint64_t table_full);
