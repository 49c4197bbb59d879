// SPDX-License-Identifier: GPL-2.0-only
/* trace_vlanvm_udp_workload: offload, GSO and feature state of skbs along the VM transmit path. */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "hook.h"
#include "ksyms.h"
#include "runtime.h"
#include "skb_snapshot.h"
#include "trace_vlanvm_udp_workload.h"
#include "trace_vlanvm_udp_workload.skel.h"
#include "util.h"

#define DEFAULT_DEVICES "em3,port-vpc,tep,vnet0,vnet1,genev_sys_6081,vpcbr,ovsbr-0yjfwa39i"

static struct {
	const char *devices;
	const char *phy;
	const char *ip_fragment;
	double duration;
} opt = { .devices = DEFAULT_DEVICES, .phy = "em3" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.devices,
		"comma-separated devices whose skbs are shown, at most 8 (default: " DEFAULT_DEVICES
		", the script's)",
		.metavar = "NAME[,NAME...]"),
	OPT_IFNAME("phy-interface", 0, &opt.phy,
		   "the physical NIC: its skbs at mlx5e_xmit/internal_dev_xmit make the \"mlx5e transmit\" "
		   "block, the other devices' the \"internal port\" block (default: em3)",
		   .metavar = "NAME"),
	OPT_STR("ip-fragment-symbol", 0, &opt.ip_fragment,
		"the kernel symbol of ip_fragment to probe (default: ip_fragment or its GCC clone, found in "
		"kallsyms; the script named ip_fragment.constprop.0)",
		.metavar = "SYMBOL"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_vlanvm_udp_workload",
	.description = "Trace the offload, GSO and device-feature state of skbs on the listed devices "
		       "along the VM UDP/TCP transmit path (tunnel offloads, GSO segmentation, IP output "
		       "and fragmentation, ICMP errors, driver transmit, validate_xmit_skb), with kernel "
		       "stacks, like the bpftrace script",
	.epilog = "examples:\n"
		  "  trace_vlanvm_udp_workload                                  # the script's devices\n"
		  "  trace_vlanvm_udp_workload --device eth0,eth0.100,vnet3 --phy-interface eth0\n"
		  "  trace_vlanvm_udp_workload --device vnet3 -d 10              # one VM port, 10 seconds",
	.opts = options,
};

/* fentry or kprobe on the function, else a kprobe on a GCC clone of it (no BTF: no fentry). */
#define KPROBE(prog, func)                                                                                   \
	HOOK_FUNC_ENTRY(prog, func),                                                                         \
	{                                                                                                    \
		HOOK_KPROBE, prog, func, .clones = KSYM_CLONES_ANY                                           \
	}
/* A kprobe only: more than 6 arguments, which x86 trampolines before 6.6 cannot carry. */
// clang-format off
#define KPROBE_ONLY(prog, func) { HOOK_KPROBE, prog, func }, { HOOK_KPROBE, prog, func, .clones = KSYM_CLONES_ANY }
// clang-format on

static struct hook_def hook_defs[VLANVM_PROBES] = {
	[VLANVM_HANDLE_OFFLOADS] = { "tunnel offload setup",
				     { KPROBE("vv_handle_offloads", "iptunnel_handle_offloads") },
				     .optional = true },
	[VLANVM_IPTUNNEL_XMIT] = { "tunnel transmit",
				   { KPROBE_ONLY("vv_iptunnel_xmit", "iptunnel_xmit") },
				   .optional = true },
	[VLANVM_UDP_TUNNEL_XMIT] = { "UDP tunnel transmit",
				     { KPROBE_ONLY("vv_udp_tunnel_xmit", "udp_tunnel_xmit_skb") },
				     .module = "udp_tunnel",
				     .optional = true },
	[VLANVM_MAC_GSO_SEGMENT] = { "GSO by protocol",
				     { KPROBE("vv_mac_gso_segment", "skb_mac_gso_segment") },
				     .optional = true },
	[VLANVM_TCP_GSO_SEGMENT] = { "TCP segmentation",
				     { KPROBE("vv_tcp_gso_segment", "tcp_gso_segment") },
				     .optional = true },
	[VLANVM_SKB_GSO_SEGMENT] = { "GSO",
				     { KPROBE("vv_skb_gso_segment", "__skb_gso_segment") },
				     .optional = true },
	[VLANVM_UDP_GSO_SEGMENT] = { "UDP segmentation",
				     { KPROBE("vv_udp_gso_segment", "__udp_gso_segment") },
				     .optional = true },
	[VLANVM_SEGMENT_LIST] = { "fraglist segmentation",
				  { KPROBE("vv_segment_list", "skb_segment_list") },
				  .optional = true },
	[VLANVM_SEGMENT] = { "segmentation", { KPROBE("vv_segment", "skb_segment") }, .optional = true },
	[VLANVM_IP_FINISH_OUTPUT] = { "IP output",
				      { KPROBE("vv_ip_finish_output", "__ip_finish_output") },
				      .optional = true },
	[VLANVM_IP_FINISH_OUTPUT_GSO] = { "IP output of GSO packets",
					  { KPROBE("vv_ip_finish_output_gso", "ip_finish_output_gso") },
					  .optional = true },
	[VLANVM_ICMP_SEND] = { "ICMP errors", { KPROBE("vv_icmp_send", "__icmp_send") }, .optional = true },
	[VLANVM_IP_FRAGMENT] = { "IP fragmentation",
				 { KPROBE("vv_ip_fragment", "ip_fragment") },
				 .optional = true },
	[VLANVM_MLX5E_XMIT] = { "mlx5 NIC transmit",
				{ KPROBE("vv_mlx5e_xmit", "mlx5e_xmit") },
				.module = "mlx5_core",
				.optional = true },
	[VLANVM_INTERNAL_DEV_XMIT] = { "OVS internal port transmit",
				       { KPROBE("vv_internal_dev_xmit", "internal_dev_xmit") },
				       .module = "openvswitch",
				       .optional = true },
	[VLANVM_VALIDATE_XMIT] = { "device checks before transmit",
				   { KPROBE("vv_validate_xmit", "validate_xmit_skb") },
				   .optional = true },
	[VLANVM_NETIF_SKB_FEATURES] = { "device features of a packet",
					{ KPROBE("vv_netif_skb_features", "netif_skb_features") },
					.optional = true },
};
const struct hook_table vlanvm_hook_table = { hook_defs, VLANVM_PROBES };

/* How a probe's block is laid out (the script has three shapes). */
enum block_shape {
	SHAPE_TUNNEL, /* SKB line, header and MAC lines, "kstack: " */
	SHAPE_GSO, /* netdev_feature, SKB line, then a command block per protocol */
	SHAPE_SEGMENT, /* SKB line, header and MAC lines, "netdev name:" and the stack */
};

struct probe_layout {
	enum block_shape shape;
	const char *banner; /* first line, NULL: none */
	const char *skb_label; /* "skb_dev_name" (SKB-A) or "dev_name" (SKB-B) */
	bool hw; /* the hardware features line */
	const char *end; /* the closing text (SHAPE_GSO: the tag of "end <tag> UDP ######### ") */
	const char *gso_end; /* SHAPE_GSO: the last line */
	int empty_lines; /* after the closing line */
};

static const struct probe_layout layouts[VLANVM_PROBES] = {
	[VLANVM_HANDLE_OFFLOADS] = { SHAPE_TUNNEL, "ip tunnel handle offloads probe", "skb_dev_name", true,
				     "####### end ip tunnel handle offload  probe", NULL, 4 },
	[VLANVM_IPTUNNEL_XMIT] = { SHAPE_TUNNEL, "ip tunnel xmit probe", "dev_name", true,
				   "####### end ip tunnel transmit probe", NULL, 4 },
	[VLANVM_UDP_TUNNEL_XMIT] = { SHAPE_TUNNEL, "udp tunnel xmit skb probe", "skb_dev_name", false,
				     "####### end udp tunnel transmit skb probe", NULL, 4 },
	[VLANVM_MAC_GSO_SEGMENT] = { SHAPE_GSO, "skb mac gso segemtation probe", "skb_dev_name", true,
				     "mac_gso", "end mac_gso ######### ", 3 },
	[VLANVM_TCP_GSO_SEGMENT] = { SHAPE_GSO, "tcp gso segemtation probe", "skb_dev_name", true, "tcp_gso",
				     "end tcp gso ######### ", 3 },
	[VLANVM_SKB_GSO_SEGMENT] = { SHAPE_GSO, "skb gso segemtation probe", "skb_dev_name", true, "skb_gso",
				     "end skb_gso ######### ", 3 },
	[VLANVM_UDP_GSO_SEGMENT] = { SHAPE_SEGMENT, "__udp_gso_segemt probe", "dev_name", true,
				     "end _udp_gso_segemt probe", NULL, 3 },
	[VLANVM_SEGMENT_LIST] = { SHAPE_SEGMENT, "skb_segemt_list probe", "dev_name", true,
				  "end skb_segemt_list probe", NULL, 3 },
	[VLANVM_SEGMENT] = { SHAPE_SEGMENT, "skb segemt probe", "dev_name", true, "end skb segemt probe",
			     NULL, 3 },
	[VLANVM_IP_FINISH_OUTPUT] = { SHAPE_SEGMENT, "ip finish output probe", "dev_name", true,
				      "end ip finish output probe", NULL, 3 },
	[VLANVM_IP_FINISH_OUTPUT_GSO] = { SHAPE_SEGMENT, "ip finish output gso probe", "dev_name", true,
					  "end ip finish output gso probe", NULL, 3 },
	[VLANVM_ICMP_SEND] = { SHAPE_SEGMENT, "icmp send probe", "dev_name", true, "end icmp send probe",
			       NULL, 3 },
	[VLANVM_IP_FRAGMENT] = { SHAPE_SEGMENT, "ip fragment probe", "dev_name", true,
				 "end ip fragment probe", NULL, 3 },
	[VLANVM_VALIDATE_XMIT] = { SHAPE_SEGMENT, "validate transmit skb probe", "dev_name", true,
				   "end validate transmit skb probe", NULL, 4 },
	[VLANVM_NETIF_SKB_FEATURES] = { SHAPE_SEGMENT, "netif skb features probe", "dev_name", true,
					"end netif skb feature probe", NULL, 4 },
};

/* The driver-transmit probes' two blocks. */
static const struct probe_layout phy_layout = {
	SHAPE_SEGMENT, "mlx5e transmit probe", "dev_name", true, "end mlx5e port transmit probe", NULL, 3
};
static const struct probe_layout internal_layout = {
	SHAPE_SEGMENT, NULL, "dev_name", true, "end internal port transmit probe", NULL, 3
};

static void print_empty_lines(FILE *f, int n)
{
	for (int i = 0; i < n; i++)
		fputc('\n', f);
}

/* "####### <label>: <flow>" (UDP and TCP alike: the TCP ports are read, see the page) and the MACs. */
static void print_headers(FILE *f, const char *label, const struct skb_snapshot *s)
{
	char flow[64];

	fprintf(f, "####### %s: %s\n", label, skb_snap_flow(s, true, flow, sizeof(flow)));
	skb_snap_print_macs(f, "####### ", s);
	skb_snap_print_vlan(f, s);
}

static void print_block(FILE *f, const struct probe_layout *l, const struct skb_probe_view *v)
{
	const struct skb_snapshot *s = &v->ev->skb;
	bool udp = s->ip_protocol == 17, tcp = s->ip_protocol == 6;

	if (l->banner)
		fprintf(f, "%s\n", l->banner);
	if (v->ev->probe == VLANVM_HANDLE_OFFLOADS)
		fprintf(f, "####### gso type mask: %llx\n", (unsigned long long)v->ev->arg);
	if (l->shape == SHAPE_GSO)
		fprintf(f, "####### netdev_feature: %llx\n, ", (unsigned long long)v->ev->arg);
	skb_snap_print_info(f, l->skb_label, false, s, v->func);
	if (l->hw)
		skb_snap_print_hw(f, "skb_dev", s);
	if (l->shape == SHAPE_GSO) {
		if (udp || tcp) {
			fprintf(f, "********* command: %s, func: %s\n", v->ev->comm, v->func);
			print_headers(f, udp ? "header info" : "header info data", s);
			fputs("kstack: ", f);
			bt_print_kstack(f, v->frames, v->nframes);
			fprintf(f, "end %s %s ######### \n", l->end, udp ? "UDP" : "TCP");
		}
		fprintf(f, "%s\n", l->gso_end);
		print_empty_lines(f, l->empty_lines);
		return;
	}
	if (l->shape == SHAPE_TUNNEL) {
		if (udp || tcp)
			print_headers(f, "header info data", s);
		fputs("kstack: ", f);
	} else {
		if (udp || tcp)
			print_headers(f, udp ? "udp header info" : "tcp header info data", s);
		fprintf(f, "netdev name: %s\n, kstack: ", s->dev);
	}
	bt_print_kstack(f, v->frames, v->nframes);
	fprintf(f, "%s\n", l->end);
	print_empty_lines(f, l->empty_lines);
}

void vlanvm_print_event(FILE *f, const struct skb_probe_view *v)
{
	__u8 probe = v->ev->probe;

	if (probe == VLANVM_MLX5E_XMIT || probe == VLANVM_INTERNAL_DEV_XMIT) {
		if (v->ev->flags & VLANVM_EV_PHY)
			print_block(f, &phy_layout, v);
		if (v->ev->flags & VLANVM_EV_INTERNAL)
			print_block(f, &internal_layout, v);
	} else if (probe < VLANVM_PROBES) {
		print_block(f, &layouts[probe], v);
	}
}

static void build_config(struct vlanvm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	dev_name_set_parse(&cfg->devices, opt.devices, &opt.devices);
	dev_name_set_parse(&cfg->phy, opt.phy, &opt.phy);
	for (unsigned i = 0; i < cfg->devices.count; i++) {
		const char *name = dev_name_set_name(&cfg->devices, i);

		if (strcmp(name, opt.phy))
			memcpy(cfg->internal.name[cfg->internal.count++], name, strlen(name));
	}
	if (opt.ip_fragment) {
		if (!*opt.ip_fragment)
			arg_fail_opt(&opt.ip_fragment, "empty symbol");
		hook_defs[VLANVM_IP_FRAGMENT].cand[0].target = opt.ip_fragment;
		hook_defs[VLANVM_IP_FRAGMENT].cand[1] = (struct hook_candidate){ 0 };
	}
}

int main(int argc, char **argv)
{
	struct trace_vlanvm_udp_workload_bpf *skel;
	struct vlanvm_config cfg;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("trace_vlanvm_udp_workload");
	hook_set_init(&hooks, vlanvm_hook_table.defs, vlanvm_hook_table.n, 0);
	require_function_hooks("its probe points are kernel functions without tracepoints");

	skel = BPFNET_OPEN(trace_vlanvm_udp_workload_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	skb_tracer_run(&hooks, skel->maps.events, skel->maps.events_lost, skel->maps.stacks,
		       vlanvm_print_event, opt.duration);
	trace_vlanvm_udp_workload_bpf__destroy(skel);
	return 0;
}
