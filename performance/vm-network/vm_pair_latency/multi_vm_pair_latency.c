// SPDX-License-Identifier: GPL-2.0-only
/*
 * multi_vm_pair_latency: host forwarding latency of UDP packets between several VM pairs: the
 * host receiving a packet on a sending VM's tap device to the host transmitting a packet of
 * the same flow (Ethernet and IP addresses, ports) on a receiving VM's tap device.
 */
#include <net/if.h>
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "json.h"
#include "output.h"
#include "runtime.h"
#include "vm_pair.h"
#include "vm_pair_config.h"
#include "multi_vm_pair_latency.h"
#include "multi_vm_pair_latency.skel.h"

static struct {
	const char *send_dev, *recv_dev;
	struct arg_list ports;
	double duration;
} opt = { .send_dev = "", .recv_dev = "" };

static const struct arg_opt options[] = {
	OPT_STR("send-dev", 0, &opt.send_dev,
		"tap devices of the sending VMs (the host receives their packets), comma and/or space "
		"separated"),
	OPT_STR("recv-dev", 0, &opt.recv_dev,
		"tap devices of the receiving VMs (the host transmits to them), comma and/or space "
		"separated"),
	OPT_STR_LIST(
		"ports", 0, &opt.ports,
		"UDP ports; a packet qualifies if its source or destination port is listed (default: 62109)",
		.metavar = "PORTS"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "multi_vm_pair_latency",
	.description = "Host forwarding latency of UDP packets between several VM pairs on this host",
	.epilog = "examples:\n"
		  "  multi_vm_pair_latency --send-dev 'vnet48,vnet41' --recv-dev 'vnet45,vnet59'\n"
		  "  multi_vm_pair_latency --send-dev vnet48 --recv-dev vnet45 --ports 62109 5001 --json",
	.opts = options,
};

void mvpl_print_event(FILE *f, const struct vm_pair_event *ev)
{
	const char *hook = ev->at_xmit ? "net_dev_xmit" : "netif_receive_skb";
	char secs[32], addr[18];

	/* The trace pipe's 6-decimal time column of this original. */
	snprintf(secs, sizeof(secs), "%llu.%06llu", (unsigned long long)(ev->ts_ns / 1000000000ULL),
		 (unsigned long long)(ev->ts_ns % 1000000000ULL / 1000));
	if (ev->kind == VM_PAIR_NON_IP) {
		fprintf(f, "%s: DEBUG: Non-IP protocol in %s, proto=%x\n", secs, hook, ev->protocol);
		return;
	}
	if (ev->kind == VM_PAIR_NON_UDP) {
		fprintf(f, "%s: DEBUG: Non-UDP protocol in %s, iph.protocol=%x\n", secs, hook, ev->protocol);
		return;
	}
	fprintf(f, "%s: DEBUG: Latency computed: %llu us, port=%u, dev_name=%s\n", secs,
		(unsigned long long)(ev->latency_ns / 1000), ev->flow.dport, ev->tx_dev);
	fprintf(f, "%s: DEBUG recv: src_mac=%s\n", secs,
		vm_pair_mac_format(ev->flow.smac, addr, sizeof(addr)));
	fprintf(f, "%s: DEBUG recv: dst_mac=%s\n", secs,
		vm_pair_mac_format(ev->flow.dmac, addr, sizeof(addr)));
}

void mvpl_print_event_json(FILE *f, const struct vm_pair_event *ev)
{
	vm_pair_print_event_json(f, ev, VM_PAIR_JSON_MACS);
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		mvpl_print_event_json(stdout, ev);
	else
		mvpl_print_event(stdout, ev);
}

/* "['vnet48', 'vnet41']", as the original printed its Python list. */
static void print_list(const char *label, char (*devs)[VM_PAIR_DEV_LEN], int n)
{
	printf("%s: [", label);
	for (int i = 0; i < n; i++)
		printf("%s'%s'", i ? ", " : "", devs[i]);
	printf("]\n");
}

static void add_devs(struct bpf_object *obj, bool rx, char (*devs)[VM_PAIR_DEV_LEN], int n)
{
	char where[32];

	for (int i = 0; i < n; i++) {
		vm_pair_add_dev(obj, rx, devs[i], 0);
		if (!g_common.json)
			printf("Added %s-dev: %s (%s)\n", rx ? "send" : "recv", devs[i],
			       vm_pair_dev_where(devs[i], where, sizeof(where)));
	}
}

int main(int argc, char **argv)
{
	static char send_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN],
		recv_devs[VM_PAIR_MAX_DEVS][VM_PAIR_DEV_LEN];
	struct vm_pair_config cfg = { .key_macs = 1, .report_protocols = 1 };
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62109 };
	struct multi_vm_pair_latency_bpf *skel;
	int nports, nsend, nrecv;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 1);
	nsend = vm_pair_split_devs(opt.send_dev, &opt.send_dev, send_devs, VM_PAIR_MAX_DEVS);
	nrecv = vm_pair_split_devs(opt.recv_dev, &opt.recv_dev, recv_devs, VM_PAIR_MAX_DEVS);
	if (!nsend || !nrecv)
		arg_fail("nothing to time: give --send-dev and --recv-dev");
	tool_init("multi_vm_pair_latency");
	skel = BPFNET_OPEN(multi_vm_pair_latency_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	if (!g_common.json) {
		print_list("Send-devs", send_devs, nsend);
		print_list("Recv-devs", recv_devs, nrecv);
		printf("Ports: [");
		vm_pair_print_ports(ports, nports, ", ");
		printf("]\n");
	}
	add_devs(skel->obj, true, send_devs, nsend);
	add_devs(skel->obj, false, recv_devs, nrecv);
	if (!g_common.json) {
		vm_pair_print_probe(&hooks);
		printf("Attaching BPF. Listening for 'MAC_LAT' logs. Ctrl+C to stop.\n\n");
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, false);
	multi_vm_pair_latency_bpf__destroy(skel);
	return 0;
}
