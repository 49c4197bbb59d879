/* SPDX-License-Identifier: GPL-2.0-only */
/* vhost_queue_correlation_simple: its own layouts (the events are vhost_queue_corr.h's). */
#pragma once
#include "vhost_queue_corr.h"

#ifndef __bpf__
/* The start-up lines echoing the filters (dev NULL: all; queue < 0: all). */
void vqc_simple_print_banner(FILE *f, const char *dev, int queue);
/* The --debug block of the VQC_DBG_SLOTS counters d, and the diagnosis when notify never matched. */
void vqc_simple_print_debug(FILE *f, const __u64 *d);

struct hook_table;
extern const struct hook_table vqc_simple_hook_table;
#endif
