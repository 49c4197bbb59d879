/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Histograms and maps in the layout bpftrace prints at exit (the bpftrace originals' output):
 * slots of bt_hist_slot() (common/bpf/hist_slot.h), labels [0], [1], [2, 4), ..., [1K, 2K).
 */
#pragma once
#include <stdint.h>
#include <stdio.h>

#include "bpf/hist_slot.h"

struct json;

/* Lowest and highest value slot s of bt_hist_slot() holds. */
uint64_t bt_hist_low(unsigned s);
uint64_t bt_hist_high(unsigned s);
/* The row label of slot s: "[0]", "[1]", "[2, 4)", "[512, 1K)", "[8E, 16E)". */
const char *bt_hist_label(unsigned s, char *buf, size_t len);
/*
 * "@name: " and one row per slot from the lowest to the highest non-empty one: the label
 * left-justified to 16 columns, the count right-justified to 8, " |", count * 52 / max '@'
 * padded to 52, "|"; then a blank line. Nothing when every slot is empty.
 */
void bt_print_hist(FILE *f, const char *name, const uint64_t *slots, unsigned n);
/* Writes "<key>": [{"low", "high", "count"} per non-empty slot] into the open JSON object. */
void bt_hist_json(struct json *j, const char *key, const uint64_t *slots, unsigned n);
