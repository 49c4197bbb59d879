// SPDX-License-Identifier: GPL-2.0-only
/*
 * multi_vm_pair_latency_pairid: host forwarding latency of UDP packets between VM pairs, each
 * pair of tap devices tagged with a pair id: the host receiving a packet from one VM of a pair
 * to the host transmitting a packet of the same flow to the other.
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
#include "multi_vm_pair_latency_pairid.h"
#include "multi_vm_pair_latency_pairid.skel.h"

#define MAX_PAIRS 64

static struct {
	const char *pairs, *config;
	struct arg_list ports;
	double duration;
} opt = { .pairs = "" };

static const struct arg_opt options[] = {
	OPT_STR("pairs", 0, &opt.pairs,
		"pairs 'devX,devY=ID;...': the host transmits to devX and receives from devY, the pair "
		"id is ID"),
	OPT_STR_LIST(
		"ports", 0, &opt.ports,
		"UDP ports; a packet qualifies if its source or destination port is listed (default: 62109)",
		.metavar = "PORTS"),
	OPT_STR("config", 0, &opt.config,
		"file of VM pairs, one a line: two libvirt domain UUIDs or two device names; the pair "
		"id is the line's number among the pairs, both directions are timed",
		.metavar = "FILE"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "multi_vm_pair_latency_pairid",
	.description = "Host forwarding latency of UDP packets between VM pairs, tagged with pair ids",
	.epilog = "examples:\n"
		  "  multi_vm_pair_latency_pairid --pairs 'vnet48,vnet45=100;vnet36,vnet42=101'\n"
		  "  multi_vm_pair_latency_pairid --config vm_pairs.txt --ports 62109 61968",
	.opts = options,
};

static const char *seconds6(const struct vm_pair_event *ev, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%06llu", (unsigned long long)(ev->ts_ns / 1000000000ULL),
		 (unsigned long long)(ev->ts_ns % 1000000000ULL / 1000));
	return buf;
}

void mvpp_print_event(FILE *f, const struct vm_pair_event *ev)
{
	char secs[32];

	fprintf(f, "%s: PAIR_LAT pair_id=%u lat=%llu us\n", seconds6(ev, secs, sizeof(secs)),
		ev->flow.pair_id, (unsigned long long)(ev->latency_ns / 1000));
}

void mvpp_print_event_json(FILE *f, const struct vm_pair_event *ev)
{
	vm_pair_print_event_json(f, ev, VM_PAIR_JSON_PAIR_ID);
}

static void handle(const struct vm_pair_event *ev)
{
	if (g_common.json)
		mvpp_print_event_json(stdout, ev);
	else
		mvpp_print_event(stdout, ev);
}

/* Maps a device of the host's receive (rx) or transmit side to a pair id, saying so. */
static void map_dev(struct bpf_object *obj, bool rx, const char *name, uint32_t id)
{
	char where[32];

	vm_pair_add_dev(obj, rx, name, id);
	if (!g_common.json)
		printf("Mapping %s dev=%s (%s) -> pair_id=%u\n", rx ? "recv" : "send", name,
		       vm_pair_dev_where(name, where, sizeof(where)), id);
}

static void map_dev_both(struct bpf_object *obj, const char *name, uint32_t id)
{
	map_dev(obj, true, name, id);
	map_dev(obj, false, name, id);
}

int main(int argc, char **argv)
{
	static struct vm_pair_line lines[MAX_PAIRS];
	static struct vm_pair_id pairs[MAX_PAIRS];
	uint16_t ports[VM_PAIR_MAX_PORTS] = { 62109 };
	struct vm_pair_config cfg = { 0 };
	struct multi_vm_pair_latency_pairid_bpf *skel;
	int nports, npairs, nlines = 0;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	nports = vm_pair_parse_ports(&opt.ports, ports, 1);
	if (!g_common.json)
		printf("Parsed pairs string: %s\n", opt.pairs);
	npairs = vm_pair_parse_pair_ids(opt.pairs, &opt.pairs, pairs, MAX_PAIRS);
	if (!*opt.pairs && !opt.config)
		arg_fail("no pairs to time: give --pairs or --config");
	tool_init("multi_vm_pair_latency_pairid");
	if (opt.config)
		nlines = vm_pair_config_read(opt.config, vm_pair_libvirt_dir(), lines, MAX_PAIRS);
	if (!npairs && !nlines)
		die("no pairs to time: %s name none", opt.config ? "--pairs and --config" : "--pairs");
	skel = BPFNET_OPEN(multi_vm_pair_latency_pairid_bpf);
	vm_pair_load(skel->skeleton, &hooks, &cfg, ports, nports);
	if (!g_common.json) {
		printf("Ports: [");
		vm_pair_print_ports(ports, nports, ", ");
		printf("]\n");
	}
	for (int i = 0; i < npairs; i++) {
		map_dev(skel->obj, true, pairs[i].rx_dev, pairs[i].id);
		map_dev(skel->obj, false, pairs[i].tx_dev, pairs[i].id);
	}
	vm_pair_add_config_devs(skel->obj, lines, nlines, map_dev_both);
	if (!g_common.json) {
		vm_pair_print_probe(&hooks);
		printf("Attaching eBPF. We'll print out 'PAIR_LAT pair_id=xx lat=xxx us' lines.\n");
		printf("Ctrl+C to exit.\n\n");
		output_flush();
	}
	vm_pair_run(skel->obj, &hooks, handle, opt.duration, false);
	multi_vm_pair_latency_pairid_bpf__destroy(skel);
	return 0;
}
