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
#include "output.h"
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

/*
 * Adds a device to the receive (rx) or transmit side, saying so as the original did: its
 * "send" devices are the ones the host transmits to.
 */
static void add_dev(struct bpf_object *obj, bool rx, const char *name)
{
	char where[32];

	vm_pair_add_dev(obj, rx, name, 0);
	if (!g_common.json)
		printf("Added %s-dev: %s (%s)\n", rx ? "recv" : "send", name,
		       vm_pair_dev_where(name, where, sizeof(where)));
}

/* A config pair's tap on both sides; gaps have no pair id. */
static void add_dev_both(struct bpf_object *obj, const char *name, uint32_t pair_id)
{
	(void)pair_id;
	add_dev(obj, false, name);
	add_dev(obj, true, name);
}

int main(int argc, char **argv)
{
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62108, 61969, 61967, 62109, 61970, 61968 };
	static char send_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN],
		recv_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN];
	struct vm_pair_config cfg = { .gaps = 1 };
	static struct vm_pair_line pairs[MAX_PAIRS];
	struct multi_vm_pair_multi_port_gap_bpf *skel;
	int nports, npairs = 0, nsend, nrecv, i;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 6);
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
	skel = BPFNET_OPEN(multi_vm_pair_multi_port_gap_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	for (i = 0; i < nsend; i++)
		add_dev(skel->obj, false, send_devs[i]);
	for (i = 0; i < nrecv; i++)
		add_dev(skel->obj, true, recv_devs[i]);
	vm_pair_add_config_devs(skel->obj, pairs, npairs, add_dev_both);
	if (!g_common.json) {
		printf("Debug: allowed_ports content:\n");
		for (i = 0; i < nports; i++)
			printf("Port: %u (0x%04x)\n", ports[i], ports[i]);
		printf("Tracking UDP ports: [");
		vm_pair_print_ports(ports, nports, ", ");
		printf("]\nGap threshold = %d ms\n", opt.threshold_ms);
		vm_pair_print_probe(&hooks);
		printf("Attaching eBPF... press Ctrl+C to exit.\n\n");
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, true);
	multi_vm_pair_multi_port_gap_bpf__destroy(skel);
	return 0;
}
