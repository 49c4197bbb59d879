/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel_drop_stack_stats_summary: report formatting, exercised by the unit tests. */
#pragma once
#include <stdio.h>

#include "drop_count.h"

/* One periodic report: cumulative counts since start. */
void kdss_print_cycle(FILE *f, const char *datetime, int cycle, long top, const struct drop_table *drops,
		      const struct drop_table *failed, uint64_t table_full);
/* The report printed when tracing ends. */
void kdss_print_final(FILE *f, const char *datetime, long top, const struct drop_table *drops,
		      const struct drop_table *failed);
