/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Log2 histograms (slot rule of log2_slot(): slot s holds 2^s - 1 ... 2^(s+1) - 2) in the row
 * layout of the system/vm network latency summaries, with labels stating each slot's range.
 */
#pragma once
#include <stdint.h>
#include <stdio.h>

/*
 * One row per non-empty slot, lowest first: indent, "<low>-<high><unit>" left-justified to
 * 12 columns, ": ", the count right-justified to 6, " |", a 40-character bar of '*' scaled to
 * the largest slot, "|".
 */
void print_log2_rows(FILE *f, const char *indent, const uint64_t *slots, unsigned n, const char *unit);

/*
 * "<prefix>P50 < 3us, P90 < 7us, P99 < 15us": for each percentile, the bound of the slot it
 * falls in (values are whole units, so a slot ending at 2 holds values below 3); nothing when
 * the histogram is empty.
 */
void print_log2_percentiles(FILE *f, const char *prefix, const uint64_t *slots, unsigned n, const char *unit);
