// SPDX-License-Identifier: GPL-2.0-only
/*
 * multi_vm_pair_multi_port_gap: gaps in the UDP flows of any VM pairs and ports: an interval
 * between two packets of one flow on one device longer than the threshold, where the host
 * transmits to a VM (SEND) and where it receives from one (RECV).
 */
#include <limits.h>
#include <net/if.h>
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "runtime.h"
#include "vm_pair.h"
#include "vm_pair_config.h"
#include "multi_vm_pair_multi_port_gap.h"
#include "multi_vm_pair_multi_port_gap.skel.h"

#define MAX_PAIRS 64

static struct {
	const char *send_dev, *recv_dev, *config;
	struct arg_list ports;
	int threshold_ms;
	double duration;
} opt = { .send_dev = "", .recv_dev = "", .threshold_ms = 100 };

static const struct arg_opt options[] = {
	OPT_STR("send-dev", 0, &opt.send_dev,
		"devices the host transmits to (the receiving VMs' taps), comma and/or space separated"),
	OPT_STR("recv-dev", 0, &opt.recv_dev,
		"devices the host receives from (the sending VMs' taps), comma and/or space separated"),
	OPT_STR_LIST("ports", 0, &opt.ports,
		     "UDP ports; a packet qualifies if its source or destination port is listed "
		     "(default: 62108 61969 61967 62109 61970 61968)",
		     .metavar = "PORTS"),
	OPT_INT("threshold", 0, &opt.threshold_ms, 0, INT_MAX / 1000,
		"report gaps longer than this many milliseconds (default: 100)"),
	OPT_STR("config", 0, &opt.config,
		"file of VM pairs, one a line: two libvirt domain UUIDs or two device names; every tap "
		"of both VMs is watched on both sides",
		.metavar = "FILE"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "multi_vm_pair_multi_port_gap",
	.description = "Gaps in the UDP flows of several VM pairs and ports on this host",
	.epilog = "examples:\n"
		  "  multi_vm_pair_multi_port_gap --send-dev vnet45 --recv-dev vnet48 --threshold 100\n"
		  "  multi_vm_pair_multi_port_gap --config vm_pairs.txt --threshold 100 --ports 22 80 443",
	.opts = options,
};

void mvpg_print_event(FILE *f, const struct vm_pair_event *ev, int threshold_ms)
{
	char secs[32];

	fprintf(f, "%-18s %s gap>%lldus: gap=%llu us, port=%u, dev_name=%s\n",
		vm_pair_seconds(ev, secs, sizeof(secs)), ev->at_xmit ? "SEND" : "RECV",
		(long long)threshold_ms * 1000, (unsigned long long)(ev->gap_ns / 1000), ev->flow.dport,
		ev->at_xmit ? ev->tx_dev : ev->rx_dev);
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		vm_pair_print_gap_json(stdout, ev);
	else
		mvpg_print_event(stdout, ev, opt.threshold_ms);
}

/* Adds a device to the transmit (send) or receive side, saying so as the original did. */
static void add_dev(struct bpf_object *obj, bool host_tx, const char *name)
{
	unsigned int ifindex = if_nametoindex(name);

	vm_pair_add_dev(obj, !host_tx, name, 0);
	if (g_common.json)
		return;
	if (ifindex)
		printf("Added %s-dev: %s (ifindex=%u)\n", host_tx ? "send" : "recv", name, ifindex);
	else
		printf("Added %s-dev: %s (not in this network namespace: matched by name in all)\n",
		       host_tx ? "send" : "recv", name);
}

int main(int argc, char **argv)
{
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62108, 61969, 61967, 62109, 61970, 61968 };
	static char send_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN],
		recv_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN];
	struct vm_pair_config cfg = { .gaps = 1 };
	static struct vm_pair_line pairs[MAX_PAIRS];
	struct multi_vm_pair_multi_port_gap_bpf *skel;
	int nports = 6, npairs = 0, nsend, nrecv, i;
	struct hook_set hooks;
	char tx[96];

	args_parse(&parser, argc, argv);
	if (opt.ports.count)
		nports = vm_pair_parse_ports(&opt.ports, &opt.ports, ports, VM_PAIR_MAX_PORTS);
	nsend = vm_pair_split_devs(opt.send_dev, &opt.send_dev, send_devs, VM_PAIR_MAX_DEVS);
	nrecv = vm_pair_split_devs(opt.recv_dev, &opt.recv_dev, recv_devs, VM_PAIR_MAX_DEVS);
	if (!nsend && !nrecv && !opt.config)
		arg_fail("no devices to watch: give --send-dev, --recv-dev or --config");
	cfg.gap_min_ns = vm_pair_gap_min_ns((uint64_t)opt.threshold_ms * 1000);
	tool_init("multi_vm_pair_multi_port_gap");
	if (opt.config)
		npairs = vm_pair_config_read(opt.config, vm_pair_libvirt_dir(), pairs, MAX_PAIRS);
	if (!nsend && !nrecv && !npairs)
		die("no devices to watch: %s has no VM pair", opt.config);
	hook_set_init(&hooks, vm_pair_hook_table.defs, vm_pair_hook_table.n, 0);
	skel = BPFNET_OPEN(multi_vm_pair_multi_port_gap_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	for (i = 0; i < nsend; i++)
		add_dev(skel->obj, true, send_devs[i]);
	for (i = 0; i < nrecv; i++)
		add_dev(skel->obj, false, recv_devs[i]);
	for (i = 0; i < npairs; i++) {
		for (int vm = 0; vm < 2; vm++) {
			for (int d = 0; d < pairs[i].vm[vm].ndevs; d++) {
				add_dev(skel->obj, true, pairs[i].vm[vm].devs[d]);
				add_dev(skel->obj, false, pairs[i].vm[vm].devs[d]);
			}
		}
	}
	for (i = 0; i < nports; i++)
		vm_pair_add_port(skel->obj, ports[i]);
	if (!g_common.json) {
		printf("Debug: allowed_ports content:\n");
		for (i = 0; i < nports; i++)
			printf("Port: %u (0x%04x)\n", ports[i], ports[i]);
		printf("Tracking UDP ports: [");
		for (i = 0; i < nports; i++)
			printf("%s%u", i ? ", " : "", ports[i]);
		printf("]\nGap threshold = %d ms\n", opt.threshold_ms);
		printf("Probe: transmit %s\n\n", hook_describe(&hooks, VM_PAIR_HOOK_TX, tx, sizeof(tx)));
		printf("Attaching eBPF... press Ctrl+C to exit.\n\n");
		fflush(stdout);
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, true);
	multi_vm_pair_multi_port_gap_bpf__destroy(skel);
	return 0;
}
