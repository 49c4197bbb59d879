// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun-abnormal-gso-type: the bpftrace script tun-abnormal-gso-type.bt as a binary: skbs with a
 * GSO size but no GSO type on a VM tap's transmit path and through openvswitch, with their
 * offload state, the tap queue's TX ring and the stacks; and every segmentation.
 */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "bt_ustack.h"
#include "dev_names.h"
#include "hook.h"
#include "ksyms.h"
#include "runtime.h"
#include "skb_gso_report.h"
#include "skb_snapshot.h"
#include "tun-abnormal-gso-type.h"
#include "tun-abnormal-gso-type.skel.h"
#include "usyms.h"

static struct {
	const char *device;
	const char *extra_device;
	double duration;
} opt = { .device = "vnet0", .extra_device = "port-storage" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.device,
		"taps watched at tun_net_xmit and validate_xmit_skb[_list], comma-separated (default: vnet0, "
		"as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_STR("extra-device", 0, &opt.extra_device,
		"more devices watched at validate_xmit_skb[_list] (default: port-storage, as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun-abnormal-gso-type",
	.description = "Report skbs with a GSO size but no GSO type (gso_size != 0, gso_type == 0) on a "
		       "VM tap's transmit path (tun_net_xmit with the queue's TX ring, sch_direct_xmit, "
		       "validate_xmit_skb) and through openvswitch (netdev_frame_hook, upcalls), with their "
		       "offload state and kernel stack; and every skb_segment result (DHCP left out)",
	.epilog = "examples:\n"
		  "  tun-abnormal-gso-type                        # vnet0 and port-storage, as the original\n"
		  "  tun-abnormal-gso-type --device vnet3 -d 60\n"
		  "  tun-abnormal-gso-type --device vnet3 --extra-device bond0 --json",
	.opts = options,
};

/* The openvswitch functions are static: an .isra/.constprop clone keeps the skb argument here. */
#define SKB_CLONES (KSYM_CLONE_ISRA | KSYM_CLONE_CONSTPROP)

static const struct hook_def hook_defs[TAGT_PROBES] = {
	[TAGT_TUN_NET_XMIT] = { "transmit into a tap",
				{ HOOK_FUNC_ENTRY("tagt_tun_net_xmit", "tun_net_xmit") },
				"tun" },
	[TAGT_SCH_DIRECT_XMIT] = { "qdisc direct transmit",
				   { HOOK_FUNC_ENTRY("tagt_sch_direct_xmit", "sch_direct_xmit") },
				   .optional = true },
	/* struct sk_buff **: fentry refuses the argument before 6.x, a kprobe only. */
	[TAGT_NETDEV_FRAME_HOOK] = { "openvswitch port receive",
				     { { HOOK_KPROBE, "tagt_netdev_frame_hook", "netdev_frame_hook" } },
				     "openvswitch",
				     .optional = true },
	[TAGT_SKB_SEGMENT] = { "segmentation result",
			       { HOOK_FUNC_RETURN("tagt_skb_segment_ret", "skb_segment") },
			       .optional = true },
	[TAGT_QUEUE_GSO_PACKETS] = { "openvswitch GSO upcall",
				     { HOOK_FUNC_ENTRY("tagt_queue_gso_packets", "queue_gso_packets"),
				       { HOOK_KPROBE, "tagt_queue_gso_packets", "queue_gso_packets",
					 .clones = SKB_CLONES } },
				     "openvswitch",
				     .optional = true },
	[TAGT_QUEUE_USERSPACE_PACKET] = { "openvswitch upcall",
					  { HOOK_FUNC_ENTRY("tagt_queue_userspace_packet",
							    "queue_userspace_packet"),
					    { HOOK_KPROBE, "tagt_queue_userspace_packet",
					      "queue_userspace_packet", .clones = SKB_CLONES } },
					  "openvswitch",
					  .optional = true },
	[TAGT_VALIDATE_XMIT_SKB_LIST] = { "transmit validation (list)",
					  { HOOK_FUNC_ENTRY("tagt_validate_xmit_skb_list",
							    "validate_xmit_skb_list"),
					    { HOOK_KPROBE, "tagt_validate_xmit_skb_list",
					      "validate_xmit_skb_list", .clones = SKB_CLONES } },
					  .optional = true },
	[TAGT_VALIDATE_XMIT_SKB] = { "transmit validation",
				     { HOOK_FUNC_ENTRY("tagt_validate_xmit_skb", "validate_xmit_skb"),
				       { HOOK_KPROBE, "tagt_validate_xmit_skb", "validate_xmit_skb",
					 .clones = SKB_CLONES } },
				     .optional = true },
};
const struct hook_table tagt_hook_table = { hook_defs, TAGT_PROBES };

void tagt_build_config(struct gso_config *cfg, const char *const *device, const char *const *extra_device)
{
	*cfg = (struct gso_config){ 0 };
	dev_name_set_parse(&cfg->devices, *device, device);
	cfg->devices2 = cfg->devices;
	dev_name_set_parse(&cfg->devices2, *extra_device, extra_device);
}

static struct tun_abnormal_gso_type_bpf *skel;
static struct usyms_cache usyms;

static void print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *fr)
{
	static struct stack_frames ustack;

	ustack.n = 0;
	if (ev->probe == TAGT_TUN_NET_XMIT)
		bt_ustack_read(&ustack, skel->maps.ustacks, ev->ustack_id, (int)ev->pid, &usyms);
	tagt_print_event(f, ev, fr, &ustack);
}

int main(int argc, char **argv)
{
	static const char *probe_names[TAGT_PROBES];
	static const struct gso_tool tool = { probe_names, TAGT_PROBES, print_event };
	struct gso_config cfg = { 0 };
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	for (unsigned i = 0; i < TAGT_PROBES; i++)
		probe_names[i] = tagt_probe_name(i);
	tagt_build_config(&cfg, &opt.device, &opt.extra_device);
	tool_init("tun-abnormal-gso-type");
	hook_set_init(&hooks, tagt_hook_table.defs, tagt_hook_table.n, 0);
	cfg.gso_type_ignore = gso_type_ignore_from_env();

	skel = BPFNET_OPEN(tun_abnormal_gso_type_bpf);
	gso_tool_run(&tool, &hooks, skel->skeleton, &cfg, opt.duration);
	usyms_cache_free(&usyms);
	tun_abnormal_gso_type_bpf__destroy(skel);
	return 0;
}
