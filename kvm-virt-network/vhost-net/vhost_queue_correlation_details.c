// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_queue_correlation_details: one TAP queue's packets through tun_net_xmit, vhost-net's
 * handle_rx and tun_recvmsg to the vhost signal and vhost_notify, every stage an event.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "ksyms.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "tun_dev.h"
#include "tun_ring_fill.h"
#include "vhost_queue_corr.h"
#include "vhost_queue_correlation_details.h"
#include "vhost_queue_correlation_details.skel.h"

static struct {
	const char *device;
	int queue;
	bool verbose;
	int interval;
} opt = { .queue = -1 };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device, "Target device name (e.g., vnet33)"),
	OPT_INT("queue", 'q', &opt.queue, 0, VQC_MAX_QUEUES - 1, "Filter by queue index"),
	OPT_FLAG("verbose", 'v', &opt.verbose, "Verbose output"),
	OPT_INT("interval", 0, &opt.interval, 0, 86400,
		"also print each stage's events every INTERVAL seconds (default: 0, off)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vhost_queue_correlation_details",
	.description = "VHOST-NET queue correlation monitor: tun_net_xmit, handle_rx, tun_recvmsg, vhost "
		       "signal and vhost_notify events of a TAP device's queues",
	.epilog = "examples:\n"
		  "  vhost_queue_correlation_details                     # all TUN/TAP devices\n"
		  "  vhost_queue_correlation_details -d vnet33 -q 0      # queue 0 of vnet33\n"
		  "  vhost_queue_correlation_details -d vnet33 --interval 2  # and counts every 2 seconds",
	.opts = options,
};

/* ---- layout ---- */

void vqcd_print_banner(FILE *f, const char *dev, int queue)
{
	tun_print_filters(f, dev, queue, " (enforced at tun_net_xmit)");
	fprintf(f, "VHOST-NET Queue Correlation Monitor Started\n"
		   "Using sock pointer (0x...) to correlate events across stages\n"
		   "Clearing maps to avoid stale entries\n"
		   "Waiting for events... Press Ctrl+C to stop\n\n");
}

bool vqcd_event_read(struct vqcd_event *ev, const void *data, size_t size)
{
	if (size < sizeof(ev->base))
		return false;
	memset(ev, 0, sizeof(*ev));
	memcpy(ev, data, size < sizeof(*ev) ? size : sizeof(*ev));
	return true;
}

static const char *protocol_name(__u8 protocol, char *buf, size_t len)
{
	if (protocol == IPPROTO_TCP)
		return "TCP";
	if (protocol == IPPROTO_UDP)
		return "UDP";
	snprintf(buf, len, "%u", protocol);
	return buf;
}

void vqcd_format_flow(const struct vqcd_event *ev, char *buf, size_t len)
{
	char src[16], dst[16], proto[4];

	snprintf(buf, len, "%s:%u -> %s:%u (%s)", ipv4_format(ev->saddr, src, sizeof(src)), ev->sport,
		 ipv4_format(ev->daddr, dst, sizeof(dst)), ev->dport,
		 protocol_name(ev->protocol, proto, sizeof(proto)));
}

static void print_tx_ring_address(FILE *f, const struct vqcd_event *ev)
{
	if (ev->tx_ring)
		fprintf(f, "PTR Ring: 0x%llx\n", (unsigned long long)ev->tx_ring);
}

static void print_handle_rx(FILE *f, const struct vqcd_event *ev)
{
	fprintf(f, "VQ: 0x%llx | NVQ: 0x%llx | TX_NVQ: 0x%llx\n", (unsigned long long)ev->base.vq,
		(unsigned long long)ev->nvq, (unsigned long long)ev->tx_nvq);
	fprintf(f, "Busyloop: RX=%u, TX=%u\n", ev->rx_busyloop_timeout, ev->tx_busyloop_timeout);
	vqc_print_state_lines(f, &ev->base.st);
	if (ev->rx_ring)
		fprintf(f, "RX Ring: 0x%llx, upend_idx=%d, done_idx=%d\n", (unsigned long long)ev->rx_ring,
			ev->upend_idx, ev->done_idx);
	/* The original printed head and tail back to back ("064"): separated (README). */
	fprintf(f, "Hdr Len: vhost=%llu, sock=%llu, rxq_buf=%d/%d\n", (unsigned long long)ev->vhost_hlen,
		(unsigned long long)ev->sock_hlen, ev->rxq_head, ev->rxq_tail);
}

void vqcd_print_event(FILE *f, const struct vqcd_event *ev, const char *hms_ms)
{
	const struct tun_ring_state *r = &ev->ring;
	char flow[64];

	vqc_print_event_head(f, &ev->base, hms_ms, false);
	switch (ev->base.type) {
	case VQC_TUN_XMIT:
		fprintf(f, "SKB: 0x%llx | TFile: 0x%llx\n", (unsigned long long)ev->skb,
			(unsigned long long)r->tfile);
		if (ev->saddr) {
			vqcd_format_flow(ev, flow, sizeof(flow));
			fprintf(f, "Flow: %s\n", flow);
		}
		print_tx_ring_address(f, ev);
		break;
	case VQC_HANDLE_RX:
		print_handle_rx(f, ev);
		break;
	case VQC_TUN_RECVMSG:
		fprintf(f, "TFile: 0x%llx\n", (unsigned long long)r->tfile);
		print_tx_ring_address(f, ev);
		break;
	default:
		vqc_print_vq_event_lines(f, &ev->base);
	}
	if (r->size > 0) {
		fprintf(f, "PTR Ring: size=%d, producer=%d, consumer_h=%d, consumer_t=%d, full=%s\n", r->size,
			r->producer, r->consumer_head, r->consumer_tail, r->full ? "YES" : "NO");
		fprintf(f, "   Utilization: %d%%\n", tun_ring_used_pct(r));
	}
	fputc('\n', f);
}

static void json_ring(struct json *j, const struct vqcd_event *ev)
{
	const struct tun_ring_state *r = &ev->ring;

	vqc_json_ptr(j, "tfile", r->tfile);
	vqc_json_ptr(j, "ptr_ring", ev->tx_ring);
	json_obj(j, "ring");
	json_int(j, "size", r->size);
	json_int(j, "producer", r->producer);
	json_int(j, "consumer_head", r->consumer_head);
	json_int(j, "consumer_tail", r->consumer_tail);
	json_bool(j, "full", r->full);
	json_int(j, "utilization_pct", tun_ring_used_pct(r));
	json_end_obj(j);
}

static void json_flow(struct json *j, const struct vqcd_event *ev)
{
	char addr[16];

	if (!ev->saddr) {
		json_null(j, "flow");
		return;
	}
	json_obj(j, "flow");
	json_str(j, "saddr", ipv4_format(ev->saddr, addr, sizeof(addr)));
	json_str(j, "daddr", ipv4_format(ev->daddr, addr, sizeof(addr)));
	json_uint(j, "sport", ev->sport);
	json_uint(j, "dport", ev->dport);
	json_uint(j, "protocol", ev->protocol);
	json_end_obj(j);
}

static void json_handle_rx(struct json *j, const struct vqcd_event *ev)
{
	vqc_json_vq_members(j, &ev->base);
	vqc_json_ptr(j, "nvq", ev->nvq);
	vqc_json_ptr(j, "tx_nvq", ev->tx_nvq);
	json_uint(j, "busyloop_timeout_rx", ev->rx_busyloop_timeout);
	json_uint(j, "busyloop_timeout_tx", ev->tx_busyloop_timeout);
	vqc_json_ptr(j, "rx_ring", ev->rx_ring);
	json_int(j, "upend_idx", ev->upend_idx);
	json_int(j, "done_idx", ev->done_idx);
	json_uint(j, "vhost_hlen", ev->vhost_hlen);
	json_uint(j, "sock_hlen", ev->sock_hlen);
	json_int(j, "rxq_head", ev->rxq_head);
	json_int(j, "rxq_tail", ev->rxq_tail);
}

void vqcd_print_event_json(FILE *f, const struct vqcd_event *ev, const char *hms_ms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	vqc_json_event_head(&j, &ev->base, hms_ms);
	switch (ev->base.type) {
	case VQC_TUN_XMIT:
		vqc_json_ptr(&j, "skb", ev->skb);
		json_flow(&j, ev);
		json_ring(&j, ev);
		break;
	case VQC_HANDLE_RX:
		json_handle_rx(&j, ev);
		break;
	case VQC_TUN_RECVMSG:
		json_ring(&j, ev);
		break;
	default:
		vqc_json_vq_members(&j, &ev->base);
	}
	json_end_obj(&j);
	json_finish(&j);
}

static const char *const stage_names[] = {
	[VQC_TUN_XMIT] = "tun_net_xmit", [VQC_HANDLE_RX] = "handle_rx", [VQC_TUN_RECVMSG] = "tun_recvmsg",
	[VQC_SIGNAL] = "vhost_signal",   [VQC_NOTIFY] = "vhost_notify",
};

void vqcd_print_counts(FILE *f, const struct vqcd_counts *c, const char *hms, int interval_s)
{
	fprintf(f, "--- %s events of the last %d s ---\n", hms, interval_s);
	for (int t = VQC_TUN_XMIT; t <= VQC_NOTIFY; t++)
		fprintf(f, "%s=%llu%c", stage_names[t], (unsigned long long)c->events[t],
			t < VQC_NOTIFY ? ' ' : '\n');
	fputc('\n', f);
}

void vqcd_print_counts_json(FILE *f, const struct vqcd_counts *c, const char *hms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "event", "interval");
	for (int t = VQC_TUN_XMIT; t <= VQC_NOTIFY; t++)
		json_uint(&j, stage_names[t], c->events[t]);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- probes ---- */

enum vqcd_hook {
	VQCD_HOOK_HANDLE_RX = VQC_SHARED_HOOKS,
	VQCD_HOOK_RECVMSG,
	VQCD_HOOKS,
};

static const struct hook_def hook_defs[VQCD_HOOKS] = {
	VQC_SHARED_HOOK_DEFS,
	[VQCD_HOOK_HANDLE_RX] = { "vhost-net RX runs",
				  { HOOK_FUNC_ENTRY("vqcd_handle_rx", "handle_rx") },
				  "vhost_net" },
	[VQCD_HOOK_RECVMSG] = { "packets vhost-net takes from a tap",
				{ HOOK_FUNC_ENTRY("vqcd_recvmsg", "tun_recvmsg") },
				"tun" },
};
const struct hook_table vqcd_hook_table = { hook_defs, VQCD_HOOKS };

/* ---- run ---- */

static struct vqcd_counts counts;
static struct hook_set hooks;
static struct event_channel *channel;

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct vqcd_event ev;
	char when[40];

	(void)ctx;
	if (!vqcd_event_read(&ev, data, size))
		return;
	if (ev.base.type <= VQC_NOTIFY)
		counts.events[ev.base.type]++;
	fmt_wall_ns_ms(ktime_to_wall_ns(ev.base.ts_ns), when, sizeof(when));
	if (g_common.json)
		vqcd_print_event_json(stdout, &ev, when + 11);
	else
		vqcd_print_event(stdout, &ev, when + 11);
	output_event_end();
}

static void interval_report(void *ctx)
{
	char hms[16];

	(void)ctx;
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		vqcd_print_counts_json(stdout, &counts, hms);
	else
		vqcd_print_counts(stdout, &counts, hms, opt.interval);
	output_flush();
	memset(&counts, 0, sizeof(counts));
}

/* The last interval holds every event: the probes come off and the buffer is drained first. */
static void final_report(void *ctx)
{
	hook_detach(&hooks);
	events_drain(channel);
	interval_report(ctx);
}

int main(int argc, char **argv)
{
	struct vhost_queue_correlation_details_bpf *skel;
	struct vqc_config cfg;

	args_parse(&parser, argc, argv);
	tool_init("vhost_queue_correlation_details");
	vqc_prepare(&cfg, opt.device, opt.queue);
	skel = BPFNET_OPEN(vhost_queue_correlation_details_bpf);
	vqc_load(skel->skeleton, &hooks, &vqcd_hook_table, &cfg, opt.verbose);
	channel = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	vqc_attach(&hooks, opt.verbose);
	if (!g_common.json)
		vqcd_print_banner(stdout, opt.device, opt.queue);
	output_flush();
	if (opt.interval) {
		tool_ready();
		interval_run(&(struct interval_loop){ .interval_s = opt.interval,
						      .report = interval_report,
						      .final = final_report,
						      .events = channel });
		if (!g_common.json)
			printf("\nMonitoring stopped.\n");
	} else {
		events_trace(channel, &hooks, 0, "\nMonitoring stopped.\n");
	}
	events_print_totals(stdout, g_common.json, events_lost(channel));
	vqc_warn_table_full(skel->maps.target_queues_full);
	events_close(channel);
	vhost_queue_correlation_details_bpf__destroy(skel);
	return 0;
}
