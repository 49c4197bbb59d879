/* SPDX-License-Identifier: GPL-2.0-only */
/* The per-packet latency tools' view of one packet: the stages it reached, in path order. */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "netstage.h"

/*
 * Fills out (room for NS_MAX_POS) with the stages of direction dir that ts has seen (indexed by
 * stage id, nts ids, 0 = not seen), in path order; returns how many.
 */
int netstage_seen_stages(const struct netstage_model *m, unsigned dir, const __u64 *ts, unsigned nts,
			 const struct netstage_stage **out);
/*
 * "\n<label> Path Latencies (us):", then "  [a->b] A -> B: <us> us" for each pair of the n
 * stages st and "  Total <label> Latency: <us> us", or "  No latency data available" with
 * fewer than two stages.
 */
void netstage_print_path(FILE *f, const char *label, const struct netstage_stage *const *st, int n,
			 const __u64 *ts);
/* The same as JSON: "stages" [{"id", "name", "ktime_ns", "latency_us"}] and "total_us". */
void netstage_path_json(struct json *j, const struct netstage_stage *const *st, int n, const __u64 *ts);
