/* kernel_drop_stack_stats_summary: drops counted by (kernel stack, device). */
#include "drop_count.bpf.h"

BPFNET_LICENSE;
