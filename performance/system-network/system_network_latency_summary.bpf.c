// SPDX-License-Identifier: GPL-2.0-only
/* system_network_latency_summary: adjacent-stage and end-to-end latency histograms, in the kernel. */
#include "bpfnet.bpf.h"
#include "system_network_latency_summary.h"

#define NETSTAGE_SESSION struct sls_session
#include "netstage_pairs.bpf.h"

BPFNET_LICENSE;
