// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs_userspace_megaflow: the OVS slow path event by event: each upcall (the packet, its
 * command and netlink port) and each megaflow ovs-vswitchd installs (OVS_FLOW_CMD_NEW: key and
 * mask, actions), decoded from the netlink request itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "log.h"
#include "output.h"
#include "ovs_upcall.h"
#include "runtime.h"
#include "timefmt.h"
#include "ovs_flow_netlink.h"
#include "ovs_userspace_megaflow.h"
#include "ovs_userspace_megaflow.skel.h"

#define TOOL "ovs_userspace_megaflow"

static const char *const proto_choices[] = { "tcp", "udp", "icmp", "all", NULL };

static struct {
	bool debug;
	const char *eth_src, *eth_dst, *eth_type;
	uint32_t src_ip, dst_ip;
	int ip_proto;
	uint8_t protocol;
	int l4_src_port, l4_dst_port;
	double duration;
} opt = { .ip_proto = -1, .l4_src_port = -1, .l4_dst_port = -1 };

static const struct arg_opt options[] = {
	OPT_FLAG("debug", 0, &opt.debug,
		 "show all events, also those the filters do not match, with the reason (and, with --json, "
		 "each flow request's netlink bytes in hex)"),
	OPT_STR("eth-src", 0, &opt.eth_src, "source MAC address filter (aa:bb:cc:dd:ee:ff)"),
	OPT_STR("eth-dst", 0, &opt.eth_dst, "destination MAC address filter"),
	OPT_STR("eth-type", 0, &opt.eth_type, "EtherType filter (0x0800, 2048, ...)"),
	OPT_IPV4("src-ip", 0, &opt.src_ip, "IPv4 source address filter"),
	OPT_IPV4("ip-src", 0, &opt.src_ip, "the same as --src-ip"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "IPv4 destination address filter"),
	OPT_IPV4("ip-dst", 0, &opt.dst_ip, "the same as --dst-ip"),
	OPT_INT("ip-proto", 0, &opt.ip_proto, 0, 255, "IP protocol number filter (default: none)",
		.metavar = "IP_PROTO"),
	OPT_PROTO("protocol", 0, &opt.protocol, "IP protocol filter by name, instead of --ip-proto",
		  .choices = proto_choices),
	OPT_INT("l4-src-port", 0, &opt.l4_src_port, 0, 65535, "TCP/UDP source port filter (default: none)",
		.metavar = "L4_SRC_PORT"),
	OPT_INT("l4-dst-port", 0, &opt.l4_dst_port, 0, 65535,
		"TCP/UDP destination port filter (default: none)", .metavar = "L4_DST_PORT"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = TOOL,
	.description = "OVS Userspace Megaflow Tracker with configurable filtering: every upcall of the "
		       "datapath and every megaflow ovs-vswitchd installs (key, mask, actions)",
	.epilog = "examples:\n"
		  "  " TOOL " --src-ip 172.21.153.114 --dst-ip 172.21.153.113 --protocol tcp\n"
		  "  " TOOL " --eth-src 00:11:22:33:44:55 --src-ip 10.0.0.100 --l4-src-port 80 --ip-proto 6",
	.opts = options,
};

enum { HOOK_UPCALL, HOOK_FLOW_NEW, HOOKS };

static const struct hook_def hook_defs[HOOKS] = {
	[HOOK_UPCALL] = OVS_UPCALL_HOOK("tp_ovs_dp_upcall", "kp_ovs_dp_upcall"),
	[HOOK_FLOW_NEW] = { "ovs_flow_cmd_new",
			    { HOOK_FUNC_ENTRY("kp_ovs_flow_cmd_new", "ovs_flow_cmd_new") },
			    "openvswitch" },
};
const struct hook_table megaflow_hook_table = { hook_defs, HOOKS };

static void parse_mac(const char *text, const char *what, uint8_t *mac)
{
	unsigned v[6];
	char end;

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6 ||
	    strlen(text) != 17)
		arg_fail("argument %s: invalid MAC address: '%s' (want aa:bb:cc:dd:ee:ff)", what,
			 arg_shown(text));
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
}

static void build_filter(struct megaflow_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (opt.eth_src) {
		parse_mac(opt.eth_src, "--eth-src", f->eth_src);
		f->eth_src_set = true;
	}
	if (opt.eth_dst) {
		parse_mac(opt.eth_dst, "--eth-dst", f->eth_dst);
		f->eth_dst_set = true;
	}
	if (opt.eth_type) {
		char *end;
		long v;

		errno = 0;
		v = strtol(opt.eth_type, &end, 0);
		if (errno || end == opt.eth_type || *end || v < 0 || v > 0xffff)
			arg_fail("argument --eth-type: invalid EtherType: '%s'", arg_shown(opt.eth_type));
		f->eth_type = (uint16_t)v;
		f->eth_type_set = true;
	}
	f->src_ip = opt.src_ip;
	f->src_ip_set = opt.src_ip != 0;
	f->dst_ip = opt.dst_ip;
	f->dst_ip_set = opt.dst_ip != 0;
	/* --protocol replaces --ip-proto, and its "all" means no protocol filter. */
	if (opt.protocol) {
		f->proto = opt.protocol;
		f->proto_set = true;
	} else if (opt.ip_proto >= 0) {
		f->proto = (uint8_t)opt.ip_proto;
		f->proto_set = true;
	}
	f->sport_set = opt.l4_src_port >= 0;
	f->sport = (uint16_t)(opt.l4_src_port < 0 ? 0 : opt.l4_src_port);
	f->dport_set = opt.l4_dst_port >= 0;
	f->dport = (uint16_t)(opt.l4_dst_port < 0 ? 0 : opt.l4_dst_port);
}

struct tracer {
	struct megaflow_filter filter;
	struct megaflow_totals totals;
	struct ovs_flow_msg msg;
};

static const char *event_time(uint64_t ts_ns, char *buf, size_t len)
{
	uint64_t wall = ktime_to_wall_ns(ts_ns);
	char hms[16];

	snprintf(buf, len, "%s.%03llu", fmt_wall_ns_hms(wall, hms, sizeof(hms)),
		 (unsigned long long)(wall / 1000000 % 1000));
	return buf;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct megaflow_event *ev = data;
	struct megaflow_view v = { .ev = ev };
	char when[32], err[128];
	bool filtering = megaflow_filter_enabled(&t->filter);

	if (size < MEGAFLOW_UPCALL_SIZE)
		return;
	if (ev->kind == MEGAFLOW_UPCALL) {
		t->totals.upcalls++;
		v.mismatch = filtering ? megaflow_upcall_mismatch(&t->filter, ev) : NULL;
		t->totals.filtered_upcalls += !v.mismatch;
	} else {
		if (size < sizeof(*ev))
			return;
		t->totals.flows++;
		if (ovs_flow_msg_decode(ev->msg, ev->captured, &t->msg, err, sizeof(err)) == 0)
			v.msg = &t->msg;
		else
			v.error = err;
		v.mismatch = filtering ? megaflow_flow_mismatch(&t->filter, v.msg) : NULL;
		t->totals.filtered_flows += !v.mismatch;
	}
	if (v.mismatch && !opt.debug)
		return;
	v.time = event_time(ev->ts_ns, when, sizeof(when));
	v.hex = opt.debug;
	if (g_common.json)
		megaflow_print_event_json(stdout, &v);
	else
		megaflow_print_event(stdout, &v);
	output_event_end();
}

int main(int argc, char **argv)
{
	static struct tracer tracer;
	struct ovs_userspace_megaflow_bpf *skel;
	struct event_channel *ch;
	struct hook_set hooks;
	char desc[HOOKS][192], how[160];
	const char *probes[HOOKS];

	args_parse(&parser, argc, argv);
	build_filter(&tracer.filter);
	tool_init(TOOL);
	hook_set_init(&hooks, hook_defs, HOOKS, 0);
	require_module("openvswitch", "ovs_dp_upcall and ovs_flow_cmd_new are its functions");

	skel = BPFNET_OPEN(ovs_userspace_megaflow_bpf);
	hook_prepare(&hooks, skel->obj);
	events_prepare(skel->obj);
	bpfload_load(skel->skeleton);
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &tracer);
	tool_install_signals();
	hook_attach(&hooks);
	for (int h = 0; h < HOOKS; h++) {
		snprintf(desc[h], sizeof(desc[h]), "%s (%s)", hook_defs[h].role,
			 hook_describe(&hooks, h, how, sizeof(how)));
		probes[h] = desc[h];
	}
	if (!g_common.json)
		megaflow_print_banner(stdout, &tracer.filter, opt.debug, probes, HOOKS);
	output_flush();
	events_trace(ch, &hooks, opt.duration, "");
	tracer.totals.lost = events_lost(ch);
	if (g_common.json)
		megaflow_print_totals_json(stdout, &tracer.totals);
	else
		megaflow_print_totals(stdout, &tracer.totals);
	events_close(ch);
	ovs_userspace_megaflow_bpf__destroy(skel);
	return 0;
}
