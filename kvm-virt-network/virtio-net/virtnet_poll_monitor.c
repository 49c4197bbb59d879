// SPDX-License-Identifier: GPL-2.0-only
/* virtnet_poll_monitor: per-event virtio-net RX interrupts and NAPI polls, per device and queue. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "virtio_dev.h"
#include "virtnet_poll_monitor.h"
#include "virtnet_poll_monitor.skel.h"

static struct {
	const char *device;
	int queue;
	bool verbose;
	int interval;
} opt = { .queue = -1 };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device, "Network device name to filter (e.g., eth0)"),
	OPT_INT("queue", 'q', &opt.queue, 0, 65535, "Queue index to filter (default: all queues)"),
	OPT_FLAG("verbose", 'v', &opt.verbose, "Verbose output"),
	OPT_INT("interval", 0, &opt.interval, 0, 86400,
		"also print per device queue counts of interrupts, polls and packets every INTERVAL seconds "
		"(default: 0, off)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "virtnet_poll_monitor",
	.description = "Monitor virtio-net RX interrupts and NAPI polls (run inside the guest).",
	.epilog = "examples:\n"
		  "  virtnet_poll_monitor                  # all devices and queues\n"
		  "  virtnet_poll_monitor -d eth0          # one device\n"
		  "  virtnet_poll_monitor -d eth0 -q 0     # one RX queue of one device\n"
		  "  virtnet_poll_monitor --interval 2     # and counts every 2 seconds",
	.opts = options,
};

/* ---- layout ---- */

void virtnet_poll_print_banner(FILE *f, const char *dev, int queue)
{
	if (dev)
		fprintf(f, "Device filter: %s\n", dev);
	else
		fprintf(f, "Device filter: All devices\n");
	if (queue >= 0)
		fprintf(f, "Queue filter: %d\n", queue);
	else
		fprintf(f, "Queue filter: All queues\n");
	fprintf(f, "\nVirtio-net RX Monitor Started\n"
		   "Monitoring virtnet_poll and skb_recv_done events\n"
		   "Waiting for events... Press Ctrl+C to stop\n\n");
}

void virtnet_poll_print_event(FILE *f, const struct virtnet_poll_event *ev, const char *hms_ms)
{
	fprintf(f, "%s [%u] ", hms_ms, ev->pid);
	switch (ev->type) {
	case VPOLL_RECV_DONE:
		fprintf(f, "skb_recv_done:     dev=%s queue=%u vq_idx=%u vq=%#llx\n", ev->dev_name,
			ev->queue_index, ev->vq_index, (unsigned long long)ev->vq_ptr);
		break;
	case VPOLL_ENTRY:
		fprintf(f, "virtnet_poll ENTRY: dev=%s queue=%u budget=%u vq_idx=%u napi=%#llx\n",
			ev->dev_name, ev->queue_index, ev->budget, ev->vq_index,
			(unsigned long long)ev->napi_ptr);
		break;
	case VPOLL_EXIT:
		fprintf(f, "virtnet_poll EXIT:  dev=%s queue=%u processed=%d/%u (%.1f%%)\n", ev->dev_name,
			ev->queue_index, ev->processed, ev->budget,
			ev->budget ? ev->processed * 100.0 / ev->budget : 0.0);
		break;
	}
}

static const char *const event_names[] = {
	[VPOLL_ENTRY] = "poll_entry",
	[VPOLL_EXIT] = "poll_exit",
	[VPOLL_RECV_DONE] = "skb_recv_done",
};

void virtnet_poll_print_json(FILE *f, const struct virtnet_poll_event *ev, const char *hms_ms)
{
	struct json j;
	char ptr[24];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms_ms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "event", ev->type < 3 ? event_names[ev->type] : "unknown");
	json_uint(&j, "pid", ev->pid);
	json_uint(&j, "tid", ev->tid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "dev", ev->dev_name);
	json_uint(&j, "queue", ev->queue_index);
	json_uint(&j, "vq_idx", ev->vq_index);
	if (ev->type != VPOLL_RECV_DONE) {
		json_uint(&j, "budget", ev->budget);
		snprintf(ptr, sizeof(ptr), "%#llx", (unsigned long long)ev->napi_ptr);
		json_str(&j, "napi", ptr);
	}
	if (ev->type == VPOLL_EXIT)
		json_int(&j, "processed", ev->processed);
	snprintf(ptr, sizeof(ptr), "%#llx", (unsigned long long)ev->vq_ptr);
	json_str(&j, "vq", ptr);
	json_end_obj(&j);
	json_finish(&j);
}

void virtnet_poll_print_interval(FILE *f, const struct vpoll_tally *t, int n, const char *hms, int interval)
{
	fprintf(f, "--- %s counts of the last %d s ---\n", hms, interval);
	if (!n)
		fprintf(f, "no events\n");
	for (int i = 0; i < n; i++) {
		fprintf(f, "dev=%s queue=%u interrupts=%llu polls=%llu packets=%llu", t[i].dev, t[i].queue,
			(unsigned long long)t[i].interrupts, (unsigned long long)t[i].polls,
			(unsigned long long)t[i].packets);
		if (t[i].polls)
			fprintf(f, " (%.1f packets/poll)", (double)t[i].packets / t[i].polls);
		fputc('\n', f);
	}
}

void virtnet_poll_print_interval_json(FILE *f, const struct vpoll_tally *t, int n, const char *hms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "event", "interval");
	json_arr(&j, "queues");
	for (int i = 0; i < n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "dev", t[i].dev);
		json_uint(&j, "queue", t[i].queue);
		json_uint(&j, "interrupts", t[i].interrupts);
		json_uint(&j, "polls", t[i].polls);
		json_uint(&j, "packets", t[i].packets);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- probes ---- */

enum { VP_POLL, VP_POLL_RET, VP_RECV_DONE, VP_HOOKS };

static const struct hook_def hook_defs[VP_HOOKS] = {
	[VP_POLL] = { "NAPI poll entry", { HOOK_FUNC_ENTRY("vpoll_entry", "virtnet_poll") }, "virtio_net" },
	[VP_POLL_RET] = { "NAPI poll exit", { HOOK_FUNC_RETURN("vpoll_exit", "virtnet_poll") }, "virtio_net" },
	[VP_RECV_DONE] = { "RX interrupt callback",
			   { HOOK_FUNC_ENTRY("vpoll_recv_done", "skb_recv_done") },
			   "virtio_net" },
};
const struct hook_table virtnet_poll_hook_table = { hook_defs, VP_HOOKS };

/* ---- run ---- */

#define MAX_TALLIES 256

/* The --interval counts, by device queue in order of first event. */
static struct vpoll_tally tallies[MAX_TALLIES];
static int ntallies;

static void tally(const struct virtnet_poll_event *ev)
{
	struct vpoll_tally *t = NULL;

	for (int i = 0; i < ntallies && !t; i++)
		if (tallies[i].queue == ev->queue_index && !strcmp(tallies[i].dev, ev->dev_name))
			t = &tallies[i];
	if (!t) {
		if (ntallies == MAX_TALLIES)
			return;
		t = &tallies[ntallies++];
		memset(t, 0, sizeof(*t));
		memcpy(t->dev, ev->dev_name, sizeof(t->dev));
		t->queue = ev->queue_index;
	}
	if (ev->type == VPOLL_RECV_DONE)
		t->interrupts++;
	else if (ev->type == VPOLL_ENTRY)
		t->polls++;
	else if (ev->processed > 0)
		t->packets += (__u64)ev->processed;
}

static void interval_report(void *ctx)
{
	char hms[16];

	(void)ctx;
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		virtnet_poll_print_interval_json(stdout, tallies, ntallies, hms);
	else
		virtnet_poll_print_interval(stdout, tallies, ntallies, hms, opt.interval);
	output_flush();
	ntallies = 0;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct virtnet_poll_event *ev = data;
	char when[40];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	if (opt.interval)
		tally(ev);
	/* "YYYY-MM-DD HH:MM:SS.mmm": the original printed the time of day only. */
	fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
	if (g_common.json)
		virtnet_poll_print_json(stdout, ev, when + 11);
	else
		virtnet_poll_print_event(stdout, ev, when + 11);
	output_event_end();
}

static void build_config(struct virtnet_poll_config *cfg)
{
	char vdev[32];

	memset(cfg, 0, sizeof(*cfg));
	if (opt.device) {
		cfg->ifindex = if_nametoindex(opt.device);
		if (!cfg->ifindex)
			die("interface %s not found", opt.device);
		if (!virtio_dev_of_iface(opt.device, vdev, sizeof(vdev)))
			die("interface %s is not a virtio-net device (no virtio device under "
			    "/sys/class/net/%s/device)",
			    opt.device, opt.device);
	}
	if (opt.queue >= 0) {
		cfg->queue_filter = 1;
		cfg->queue = (__u32)opt.queue;
	}
}

int main(int argc, char **argv)
{
	struct virtnet_poll_config cfg;
	struct virtnet_poll_monitor_bpf *skel;
	struct event_channel *ch;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	tool_init("virtnet_poll_monitor");
	hook_set_init(&hooks, virtnet_poll_hook_table.defs, virtnet_poll_hook_table.n, 0);
	build_config(&cfg);
	require_function_hooks("virtnet_poll and skb_recv_done have no tracepoints");
	if (!g_common.json)
		virtnet_poll_print_banner(stdout, opt.device, opt.queue);
	if (opt.verbose)
		printf("Loading BPF program...\n");
	skel = BPFNET_OPEN(virtnet_poll_monitor_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	hook_attach(&hooks);
	if (opt.verbose) {
		hook_print(stdout, &hooks);
		printf("Probes attached successfully\n");
	}
	output_flush();
	events_trace_every(ch, &hooks, opt.interval, interval_report, "\nMonitoring stopped.\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	virtnet_poll_monitor_bpf__destroy(skel);
	return 0;
}
