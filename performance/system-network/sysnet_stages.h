/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The stage models of the system-network tools of this folder: which kernel
 * hook is which stage of a host packet's path, TX (host stack -> OVS internal port -> OVS
 * datapath -> physical NIC) and RX (the reverse).
 */
#pragma once
#include "sysnet_stage_ids.h"
#include "netstage.h"

/* system_network_latency_summary and _details (stage ids: enum sysnet_latency_stage). */
extern const struct netstage_model sysnet_latency_model;
/* system_network_perfomance_metrics (stage ids: enum sysnet_metrics_stage). */
extern const struct netstage_model sysnet_metrics_model;
