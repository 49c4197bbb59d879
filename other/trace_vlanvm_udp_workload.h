/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_vlanvm_udp_workload: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_snapshot.h"

/* Probe ids: the index of each hook in the hook table, in the script's order. */
enum vlanvm_probe {
	VLANVM_HANDLE_OFFLOADS,
	VLANVM_IPTUNNEL_XMIT,
	VLANVM_UDP_TUNNEL_XMIT,
	VLANVM_MAC_GSO_SEGMENT,
	VLANVM_TCP_GSO_SEGMENT,
	VLANVM_SKB_GSO_SEGMENT,
	VLANVM_UDP_GSO_SEGMENT,
	VLANVM_SEGMENT_LIST,
	VLANVM_SEGMENT,
	VLANVM_IP_FINISH_OUTPUT,
	VLANVM_IP_FINISH_OUTPUT_GSO,
	VLANVM_ICMP_SEND,
	VLANVM_IP_FRAGMENT,
	VLANVM_MLX5E_XMIT,
	VLANVM_INTERNAL_DEV_XMIT,
	VLANVM_VALIDATE_XMIT,
	VLANVM_NETIF_SKB_FEATURES,
	VLANVM_PROBES,
};

/* Flags of a driver-transmit hit (mlx5e_xmit, internal_dev_xmit), beside SKB_EV_MATCH. */
#define VLANVM_EV_PHY 0x10 /* the device is the physical NIC: the "mlx5e transmit" block */
#define VLANVM_EV_INTERNAL 0x20 /* the device is another listed one: the "internal port" block */

struct vlanvm_config {
	struct dev_name_set devices; /* --device */
	struct dev_name_set phy; /* --phy-interface (one name) */
	struct dev_name_set internal; /* --device without --phy-interface; empty: none */
};

#ifndef __bpf__
#include <stdio.h>

struct skb_probe_view;
/* Prints one probe hit in the original's layout. */
void vlanvm_print_event(FILE *f, const struct skb_probe_view *v);
extern const struct hook_table vlanvm_hook_table;
#endif
