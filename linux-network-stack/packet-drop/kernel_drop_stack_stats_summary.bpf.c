// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats_summary: drops counted by (kernel stack, device). */
#include "drop_count.bpf.h"

BPFNET_LICENSE;
