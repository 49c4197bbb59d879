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

/* The options vm_network_latency_summary and vm_network_performance_metrics share. */
struct vmnet_opts {
	const char *vm_interface;
	uint32_t vm_ip;
	bool enable_ct;
	struct netstage_opts net;
};

/* The VM, its physical NIC and the filters: the first options of both tools. */
#define VMNET_TARGET_OPTIONS(o)                                                                              \
	OPT_IFNAME("vm-interface", 0, &(o).vm_interface,                                                     \
		   "the VM's tap/vnet interface on this host (e.g. vnet37)", .flags = ARG_REQUIRED),         \
		OPT_STR("phy-interface", 0, &(o).net.phy_interface,                                          \
			"physical interface(s), comma-separated for bond members (e.g. eth0 or eth0,eth1)",  \
			.flags = ARG_REQUIRED),                                                              \
		OPT_IPV4("vm-ip", 0, &(o).vm_ip,                                                             \
			 "the VM's IP address: packets from or to it (replaces --src-ip and --dst-ip)"),     \
		NETSTAGE_FILTER_OPTIONS((o).net),                                                            \
		OPT_PROTO("protocol", 0, &(o).net.protocol, "protocol filter",                               \
			  .choices = netstage_proto_icmp_choices)

#define VMNET_CT_OPTION(o)                                                                                   \
	OPT_FLAG("enable-ct", 0, &(o).enable_ct,                                                             \
		 "require the conntrack stages (nf_conntrack loaded); without it they are measured when "    \
		 "available")

/*
 * From the parsed options, starts the tool (tool_init) and fills cfg (filters, --vm-ip as
 * either address, the VM's and the physical interfaces, the rules of the direction) and model
 * (vmnet_model, the conntrack stages mandatory with --enable-ct).
 */
void vmnet_configure(struct netstage_config *cfg, struct netstage_model *model, const struct vmnet_opts *o,
		     const char *tool);
