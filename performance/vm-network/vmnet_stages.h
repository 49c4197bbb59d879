/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The stage model of the vm-network tools: which kernel hook is which stage of a VM's packet,
 * VM TX (the VM's tap -> OVS datapath -> physical NIC) and VM RX (the reverse, to the tap).
 */
#pragma once
#include "netstage.h"
#include "vmnet_stage_ids.h"

/* Stage ids: enum vmnet_stage; NS_TX is VM TX, NS_RX is VM RX. */
extern const struct netstage_model vmnet_model;
/* Bits of vmnet_model.optional that --enable-ct makes mandatory: the conntrack stages. */
extern const uint64_t vmnet_ct_hooks;
