// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_pair_gap: irregular spacing of the UDP flows between two VMs: for each packet, the time
 * since the flow's previous packet where the host receives it from the sending VM (RCV) and
 * where it transmits it to the receiving VM (SND).
 */
#include <limits.h>
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "output.h"
#include "runtime.h"
#include "vm_pair.h"
#include "vm_pair_gap.h"
#include "vm_pair_gap.skel.h"

static struct {
	const char *send_dev, *recv_dev;
	struct arg_list ports;
	int threshold_us;
	double duration;
} opt = { .send_dev = "vnet48", .recv_dev = "vnet45" };

static const struct arg_opt options[] = {
	OPT_IFNAME("send-dev", 0, &opt.send_dev,
		   "tap device of the sending VM: the host receives its packets (default: vnet48)"),
	OPT_IFNAME("recv-dev", 0, &opt.recv_dev,
		   "tap device of the receiving VM: the host transmits to it (default: vnet45)"),
	OPT_STR_LIST(
		"ports", 0, &opt.ports,
		"UDP ports; a packet qualifies if its source or destination port is listed (default: 62109)",
		.metavar = "PORTS"),
	OPT_INT("threshold", 0, &opt.threshold_us, 0, INT_MAX,
		"report only gaps longer than this many microseconds (default: 0, every interval)"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vm_pair_gap",
	.description = "Gaps between the packets of the UDP flows from one VM to another on this host",
	.epilog = "examples:\n"
		  "  vm_pair_gap --send-dev vnet48 --recv-dev vnet45\n"
		  "  vm_pair_gap --threshold 100 --ports 22 80 --json",
	.opts = options,
};

void vpg_print_event(FILE *f, const struct vm_pair_event *ev)
{
	char secs[32], src[16], dst[16];

	fprintf(f, "%-18s %s GAP: %llu us, flow = %s -> %s\n", vm_pair_seconds(ev, secs, sizeof(secs)),
		ev->at_xmit ? "SND" : "RCV", (unsigned long long)(ev->gap_ns / 1000),
		ipv4_format(ev->flow.saddr, src, sizeof(src)), ipv4_format(ev->flow.daddr, dst, sizeof(dst)));
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		vm_pair_print_gap_json(stdout, ev);
	else
		vpg_print_event(stdout, ev);
}

int main(int argc, char **argv)
{
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62109 };
	struct vm_pair_config cfg = { .gaps = 1 };
	struct vm_pair_gap_bpf *skel;
	struct hook_set hooks;
	int nports;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 1);
	cfg.gap_min_ns = vm_pair_gap_min_ns((uint64_t)opt.threshold_us);
	tool_init("vm_pair_gap");
	iface_name_check(opt.send_dev);
	iface_name_check(opt.recv_dev);
	skel = BPFNET_OPEN(vm_pair_gap_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	vm_pair_add_dev(skel->obj, true, opt.send_dev, 0);
	vm_pair_add_dev(skel->obj, false, opt.recv_dev, 0);
	if (!g_common.json) {
		printf("Tracing UDP port%s ", nports > 1 ? "s" : "");
		vm_pair_print_ports(ports, nports, ",");
		printf(" from %s->%s (in host perspective)...\n", opt.send_dev, opt.recv_dev);
		printf("Hit Ctrl+C to exit.\n");
		if (opt.threshold_us)
			printf("Reporting gaps longer than %d us\n", opt.threshold_us);
		vm_pair_print_probe(&hooks);
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, true);
	vm_pair_gap_bpf__destroy(skel);
	return 0;
}
