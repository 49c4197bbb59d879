// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_to_vhost_queue_stats_details: per tap queue, the TX ptr_ring depth when tun_net_xmit
 * queues a packet and when vhost-net takes it (tun_recvmsg), the guest-RX virtqueue's
 * available, in-flight and used indices at handle_rx and at each signal, and how often the
 * guest was signalled twice with the same last_used_idx, per interval.
 */
#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "runtime.h"
#include "tun_to_vhost_queue_stats_details.skel.h"
#include "tun_vhost_queue.h"

static struct tvq_options opt = { .queue = -1, .interval = 1, .outputs = TVQ_UNLIMITED };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device,
		   "tap device to watch, e.g. vnet33 (default: every tun/tap device)"),
	OPT_IFNAME("tun-device", 0, &opt.device, "the user manual's name for --device"),
	OPT_INT("queue", 'q', &opt.queue, 0, 65535, "only this queue of the device (default: all queues)"),
	OPT_INT("interval", 'i', &opt.interval, 1, 86400, "seconds between reports"),
	OPT_FLAG("timestamp", 'T', &opt.timestamp, "print a Time line in each report"),
	OPT_PROMETHEUS(&opt.prom),
	OPT_FLAG("debug", 0, &opt.debug,
		 "print the probes' stage counts and the socket and virtqueue pointers"),
	{ 0 },
};

static const struct arg_positional positionals[] = {
	POS_INT("outputs", &opt.outputs, "number of reports before exiting (default: unlimited)", false),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun_to_vhost_queue_stats_details",
	.description = "Per tap queue: TX ptr_ring depth at tun_net_xmit and tun_recvmsg, the guest-RX "
		       "virtqueue's available, in-flight and used descriptors at handle_rx and at each "
		       "vhost signal, and duplicate signals, per interval.",
	.epilog = "examples:\n"
		  "  tun_to_vhost_queue_stats_details -d vnet33              # a report a second\n"
		  "  tun_to_vhost_queue_stats_details -d vnet33 -q 1 -i 3 -T   # queue 1, every 3 s\n"
		  "  tun_to_vhost_queue_stats_details --tun-device tap0 --interval 3   # the manual's form",
	.opts = options,
	.positionals = positionals,
};

int main(int argc, char **argv)
{
	struct tun_to_vhost_queue_stats_details_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	if (opt.outputs < 1)
		arg_fail("argument outputs: must be at least 1");
	tool_init(parser.prog);
	hook_set_init(&hooks, tvq_details_hook_table.defs, tvq_details_hook_table.n, 0);
	require_function_hooks("the tun and vhost functions have no tracepoints");
	skel = BPFNET_OPEN(tun_to_vhost_queue_stats_details_bpf);
	tvq_run(&opt, true, &hooks, skel->skeleton, skel->obj);
	tun_to_vhost_queue_stats_details_bpf__destroy(skel);
	return 0;
}
