// SPDX-License-Identifier: GPL-2.0-only
/* vm_network_latency_summary: adjacent-stage and end-to-end latency histograms, in the kernel. */
#include "bpfnet.bpf.h"
#include "vm_network_latency_summary.h"

#define NETSTAGE_SESSION struct vms_session
#include "netstage_pairs.bpf.h"
#include "vmnet_hooks.bpf.h"

BPFNET_LICENSE;
