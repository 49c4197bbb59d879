/* SPDX-License-Identifier: GPL-2.0-only */
/* Histogram rendering in the BCC layout the original tools printed, in JSON, and percentile estimates. */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "bpf/hist_slot.h"

/* Lowest and highest value that log2 slot s holds (see log2_slot()). */
uint64_t log2_slot_low(unsigned s);
uint64_t log2_slot_high(unsigned s);

/*
 * Prints slots[0..n) as a log2 histogram: a header naming the unit ("latency (us)"), then
 * one "low -> high : count |stars|" row per slot from the first to the last non-empty one.
 * Prints nothing when every slot is empty.
 */
void print_log2_hist(FILE *f, const uint64_t *slots, unsigned n, const char *val_type);

/* Prints a linear histogram whose slot i holds [base + i*step, base + (i+1)*step). */
void print_linear_hist(FILE *f, const uint64_t *slots, unsigned n, uint64_t base, uint64_t step,
		       const char *val_type);

/* The bar of a histogram row: width * val / max stars ('+' at the end if val exceeds max). */
void hist_stars(char *buf, uint64_t val, uint64_t max, int width);

/* Sum of all slots. */
uint64_t hist_total(const uint64_t *slots, unsigned n);

/*
 * Estimate of the p-th percentile (0 < p <= 100) of a log2 histogram: the upper bound of the
 * slot in which the cumulative count reaches p percent. Returns 0 for an empty histogram.
 */
uint64_t log2_hist_percentile(const uint64_t *slots, unsigned n, double p);

struct json;
/*
 * Writes a log2 histogram into the open JSON object: "<prefix>buckets", one {"low_<unit>",
 * "high_<unit>", "count"} per non-empty slot, then, unless it is empty, "<prefix>p50_<unit>_max",
 * p90 and p99: the upper bounds of the slots those percentiles fall in.
 */
void log2_hist_json(struct json *j, const char *prefix, const char *unit, const uint64_t *slots, unsigned n);
