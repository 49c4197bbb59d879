// SPDX-License-Identifier: GPL-2.0-only
#include "sysnet_stages.h"
#include "util.h"

#define TCP NS_PROTO_TCP
#define UDP NS_PROTO_UDP
#define ICMP NS_PROTO_ICMP
#define ALL (TCP | UDP | ICMP)

static const struct netstage_stage latency_stages[] = {
	{ SL_TX_IP, NS_TX, 0, "TX_S0_ip_layer_entry" },
	{ SL_TX_INTERNAL_XMIT, NS_TX, 1, "TX_S1_internal_dev_xmit" },
	{ SL_TX_DP_PROCESS, NS_TX, 2, "TX_S2_ovs_dp_process" },
	{ SL_TX_UPCALL, NS_TX, 3, "TX_S3_ovs_dp_upcall" },
	{ SL_TX_USERSPACE, NS_TX, 4, "TX_S4_ovs_flow_key_extract" },
	{ SL_TX_VPORT_SEND, NS_TX, 5, "TX_S5_ovs_vport_send" },
	{ SL_TX_DEV_QUEUE, NS_TX, 6, "TX_S6_dev_queue_xmit" },
	{ SL_TX_QDISC_DEQUEUE, NS_TX, 7, "TX_S7_qdisc_dequeue" },
	{ SL_TX_START_XMIT, NS_TX, 8, "TX_S8_dev_start_xmit" },
	{ SL_RX_NETIF_RECEIVE, NS_RX, 0, "RX_S0_netif_receive_skb" },
	{ SL_RX_FRAME_HOOK, NS_RX, 1, "RX_S1_netdev_frame_hook" },
	{ SL_RX_DP_PROCESS, NS_RX, 2, "RX_S2_ovs_dp_process" },
	{ SL_RX_UPCALL, NS_RX, 3, "RX_S3_ovs_dp_upcall" },
	{ SL_RX_USERSPACE, NS_RX, 4, "RX_S4_ovs_flow_key_extract" },
	{ SL_RX_VPORT_SEND, NS_RX, 5, "RX_S5_ovs_vport_send" },
	{ SL_RX_L4_RCV, NS_RX, 6, "RX_S6_tcp_v4_rcv/udp_rcv" },
};

static const struct netstage_hook_rule latency_rules[] = {
	{ NS_HOOK_IP_QUEUE_XMIT, SL_TX_IP, NS_DEV_ANY, NS_FIRST, TCP },
	{ NS_HOOK_IP_SEND_SKB, SL_TX_IP, NS_DEV_ANY, NS_FIRST, UDP },
	{ NS_HOOK_INTERNAL_DEV_XMIT, SL_TX_INTERNAL_XMIT, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_DP_PROCESS, SL_TX_DP_PROCESS, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_DP_UPCALL, SL_TX_UPCALL, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_KEY_USERSPACE, SL_TX_USERSPACE, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_VPORT_SEND, SL_TX_VPORT_SEND, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_DEV_QUEUE, SL_TX_DEV_QUEUE, NS_DEV_PHY, 0, TCP | UDP },
	{ NS_HOOK_QDISC_DEQUEUE, SL_TX_QDISC_DEQUEUE, NS_DEV_PHY, 0, TCP | UDP },
	{ NS_HOOK_DEV_START_XMIT, SL_TX_START_XMIT, NS_DEV_PHY, NS_LAST, TCP | UDP },
	{ NS_HOOK_NETIF_RECEIVE, SL_RX_NETIF_RECEIVE, NS_DEV_PHY, NS_FIRST, TCP | UDP },
	{ NS_HOOK_NETDEV_FRAME_HOOK, SL_RX_FRAME_HOOK, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_DP_PROCESS, SL_RX_DP_PROCESS, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_DP_UPCALL, SL_RX_UPCALL, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_KEY_USERSPACE, SL_RX_USERSPACE, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_OVS_VPORT_SEND, SL_RX_VPORT_SEND, NS_DEV_ANY, 0, TCP | UDP },
	{ NS_HOOK_TCP_V4_RCV, SL_RX_L4_RCV, NS_DEV_LOCAL, NS_LAST, TCP },
	{ NS_HOOK_UDP_RCV, SL_RX_L4_RCV, NS_DEV_LOCAL, NS_LAST, UDP },
};

const struct netstage_model sysnet_latency_model = {
	latency_stages,
	ARRAY_SIZE(latency_stages),
	latency_rules,
	ARRAY_SIZE(latency_rules),
};

static const struct netstage_stage metrics_stages[] = {
	{ SM_IP_QUEUE_XMIT, NS_TX, 0, "IP_QUEUE_XMIT" },
	{ SM_IP_SEND_SKB, NS_TX, 0, "IP_SEND_SKB" },
	{ SM_IP_OUTPUT, NS_TX, 1, "IP_OUTPUT" },
	{ SM_OVS_TX, NS_TX, 2, "OVS_TX" },
	{ SM_FLOW_EXTRACT_TX, NS_TX, 3, "FLOW_EXTRACT_TX" },
	{ SM_CT_TX, NS_TX, 4, "CT_TX" },
	{ SM_CT_OUT_TX, NS_TX, 5, "CT_OUT_TX" },
	{ SM_PHY_QDISC_ENQ, NS_TX, 6, "PHY_QDISC_ENQ" },
	{ SM_PHY_QDISC_DEQ, NS_TX, 7, "PHY_QDISC_DEQ" },
	{ SM_PHY_TX, NS_TX, 8, "PHY_TX" },
	{ SM_PHY_RX, NS_RX, 0, "PHY_RX" },
	{ SM_OVS_RX, NS_RX, 1, "OVS_RX" },
	{ SM_FLOW_EXTRACT_RX, NS_RX, 2, "FLOW_EXTRACT_RX" },
	{ SM_CT_RX, NS_RX, 3, "CT_RX" },
	{ SM_CT_OUT_RX, NS_RX, 4, "CT_OUT_RX" },
	{ SM_INTERNAL_DEV_RECV, NS_RX, 5, "INTERNAL_DEV_RECV" },
	{ SM_NETRX_END, NS_RX, 6, "NETRX_END" },
	{ SM_IP_RCV, NS_RX, 7, "IP_RCV" },
	{ SM_TCP_UDP_RCV, NS_RX, 8, "TCP_UDP_RCV" },
	{ SM_ICMP_RCV, NS_RX, 8, "ICMP_RCV" },
};

static const struct netstage_hook_rule metrics_rules[] = {
	{ NS_HOOK_IP_QUEUE_XMIT, SM_IP_QUEUE_XMIT, NS_DEV_ANY, NS_FIRST, TCP },
	{ NS_HOOK_IP_SEND_SKB, SM_IP_SEND_SKB, NS_DEV_ANY, NS_FIRST, UDP | ICMP },
	/* The original restarted every TX record here; a packet seen before keeps its record. */
	{ NS_HOOK_IP_OUTPUT, SM_IP_OUTPUT, NS_DEV_ANY, NS_FIRST_IF_NEW, ALL },
	{ NS_HOOK_OVS_VPORT_RECEIVE, SM_OVS_TX, NS_DEV_INTERNAL, 0, ALL },
	{ NS_HOOK_OVS_CT_FILL_KEY, SM_FLOW_EXTRACT_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_IN, SM_CT_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_DONE, SM_CT_OUT_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_DEV_QUEUE, SM_PHY_QDISC_ENQ, NS_DEV_PHY, 0, ALL },
	{ NS_HOOK_QDISC_DEQUEUE, SM_PHY_QDISC_DEQ, NS_DEV_PHY, 0, ALL },
	{ NS_HOOK_DEV_START_XMIT, SM_PHY_TX, NS_DEV_PHY, NS_LAST, ALL },
	{ NS_HOOK_NETIF_RECEIVE, SM_PHY_RX, NS_DEV_PHY, NS_FIRST, ALL },
	{ NS_HOOK_OVS_VPORT_RECEIVE, SM_OVS_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_CT_FILL_KEY, SM_FLOW_EXTRACT_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_IN, SM_CT_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_DONE, SM_CT_OUT_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_INTERNAL_DEV_RECV, SM_INTERNAL_DEV_RECV, NS_DEV_INTERNAL, 0, ALL },
	{ NS_HOOK_NETIF_RECEIVE, SM_NETRX_END, NS_DEV_INTERNAL, 0, ALL },
	{ NS_HOOK_IP_RCV, SM_IP_RCV, NS_DEV_LOCAL, 0, ALL },
	{ NS_HOOK_TCP_V4_RCV, SM_TCP_UDP_RCV, NS_DEV_LOCAL, NS_LAST, TCP },
	{ NS_HOOK_UDP_RCV, SM_TCP_UDP_RCV, NS_DEV_LOCAL, NS_LAST, UDP },
	{ NS_HOOK_ICMP_RCV, SM_ICMP_RCV, NS_DEV_LOCAL, NS_LAST, ICMP },
};

#define BIT(hook) (1ull << (hook))

const struct netstage_model sysnet_metrics_model = {
	metrics_stages,
	ARRAY_SIZE(metrics_stages),
	metrics_rules,
	ARRAY_SIZE(metrics_rules),
	/* As the original: stages whose functions this kernel lacks are dropped with a warning. */
	.optional = BIT(NS_HOOK_IP_SEND_SKB) | BIT(NS_HOOK_IP_OUTPUT) | BIT(NS_HOOK_OVS_CT_FILL_KEY) |
		    BIT(NS_HOOK_CT_IN) | BIT(NS_HOOK_CT_DONE) | BIT(NS_HOOK_QDISC_DEQUEUE),
};
