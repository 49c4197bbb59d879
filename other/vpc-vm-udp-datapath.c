// SPDX-License-Identifier: GPL-2.0-only
/* vpc-vm-udp-datapath: offload, GSO and feature state of a VM's UDP traffic on a VPC (Geneve) host. */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "hook.h"
#include "ksyms.h"
#include "runtime.h"
#include "skb_snapshot.h"
#include "vpc-vm-udp-datapath.h"
#include "vpc-vm-udp-datapath.skel.h"

#define DEFAULT_DEVICES "port-vpc,vnet138,genev_sys_6081"

static struct {
	const char *devices;
	const char *phy;
	const char *bridge;
	uint16_t dst_port;
	bool tunnel_filter;
	double duration;
} opt = { .devices = DEFAULT_DEVICES, .phy = "enp94s0f0np0", .bridge = "vpcbr", .dst_port = 6081 };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.devices,
		"comma-separated VPC devices whose skbs are shown at the segmentation probes, "
		"validate_xmit_skb and netif_skb_features, at most 8 (default: " DEFAULT_DEVICES
		", the script's)",
		.metavar = "NAME[,NAME...]"),
	OPT_IFNAME("phy-interface", 0, &opt.phy,
		   "the physical NIC: its Geneve packets at mlx5e_xmit, its skbs at validate_xmit_skb "
		   "(default: enp94s0f0np0)",
		   .metavar = "NAME"),
	OPT_IFNAME("bridge", 0, &opt.bridge,
		   "the VPC bridge, shown at validate_xmit_skb too (default: vpcbr)", .metavar = "NAME"),
	OPT_PORT("dst-port", 0, &opt.dst_port,
		 "UDP destination port of the tunnel packets shown at mlx5e_xmit (default: 6081, Geneve)",
		 .metavar = "PORT"),
	OPT_FLAG("tunnel-device-filter", 0, &opt.tunnel_filter,
		 "show iptunnel_handle_offloads and udp_tunnel_xmit_skb only for skbs on --device (the "
		 "script showed every call)"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vpc-vm-udp-datapath",
	.description = "Trace how a VM's UDP traffic on a VPC host (OVS, Geneve overlay, mlx5 NIC) is "
		       "encapsulated, segmented, checked for the device and handed to the NIC: GSO, "
		       "checksum and fragment state, device features, addresses and kernel stacks at "
		       "eight kernel functions, like the bpftrace script",
	.epilog = "examples:\n"
		  "  vpc-vm-udp-datapath                           # the script's devices\n"
		  "  vpc-vm-udp-datapath --device vnet3,genev_sys_6081 --phy-interface eth0 --bridge br-int\n"
		  "  vpc-vm-udp-datapath --device vnet3 --tunnel-device-filter -d 10",
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

static const struct hook_def hook_defs[VPC_PROBES] = {
	[VPC_HANDLE_OFFLOADS] = { "tunnel offload setup",
				  { KPROBE("vpc_handle_offloads", "iptunnel_handle_offloads") },
				  .optional = true },
	[VPC_UDP_TUNNEL_XMIT] = { "UDP tunnel transmit",
				  { KPROBE_ONLY("vpc_udp_tunnel_xmit", "udp_tunnel_xmit_skb") },
				  .module = "udp_tunnel",
				  .optional = true },
	[VPC_UDP_GSO_SEGMENT] = { "UDP segmentation",
				  { KPROBE("vpc_udp_gso_segment", "__udp_gso_segment") },
				  .optional = true },
	[VPC_SKB_GSO_SEGMENT] = { "GSO",
				  { KPROBE("vpc_skb_gso_segment", "__skb_gso_segment") },
				  .optional = true },
	[VPC_SEGMENT] = { "segmentation", { KPROBE("vpc_segment", "skb_segment") }, .optional = true },
	[VPC_MLX5E_XMIT] = { "mlx5 NIC transmit",
			     { KPROBE("vpc_mlx5e_xmit", "mlx5e_xmit") },
			     .module = "mlx5_core",
			     .optional = true },
	[VPC_VALIDATE_XMIT] = { "device checks before transmit",
				{ KPROBE("vpc_validate_xmit", "validate_xmit_skb") },
				.optional = true },
	[VPC_NETIF_SKB_FEATURES] = { "device features of a packet",
				     { KPROBE("vpc_netif_skb_features", "netif_skb_features") },
				     .optional = true },
};
const struct hook_table vpc_hook_table = { hook_defs, VPC_PROBES };

static void print_empty_lines(FILE *f, int n)
{
	for (int i = 0; i < n; i++)
		fputc('\n', f);
}

static void print_stack(FILE *f, const struct skb_probe_view *v)
{
	fprintf(f, "netdev name: %s\n, kstack: ", v->ev->skb.dev);
	bt_print_kstack(f, v->frames, v->nframes);
}

/* The GSO fields of the tunnel probes' one line. */
static void print_tunnel(FILE *f, const char *banner, const char *what, const struct skb_probe_view *v)
{
	const struct skb_snapshot *s = &v->ev->skb;

	fprintf(f, "%s\n", banner);
	if (v->ev->probe == VPC_HANDLE_OFFLOADS)
		fprintf(f, "gso type mask: %llx\n", (unsigned long long)v->ev->arg);
	fprintf(f, "####### %s, dev_name: %s, skb gso_type: %x, gso_size: %u, gso_segs: %u\n", what, s->dev,
		s->gso_type, s->gso_size, s->gso_segs);
	print_empty_lines(f, 4);
}

/* The frag_list, frag_max_size, skb info and features lines; hw_label: "skb_dev" or "dev". */
static void print_skb_lines(FILE *f, const char *hw_label, const struct skb_probe_view *v)
{
	const struct skb_snapshot *s = &v->ev->skb;

	fprintf(f, "####### frag_list: %lld,  ip_summed: %x\n", (long long)s->frag_list, s->ip_summed);
	fprintf(f, "####### skb cb frag_max_size: %d\n", s->frag_max_size);
	skb_snap_print_info(f, "dev_name", true, s, v->func);
	skb_snap_print_hw(f, hw_label, s);
}

/* The header line (UDP, or TCP with its real ports) and the MACs; nothing for other protocols. */
static void print_headers(FILE *f, const struct skb_snapshot *s)
{
	char flow[64];

	if (s->ip_protocol != 17 && s->ip_protocol != 6)
		return;
	fprintf(f, "####### %s: %s\n", s->ip_protocol == 17 ? "udp header info" : "tcp header info data",
		skb_snap_flow(s, true, flow, sizeof(flow)));
	skb_snap_print_macs(f, "####### ", s);
}

/* "netdev_feature: ..., nr_frags: ..." of skb_segment and mlx5e_xmit. */
static void print_segment_line(FILE *f, __u64 features, const struct skb_snapshot *s)
{
	fprintf(f, "netdev_feature: %llx, nr_frags: %u, gso_type: %x, gso_size: %u\n",
		(unsigned long long)features, s->nr_frags, s->gso_type, s->gso_size);
}

static void print_skb_gso_segment(FILE *f, const struct skb_probe_view *v)
{
	const struct skb_snapshot *s = &v->ev->skb;
	bool udp = s->ip_protocol == 17, tcp = s->ip_protocol == 6;
	char flow[64];

	fprintf(f, "__skb_gso_segemt probe\nnetdev_feature: %llx\n", (unsigned long long)v->ev->arg);
	fprintf(f,
		", ####### dev_name: %-4s\t, skb_len: %u,\t network_header: %u,\t transport_header: %u,\t "
		"encap: %-3u,\t inner_network_header: %u,\t inner_transport_header: %u,\t | gso_size: "
		"%-4u,\t "
		"gso_segs: %-4u,\t gso_type: 0x%02x,\t func: %s\n",
		s->dev, s->len, s->network_header, s->transport_header, s->encapsulation,
		s->inner_network_header, s->inner_transport_header, s->gso_size, s->gso_segs, s->gso_type,
		v->func);
	if (udp || tcp) {
		fprintf(f, "********* command: %s, func: %s\n", v->ev->comm, v->func);
		fprintf(f, "pkt_type:%d, ifindex: %d, dev_name: %s \n ", s->pkt_type, s->ifindex, s->dev);
		if (udp) {
			fputs("kstack: ", f);
			bt_print_kstack(f, v->frames, v->nframes);
		}
		fprintf(f, "geneve tunnel encaped data: %s\n", skb_snap_flow(s, true, flow, sizeof(flow)));
		fprintf(f, "inner_protocol_type: %u,\t inner_protocol: 0x%02x\n, encapsulation: %d\n",
			s->inner_protocol_type, s->inner_protocol, s->encapsulation);
		skb_snap_print_macs(f, "", s);
		fprintf(f, "nr_frags: %u, gso_type: %x, gso_size: %u\n", s->nr_frags, s->gso_type,
			s->gso_size);
		fprintf(f, "skb Dev features: %llx\n", (unsigned long long)s->features);
		if (tcp) {
			fputs("kstack: ", f);
			bt_print_kstack(f, v->frames, v->nframes);
			fprintf(f, "end %s TCP ######### \n", v->func);
		}
	}
	fprintf(f, "end %s ######### \n", v->func);
	print_empty_lines(f, 3);
}

void vpc_print_event(FILE *f, const struct skb_probe_view *v)
{
	const struct skb_snapshot *s = &v->ev->skb;

	switch (v->ev->probe) {
	case VPC_HANDLE_OFFLOADS:
		print_tunnel(f, "ip tunnel handle offloads probe", "ip tunnel handle offload", v);
		break;
	case VPC_UDP_TUNNEL_XMIT:
		print_tunnel(f, "udp tunnel xmit skb probe", "udp tunnel transmix skb", v);
		break;
	case VPC_UDP_GSO_SEGMENT:
		fputs("__udp_gso_segemt probe\n", f);
		print_skb_lines(f, "skb_dev", v);
		print_headers(f, s);
		print_stack(f, v);
		fputs("end _udp_gso_segemt probe\n", f);
		print_empty_lines(f, 3);
		break;
	case VPC_SKB_GSO_SEGMENT:
		print_skb_gso_segment(f, v);
		break;
	case VPC_SEGMENT:
		fputs("###### skb_segemt probe\n", f);
		print_stack(f, v);
		print_segment_line(f, v->ev->arg, s);
		fputs("end skb_segemt probe\n", f);
		print_empty_lines(f, 3);
		break;
	case VPC_MLX5E_XMIT:
		fputs("mlx5e transmit probe\n", f);
		print_stack(f, v);
		print_segment_line(f, s->features, s);
		fputs("end mlx5e port transmit probe\n", f);
		print_empty_lines(f, 3);
		break;
	case VPC_VALIDATE_XMIT:
		fputs("validate transmit skb probe\n", f);
		if (s->ip_protocol == 17)
			print_skb_lines(f, "dev", v);
		print_headers(f, s);
		print_stack(f, v);
		fputs("end validate transmit skb probe\n", f);
		print_empty_lines(f, 4);
		break;
	case VPC_NETIF_SKB_FEATURES:
		fputs("netif skb features probe\n", f);
		print_skb_lines(f, "dev", v);
		print_headers(f, s);
		print_stack(f, v);
		fputs("end netif skb feature probe\n", f);
		print_empty_lines(f, 4);
		break;
	}
}

/* Adds the names of src that dst lacks; over 8 in all is a usage error of the option at dest. */
static void merge_names(struct dev_name_set *dst, const struct dev_name_set *src, const void *dest)
{
	for (unsigned i = 0; i < src->count; i++) {
		bool have = false;

		for (unsigned k = 0; k < dst->count; k++)
			have |= !memcmp(dst->name[k], src->name[i], sizeof(dst->name[k]));
		if (have)
			continue;
		if (dst->count == DEV_NAME_SET_MAX)
			arg_fail_opt(dest, "at most %d devices with --device, --phy-interface and --bridge",
				     DEV_NAME_SET_MAX);
		memcpy(dst->name[dst->count++], src->name[i], sizeof(dst->name[0]));
	}
}

void vpc_build_config(struct vpc_config *cfg, const char *const *devices, const char *const *phy,
		      const char *const *bridge, __u16 dst_port, bool tunnel_filter)
{
	struct dev_name_set bridge_set = { 0 };

	memset(cfg, 0, sizeof(*cfg));
	dev_name_set_parse(&cfg->devices, *devices, devices);
	dev_name_set_parse(&cfg->phy, *phy, phy);
	dev_name_set_parse(&bridge_set, *bridge, bridge);
	cfg->validate = cfg->devices;
	merge_names(&cfg->validate, &cfg->phy, phy);
	merge_names(&cfg->validate, &bridge_set, bridge);
	if (tunnel_filter)
		cfg->tunnel = cfg->devices;
	cfg->dst_port = dst_port;
}

int main(int argc, char **argv)
{
	struct vpc_vm_udp_datapath_bpf *skel;
	struct vpc_config cfg;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	vpc_build_config(&cfg, &opt.devices, &opt.phy, &opt.bridge, opt.dst_port, opt.tunnel_filter);
	tool_init("vpc-vm-udp-datapath");
	hook_set_init(&hooks, vpc_hook_table.defs, vpc_hook_table.n, 0);
	require_function_hooks("its probe points are kernel functions without tracepoints");

	skel = BPFNET_OPEN(vpc_vm_udp_datapath_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	skb_tracer_run(&hooks, skel->maps.events, skel->maps.events_lost, skel->maps.stacks, vpc_print_event,
		       opt.duration);
	vpc_vm_udp_datapath_bpf__destroy(skel);
	return 0;
}
