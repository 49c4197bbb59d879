// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs_upcall_latency_summary: per interval, a histogram of the OVS slow path's round trip,
 * from the kernel datapath's upcall to ovs-vswitchd's execute of the same packet, with exact
 * percentiles and the upcalls' commands.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "log.h"
#include "output.h"
#include "ovs_upcall.h"
#include "percpu_delta.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"
#include "ovs_upcall_latency_summary.h"
#include "ovs_upcall_latency_summary.skel.h"

#define TOOL "ovs_upcall_latency_summary"

static const char *const proto_choices[] = { "tcp", "udp", "icmp", "all", NULL };

static struct {
	uint32_t src_ip, dst_ip; /* network order, 0 = any */
	uint16_t src_port, dst_port;
	uint8_t protocol;
	double interval, duration;
	struct prom_opts prom;
} opt = { .interval = 5 };

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip, "source IP address filter (matches source or destination)"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "destination IP address filter (matches source or destination)"),
	OPT_PORT("src-port", 0, &opt.src_port, "source port filter, TCP/UDP (matches either port)"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "destination port filter, TCP/UDP (matches either port)"),
	OPT_PROTO("protocol", 0, &opt.protocol, "protocol filter (default: all)", .choices = proto_choices),
	OPT_PROTO("proto", 0, &opt.protocol, "the same as --protocol (the manual's spelling)",
		  .choices = proto_choices),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE, "statistics interval in seconds (default: 5)"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (default: 0, until Ctrl-C)", .metavar = "SECONDS"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = TOOL,
	.description = "OVS Upcall Latency Histogram Tool: the time from the kernel datapath's upcall "
		       "(ovs_dp_upcall) until ovs-vswitchd sends the same packet back for execution",
	.epilog = "examples:\n"
		  "  " TOOL " --src-ip 172.21.153.113 --dst-ip 172.21.153.114 --proto tcp\n"
		  "  " TOOL " --src-ip 192.168.76.198 --proto tcp --interval 5\n"
		  "  " TOOL " --proto all --interval 10",
	.opts = options,
};

enum { HOOK_UPCALL, HOOK_KEYEXT, HOOKS };

static const struct hook_def hook_defs[HOOKS] = {
	[HOOK_UPCALL] = OVS_UPCALL_HOOK("tp_ovs_dp_upcall", "kp_ovs_dp_upcall"),
	[HOOK_KEYEXT] = { "ovs_flow_key_extract_userspace",
			  { HOOK_FUNC_ENTRY("kp_ovs_flow_key_extract_userspace",
					    "ovs_flow_key_extract_userspace") },
			  "openvswitch" },
};
const struct hook_table upcall_hook_table = { hook_defs, HOOKS };

struct state {
	struct ovs_upcall_latency_summary_bpf *skel;
	struct hook_set hooks;
	struct percpu_delta hist, counters;
	uint64_t *recorded; /* UPCALL_MAX_RECORDED */
	double last_report;
	struct prom prom;
};

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Empties the queue of recorded latencies into st->recorded, sorted (the legacy object has none). */
static size_t drain_recorded(struct state *st)
{
	int fd = bpf_map__fd(st->skel->maps.latencies);
	size_t n = 0;

	if (bpf_map__type(st->skel->maps.latencies) != BPF_MAP_TYPE_QUEUE)
		return 0;
	while (n < UPCALL_MAX_RECORDED && !bpf_map_lookup_and_delete_elem(fd, NULL, &st->recorded[n]))
		n++;
	qsort(st->recorded, n, sizeof(*st->recorded), by_value);
	return n;
}

static long long count_sessions(struct state *st)
{
	int fd = bpf_map__fd(st->skel->maps.sessions);
	struct upcall_key key, next;
	void *prev = NULL;
	long long n = 0;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return errno == ENOENT || !n ? n : -1;
}

/* The metrics: percpu_delta keeps the sums since the start (its .last), so all are cumulative. */
static void write_metrics(struct state *st, long long sessions)
{
	const uint64_t *c = st->counters.last;
	struct upcall_report cum = {
		.total = c[UPCALL_CNT_TOTAL],
		.completed = c[UPCALL_CNT_COMPLETED],
		.slots = st->hist.last,
		.latency_sum_ns = c[UPCALL_CNT_LATENCY_NS],
		.miss = c[UPCALL_CNT_MISS],
		.action = c[UPCALL_CNT_ACTION],
		.other_cmd = c[UPCALL_CNT_CMD_OTHER],
		.sessions = sessions,
	};

	prom_begin(&st->prom, TOOL);
	upcall_prom_write(&st->prom, &cum);
	prom_commit(&st->prom, opt.prom.path);
}

static void report(struct state *st, int final)
{
	const uint64_t *slots = percpu_delta_read(&st->hist), *grew = percpu_delta_read(&st->counters);
	uint64_t totals[UPCALL_COUNTERS];
	double now = tool_elapsed();
	char when[32];
	struct upcall_report r = {
		.time = fmt_datetime(when, sizeof(when)),
		.interval_s = now - st->last_report,
		.slots = slots,
		.latency_sum_ns = grew[UPCALL_CNT_LATENCY_NS],
		.latencies_ns = st->recorded,
		.nrecorded = drain_recorded(st),
		.not_recorded = grew[UPCALL_CNT_NOT_RECORDED],
		.miss = grew[UPCALL_CNT_MISS],
		.action = grew[UPCALL_CNT_ACTION],
		.other_cmd = grew[UPCALL_CNT_CMD_OTHER],
		.sessions = count_sessions(st),
	};

	bpfload_percpu_sums(st->skel->maps.counters, UPCALL_COUNTERS, totals);
	r.total = totals[UPCALL_CNT_TOTAL];
	r.completed = totals[UPCALL_CNT_COMPLETED];
	st->last_report = now;
	if (g_common.json)
		upcall_print_json(stdout, &r, final);
	else
		upcall_print_report(stdout, &r);
	output_flush();
	if (opt.prom.path)
		write_metrics(st, r.sessions);
}

static void report_interval(void *st)
{
	report(st, 0);
}

static void report_final(void *ctx)
{
	struct state *st = ctx;

	hook_detach(&st->hooks);
	if (!g_common.json)
		printf("\n\nFinal statistics:\n");
	report(st, 1);
}

static void print_banner(const struct hook_set *hooks)
{
	char desc[HOOKS][160];
	const char *probes[HOOKS];
	struct upcall_banner b = {
		.protocol = l4proto_choice(proto_choices, opt.protocol),
		.src_ip = opt.src_ip,
		.dst_ip = opt.dst_ip,
		.src_port = opt.src_port,
		.dst_port = opt.dst_port,
		.interval_s = opt.interval,
		.probes = probes,
		.nprobes = HOOKS,
	};
	char how[128];

	for (int h = 0; h < HOOKS; h++) {
		snprintf(desc[h], sizeof(desc[h]), "%s -> %s", hook_defs[h].role,
			 hook_describe(hooks, h, how, sizeof(how)));
		probes[h] = desc[h];
	}
	upcall_print_banner(stdout, &b);
}

int main(int argc, char **argv)
{
	static struct state st;
	struct upcall_config cfg = { 0 };

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	cfg.filter = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, opt.src_port, opt.dst_port, opt.protocol,
				     PKT_F_IPV4_ONLY | PKT_F_EITHER_ADDR | PKT_F_EITHER_PORT |
					     PKT_F_PORTS_TCP_UDP);
	tool_init(TOOL);
	hook_set_init(&st.hooks, hook_defs, HOOKS, 0);
	require_module("openvswitch", "ovs_dp_upcall and ovs_flow_key_extract_userspace are its functions");

	st.skel = BPFNET_OPEN(ovs_upcall_latency_summary_bpf);
	hook_prepare(&st.hooks, st.skel->obj);
	bpfload_load(st.skel->skeleton);
	bpfload_write_config(st.skel->maps.config_map, &cfg, sizeof(cfg));
	st.recorded = malloc(UPCALL_MAX_RECORDED * sizeof(*st.recorded));
	if (!st.recorded)
		die("out of memory");
	percpu_delta_init_map(&st.hist, st.skel->maps.latency_hist, UPCALL_HIST_SLOTS);
	percpu_delta_init_map(&st.counters, st.skel->maps.counters, UPCALL_COUNTERS);
	tool_install_signals();
	hook_attach(&st.hooks);
	if (!g_common.json)
		print_banner(&st.hooks);
	st.last_report = tool_elapsed();
	tool_ready();
	interval_run(&(struct interval_loop){ .interval_s = opt.interval,
					      .duration_s = opt.duration,
					      .report = report_interval,
					      .final = report_final,
					      .ctx = &st });
	if (!g_common.json)
		printf("\nExiting...\n");
	percpu_delta_free(&st.hist);
	percpu_delta_free(&st.counters);
	free(st.recorded);
	prom_free(&st.prom);
	ovs_upcall_latency_summary_bpf__destroy(st.skel);
	return 0;
}
