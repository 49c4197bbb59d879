/* SPDX-License-Identifier: GPL-2.0-only */
/* Stage ids of the system-network tools' path models (sysnet_stages.h), for BPF and user space. */
#pragma once

/* system_network_latency_summary and _details: the originals' 14 stages plus the NIC qdisc. */
enum sysnet_latency_stage {
	SL_TX_IP = 0,
	SL_TX_INTERNAL_XMIT,
	SL_TX_DP_PROCESS,
	SL_TX_UPCALL,
	SL_TX_USERSPACE,
	SL_TX_VPORT_SEND,
	SL_TX_DEV_QUEUE,
	SL_RX_NETIF_RECEIVE = 7,
	SL_RX_FRAME_HOOK,
	SL_RX_DP_PROCESS,
	SL_RX_UPCALL,
	SL_RX_USERSPACE,
	SL_RX_VPORT_SEND,
	SL_RX_L4_RCV,
	SL_TX_QDISC_DEQUEUE = 14,
	SL_TX_START_XMIT,
	SL_STAGES,
};

/* system_network_perfomance_metrics: stage records of the FLOW COMPLETE report. */
enum sysnet_metrics_stage {
	SM_IP_QUEUE_XMIT,
	SM_IP_SEND_SKB,
	SM_IP_OUTPUT,
	SM_OVS_TX,
	SM_FLOW_EXTRACT_TX,
	SM_CT_TX,
	SM_CT_OUT_TX,
	SM_PHY_QDISC_ENQ,
	SM_PHY_QDISC_DEQ,
	SM_PHY_TX,
	SM_PHY_RX,
	SM_OVS_RX,
	SM_FLOW_EXTRACT_RX,
	SM_CT_RX,
	SM_CT_OUT_RX,
	SM_INTERNAL_DEV_RECV,
	SM_NETRX_END,
	SM_IP_RCV,
	SM_TCP_UDP_RCV,
	SM_ICMP_RCV,
	SM_STAGES,
};
