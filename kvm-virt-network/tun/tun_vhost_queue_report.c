// SPDX-License-Identifier: GPL-2.0-only
/* The text and JSON reports of tun_to_vhost_queue_status_simple and _stats_details. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "prom.h"
#include "tun_dev.h"
#include "tun_vhost_queue.h"
#include "util.h"

uint64_t tvq_slot_low(unsigned s)
{
	return s ? 1ull << (s - 1) : 0;
}

uint64_t tvq_slot_high(unsigned s)
{
	return s ? (1ull << s) - 1 : 0;
}

const char *tvq_slot_label(unsigned s, char *buf, size_t len)
{
	if (s < 2)
		snprintf(buf, len, "%u", s);
	else
		snprintf(buf, len, "%" PRIu64 "-%" PRIu64, tvq_slot_low(s), tvq_slot_high(s));
	return buf;
}

void tvq_top_insert(struct tvq_signal_freq *fr, uint32_t idx, uint64_t count)
{
	int at = fr->ntop;

	while (at > 0 && (fr->top[at - 1].count < count ||
			  (fr->top[at - 1].count == count && fr->top[at - 1].idx > idx)))
		at--;
	if (at >= TVQ_TOP)
		return;
	if (fr->ntop < TVQ_TOP)
		fr->ntop++;
	memmove(&fr->top[at + 1], &fr->top[at], (size_t)(fr->ntop - 1 - at) * sizeof(fr->top[0]));
	fr->top[at] = (struct tvq_idx_count){ idx, count };
}

static const char *queue_name(const struct tvq_queue_report *q, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s:q%u", TVQ_DEV_LEN, q->dev, q->queue);
	return buf;
}

static uint64_t hist_sum(const uint64_t *slots)
{
	uint64_t sum = 0;

	for (int s = 0; s < TVQ_SLOTS; s++)
		sum += slots[s];
	return sum;
}

static const char *yes_no(bool v)
{
	return v ? "True" : "False";
}

static void print_rule(FILE *f, const struct tvq_report *r)
{
	fprintf(f, "\n================================================================================\n");
	if (r->show_time)
		fprintf(f, "Time: %s\n", r->time);
}

struct hist_section {
	enum tvq_hist h;
	const char *title, *subtitle;
	bool value_range; /* a last_used_idx histogram: say the range of values it holds */
	const char *json_name;
};

static const struct hist_section sections[TVQH_HISTS] = {
	[TVQH_AVAIL_RX] = { TVQH_AVAIL_RX,
			    "VQ Consumption Progress Distribution at handle_rx (avail_idx - last_avail_idx):",
			    "Shows how many descriptors are available for consumption when VHOST handles RX",
			    false, "vq_consumption_progress_handle_rx" },
	[TVQH_INFLIGHT_RX] = { TVQH_INFLIGHT_RX,
			       "VQ Processing Delay Distribution at handle_rx (last_avail_idx - "
			       "last_used_idx):",
			       "Shows how many descriptors are in-flight when VHOST handles RX", false,
			       "vq_processing_delay_handle_rx" },
	[TVQH_AVAIL_SIGNAL] = { TVQH_AVAIL_SIGNAL,
				"VQ Consumption Progress Distribution at vhost_signal (avail_idx - "
				"last_avail_idx):",
				"Shows how many descriptors are available for consumption when VHOST signals "
				"guest",
				false, "vq_consumption_progress_vhost_signal" },
	[TVQH_INFLIGHT_SIGNAL] = { TVQH_INFLIGHT_SIGNAL,
				   "VQ Processing Delay Distribution at vhost_signal (last_avail_idx - "
				   "last_used_idx):",
				   "Shows how many descriptors are in-flight when VHOST signals guest", false,
				   "vq_processing_delay_vhost_signal" },
	[TVQH_USED_RX] = { TVQH_USED_RX, "VQ last_used_idx Value Distribution at handle_rx:",
			   "Shows last_used_idx value ranges when VHOST handles RX", true,
			   "vq_last_used_idx_handle_rx" },
	[TVQH_USED_SIGNAL] = { TVQH_USED_SIGNAL, "VQ last_used_idx Value Distribution at vhost_signal:",
			       "Shows last_used_idx value ranges when VHOST signals guest", true,
			       "vq_last_used_idx_vhost_signal" },
	[TVQH_RING_XMIT] = { TVQH_RING_XMIT, "PTR Ring Depth Distribution at tun_net_xmit:",
			     "Shows ring buffer utilization when packets are transmitted", false,
			     "ptr_ring_depth_xmit" },
	[TVQH_RING_RECV] = { TVQH_RING_RECV, "PTR Ring Depth Distribution at tun_recvmsg:",
			     "Shows ring buffer utilization when packets are received", false,
			     "ptr_ring_depth_recv" },
};

static void print_hist_section(FILE *f, const struct tvq_report *r, enum tvq_hist h)
{
	const struct hist_section *sec = &sections[h];
	char name[TVQ_DEV_LEN + 16], label[48];
	int shown = 0;

	fprintf(f, "\n%s\n%s\n", sec->title, sec->subtitle);
	for (int i = 0; i < r->nqueues; i++) {
		const uint64_t *slots = r->queues[i].hist[h];
		uint64_t total = hist_sum(slots);
		int lo = -1, hi = -1;

		if (!total)
			continue;
		shown++;
		for (int s = 0; s < TVQ_SLOTS; s++)
			if (slots[s]) {
				lo = lo < 0 ? s : lo;
				hi = s;
			}
		fprintf(f, "  Queue: %s\n    Total: %" PRIu64 "\n",
			queue_name(&r->queues[i], name, sizeof(name)), total);
		if (sec->value_range)
			fprintf(f, "    Actual value range in this period: %" PRIu64 " - %" PRIu64 "\n",
				tvq_slot_low((unsigned)lo), tvq_slot_high((unsigned)hi));
		for (int s = lo; s <= hi; s++)
			if (slots[s])
				fprintf(f, "    %10s : %8" PRIu64 " (%" PRIu64 "%%)\n",
					tvq_slot_label((unsigned)s, label, sizeof(label)), slots[s],
					slots[s] * 100 / total);
	}
	if (!shown)
		fprintf(f, "    No data\n");
}

static void print_values(FILE *f, const struct tvq_report *r)
{
	char name[TVQ_DEV_LEN + 16];
	int shown = 0;

	fprintf(f, "\nVQ last_used_idx Values at vhost_signal (this period):\n"
		   "Shows actual last_used_idx values when VHOST signals guest\n");
	for (int i = 0; i < r->nqueues; i++) {
		const struct tvq_queue_report *q = &r->queues[i];

		if (!q->signals)
			continue;
		shown++;
		fprintf(f, "  Queue: %s | last_used_idx: %u | calls: %" PRIu64,
			queue_name(q, name, sizeof(name)), q->last_used_idx, q->signals);
		if (q->xmits)
			fprintf(f, " | napi_enabled: %s | napi_frags_enabled: %s\n", yes_no(q->napi_enabled),
				yes_no(q->napi_frags_enabled));
		else
			fprintf(f, " | napi_enabled: N/A | napi_frags_enabled: N/A\n");
	}
	if (!shown)
		fprintf(f, "    No data\n");
}

void tvq_print_simple_report(FILE *f, const struct tvq_report *r)
{
	print_rule(f, r);
	print_values(f, r);
	print_hist_section(f, r, TVQH_USED_SIGNAL);
	print_hist_section(f, r, TVQH_RING_XMIT);
	fflush(f);
}

static void print_freq(FILE *f, const struct tvq_signal_freq *fr)
{
	char name[TVQ_DEV_LEN + 16];

	if (fr->queue)
		fprintf(f, "  Queue: %s (sock: 0x%" PRIx64 ")\n", queue_name(fr->queue, name, sizeof(name)),
			fr->sock);
	else
		fprintf(f, "  Sock: 0x%" PRIx64 " (queue info not found)\n", fr->sock);
	fprintf(f,
		"    Total signals: %" PRIu64 " (verification: %" PRIu64 "), Unique indices: %" PRIu64 "\n",
		fr->total, fr->verification, fr->unique);
	if (fr->unique < fr->total)
		fprintf(f, "    Duplicate signals: %" PRIu64 " (%.1f%%)\n", fr->total - fr->unique,
			(double)(fr->total - fr->unique) * 100.0 / (double)fr->total);
	fprintf(f, "    Top 10 most frequent last_used_idx values:\n");
	fprintf(f, "    %8s : %6s %7s\n", "idx", "count", "percent");
	fprintf(f, "    -----------------------\n");
	for (int i = 0; i < fr->ntop; i++)
		fprintf(f, "    %8u : %6" PRIu64 " %6.1f%% %s\n", fr->top[i].idx, fr->top[i].count,
			(double)fr->top[i].count * 100.0 / (double)fr->total,
			fr->top[i].count > 1 ? "DUP" : "");
}

static const char *const stage_lines[TVQC_COUNTERS] = {
	[TVQC_RX_ENTRY] = "HANDLE_RX.PROBE_ENTRY",        [TVQC_RX_NULL] = "HANDLE_RX.NULL_CHECK_FAIL",
	[TVQC_RX_LOOKUP] = "HANDLE_RX.SOCK_LOOKUP",       [TVQC_RX_FOUND] = "HANDLE_RX.SOCK_FOUND",
	[TVQC_RX_NOT_FOUND] = "HANDLE_RX.SOCK_NOT_FOUND", [TVQC_SIGNAL_ENTRY] = "VHOST_SIGNAL.PROBE_ENTRY",
};

static void print_debug(FILE *f, const struct tvq_debug_report *d)
{
	fprintf(f, "\n[DEBUG] Stage Statistics:\n");
	for (int c = 0; c < TVQC_COUNTERS; c++)
		if (stage_lines[c] && d->counters[c])
			fprintf(f, "  %s: %" PRIu64 "\n", stage_lines[c], d->counters[c]);
	fprintf(f, "\n[DEBUG] Sock Pointers from tun_net_xmit (target_queues):\n");
	for (int i = 0; i < d->ntargets; i++)
		fprintf(f, "  sock: 0x%" PRIx64 " -> %s\n", d->targets[i].key, d->targets[i].queue);
	fprintf(f, "\n[DEBUG] VQ Pointers -> private_data (handle_rx, top 10):\n");
	for (int i = 0; i < d->nrx_vqs && i < 10; i++)
		fprintf(f, "  vq: 0x%" PRIx64 " -> private_data: 0x%" PRIx64 " [%s]\n", d->rx_vqs[i].key,
			d->rx_vqs[i].value, d->rx_vqs[i].queue ? "MATCH" : "NO MATCH");
}

void tvq_print_details_report(FILE *f, const struct tvq_report *r)
{
	print_rule(f, r);
	if (r->debug)
		print_debug(f, r->debug);
	for (int h = TVQH_AVAIL_RX; h <= TVQH_USED_SIGNAL; h++)
		print_hist_section(f, r, (enum tvq_hist)h);
	fprintf(f, "\nSignal Index Frequency Analysis at vhost_signal:\n"
		   "Shows most frequently used last_used_idx values and their call counts\n");
	for (int i = 0; i < r->nfreqs; i++)
		print_freq(f, &r->freqs[i]);
	if (!r->nfreqs)
		fprintf(f, "    No data\n");
	print_hist_section(f, r, TVQH_RING_XMIT);
	print_hist_section(f, r, TVQH_RING_RECV);
	fflush(f);
}

static void banner_common(FILE *f, const struct tvq_banner *b)
{
	fprintf(f, "Kernel version: %s, Distro: %s (5.x vhost layout: %s)\n", b->release, b->distro,
		yes_no(b->vring_call_struct));
}

static void banner_interval(FILE *f, const struct tvq_banner *b)
{
	if (b->outputs)
		fprintf(f, "Interval: %ds | Outputs: %d\n", b->interval, b->outputs);
	else
		fprintf(f, "Interval: %ds | Outputs: unlimited\n", b->interval);
	fprintf(f, "Collecting statistics... Press Ctrl+C to stop\n\n"
		   "Clearing all maps to ensure clean state...\nAll maps cleared.\n");
}

static void banner_signal(FILE *f, const struct tvq_banner *b)
{
	if (b->signal_fn)
		fprintf(f, "Found vhost signal function: %s\n", b->signal_fn);
}

void tvq_print_simple_banner(FILE *f, const struct tvq_banner *b)
{
	banner_common(f, b);
	banner_signal(f, b);
	if (b->signal_fn)
		fprintf(f, "Attached to %s\n", b->signal_fn);
	tun_print_filters(f, b->device, b->queue, "");
	fprintf(f, "Simple VHOST-NET Queue Monitor Started\nTracking: tun_net_xmit and vhost_signal only\n");
	banner_interval(f, b);
	fflush(f);
}

void tvq_print_details_banner(FILE *f, const struct tvq_banner *b)
{
	banner_common(f, b);
	banner_signal(f, b);
	if (b->handle_rx_fn)
		fprintf(f, "Found handle_rx function: %s\nAttached to %s\n", b->handle_rx_fn,
			b->handle_rx_fn);
	if (b->signal_fn)
		fprintf(f, "Attached to %s\n", b->signal_fn);
	tun_print_filters(f, b->device, b->queue, "");
	fprintf(f, "VHOST-NET Queue Statistics Monitor Started\n");
	banner_interval(f, b);
	fflush(f);
}

static void json_hist(struct json *j, const struct tvq_queue_report *q, enum tvq_hist h)
{
	json_obj(j, sections[h].json_name);
	json_uint(j, "total", hist_sum(q->hist[h]));
	json_arr(j, "buckets");
	for (int s = 0; s < TVQ_SLOTS; s++) {
		if (!q->hist[h][s])
			continue;
		json_obj(j, NULL);
		json_uint(j, "low", tvq_slot_low((unsigned)s));
		json_uint(j, "high", tvq_slot_high((unsigned)s));
		json_uint(j, "count", q->hist[h][s]);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

static void json_queue(struct json *j, const struct tvq_queue_report *q, bool details)
{
	char dev[TVQ_DEV_LEN + 1];

	snprintf(dev, sizeof(dev), "%.*s", TVQ_DEV_LEN, q->dev);
	json_obj(j, NULL);
	json_str(j, "device", dev);
	json_uint(j, "queue", q->queue);
	json_uint(j, "xmits", q->xmits);
	json_uint(j, "signals", q->signals);
	if (q->signals)
		json_uint(j, "last_used_idx", q->last_used_idx);
	else
		json_null(j, "last_used_idx");
	if (q->xmits) {
		json_bool(j, "napi_enabled", q->napi_enabled);
		json_bool(j, "napi_frags_enabled", q->napi_frags_enabled);
	} else {
		json_null(j, "napi_enabled");
		json_null(j, "napi_frags_enabled");
	}
	json_obj(j, "histograms");
	if (details) {
		for (int h = 0; h < TVQH_HISTS; h++)
			json_hist(j, q, (enum tvq_hist)h);
	} else {
		json_hist(j, q, TVQH_USED_SIGNAL);
		json_hist(j, q, TVQH_RING_XMIT);
	}
	json_end_obj(j);
	json_end_obj(j);
}

static void json_freq(struct json *j, const struct tvq_signal_freq *fr)
{
	char dev[TVQ_DEV_LEN + 1], sock[24];

	json_obj(j, NULL);
	snprintf(sock, sizeof(sock), "0x%" PRIx64, fr->sock);
	json_str(j, "sock", sock);
	if (fr->queue) {
		snprintf(dev, sizeof(dev), "%.*s", TVQ_DEV_LEN, fr->queue->dev);
		json_str(j, "device", dev);
		json_uint(j, "queue", fr->queue->queue);
	} else {
		json_null(j, "device");
		json_null(j, "queue");
	}
	json_uint(j, "total", fr->total);
	json_uint(j, "verification", fr->verification);
	json_uint(j, "unique", fr->unique);
	json_uint(j, "duplicates", fr->total - fr->unique);
	json_arr(j, "top");
	for (int i = 0; i < fr->ntop; i++) {
		json_obj(j, NULL);
		json_uint(j, "idx", fr->top[i].idx);
		json_uint(j, "count", fr->top[i].count);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

void tvq_print_json(FILE *f, const struct tvq_report *r, bool details)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", r->time);
	json_arr(&j, "queues");
	for (int i = 0; i < r->nqueues; i++)
		json_queue(&j, &r->queues[i], details);
	json_end_arr(&j);
	if (details) {
		json_arr(&j, "signal_index");
		for (int i = 0; i < r->nfreqs; i++)
			json_freq(&j, &r->freqs[i]);
		json_end_arr(&j);
	}
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- Prometheus ---- */

/* The sum of a histogram's values, each at its slot's midpoint (slots keep no sum). */
static double slots_sum(const uint64_t *slots)
{
	double sum = 0;

	for (unsigned s = 0; s < TVQ_SLOTS; s++)
		sum += (double)slots[s] * ((double)tvq_slot_low(s) + (double)tvq_slot_high(s)) / 2;
	return sum;
}

void tvq_prom_write(struct prom *p, const struct tvq_queue_report *cum, int n, bool details)
{
	static const struct {
		int hist;
		const char *what, *at, *help;
	} hists[] = {
		{ TVQH_RING_XMIT, "ptr_ring_depth", "tun_net_xmit",
		  "The tap queue's TX ptr_ring depth when a packet is queued (tun_net_xmit) or taken by "
		  "vhost-net (tun_recvmsg)." },
		{ TVQH_RING_RECV, NULL, "tun_recvmsg", NULL },
		{ TVQH_USED_SIGNAL, "last_used_idx", "vhost_signal",
		  "The guest-RX virtqueue's last_used_idx at each vhost signal or handle_rx run." },
		{ TVQH_USED_RX, NULL, "handle_rx", NULL },
		{ TVQH_AVAIL_SIGNAL, "available_descriptors", "vhost_signal",
		  "avail_idx - last_avail_idx of the guest-RX virtqueue: buffers the guest offers." },
		{ TVQH_AVAIL_RX, NULL, "handle_rx", NULL },
		{ TVQH_INFLIGHT_SIGNAL, "inflight_descriptors", "vhost_signal",
		  "last_avail_idx - last_used_idx of the guest-RX virtqueue: buffers taken, not yet used." },
		{ TVQH_INFLIGHT_RX, NULL, "handle_rx", NULL },
	};
	char q[16];

	prom_family(p, "packets_total", PROM_COUNTER, "Packets queued on the tap queue (tun_net_xmit).");
	for (int i = 0; i < n; i++) {
		const struct prom_label labels[] = { { "device", cum[i].dev }, { "queue", q } };

		snprintf(q, sizeof(q), "%u", cum[i].queue);
		prom_value(p, labels, 2, (double)cum[i].xmits);
	}
	prom_family(p, "signals_total", PROM_COUNTER,
		    details ? "vhost signals to the guest of the queue's RX virtqueue."
			    : "vhost signals to the guest (vhost_add_used_and_signal_n) of the queue.");
	for (int i = 0; i < n; i++) {
		const struct prom_label labels[] = { { "device", cum[i].dev }, { "queue", q } };

		snprintf(q, sizeof(q), "%u", cum[i].queue);
		prom_value(p, labels, 2, (double)cum[i].signals);
	}
	for (size_t h = 0; h < ARRAY_SIZE(hists); h++) {
		bool simple = hists[h].hist == TVQH_RING_XMIT || hists[h].hist == TVQH_USED_SIGNAL;

		if (!details && !simple)
			continue;
		if (hists[h].what)
			prom_family(p, hists[h].what, PROM_HISTOGRAM, hists[h].help);
		for (int i = 0; i < n; i++) {
			const uint64_t *slots = cum[i].hist[hists[h].hist];
			const struct prom_label labels[] = { { "device", cum[i].dev },
							     { "queue", q },
							     { "at", hists[h].at } };

			snprintf(q, sizeof(q), "%u", cum[i].queue);
			prom_histogram(p, labels, 3, slots, TVQ_SLOTS, prom_bcc_slot_high, 1,
				       slots_sum(slots));
		}
	}
}
