// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtionet-rx-path-monitor: the bpftrace script virtionet-rx-path-monitor.bt as a binary, run
 * inside a guest: the virtio-net RX NAPI cycle's returns as lines, a running summary every
 * interval and a final report with histograms.
 */
#include <bpf/bpf.h>
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "interval.h"
#include "kernel_btf.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "virtionet-rx-path-monitor.h"
#include "virtionet-rx-path-monitor.skel.h"

static struct {
	double interval;
	double duration;
	bool all_devices;
} opt = { .interval = 10 };

static const struct arg_opt options[] = {
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE,
		    "seconds between running summaries (default: 10, as the original)", .metavar = "SECONDS"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds and print the final report (default: until Ctrl-C)",
		    .metavar = "SECONDS"),
	OPT_FLAG("all-devices", 0, &opt.all_devices,
		 "count virtqueue_enable_cb_prepare, napi_complete_done and virtqueue_poll for every "
		 "virtio device and NAPI instance, as the original did (default: only the virtio-net RX "
		 "queue virtnet_poll is polling)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "virtionet-rx-path-monitor",
	.description =
		"Trace the virtio-net RX NAPI cycle inside a guest: virtnet_poll, "
		"virtqueue_enable_cb_prepare, napi_complete_done and virtqueue_poll returns, a running "
		"summary and a final report with histograms at Ctrl-C",
	.epilog = "examples:\n"
		  "  virtionet-rx-path-monitor              # until Ctrl-C, a summary every 10 s\n"
		  "  virtionet-rx-path-monitor -i 2 -d 30   # a summary every 2 s, stop after 30 s\n"
		  "  virtionet-rx-path-monitor --all-devices  # count every caller, as the original",
	.opts = options,
};

enum {
	RX_POLL,
	RX_POLL_RET,
	RX_ENABLE_CB,
	RX_ENABLE_CB_RET,
	RX_COMPLETE,
	RX_COMPLETE_RET,
	RX_VQ_POLL,
	RX_VQ_POLL_RET,
	RX_HOOKS
};

/* virtnet_poll is what the tool is about; without one of the others its lines and counts are missing. */
static const struct hook_def hook_defs[RX_HOOKS] = {
	[RX_POLL] = { "virtio-net RX polls", { HOOK_FUNC_ENTRY("rxmon_poll", "virtnet_poll") }, "virtio_net" },
	[RX_POLL_RET] = { "packets per RX poll",
			  { HOOK_FUNC_RETURN("rxmon_poll_ret", "virtnet_poll") },
			  "virtio_net" },
	[RX_ENABLE_CB] = { "RX interrupt re-enable",
			   { { HOOK_KPROBE, "rxmon_enable_cb", "virtqueue_enable_cb_prepare" } },
			   .optional = true },
	[RX_ENABLE_CB_RET] = { "RX interrupt re-enable results",
			       { HOOK_FUNC_RETURN("rxmon_enable_cb_ret", "virtqueue_enable_cb_prepare") },
			       .optional = true },
	[RX_COMPLETE] = { "NAPI completion",
			  { HOOK_FUNC_ENTRY("rxmon_complete", "napi_complete_done") },
			  .optional = true },
	[RX_COMPLETE_RET] = { "NAPI completion results",
			      { HOOK_FUNC_RETURN("rxmon_complete_ret", "napi_complete_done") },
			      .optional = true },
	[RX_VQ_POLL] = { "used buffers after re-enable",
			 { { HOOK_KPROBE, "rxmon_vq_poll", "virtqueue_poll" } },
			 .optional = true },
	[RX_VQ_POLL_RET] = { "used buffers after re-enable results",
			     { HOOK_FUNC_RETURN("rxmon_vq_poll_ret", "virtqueue_poll") },
			     .optional = true },
};
const struct hook_table rxmon_hook_table = { hook_defs, RX_HOOKS };

struct monitor {
	struct virtionet_rx_path_monitor_bpf *skel;
	struct hook_set *hooks;
	struct event_channel *events;
	double start_s;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct rxmon_event *ev = data;
	char hms[16];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	if (g_common.json) {
		fmt_wall_ns_hms(ktime_to_wall_ns(ev->ts_ns), hms, sizeof(hms));
		rxmon_print_event_json(stdout, ev, hms);
	} else {
		rxmon_print_event(stdout, ev);
	}
}

static void read_totals(const struct monitor *m, struct rxmon_totals *t)
{
	uint64_t hist[RXMON_HIST_SLOTS];

	bpfload_percpu_sums(m->skel->maps.counters, RXMON_COUNTERS, t->count);
	bpfload_percpu_sums(m->skel->maps.ret_hist, RXMON_HIST_SLOTS, hist);
	memcpy(t->hist, hist, sizeof(hist));
	t->elapsed_s = (uint64_t)(tool_elapsed() - m->start_s);
	t->lost_events = events_lost(m->events);
}

static void report(void *ctx)
{
	struct rxmon_totals t;
	char hms[16];

	read_totals(ctx, &t);
	if (g_common.json)
		rxmon_print_summary_json(stdout, &t, fmt_time_hms(hms, sizeof(hms)));
	else
		rxmon_print_summary(stdout, &t);
	output_flush();
}

static void final(void *ctx)
{
	struct monitor *m = ctx;
	struct rxmon_totals t;

	hook_detach(m->hooks);
	events_drain(m->events);
	read_totals(m, &t);
	if (g_common.json)
		rxmon_print_final_json(stdout, &t);
	else
		rxmon_print_final(stdout, &t);
	output_flush();
}

static int active_hooks(const struct hook_set *hooks)
{
	int n = 0;

	for (int i = 0; i < hooks->n; i++)
		n += hook_active(hooks, i);
	return n;
}

int main(int argc, char **argv)
{
	struct rxmon_config cfg = { 0 };
	struct monitor m = { 0 };
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	tool_init(parser.prog);
	hook_set_init(&hooks, rxmon_hook_table.defs, rxmon_hook_table.n, 0);
	require_function_hooks("virtnet_poll has no tracepoint to use instead");
	cfg.all_devices = opt.all_devices;

	m.skel = BPFNET_OPEN(virtionet_rx_path_monitor_bpf);
	hook_prepare(&hooks, m.skel->obj);
	if (!opt.all_devices && !kernel_struct_exists("receive_queue", "virtio_net"))
		die("no BTF describes virtio_net's struct receive_queue (module BTF came in 5.11): pass "
		    "--btf DIR "
		    "with a virtio_net file (README: Kernels without BTF), or --all-devices to count every "
		    "caller "
		    "without it");
	bpfload_load(m.skel->skeleton);
	bpfload_write_config(m.skel->maps.config_map, &cfg, sizeof(cfg));
	m.hooks = &hooks;
	m.events = events_open(m.skel->maps.events, m.skel->maps.events_lost, handle_event, &m);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		hook_print(stdout, &hooks);
		/* bpftrace counts BEGIN, END and the interval too */
		printf("Attaching %d probes...\n", active_hooks(&hooks) + 3);
		rxmon_print_banner(stdout);
	}
	output_flush();
	m.start_s = tool_elapsed();
	tool_ready();
	interval_run(&(struct interval_loop){ .interval_s = opt.interval,
					      .duration_s = opt.duration ? m.start_s + opt.duration : 0,
					      .report = report,
					      .final = final,
					      .ctx = &m,
					      .events = m.events });
	events_close(m.events);
	virtionet_rx_path_monitor_bpf__destroy(m.skel);
	return 0;
}
