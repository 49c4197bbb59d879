// SPDX-License-Identifier: GPL-2.0-only
/* tun_ring_monitor: tap TX ptr_ring-full conditions (or every transmit) at tun_net_xmit. */
#include <bpf/bpf.h>
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "tun_dev.h"
#include "tun_ring_monitor.h"
#include "tun_ring_monitor.skel.h"

static const char *const protocols[] = { "tcp", "udp", NULL };

static struct {
	const char *device;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint8_t protocol;
	bool all, verbose;
	int interval;
} opt;

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device, "Target device name (e.g., vnet12)"),
	OPT_IPV4("src-ip", 0, &opt.src_ip, "Source IP filter"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "Destination IP filter"),
	OPT_PORT("src-port", 0, &opt.src_port, "Source port filter"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "Destination port filter"),
	OPT_PROTO("protocol", 0, &opt.protocol, "Protocol filter", .choices = protocols),
	OPT_FLAG("all", 0, &opt.all, "Show all events (not just ring full)"),
	OPT_FLAG("verbose", 'v', &opt.verbose, "Verbose output"),
	OPT_INT("interval", 0, &opt.interval, 0, 86400,
		"also print the transmits and ring-full conditions per device queue every INTERVAL seconds "
		"(default: 0, off)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun_ring_monitor",
	.description = "Monitor TUN ring buffer status with BPF Maps filters. The 5-tuple filters are "
		       "alternatives, as in the original: a packet is shown when ANY given filter matches.",
	.epilog = "examples:\n"
		  "  tun_ring_monitor                                  # ring-full conditions on every tap\n"
		  "  tun_ring_monitor --device vnet12                  # one tap\n"
		  "  tun_ring_monitor --device vnet12 --all            # every transmit into it\n"
		  "  tun_ring_monitor --src-ip 192.168.1.100           # packets from that address\n"
		  "  tun_ring_monitor --dst-port 80 --protocol tcp     # to port 80, or any TCP packet\n"
		  "  tun_ring_monitor --device vnet12 --interval 1     # and counts per queue every second",
	.opts = options,
};

/* ---- probes ---- */

static const struct hook_def hook_defs[] = {
	{ "transmit into a tap", { HOOK_FUNC_ENTRY("trm_xmit", "tun_net_xmit") }, "tun" },
};
const struct hook_table trm_hook_table = { hook_defs, 1 };

/* ---- run ---- */

static struct tun_ring_monitor_bpf *skel;
/* The --interval counts at the previous report, to report each interval's own. */
static struct trm_queue_row last_rows[TRM_MAX_QUEUE_COUNTS];
static int nlast;
static __u64 last_overflow;

static int read_rows(struct trm_queue_row *rows)
{
	int fd = bpf_map__fd(skel->maps.queue_counts), n = 0;
	struct trm_queue_key key, next, *prev = NULL;

	while (n < TRM_MAX_QUEUE_COUNTS && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &rows[n].count)) {
			rows[n].key = key;
			n++;
		}
	}
	return n;
}

static void interval_report(void *ctx)
{
	static struct trm_queue_row rows[TRM_MAX_QUEUE_COUNTS], totals[TRM_MAX_QUEUE_COUNTS];
	__u64 overflow = bpfload_percpu_sum(skel->maps.queue_counts_overflow, 0);
	int n = read_rows(rows), shown;
	char hms[16];

	(void)ctx;
	memcpy(totals, rows, sizeof(rows[0]) * (size_t)n);
	shown = trm_rows_since(rows, n, last_rows, nlast);
	memcpy(last_rows, totals, sizeof(rows[0]) * (size_t)n);
	nlast = n;
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		trm_print_interval_json(stdout, rows, shown, overflow - last_overflow, hms);
	else
		trm_print_interval(stdout, rows, shown, overflow - last_overflow, hms, opt.interval);
	last_overflow = overflow;
	output_flush();
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct trm_event *ev = data;
	char when[40];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	/* "YYYY-MM-DD HH:MM:SS.mmm": the original printed boot time as if it were the time of day. */
	fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
	if (g_common.json)
		trm_print_json(stdout, ev, when + 11);
	else
		trm_print_event(stdout, ev, when + 11);
	output_event_end();
}

static void build_config(struct trm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (opt.device) {
		strncpy((char *)cfg->device.name[0], opt.device, DEV_NAME_LEN - 1);
		cfg->device.count = 1;
	}
	cfg->saddr = opt.src_ip;
	cfg->daddr = opt.dst_ip;
	cfg->sport = opt.src_port;
	cfg->dport = opt.dst_port;
	cfg->protocol = opt.protocol;
	cfg->filter_enabled = opt.src_ip || opt.dst_ip || opt.src_port || opt.dst_port || opt.protocol;
	cfg->all = opt.all;
	cfg->count_queues = opt.interval > 0;
}

int main(int argc, char **argv)
{
	struct trm_settings shown = { 0 };
	struct event_channel *ch;
	struct hook_set hooks;
	struct trm_config cfg;

	args_parse(&parser, argc, argv);
	tool_init("tun_ring_monitor");
	hook_set_init(&hooks, trm_hook_table.defs, trm_hook_table.n, 0);
	build_config(&cfg);
	tun_require();
	if (opt.device)
		tun_device_require(opt.device);
	require_function_hooks("tun_net_xmit has no tracepoint");
	if (opt.verbose)
		trm_print_verbose(stdout, &cfg);
	skel = BPFNET_OPEN(tun_ring_monitor_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		shown.device = opt.device;
		shown.saddr = opt.src_ip;
		shown.daddr = opt.dst_ip;
		shown.sport = opt.src_port;
		shown.dport = opt.dst_port;
		shown.protocol = opt.protocol;
		shown.all = opt.all;
		trm_print_banner(stdout, &shown);
	}
	if (opt.verbose)
		hook_print(stdout, &hooks);
	output_flush();
	events_trace_every(ch, &hooks, opt.interval, interval_report, "\nMonitoring stopped.\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	tun_ring_monitor_bpf__destroy(skel);
	return 0;
}
