// SPDX-License-Identifier: GPL-2.0-only
/*
 * multi_port_gap: abnormal gaps in the UDP flows of several ports between two VMs: an interval
 * between two packets of one flow longer than the threshold, where the host receives from the
 * sending VM (RECV) and where it transmits to the receiving VM (SEND).
 */
#include <limits.h>
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "output.h"
#include "runtime.h"
#include "vm_pair.h"
#include "multi_port_gap.h"
#include "multi_port_gap.skel.h"

static struct {
	const char *send_dev, *recv_dev;
	struct arg_list ports;
	int threshold_ms;
	double duration;
} opt = { .send_dev = "vnet48", .recv_dev = "vnet45", .threshold_ms = 100 };

static const struct arg_opt options[] = {
	OPT_IFNAME("send-dev", 0, &opt.send_dev,
		   "tap device of the sending VM: the host receives its packets (default: vnet48)"),
	OPT_IFNAME("recv-dev", 0, &opt.recv_dev,
		   "tap device of the receiving VM: the host transmits to it (default: vnet45)"),
	OPT_STR_LIST("ports", 0, &opt.ports,
		     "UDP ports; a packet qualifies if its source or destination port is listed "
		     "(default: 62108 61969 61967 62109 61970 61968)",
		     .metavar = "PORTS"),
	OPT_INT("threshold", 0, &opt.threshold_ms, 0, INT_MAX / 1000,
		"report gaps longer than this many milliseconds (default: 100)"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "multi_port_gap",
	.description = "Abnormal gaps in the UDP flows of several ports from one VM to another on this host",
	.epilog = "examples:\n"
		  "  multi_port_gap --send-dev vnet48 --recv-dev vnet45\n"
		  "  multi_port_gap --threshold 50 --ports 22 80 443 8080 --json",
	.opts = options,
};

void mpg_print_event(FILE *f, const struct vm_pair_event *ev, int threshold_ms)
{
	char secs[32];

	fprintf(f, "%-18s %s gap>%dms: %llu us, port=%u, dev=%s\n", vm_pair_seconds(ev, secs, sizeof(secs)),
		ev->at_xmit ? "SEND" : "RECV", threshold_ms, (unsigned long long)(ev->gap_ns / 1000),
		ev->flow.dport, ev->at_xmit ? ev->tx_dev : ev->rx_dev);
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		vm_pair_print_gap_json(stdout, ev);
	else
		mpg_print_event(stdout, ev, opt.threshold_ms);
}

int main(int argc, char **argv)
{
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62108, 61969, 61967, 62109, 61970, 61968 };
	struct vm_pair_config cfg = { .gaps = 1 };
	struct multi_port_gap_bpf *skel;
	struct hook_set hooks;
	int nports;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 6);
	cfg.gap_min_ns = vm_pair_gap_min_ns((uint64_t)opt.threshold_ms * 1000);
	tool_init("multi_port_gap");
	iface_name_check(opt.send_dev);
	iface_name_check(opt.recv_dev);
	skel = BPFNET_OPEN(multi_port_gap_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	vm_pair_add_dev(skel->obj, true, opt.send_dev, 0);
	vm_pair_add_dev(skel->obj, false, opt.recv_dev, 0);
	if (!g_common.json) {
		printf("Tracing multiple ports {");
		vm_pair_print_ports(ports, nports, ",");
		printf("} ...\n");
		printf("On %s->%s from host's perspective; threshold=%dms\n", opt.send_dev, opt.recv_dev,
		       opt.threshold_ms);
		printf("Hit Ctrl+C to exit.\n");
		vm_pair_print_probe(&hooks);
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, true);
	multi_port_gap_bpf__destroy(skel);
	return 0;
}
