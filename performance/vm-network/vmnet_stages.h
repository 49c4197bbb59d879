/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The stage model of the vm-network tools: which kernel hook is which stage of a VM's packet,
 * VM TX (the VM's tap -> OVS datapath -> physical NIC) and VM RX (the reverse, to the tap).
 */
#pragma once
#include "netstage.h"
#include "vmnet_stage_ids.h"

/* The summary's and the metrics' stages (enum vmnet_stage); NS_TX is VM TX, NS_RX is VM RX. */
extern const struct netstage_model vmnet_model;
/* The details' stages (enum vmnet_details_stage). */
extern const struct netstage_model vmnet_details_model;
/* --direction of the vm tools: tx (VM TX), rx (VM RX), as enum netstage_direction. */
extern const char *const vmnet_dir_choices[];
/* Bits of vmnet_model.optional that --enable-ct makes mandatory: the conntrack stages. */
extern const uint64_t vmnet_ct_hooks;
