/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel_drop_stack_stats_summary_all: report formatting, exercised by the unit tests. */
#pragma once
#include <stdio.h>

#include "drop_count.h"

enum kdssa_group { GROUP_ALL, GROUP_STACK, GROUP_FIVETUPLE };

/* One periodic report of one interval, for the selected grouping. */
void kdssa_print_cycle(FILE *f, const char *datetime, int cycle, long top, enum kdssa_group group,
		       const struct drop_table *shown, const struct drop_table *failed, uint64_t table_full);
/* The final report: the last interval's (stack, device, flow) counts. */
void kdssa_print_final(FILE *f, const char *datetime, long top, const struct drop_table *drops,
		       const struct drop_table *failed);
