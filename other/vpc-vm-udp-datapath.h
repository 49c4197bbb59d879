/* SPDX-License-Identifier: GPL-2.0-only */
/* vpc-vm-udp-datapath: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_snapshot.h"

/* Probe ids: the index of each hook in the hook table, in the script's order. */
enum vpc_probe {
	VPC_HANDLE_OFFLOADS,
	VPC_UDP_TUNNEL_XMIT,
	VPC_UDP_GSO_SEGMENT,
	VPC_SKB_GSO_SEGMENT,
	VPC_SEGMENT,
	VPC_MLX5E_XMIT,
	VPC_VALIDATE_XMIT,
	VPC_NETIF_SKB_FEATURES,
	VPC_PROBES,
};

struct vpc_config {
	struct dev_name_set devices; /* --device: segmentation probes, netif_skb_features */
	struct dev_name_set validate; /* --device, --phy-interface and --bridge: validate_xmit_skb */
	struct dev_name_set phy; /* --phy-interface: mlx5e_xmit */
	struct dev_name_set tunnel; /* the two tunnel probes; empty: every device, as the script */
	__u16 dst_port; /* --dst-port: the tunnel's UDP port at mlx5e_xmit */
	__u16 pad[3];
};

#ifndef __bpf__
#include <stdio.h>

struct skb_probe_view;
/* Prints one probe hit in the original's layout. */
void vpc_print_event(FILE *f, const struct skb_probe_view *v);
/*
 * Fills cfg from the options (their destinations: the texts of --device, --phy-interface and
 * --bridge); a bad name, or more than 8 devices in a set, is a usage error of the option.
 */
void vpc_build_config(struct vpc_config *cfg, const char *const *devices, const char *const *phy,
		      const char *const *bridge, __u16 dst_port, bool tunnel_filter);
extern const struct hook_table vpc_hook_table;
#endif
