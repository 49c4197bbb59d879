// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_to_vhost_queue_status_simple: per tap queue, the TX ptr_ring depth at tun_net_xmit and
 * the virtqueue's last_used_idx when vhost-net signals the guest, per interval.
 */
#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "runtime.h"
#include "tun_to_vhost_queue_status_simple.skel.h"
#include "tun_vhost_queue.h"

static struct tvq_options opt = { .queue = -1, .interval = 1, .outputs = TVQ_UNLIMITED };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device,
		   "tap device to watch, e.g. vnet33 (default: every tun/tap device)"),
	OPT_INT("queue", 'q', &opt.queue, 0, 65535, "only this queue of the device (default: all queues)"),
	OPT_INT("interval", 'i', &opt.interval, 1, 86400, "seconds between reports"),
	OPT_FLAG("timestamp", 'T', &opt.timestamp, "print a Time line in each report"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_positional positionals[] = {
	POS_INT("outputs", &opt.outputs, "number of reports before exiting (default: unlimited)", false),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun_to_vhost_queue_status_simple",
	.description =
		"Per tap queue: how full the TX ptr_ring is when tun_net_xmit queues a packet, and the "
		"virtqueue's last_used_idx when vhost-net signals the guest, per interval.",
	.epilog = "examples:\n"
		  "  tun_to_vhost_queue_status_simple                  # every tap queue, a report a second\n"
		  "  tun_to_vhost_queue_status_simple -d vnet33 -q 0   # queue 0 of vnet33\n"
		  "  tun_to_vhost_queue_status_simple -d vnet33 -i 5 -T 12   # 12 reports, 5 s apart",
	.opts = options,
	.positionals = positionals,
};

int main(int argc, char **argv)
{
	struct tun_to_vhost_queue_status_simple_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	if (opt.outputs < 1)
		arg_fail("argument outputs: must be at least 1");
	tool_init(parser.prog);
	hook_set_init(&hooks, tvq_simple_hook_table.defs, tvq_simple_hook_table.n, 0);
	require_function_hooks("the tun and vhost functions have no tracepoints");
	skel = BPFNET_OPEN(tun_to_vhost_queue_status_simple_bpf);
	tvq_run(&opt, false, &hooks, skel->skeleton, skel->obj);
	tun_to_vhost_queue_status_simple_bpf__destroy(skel);
	return 0;
}
