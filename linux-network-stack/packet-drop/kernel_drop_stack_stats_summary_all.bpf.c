// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats_summary_all: drops counted by stack, device and IPv4 5-tuple. */
#include "drop_count.bpf.h"

BPFNET_LICENSE;
