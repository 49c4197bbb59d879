// SPDX-License-Identifier: GPL-2.0-only
#include "vmnet_stages.h"
#include "filter.h"
#include "runtime.h"
#include "util.h"

#define ALL (NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP)

static const struct netstage_stage stages[] = {
	{ VS_VNET_RX, NS_TX, 0, "VNET_RX" },
	{ VS_OVS_RX, NS_TX, 1, "OVS_RX" },
	{ VS_FLOW_EXTRACT_END_RX, NS_TX, 2, "FLOW_EXTRACT_END_RX" },
	{ VS_OVS_UPCALL_RX, NS_TX, 3, "OVS_UPCALL_RX" },
	{ VS_OVS_USERSPACE_RX, NS_TX, 4, "OVS_USERSPACE_RX" },
	{ VS_CT_RX, NS_TX, 5, "CT_RX" },
	{ VS_CT_OUT_RX, NS_TX, 6, "CT_OUT_RX" },
	{ VS_QDISC_ENQ, NS_TX, 7, "QDISC_ENQ" },
	{ VS_QDISC_DEQ, NS_TX, 8, "QDISC_DEQ" },
	{ VS_TX_QUEUE, NS_TX, 9, "TX_QUEUE" },
	{ VS_TX_XMIT, NS_TX, 10, "TX_XMIT" },
	{ VS_PHY_RX, NS_RX, 0, "PHY_RX" },
	{ VS_OVS_TX, NS_RX, 1, "OVS_TX" },
	{ VS_FLOW_EXTRACT_END_TX, NS_RX, 2, "FLOW_EXTRACT_END_TX" },
	{ VS_OVS_UPCALL_TX, NS_RX, 3, "OVS_UPCALL_TX" },
	{ VS_OVS_USERSPACE_TX, NS_RX, 4, "OVS_USERSPACE_TX" },
	{ VS_CT_TX, NS_RX, 5, "CT_TX" },
	{ VS_CT_OUT_TX, NS_RX, 6, "CT_OUT_TX" },
	{ VS_VNET_QDISC_ENQ, NS_RX, 7, "VNET_QDISC_ENQ" },
	{ VS_VNET_QDISC_DEQ, NS_RX, 8, "VNET_QDISC_DEQ" },
	{ VS_VNET_TX, NS_RX, 9, "VNET_TX" },
};

/*
 * FLOW_EXTRACT_END is ovs_ct_fill_key (the end of ovs_flow_key_extract, where the original
 * took ovs_ct_update_key's call with post_ct false) and CT_OUT the return of nf_conntrack_in
 * (the original: ovs_ct_update_key with post_ct true). TX_XMIT is the per-packet hand-off to
 * the driver (net:net_dev_start_xmit), the point of the original's dev_queue_xmit_nit, which
 * runs only while a packet socket listens.
 */
static const struct netstage_hook_rule rules[] = {
	{ NS_HOOK_NETIF_RECEIVE, VS_VNET_RX, NS_DEV_VM, NS_FIRST, ALL },
	{ NS_HOOK_OVS_VPORT_RECEIVE, VS_OVS_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_CT_FILL_KEY, VS_FLOW_EXTRACT_END_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_UPCALL, VS_OVS_UPCALL_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_KEY_USERSPACE, VS_OVS_USERSPACE_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_IN, VS_CT_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_DONE, VS_CT_OUT_RX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_DEV_QUEUE, VS_QDISC_ENQ, NS_DEV_PHY, 0, ALL },
	{ NS_HOOK_QDISC_DEQUEUE, VS_QDISC_DEQ, NS_DEV_PHY, 0, ALL },
	{ VM_HOOK_HARD_START_XMIT, VS_TX_QUEUE, NS_DEV_PHY, 0, ALL },
	{ NS_HOOK_DEV_START_XMIT, VS_TX_XMIT, NS_DEV_PHY, NS_LAST, ALL },
	{ NS_HOOK_NETIF_RECEIVE, VS_PHY_RX, NS_DEV_PHY, NS_FIRST, ALL },
	{ NS_HOOK_OVS_VPORT_RECEIVE, VS_OVS_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_CT_FILL_KEY, VS_FLOW_EXTRACT_END_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_UPCALL, VS_OVS_UPCALL_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_KEY_USERSPACE, VS_OVS_USERSPACE_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_IN, VS_CT_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_CT_DONE, VS_CT_OUT_TX, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_DEV_QUEUE, VS_VNET_QDISC_ENQ, NS_DEV_VM, 0, ALL },
	{ NS_HOOK_QDISC_DEQUEUE, VS_VNET_QDISC_DEQ, NS_DEV_VM, 0, ALL },
	{ VM_HOOK_HARD_START_XMIT, VS_VNET_TX, NS_DEV_VM, NS_LAST, ALL },
};

/* Index of the model's own hook in its hooks table. */
#define OWN(hook) ((hook)-NS_HOOKS_COMMON)

static const struct hook_def own_hooks[] = {
	[OWN(VM_HOOK_HARD_START_XMIT)] = { NULL,
					   { HOOK_FUNC_ENTRY("vm_dev_hard_start_xmit",
							     "dev_hard_start_xmit") } },
	[OWN(VM_HOOK_TUN_NET_XMIT)] = { NULL, { HOOK_FUNC_ENTRY("vm_tun_net_xmit", "tun_net_xmit") }, "tun" },
};

const char *const vmnet_dir_choices[] = {
	[NETSTAGE_DIR_TX] = "tx",
	[NETSTAGE_DIR_RX] = "rx",
	NULL,
};

#define BIT(hook) (1ull << (hook))

const uint64_t vmnet_ct_hooks = BIT(NS_HOOK_CT_IN) | BIT(NS_HOOK_CT_DONE);

const struct netstage_model vmnet_model = {
	stages,
	ARRAY_SIZE(stages),
	rules,
	ARRAY_SIZE(rules),
	own_hooks,
	ARRAY_SIZE(own_hooks),
	/* Conntrack (a module the VM's flows may not use) and the stages a kernel may lack. */
	.optional = BIT(NS_HOOK_CT_IN) | BIT(NS_HOOK_CT_DONE) | BIT(NS_HOOK_OVS_CT_FILL_KEY) |
		    BIT(NS_HOOK_QDISC_DEQUEUE),
};

static const struct netstage_stage details_stages[] = {
	{ VD_RX_NETIF_RECEIVE, NS_TX, 0, "RX_S0_netif_receive_skb" },
	{ VD_RX_FRAME_HOOK, NS_TX, 1, "RX_S1_netdev_frame_hook" },
	{ VD_RX_DP_PROCESS, NS_TX, 2, "RX_S2_ovs_dp_process" },
	{ VD_RX_UPCALL, NS_TX, 3, "RX_S3_ovs_dp_upcall" },
	{ VD_RX_USERSPACE, NS_TX, 4, "RX_S4_ovs_flow_key_extract" },
	{ VD_RX_VPORT_SEND, NS_TX, 5, "RX_S5_ovs_vport_send" },
	{ VD_RX_DEV_QUEUE, NS_TX, 6, "RX_S6_dev_queue_xmit" },
	{ VD_TX_NETIF_RECEIVE, NS_RX, 0, "TX_S0_netif_receive_skb" },
	{ VD_TX_FRAME_HOOK, NS_RX, 1, "TX_S1_netdev_frame_hook" },
	{ VD_TX_DP_PROCESS, NS_RX, 2, "TX_S2_ovs_dp_process" },
	{ VD_TX_UPCALL, NS_RX, 3, "TX_S3_ovs_dp_upcall" },
	{ VD_TX_USERSPACE, NS_RX, 4, "TX_S4_ovs_flow_key_extract" },
	{ VD_TX_VPORT_SEND, NS_RX, 5, "TX_S5_ovs_vport_send" },
	{ VD_TX_TUN_NET_XMIT, NS_RX, 6, "TX_S6_tun_net_xmit" },
};

static const struct netstage_hook_rule details_rules[] = {
	{ NS_HOOK_NETIF_RECEIVE, VD_RX_NETIF_RECEIVE, NS_DEV_VM, NS_FIRST, ALL },
	{ NS_HOOK_NETDEV_FRAME_HOOK, VD_RX_FRAME_HOOK, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_PROCESS, VD_RX_DP_PROCESS, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_UPCALL, VD_RX_UPCALL, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_KEY_USERSPACE, VD_RX_USERSPACE, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_VPORT_SEND, VD_RX_VPORT_SEND, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_DEV_QUEUE, VD_RX_DEV_QUEUE, NS_DEV_PHY, NS_LAST, ALL },
	{ NS_HOOK_NETIF_RECEIVE, VD_TX_NETIF_RECEIVE, NS_DEV_PHY, NS_FIRST, ALL },
	{ NS_HOOK_NETDEV_FRAME_HOOK, VD_TX_FRAME_HOOK, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_PROCESS, VD_TX_DP_PROCESS, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_DP_UPCALL, VD_TX_UPCALL, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_KEY_USERSPACE, VD_TX_USERSPACE, NS_DEV_ANY, 0, ALL },
	{ NS_HOOK_OVS_VPORT_SEND, VD_TX_VPORT_SEND, NS_DEV_ANY, 0, ALL },
	{ VM_HOOK_TUN_NET_XMIT, VD_TX_TUN_NET_XMIT, NS_DEV_VM, NS_LAST, ALL },
};

const struct netstage_model vmnet_details_model = {
	details_stages, ARRAY_SIZE(details_stages), details_rules, ARRAY_SIZE(details_rules),
	own_hooks,      ARRAY_SIZE(own_hooks),
};

void vmnet_configure(struct netstage_config *cfg, struct netstage_model *model, const struct vmnet_opts *o,
		     const char *tool)
{
	unsigned protocols, dirs;

	protocols = netstage_opts_apply(cfg, &o->net, NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP, &dirs);
	/* The original set both addresses to the VM's, which nothing matches: either one is meant. */
	if (o->vm_ip)
		cfg->filter = pkt_filter_ipv4(o->vm_ip, 0, o->net.src_port, o->net.dst_port, 0,
					      NS_FILTER_FLAGS | PKT_F_EITHER_ADDR);
	*model = vmnet_model;
	if (o->enable_ct)
		model->optional &= ~vmnet_ct_hooks;
	tool_init(tool);
	iface_set_add(&cfg->vm, o->vm_interface);
	netstage_opts_resolve(cfg, &o->net);
	netstage_rules_build(cfg, model, dirs, protocols);
}
