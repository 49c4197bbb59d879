// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats: drops counted by (kernel stack, device), the bpftrace script's maps. */
#include "drop_count.bpf.h"

BPFNET_LICENSE;
