// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_queue_correlation_simple: every vhost signal and vhost_notify decision of the vhost
 * virtqueues serving a TAP device's queues, with the guest's interrupt-suppression flags.
 */
#include <bpf/bpf.h>
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "tun_dev.h"
#include "vhost_queue_corr.h"
#include "vhost_queue_correlation_simple.h"
#include "vhost_queue_correlation_simple.skel.h"

static struct {
	const char *device;
	int queue;
	bool verbose;
	bool debug;
} opt = { .queue = -1 };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device, "Target device name (e.g., vnet33)"),
	OPT_INT("queue", 'q', &opt.queue, 0, VQC_MAX_QUEUES - 1, "Filter by queue index"),
	OPT_FLAG("verbose", 'v', &opt.verbose, "Verbose output"),
	OPT_FLAG("debug", 0, &opt.debug, "Print debug statistics after every poll and at exit"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vhost_queue_correlation_simple",
	.description = "Simple VHOST queue monitor: vhost signal and vhost_notify events of a TAP "
		       "device's queues",
	.epilog = "examples:\n"
		  "  vhost_queue_correlation_simple                    # all TUN/TAP devices\n"
		  "  vhost_queue_correlation_simple -d vnet33 -q 0     # queue 0 of vnet33\n"
		  "  vhost_queue_correlation_simple -d vnet33 --debug  # with the debug counters",
	.opts = options,
};

/* ---- layout ---- */

void vqc_simple_print_banner(FILE *f, const char *dev, int queue)
{
	tun_print_filters(f, dev, queue, "");
	fprintf(f, "Simple VHOST Queue Monitor Started\n"
		   "Monitoring: vhost_signal & vhost_notify events\n"
		   "Clearing maps to avoid stale entries\n"
		   "Waiting for events... Press Ctrl+C to stop\n\n");
}

void vqc_simple_print_debug(FILE *f, const __u64 *d)
{
	const char *bar = "============================================================";
	const char *rule = "------------------------------------------------------------";

	fprintf(f, "\n%s\nDEBUG STATISTICS:\n%s\n", bar, bar);
	fprintf(f, "tun_net_xmit:   count=%llu, tracked=%llu\n", (unsigned long long)d[VQC_DBG_TUN_CALLS],
		(unsigned long long)d[VQC_DBG_TUN_TRACKED]);
	fprintf(f, "vhost_signal:   count=%llu, matched=%llu\n", (unsigned long long)d[VQC_DBG_SIGNAL_CALLS],
		(unsigned long long)d[VQC_DBG_SIGNAL_MATCHED]);
	fprintf(f, "vhost_notify:   count=%llu, matched=%llu\n", (unsigned long long)d[VQC_DBG_NOTIFY_CALLS],
		(unsigned long long)d[VQC_DBG_NOTIFY_MATCHED]);
	fprintf(f, "%s\nLast sock pointers:\n", rule);
	fprintf(f, "  tun_net_xmit:   0x%llx\n", (unsigned long long)d[VQC_DBG_LAST_TUN_SOCK]);
	fprintf(f, "  vhost_signal:   0x%llx\n", (unsigned long long)d[VQC_DBG_LAST_SIGNAL_SOCK]);
	fprintf(f, "  vhost_notify:   0x%llx\n", (unsigned long long)d[VQC_DBG_LAST_NOTIFY_SOCK]);
	fprintf(f, "%s\nvhost_virtqueue info:\n", rule);
	fprintf(f, "  last vq_ptr:            0x%llx\n", (unsigned long long)d[VQC_DBG_LAST_NOTIFY_VQ]);
	fprintf(f, "  private_data offset:    %llu bytes\n",
		(unsigned long long)d[VQC_DBG_PRIVATE_DATA_OFFSET]);
	fprintf(f, "%s\n", bar);
	if (d[VQC_DBG_TUN_TRACKED] && d[VQC_DBG_NOTIFY_CALLS] && !d[VQC_DBG_NOTIFY_MATCHED]) {
		fprintf(f, "\n*** DIAGNOSIS: sock_ptr MISMATCH! ***\n");
		fprintf(f, "tun tracks socket at 0x%llx, but vhost_notify reads 0x%llx\n",
			(unsigned long long)d[VQC_DBG_LAST_TUN_SOCK],
			(unsigned long long)d[VQC_DBG_LAST_NOTIFY_SOCK]);
		fprintf(f, "private_data offset used: %llu bytes\n",
			(unsigned long long)d[VQC_DBG_PRIVATE_DATA_OFFSET]);
		fprintf(f, "This indicates vhost_virtqueue.private_data offset is WRONG\n"
			   "Check kernel version differences in struct vhost_virtqueue\n");
	}
}

/* ---- probes ---- */

static const struct hook_def hook_defs[VQC_SHARED_HOOKS] = { VQC_SHARED_HOOK_DEFS };
const struct hook_table vqc_simple_hook_table = { hook_defs, VQC_SHARED_HOOKS };

/* ---- run ---- */

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct vqc_event *ev = data;
	char when[40];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
	if (g_common.json)
		vqc_print_event_json(stdout, ev, when + 11);
	else
		vqc_print_event(stdout, ev, when + 11, true);
	output_event_end();
}

static void print_debug(struct bpf_map *map)
{
	__u64 d[VQC_DBG_SLOTS] = { 0 };
	int fd = bpf_map__fd(map);

	for (__u32 i = 0; i < VQC_DBG_SLOTS; i++)
		bpf_map_lookup_elem(fd, &i, &d[i]);
	vqc_simple_print_debug(stdout, d);
	output_flush();
}

int main(int argc, char **argv)
{
	struct vhost_queue_correlation_simple_bpf *skel;
	struct event_channel *ch;
	struct vqc_config cfg;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	tool_init("vhost_queue_correlation_simple");
	vqc_prepare(&cfg, opt.device, opt.queue);
	cfg.debug = opt.debug;
	skel = BPFNET_OPEN(vhost_queue_correlation_simple_bpf);
	vqc_load(skel->skeleton, &hooks, &vqc_simple_hook_table, &cfg, opt.verbose);
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	vqc_attach(&hooks, opt.verbose);
	if (!g_common.json)
		vqc_simple_print_banner(stdout, opt.device, opt.queue);
	output_flush();
	tool_ready();
	while (!tool_exiting()) {
		if (events_poll(ch, 1000) < 0 && !tool_exiting())
			break;
		if (opt.debug && !g_common.json)
			print_debug(skel->maps.debug_stats);
	}
	hook_detach(&hooks);
	events_drain(ch);
	if (opt.debug && !g_common.json)
		print_debug(skel->maps.debug_stats);
	if (!g_common.json)
		printf("\nMonitoring stopped.\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	vqc_warn_table_full(skel->maps.target_queues_full);
	events_close(ch);
	vhost_queue_correlation_simple_bpf__destroy(skel);
	return 0;
}
