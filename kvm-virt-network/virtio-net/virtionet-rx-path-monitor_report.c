// SPDX-License-Identifier: GPL-2.0-only
/* virtionet-rx-path-monitor: its lines, running summary and final report, in text and JSON. */
#include <stdio.h>

#include "bthist.h"
#include "hist.h"
#include "json.h"
#include "virtionet-rx-path-monitor.h"

static const char *const fn_names[RXMON_FNS] = { "virtnet_poll", "virtqueue_enable_cb_prepare",
						 "napi_complete_done", "virtqueue_poll" };
static const char *const hist_names[RXMON_FNS] = { "virtnet_poll_ret_dist", "enable_cb_ret_dist",
						   "napi_complete_ret_dist", "virtqueue_poll_ret_dist" };

/* Integer percentage as the script computes it: part * 100 / whole, truncated. */
static unsigned long long pct(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned long long)(part * 100 / whole) : 0;
}

static unsigned long long avg(uint64_t total, uint64_t n)
{
	return n ? (unsigned long long)(total / n) : 0;
}

void rxmon_print_banner(FILE *f)
{
	fputs("VM RX Path Monitor - Tracing virtio network RX processing\n"
	      "Monitoring: virtnet_poll, virtqueue_enable_cb_prepare\n"
	      "           napi_complete_done, virtqueue_poll\n"
	      "Press Ctrl+C to stop and show statistics\n\n",
	      f);
}

void rxmon_print_event(FILE *f, const struct rxmon_event *ev)
{
	unsigned long long ret = ev->ret;

	fprintf(f, "%.16s [%u] ", ev->comm, ev->tgid);
	switch (ev->fn) {
	case RXMON_POLL:
		fprintf(f, "virtnet_poll: processed %llu packets\n", ret);
		break;
	case RXMON_ENABLE_CB:
		fprintf(f, "virtqueue_enable_cb_prepare: queue has data (ret=%llu)\n", ret);
		break;
	case RXMON_COMPLETE:
		fprintf(f, "napi_complete_done: %s\n", ret ? "completed successfully" : "failed to complete");
		break;
	default:
		fprintf(f, "virtqueue_poll: %llu items available\n", ret);
		break;
	}
}

void rxmon_print_event_json(FILE *f, const struct rxmon_event *ev, const char *hms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "function", ev->fn < RXMON_FNS ? fn_names[ev->fn] : "?");
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "pid", ev->tgid);
	json_uint(&j, "ret", ev->ret);
	json_end_obj(&j);
	json_finish(&j);
}

void rxmon_print_summary(FILE *f, const struct rxmon_totals *t)
{
	const uint64_t *c = t->count;

	fprintf(f, "\n=== RX Path Summary (elapsed: %llu seconds) ===\n", (unsigned long long)t->elapsed_s);
	if (c[RXMON_POLL_CALLS])
		fprintf(f, "virtnet_poll: %llu calls, %llu productive (%llu%%), avg packets: %llu\n",
			(unsigned long long)c[RXMON_POLL_CALLS], (unsigned long long)c[RXMON_POLL_PRODUCTIVE],
			pct(c[RXMON_POLL_PRODUCTIVE], c[RXMON_POLL_CALLS]),
			avg(c[RXMON_POLL_PACKETS], c[RXMON_POLL_CALLS]));
	if (c[RXMON_ENABLE_CB_CALLS])
		fprintf(f, "virtqueue_enable_cb_prepare: %llu calls, %llu with data (%llu%%)\n",
			(unsigned long long)c[RXMON_ENABLE_CB_CALLS],
			(unsigned long long)c[RXMON_ENABLE_CB_DATA],
			pct(c[RXMON_ENABLE_CB_DATA], c[RXMON_ENABLE_CB_CALLS]));
	if (c[RXMON_COMPLETE_CALLS])
		fprintf(f, "napi_complete_done: %llu calls, %llu successful (%llu%%)\n",
			(unsigned long long)c[RXMON_COMPLETE_CALLS],
			(unsigned long long)c[RXMON_COMPLETE_SUCCESS],
			pct(c[RXMON_COMPLETE_SUCCESS], c[RXMON_COMPLETE_CALLS]));
	if (c[RXMON_VQ_POLL_CALLS])
		fprintf(f, "virtqueue_poll: %llu calls, %llu with data (%llu%%)\n",
			(unsigned long long)c[RXMON_VQ_POLL_CALLS], (unsigned long long)c[RXMON_VQ_POLL_DATA],
			pct(c[RXMON_VQ_POLL_DATA], c[RXMON_VQ_POLL_CALLS]));
	fprintf(f, "Call flow: poll->enable_cb: %llu, enable_cb->complete: %llu\n\n",
		(unsigned long long)c[RXMON_POLL_TO_ENABLE_CB],
		(unsigned long long)c[RXMON_ENABLE_CB_TO_COMPLETE]);
}

/* One section of the final report: a title, what the values mean, the histogram. */
static void print_dist(FILE *f, const struct rxmon_totals *t, enum rxmon_fn fn, const char *meaning)
{
	fprintf(f, "--- %s Return Value Distribution ---\n%s\n", fn_names[fn], meaning);
	bt_print_hist(f, hist_names[fn], t->hist[fn], BT_HIST_SLOTS);
	fputc('\n', f); /* print() ends with a newline of its own */
}

static void print_performance(FILE *f, const struct rxmon_totals *t)
{
	const uint64_t *c = t->count;
	uint64_t calls = c[RXMON_POLL_CALLS], packets = c[RXMON_POLL_PACKETS];

	fputs("--- Performance Summary ---\n", f);
	if (calls) {
		fprintf(f, "Average packets per virtnet_poll: %llu\n", avg(packets, calls));
		fprintf(f, "Productive virtnet_poll calls: %llu%% (%llu/%llu)\n",
			pct(c[RXMON_POLL_PRODUCTIVE], calls), (unsigned long long)c[RXMON_POLL_PRODUCTIVE],
			(unsigned long long)calls);
		fprintf(f, "Total packets processed: %llu\n", (unsigned long long)packets);
		if (t->elapsed_s)
			fprintf(f, "Average packet processing rate: %llu packets/second\n",
				avg(packets, t->elapsed_s));
	}
	if (c[RXMON_ENABLE_CB_CALLS])
		fprintf(f, "virtqueue_enable_cb_prepare found data: %llu%% (%llu/%llu)\n",
			pct(c[RXMON_ENABLE_CB_DATA], c[RXMON_ENABLE_CB_CALLS]),
			(unsigned long long)c[RXMON_ENABLE_CB_DATA],
			(unsigned long long)c[RXMON_ENABLE_CB_CALLS]);
	if (c[RXMON_COMPLETE_CALLS])
		fprintf(f, "napi_complete_done success rate: %llu%% (%llu/%llu)\n",
			pct(c[RXMON_COMPLETE_SUCCESS], c[RXMON_COMPLETE_CALLS]),
			(unsigned long long)c[RXMON_COMPLETE_SUCCESS],
			(unsigned long long)c[RXMON_COMPLETE_CALLS]);
}

static void print_insights(FILE *f, const struct rxmon_totals *t)
{
	const uint64_t *c = t->count;
	unsigned long long productive = pct(c[RXMON_POLL_PRODUCTIVE], c[RXMON_POLL_CALLS]);
	unsigned long long per_poll = avg(c[RXMON_POLL_PACKETS], c[RXMON_POLL_CALLS]);

	fputs("\n=== Analysis Insights ===\n", f);
	if (productive < 50)
		fprintf(f, "Low productive poll rate (%llu%%) - polling overhead\n", productive);
	else
		fprintf(f, "Good productive poll rate (%llu%%)\n", productive);
	if (per_poll < 2)
		fprintf(f, "Low avg packets per poll (%llu) - inefficient batching\n", per_poll);
	else
		fprintf(f, "Good batching efficiency (avg %llu packets per poll)\n", per_poll);
}

void rxmon_print_final(FILE *f, const struct rxmon_totals *t)
{
	const uint64_t *c = t->count;

	fprintf(f, "\n=== FINAL RX PATH STATISTICS (Total time: %llu seconds) ===\n\n",
		(unsigned long long)t->elapsed_s);
	fputs("--- Function Call Counts ---\n", f);
	fprintf(f, "virtnet_poll calls: %llu\n", (unsigned long long)c[RXMON_POLL_CALLS]);
	fprintf(f, "virtqueue_enable_cb_prepare calls: %llu\n", (unsigned long long)c[RXMON_ENABLE_CB_CALLS]);
	fprintf(f, "napi_complete_done calls: %llu\n", (unsigned long long)c[RXMON_COMPLETE_CALLS]);
	fprintf(f, "virtqueue_poll calls: %llu\n\n", (unsigned long long)c[RXMON_VQ_POLL_CALLS]);
	print_dist(f, t, RXMON_POLL, "(Number of packets processed per call)");
	print_dist(f, t, RXMON_ENABLE_CB, "(Queue status: 0=empty, >0=has data)");
	print_dist(f, t, RXMON_COMPLETE, "(0=failed, 1=success)");
	print_dist(f, t, RXMON_VQ_POLL, "(Number of available items in queue)");
	print_performance(f, t);
	fputs("\n--- Call Flow Patterns ---\n", f);
	fprintf(f, "virtnet_poll -> virtqueue_enable_cb_prepare: %llu\n",
		(unsigned long long)c[RXMON_POLL_TO_ENABLE_CB]);
	fprintf(f, "virtqueue_enable_cb_prepare -> napi_complete_done: %llu\n",
		(unsigned long long)c[RXMON_ENABLE_CB_TO_COMPLETE]);
	if (c[RXMON_POLL_CALLS])
		print_insights(f, t);
	fprintf(f, "\nLost events: %llu\n", (unsigned long long)t->lost_events);
}

/* The counters as JSON members: calls and non-zero returns per function, the call flow. */
static void json_counts(struct json *j, const struct rxmon_totals *t)
{
	const uint64_t *c = t->count;

	json_uint(j, "elapsed_s", t->elapsed_s);
	json_obj(j, "virtnet_poll");
	json_uint(j, "calls", c[RXMON_POLL_CALLS]);
	json_uint(j, "productive", c[RXMON_POLL_PRODUCTIVE]);
	json_uint(j, "packets", c[RXMON_POLL_PACKETS]);
	json_end_obj(j);
	json_obj(j, "virtqueue_enable_cb_prepare");
	json_uint(j, "calls", c[RXMON_ENABLE_CB_CALLS]);
	json_uint(j, "with_data", c[RXMON_ENABLE_CB_DATA]);
	json_end_obj(j);
	json_obj(j, "napi_complete_done");
	json_uint(j, "calls", c[RXMON_COMPLETE_CALLS]);
	json_uint(j, "successful", c[RXMON_COMPLETE_SUCCESS]);
	json_end_obj(j);
	json_obj(j, "virtqueue_poll");
	json_uint(j, "calls", c[RXMON_VQ_POLL_CALLS]);
	json_uint(j, "with_data", c[RXMON_VQ_POLL_DATA]);
	json_end_obj(j);
	json_obj(j, "call_flow");
	json_uint(j, "poll_to_enable_cb", c[RXMON_POLL_TO_ENABLE_CB]);
	json_uint(j, "enable_cb_to_complete", c[RXMON_ENABLE_CB_TO_COMPLETE]);
	json_end_obj(j);
}

void rxmon_print_summary_json(FILE *f, const struct rxmon_totals *t, const char *hms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "type", "summary");
	json_counts(&j, t);
	json_end_obj(&j);
	json_finish(&j);
}

void rxmon_print_final_json(FILE *f, const struct rxmon_totals *t)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	json_counts(&j, t);
	json_obj(&j, "histograms");
	for (int fn = 0; fn < RXMON_FNS; fn++)
		bt_hist_json(&j, hist_names[fn], t->hist[fn], BT_HIST_SLOTS);
	json_end_obj(&j);
	json_uint(&j, "lost_events", t->lost_events);
	json_end_obj(&j);
	json_finish(&j);
}
