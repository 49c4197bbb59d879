// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_dev_queue_xmit: the bpftrace script trace_dev_queue_xmit.bt as a binary: skbs with a
 * GSO size but no GSO type queued for transmission on a VM's tap, at __dev_queue_xmit and
 * sch_direct_xmit, with their offload state, feature masks, addresses and kernel stack.
 */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "hook.h"
#include "runtime.h"
#include "skb_gso_report.h"
#include "trace_dev_queue_xmit.h"
#include "trace_dev_queue_xmit.skel.h"

static struct {
	const char *device;
	double duration;
} opt = { .device = "vnet13" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.device,
		"devices to watch, by name, comma-separated (default: vnet13, as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_dev_queue_xmit",
	.description = "Report skbs with a GSO size but no GSO type (gso_size != 0, gso_type == 0) "
		       "entering __dev_queue_xmit and sch_direct_xmit on a device, with their offload "
		       "state, feature masks, addresses and kernel stack (DHCP left out)",
	.epilog = "examples:\n"
		  "  trace_dev_queue_xmit                     # vnet13, as the original\n"
		  "  trace_dev_queue_xmit --device vnet3,vnet4 -d 60",
	.opts = options,
};

static const char *const probe_names[DQX_PROBES] = {
	[DQX_SCH_DIRECT_XMIT] = "sch_direct_xmit",
	[DQX_DEV_QUEUE_XMIT] = "__dev_queue_xmit",
};

const char *dqx_probe_name(unsigned probe)
{
	return probe < DQX_PROBES ? probe_names[probe] : "?";
}

void dqx_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *fr)
{
	const char *name = dqx_probe_name(ev->probe);
	char tail[64];

	gso_line_unexpected(f, name, &ev->skb);
	fprintf(f, "\n\n\n\n%s probe\n", name);
	gso_lines_ip_details(f, name, &ev->skb);
	snprintf(tail, sizeof(tail), "end %s probe", name);
	gso_lines_stack(f, &ev->skb, fr, tail);
	gso_block_end(f);
}

static const struct hook_def hook_defs[DQX_PROBES] = {
	[DQX_SCH_DIRECT_XMIT] = { "direct transmit",
				  { HOOK_FUNC_ENTRY("dqx_sch_direct_xmit", "sch_direct_xmit") },
				  .optional = true },
	/* The tracepoint fires inside __dev_queue_xmit, for kernels without kprobes. */
	[DQX_DEV_QUEUE_XMIT] = { "device queue entry",
				 { HOOK_FUNC_ENTRY("dqx_dev_queue_xmit", "__dev_queue_xmit"),
				   HOOK_RAW_TRACEPOINT("dqx_tp_net_dev_queue", "net:net_dev_queue") },
				 .optional = true },
};
const struct hook_table dqx_hook_table = { hook_defs, DQX_PROBES };

int main(int argc, char **argv)
{
	static const struct gso_tool tool = { probe_names, DQX_PROBES, dqx_print_event };
	struct gso_config cfg = { 0 };
	struct trace_dev_queue_xmit_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	dev_name_set_parse(&cfg.devices, opt.device, &opt.device);
	tool_init("trace_dev_queue_xmit");
	hook_set_init(&hooks, dqx_hook_table.defs, dqx_hook_table.n, 0);
	cfg.gso_type_ignore = gso_type_ignore_from_env();

	skel = BPFNET_OPEN(trace_dev_queue_xmit_bpf);
	gso_tool_run(&tool, &hooks, skel->skeleton, &cfg, opt.duration);
	trace_dev_queue_xmit_bpf__destroy(skel);
	return 0;
}
