/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel_drop_stack_stats: bpftrace-style map printing, exercised by the unit tests. */
#pragma once
#include <stdio.h>

#include "drop_count.h"

/* Drops per device (stack failures included), as @device_totals. */
void kds_device_totals(const struct drop_table *stacks, const struct drop_table *failed,
		       struct drop_table *out);
/* print(@device_totals, top) / print(@device_totals) when top == 0: largest last. */
void kds_print_device_totals(FILE *f, const struct drop_table *totals, size_t top);
/* print(@stack_counts, top) / print(@stack_counts) when top == 0: largest last. */
void kds_print_stack_counts(FILE *f, const struct drop_table *stacks, const struct drop_table *failed,
			    size_t top);
