// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_pair_latency: host forwarding latency of UDP packets from one VM to another: the host
 * receiving the packet on the sending VM's tap device to the host transmitting a packet of the
 * same flow on the receiving VM's tap device.
 */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "vm_pair.h"
#include "vm_pair_latency.h"
#include "vm_pair_latency.skel.h"

static struct {
	const char *send_dev, *recv_dev;
	struct arg_list ports;
	double duration;
} opt = { .send_dev = "vnet103", .recv_dev = "vnet100" };

static const struct arg_opt options[] = {
	OPT_IFNAME("send-dev", 0, &opt.send_dev,
		   "tap device of the sending VM: the host receives its packets (default: vnet103)"),
	OPT_IFNAME("recv-dev", 0, &opt.recv_dev,
		   "tap device of the receiving VM: the host transmits to it (default: vnet100)"),
	OPT_STR_LIST(
		"ports", 0, &opt.ports,
		"UDP ports; a packet qualifies if its source or destination port is listed (default: 62109)",
		.metavar = "PORTS"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vm_pair_latency",
	.description = "Host forwarding latency of UDP packets from one VM to another on this host",
	.epilog = "examples:\n"
		  "  vm_pair_latency --send-dev tap0 --recv-dev tap1\n"
		  "  vm_pair_latency --send-dev vnet48 --recv-dev vnet45 --ports 62109 5001 --json",
	.opts = options,
};

static const char *side(const struct vm_pair_event *ev)
{
	return ev->at_xmit ? "xmit" : "recv";
}

void vpl_print_event(FILE *f, const struct vm_pair_event *ev)
{
	char secs[32];

	fprintf(f, "%-18s ", vm_pair_seconds(ev, secs, sizeof(secs)));
	if (ev->kind == VM_PAIR_NON_IP)
		fprintf(f, "LATENCY_DBG %s: non-IP protocol %x\n", side(ev), ev->protocol);
	else if (ev->kind == VM_PAIR_NON_UDP)
		fprintf(f, "LATENCY_DBG %s: non-UDP protocol %x\n", side(ev), ev->protocol);
	else
		fprintf(f, "LATENCY_DBG latency=%llu us\n", (unsigned long long)(ev->latency_ns / 1000));
}

void vpl_print_event_json(FILE *f, const struct vm_pair_event *ev)
{
	vm_pair_print_event_json(f, ev, 0);
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		vpl_print_event_json(stdout, ev);
	else
		vpl_print_event(stdout, ev);
}

int main(int argc, char **argv)
{
	struct vm_pair_config cfg = { .report_protocols = 1 };
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62109 };
	struct vm_pair_latency_bpf *skel;
	struct hook_set hooks;
	int nports;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 1);
	tool_init("vm_pair_latency");
	iface_name_check(opt.send_dev);
	iface_name_check(opt.recv_dev);
	skel = BPFNET_OPEN(vm_pair_latency_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	vm_pair_add_dev(skel->obj, true, opt.send_dev, 0);
	vm_pair_add_dev(skel->obj, false, opt.recv_dev, 0);
	if (!g_common.json) {
		printf("Tracing UDP port%s ", nports > 1 ? "s" : "");
		vm_pair_print_ports(ports, nports, ",");
		printf(" from %s -> %s; hit Ctrl+C to exit.\n", opt.send_dev, opt.recv_dev);
		vm_pair_print_probe(&hooks);
		printf("Printing debug output...\n");
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, false);
	vm_pair_latency_bpf__destroy(skel);
	return 0;
}
