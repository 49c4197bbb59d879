// SPDX-License-Identifier: GPL-2.0-only
/* virtionet-rx-path-summary: the period reports, the END summary and the exit map dump. */
#include <stdlib.h>
#include <string.h>

#include "bthist.h"
#include "json.h"
#include "virtionet-rx-path-summary.h"

static const char rule[] = "============================================================";

static uint64_t counter(const struct rxsum_view *v, enum rxsum_counter c)
{
	return v->slots[c];
}

static const uint64_t *hist_slots(const struct rxsum_view *v, enum rxsum_hist h)
{
	return v->slots + RXS_AT_HIST + h * BT_HIST_SLOTS;
}

void rxsum_print_banner(FILE *f, int duration, int period, int period_given)
{
	if (duration > 0)
		fprintf(f, "VirtIO RX Path Summary - Running for %d seconds\n", duration);
	else
		fprintf(f, "VirtIO RX Path Summary - Running until Ctrl+C\n");
	if (period_given > 0)
		fprintf(f, "Period interval: %d seconds\n", period);
	else
		fprintf(f, "Period interval: %d seconds (default)\n", period);
	fprintf(f, "Collecting RX path and interrupt statistics...\n\n");
}

/* One "@name[k1(, k2)]: value" entry of a keyed map. */
struct map_entry {
	int k1, k2;
	uint64_t value;
};

static int by_value(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	return (x->k2 > y->k2) - (x->k2 < y->k2);
}

/* bpftrace's print(@map): entries by value ascending, then a blank line. */
static void print_map(FILE *f, const char *name, struct map_entry *e, int n, bool two_keys)
{
	qsort(e, (size_t)n, sizeof(*e), by_value);
	for (int i = 0; i < n; i++) {
		if (two_keys)
			fprintf(f, "@%s[%d, %d]: %llu\n", name, e[i].k1, e[i].k2,
				(unsigned long long)e[i].value);
		else
			fprintf(f, "@%s[%d]: %llu\n", name, e[i].k1, (unsigned long long)e[i].value);
	}
	fputc('\n', f);
}

static void print_irq_maps(FILE *f, const struct rxsum_view *v)
{
	struct map_entry e[RXS_IRQS * RXS_RETS];
	int n = 0;

	fprintf(f, "IRQ Handler Entry counts:\n");
	for (int i = 0; i < RXS_IRQS; i++)
		if (v->slots[RXS_AT_IRQ_ENTRY + i])
			e[n++] = (struct map_entry){ RXS_IRQ_FIRST + i, 0, v->slots[RXS_AT_IRQ_ENTRY + i] };
	print_map(f, "period_irq_entry", e, n, false);
	fprintf(f, "IRQ Handler Exit return values:\n");
	n = 0;
	for (int i = 0; i < RXS_IRQS * RXS_RETS; i++)
		if (v->slots[RXS_AT_IRQ_EXIT + i])
			e[n++] = (struct map_entry){ RXS_IRQ_FIRST + i / RXS_RETS, i % RXS_RETS,
						     v->slots[RXS_AT_IRQ_EXIT + i] };
	print_map(f, "period_irq_exit_ret", e, n, true);
}

static void print_vring(FILE *f, const struct rxsum_view *v)
{
	uint64_t calls = counter(v, RXS_VRING_CALLS);
	struct map_entry *e = calloc((size_t)v->nvring_irqs + RXS_RETS, sizeof(*e));
	int n = 0;

	if (!e)
		abort();
	fprintf(f, "vring_interrupt statistics:\n  Total calls: %llu\n", (unsigned long long)calls);
	if (calls) {
		fprintf(f, "  Calls per IRQ:\n");
		for (int i = 0; i < v->nvring_irqs; i++)
			if (v->vring_irqs[i].count)
				e[n++] =
					(struct map_entry){ v->vring_irqs[i].irq, 0, v->vring_irqs[i].count };
		print_map(f, "period_vring_interrupt_irq", e, n, false);
	}
	fprintf(f, "  Return values (raw):\n");
	n = 0;
	for (int r = 0; r < RXS_RETS; r++)
		if (v->slots[RXS_AT_VRING_RET + r])
			e[n++] = (struct map_entry){ r, 0, v->slots[RXS_AT_VRING_RET + r] };
	print_map(f, "period_vring_interrupt_returns", e, n, false);
	fprintf(f, "  IRQ_NONE (0): %llu\n  IRQ_HANDLED (1): %llu\n  IRQ_WAKE_THREAD (2): %llu\n\n",
		(unsigned long long)v->slots[RXS_AT_VRING_RET],
		(unsigned long long)v->slots[RXS_AT_VRING_RET + 1],
		(unsigned long long)v->slots[RXS_AT_VRING_RET + 2]);
	free(e);
}

/* The period blocks: title, the call counter that gates it, the histogram. */
static const struct {
	const char *title;
	enum rxsum_counter calls;
	enum rxsum_hist hist;
	const char *map;
} period_hists[] = {
	{ "VIRTNET_POLL return values", RXS_POLL_CALLS, RXH_POLL_RET, "period_virtnet_poll_ret" },
	{ "ENABLE_CB_PREPARE return values", RXS_CB_PREPARE_CALLS, RXH_CB_PREPARE_RET,
	  "period_enable_cb_ret" },
	{ "NAPI_COMPLETE return values", RXS_NAPI_COMPLETE_CALLS, RXH_NAPI_COMPLETE_RET,
	  "period_napi_complete_ret" },
	{ "VIRTQUEUE_POLL return values", RXS_VQ_POLL_CALLS, RXH_VQ_POLL_RET, "period_virtqueue_poll_ret" },
	{ "ENABLE_CB_DELAYED return values", RXS_CB_DELAYED_CALLS, RXH_CB_DELAYED_RET,
	  "period_enable_cb_delayed_ret" },
	{ "ENABLE_CB_DELAYED last_used_idx", RXS_CB_DELAYED_CALLS, RXH_CB_DELAYED_LAST_USED,
	  "period_enable_cb_delayed_last_used" },
	{ "GET_BUF_CTX last_used_idx", RXS_GET_BUF_CALLS, RXH_GET_BUF_LAST_USED,
	  "period_get_buf_ctx_last_used" },
};

void rxsum_print_period(FILE *f, const struct rxsum_view *v, const char *hms, int elapsed, int period)
{
	fprintf(f, "%s Progress: %d seconds, period stats (last %d seconds):\n\n", hms, elapsed, period);
	fprintf(f, "--- INTERRUPT STATISTICS ---\n");
	print_irq_maps(f, v);
	print_vring(f, v);
	fprintf(f, "--- RX PATH HISTOGRAMS ---\n");
	for (size_t i = 0; i < sizeof(period_hists) / sizeof(period_hists[0]); i++) {
		if (!counter(v, period_hists[i].calls))
			continue;
		fprintf(f, "%s:\n", period_hists[i].title);
		bt_print_hist(f, period_hists[i].map, hist_slots(v, period_hists[i].hist), BT_HIST_SLOTS);
	}
	fflush(f);
}

/* "  Calls with data available / empty queue / Data available rate" of a bool-returning call. */
static void print_availability(FILE *f, uint64_t calls, uint64_t data)
{
	fprintf(f, "  Calls with data available: %llu\n  Calls with empty queue: %llu\n",
		(unsigned long long)data, (unsigned long long)(calls - data));
	fprintf(f, "  Data available rate: %llu%%\n", (unsigned long long)(data * 100 / calls));
}

static void print_poll_summary(FILE *f, const struct rxsum_view *v, int elapsed)
{
	uint64_t calls = counter(v, RXS_POLL_CALLS), productive = counter(v, RXS_POLL_PRODUCTIVE);
	uint64_t packets = counter(v, RXS_POLL_PACKETS);

	fprintf(f, "VIRTNET_POLL (NAPI polling):\n");
	if (!calls) {
		fprintf(f, "  No calls observed\n\n");
		return;
	}
	fprintf(f, "  Total calls: %llu\n  Productive calls: %llu\n  Empty polls: %llu\n",
		(unsigned long long)calls, (unsigned long long)productive,
		(unsigned long long)(calls - productive));
	if (productive)
		fprintf(f, "  Productive rate: %llu%%\n", (unsigned long long)(productive * 100 / calls));
	if (packets && productive) {
		fprintf(f, "  Total packets processed: %llu\n  Avg packets per productive call: %llu\n",
			(unsigned long long)packets, (unsigned long long)(packets / productive));
		if (elapsed > 0)
			fprintf(f, "  Processing rate: %llu packets/sec\n",
				(unsigned long long)(packets / elapsed));
	}
	fprintf(f, "\n  Return value distribution (packets per call):\n");
	bt_print_hist(f, "virtnet_poll_ret", hist_slots(v, RXH_POLL_RET), BT_HIST_SLOTS);
}

static void print_insights(FILE *f, const struct rxsum_view *v)
{
	uint64_t calls = counter(v, RXS_POLL_CALLS), productive = counter(v, RXS_POLL_PRODUCTIVE);
	uint64_t rate, avg;

	fprintf(f, "%s\nPERFORMANCE INSIGHTS:\n%s\n\n", rule, rule);
	if (calls && productive) {
		rate = productive * 100 / calls;
		avg = counter(v, RXS_POLL_PACKETS) / productive;
		fprintf(f, "RX Processing Efficiency:\n");
		if (rate >= 80)
			fprintf(f, "  GOOD: High productive poll rate (%llu%%)\n", (unsigned long long)rate);
		else if (rate >= 50)
			fprintf(f, "  FAIR: Moderate productive poll rate (%llu%%)\n",
				(unsigned long long)rate);
		else
			fprintf(f,
				"  POOR: Low productive poll rate (%llu%%)\n"
				"        May indicate over-polling or low traffic\n",
				(unsigned long long)rate);
		if (avg >= 8)
			fprintf(f, "  GOOD: Excellent batching (%llu packets/call)\n",
				(unsigned long long)avg);
		else if (avg >= 4)
			fprintf(f, "  FAIR: Good batching (%llu packets/call)\n", (unsigned long long)avg);
		else if (avg >= 2)
			fprintf(f, "  FAIR: Moderate batching (%llu packets/call)\n",
				(unsigned long long)avg);
		else
			fprintf(f,
				"  POOR: Low batching (%llu packets/call)\n"
				"        Consider interrupt coalescing tuning\n",
				(unsigned long long)avg);
		fputc('\n', f);
	}
	fprintf(f, "Recommendations:\n"
		   "  - Monitor during different traffic patterns\n"
		   "  - Check virtio interrupt coalescing settings\n"
		   "  - Correlate with CPU usage and network load\n"
		   "  - Compare with host-side vhost monitoring\n"
		   "  - Analyze last_used_idx patterns for queue utilization\n"
		   "  - Compare cb_delayed vs cb_prepare behavior\n");
}

void rxsum_print_summary(FILE *f, const struct rxsum_view *v, int elapsed)
{
	uint64_t calls;

	fprintf(f, "\n%s\nVM RX PATH STATISTICS SUMMARY\nCollection time: %d seconds\n%s\n\n", rule, elapsed,
		rule);
	print_poll_summary(f, v, elapsed);

	fprintf(f, "VIRTQUEUE_ENABLE_CB_PREPARE (interrupt setup):\n");
	if ((calls = counter(v, RXS_CB_PREPARE_CALLS))) {
		fprintf(f, "  Total calls: %llu\n\n  Return value distribution (queue status):\n",
			(unsigned long long)calls);
		bt_print_hist(f, "enable_cb_ret", hist_slots(v, RXH_CB_PREPARE_RET), BT_HIST_SLOTS);
	} else {
		fprintf(f, "  No calls observed\n\n");
	}

	fprintf(f, "NAPI_COMPLETE_DONE (NAPI completion):\n");
	if ((calls = counter(v, RXS_NAPI_COMPLETE_CALLS))) {
		uint64_t ok = counter(v, RXS_NAPI_COMPLETE_SUCCESS);

		fprintf(f,
			"  Total calls: %llu\n  Successful completions: %llu\n  Failed completions: %llu\n",
			(unsigned long long)calls, (unsigned long long)ok, (unsigned long long)(calls - ok));
		fprintf(f, "  Success rate: %llu%%\n\n  Return value distribution:\n",
			(unsigned long long)(ok * 100 / calls));
		bt_print_hist(f, "napi_complete_ret", hist_slots(v, RXH_NAPI_COMPLETE_RET), BT_HIST_SLOTS);
	} else {
		fprintf(f, "  No calls observed\n\n");
	}

	fprintf(f, "VIRTQUEUE_POLL (queue status check):\n");
	if ((calls = counter(v, RXS_VQ_POLL_CALLS))) {
		fprintf(f, "  Total calls: %llu\n", (unsigned long long)calls);
		print_availability(f, calls, counter(v, RXS_VQ_POLL_DATA));
		fprintf(f, "\n  Return value distribution (available items):\n");
		bt_print_hist(f, "virtqueue_poll_ret", hist_slots(v, RXH_VQ_POLL_RET), BT_HIST_SLOTS);
	} else {
		fprintf(f, "  No calls observed\n\n");
	}

	fprintf(f, "VIRTQUEUE_ENABLE_CB_DELAYED (delayed callback setup):\n");
	if ((calls = counter(v, RXS_CB_DELAYED_CALLS))) {
		fprintf(f, "  Total calls: %llu\n", (unsigned long long)calls);
		print_availability(f, calls, counter(v, RXS_CB_DELAYED_DATA));
		fprintf(f, "\n  last_used_idx distribution:\n");
		bt_print_hist(f, "enable_cb_delayed_last_used", hist_slots(v, RXH_CB_DELAYED_LAST_USED),
			      BT_HIST_SLOTS);
		fprintf(f, "  Return value distribution (queue status):\n");
		bt_print_hist(f, "enable_cb_delayed_ret", hist_slots(v, RXH_CB_DELAYED_RET), BT_HIST_SLOTS);
	} else {
		fprintf(f, "  No calls observed\n\n");
	}

	fprintf(f, "VIRTQUEUE_GET_BUF_CTX (buffer retrieval):\n");
	if ((calls = counter(v, RXS_GET_BUF_CALLS))) {
		fprintf(f, "  Total calls: %llu\n\n  last_used_idx distribution:\n",
			(unsigned long long)calls);
		bt_print_hist(f, "get_buf_ctx_last_used", hist_slots(v, RXH_GET_BUF_LAST_USED),
			      BT_HIST_SLOTS);
	} else {
		fprintf(f, "  No calls observed\n\n");
	}
	print_insights(f, v);
	fflush(f);
}

/* The cumulative maps bpftrace dumps at exit, in its order (by name). */
static const struct {
	const char *name;
	int counter; /* enum rxsum_counter, or -1 */
	int hist; /* enum rxsum_hist, or -1 */
} dumped[] = {
	{ "enable_cb_calls", RXS_CB_PREPARE_CALLS, -1 },
	{ "enable_cb_delayed_calls", RXS_CB_DELAYED_CALLS, -1 },
	{ "enable_cb_delayed_data_available", RXS_CB_DELAYED_DATA, -1 },
	{ "enable_cb_delayed_last_used", -1, RXH_CB_DELAYED_LAST_USED },
	{ "enable_cb_delayed_ret", -1, RXH_CB_DELAYED_RET },
	{ "enable_cb_ret", -1, RXH_CB_PREPARE_RET },
	{ "get_buf_ctx_calls", RXS_GET_BUF_CALLS, -1 },
	{ "get_buf_ctx_last_used", -1, RXH_GET_BUF_LAST_USED },
	{ "napi_complete_calls", RXS_NAPI_COMPLETE_CALLS, -1 },
	{ "napi_complete_ret", -1, RXH_NAPI_COMPLETE_RET },
	{ "napi_complete_success", RXS_NAPI_COMPLETE_SUCCESS, -1 },
	{ "virtnet_poll_calls", RXS_POLL_CALLS, -1 },
	{ "virtnet_poll_productive", RXS_POLL_PRODUCTIVE, -1 },
	{ "virtnet_poll_ret", -1, RXH_POLL_RET },
	{ "virtnet_poll_total_packets", RXS_POLL_PACKETS, -1 },
	{ "virtqueue_poll_calls", RXS_VQ_POLL_CALLS, -1 },
	{ "virtqueue_poll_data_available", RXS_VQ_POLL_DATA, -1 },
	{ "virtqueue_poll_ret", -1, RXH_VQ_POLL_RET },
};

void rxsum_print_map_dump(FILE *f, const struct rxsum_view *v)
{
	fprintf(f, "\n\n");
	for (size_t i = 0; i < sizeof(dumped) / sizeof(dumped[0]); i++) {
		if (dumped[i].counter >= 0) {
			/* bpftrace creates a counter at its first increment: a zero one was never made. */
			if (counter(v, dumped[i].counter))
				fprintf(f, "@%s: %llu\n\n", dumped[i].name,
					(unsigned long long)counter(v, dumped[i].counter));
		} else {
			bt_print_hist(f, dumped[i].name, hist_slots(v, dumped[i].hist), BT_HIST_SLOTS);
		}
	}
	fflush(f);
}

void rxsum_print_json(FILE *f, const struct rxsum_view *v, const char *hms, int elapsed, bool final)
{
	static const char *const counter_keys[] = {
		"virtnet_poll_calls",
		"virtnet_poll_productive",
		"virtnet_poll_total_packets",
		"enable_cb_calls",
		"napi_complete_calls",
		"napi_complete_success",
		"virtqueue_poll_calls",
		"virtqueue_poll_data_available",
		"enable_cb_delayed_calls",
		"enable_cb_delayed_data_available",
		"get_buf_ctx_calls",
		"vring_interrupt_calls",
		"vring_interrupt_irq_untracked",
	};
	static const char *const hist_keys[] = {
		"virtnet_poll_ret",      "enable_cb_ret",         "napi_complete_ret",
		"virtqueue_poll_ret",    "enable_cb_delayed_ret", "enable_cb_delayed_last_used",
		"get_buf_ctx_last_used",
	};
	char key[16];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_bool(&j, "final", final);
	json_int(&j, "elapsed_s", elapsed);
	for (int c = 0; c < RXS_COUNTERS; c++)
		json_uint(&j, counter_keys[c], v->slots[c]);
	json_obj(&j, "irq_entry");
	for (int i = 0; i < RXS_IRQS; i++)
		if (v->slots[RXS_AT_IRQ_ENTRY + i]) {
			snprintf(key, sizeof(key), "%d", RXS_IRQ_FIRST + i);
			json_uint(&j, key, v->slots[RXS_AT_IRQ_ENTRY + i]);
		}
	json_end_obj(&j);
	json_arr(&j, "irq_exit_ret");
	for (int i = 0; i < RXS_IRQS * RXS_RETS; i++)
		if (v->slots[RXS_AT_IRQ_EXIT + i]) {
			json_obj(&j, NULL);
			json_int(&j, "irq", RXS_IRQ_FIRST + i / RXS_RETS);
			json_int(&j, "ret", i % RXS_RETS);
			json_uint(&j, "count", v->slots[RXS_AT_IRQ_EXIT + i]);
			json_end_obj(&j);
		}
	json_end_arr(&j);
	json_obj(&j, "vring_interrupt_irq");
	for (int i = 0; i < v->nvring_irqs; i++)
		if (v->vring_irqs[i].count) {
			snprintf(key, sizeof(key), "%d", v->vring_irqs[i].irq);
			json_uint(&j, key, v->vring_irqs[i].count);
		}
	json_end_obj(&j);
	json_obj(&j, "vring_interrupt_returns");
	for (int r = 0; r < RXS_RETS; r++)
		if (v->slots[RXS_AT_VRING_RET + r]) {
			snprintf(key, sizeof(key), "%d", r);
			json_uint(&j, key, v->slots[RXS_AT_VRING_RET + r]);
		}
	json_end_obj(&j);
	json_obj(&j, "histograms");
	for (int h = 0; h < RXH_HISTS; h++)
		bt_hist_json(&j, hist_keys[h], hist_slots(v, h), BT_HIST_SLOTS);
	json_end_obj(&j);
	json_end_obj(&j);
	json_finish(&j);
}
