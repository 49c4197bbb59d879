// SPDX-License-Identifier: GPL-2.0-only
/* vhost_buf_peek_stats: return values of vhost_net_buf_peek per vhost-net RX queue, every interval. */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "pair_counts.h"
#include "runtime.h"
#include "timefmt.h"
#include "vhost_buf_peek_stats.h"
#include "vhost_buf_peek_stats.skel.h"

static struct {
	double interval;
	bool clear;
} opt = { .interval = 1 };

static const struct arg_opt options[] = {
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE, "Output interval in seconds (default: 1)"),
	OPT_FLAG("clear", 'c', &opt.clear, "Clear counters after each output (default: cumulative)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vhost_buf_peek_stats",
	.description = "Count vhost_net_buf_peek return values (next RX packet length, 0: none) "
		       "per vhost-net RX queue",
	.epilog = "examples:\n"
		  "  vhost_buf_peek_stats                 # cumulative counts every second\n"
		  "  vhost_buf_peek_stats -i 5 --clear    # counts of each 5 s interval",
	.opts = options,
};

/* ---- layout ---- */

void vhost_peek_print_banner(FILE *f, int interval)
{
	fprintf(f, "Tracking vhost_net_buf_peek return values... Ctrl-C to stop\n");
	fprintf(f, "Output interval: %d seconds\n", interval);
}

/* The end (exclusive) of the run of entries of t's nvq at index i. */
static size_t nvq_end(const struct pair_counts *t, size_t i, uint64_t *total)
{
	size_t end = i;

	*total = 0;
	while (end < t->n && t->v[end].ptr == t->v[i].ptr)
		*total += t->v[end++].count;
	return end;
}

void vhost_peek_print_report(FILE *f, const struct pair_counts *t, const char *when, bool final)
{
	uint64_t total;
	size_t end;

	if (final)
		fprintf(f, "\nFinal statistics:\n");
	fprintf(f, "\n%s\n", when);
	fprintf(f, "%-18s %-10s %8s\n", "NVQ_PTR", "RET_VAL", "COUNT");
	fprintf(f, "%.40s\n", "----------------------------------------");
	if (!t->n)
		fprintf(f, "No data\n");
	for (size_t i = 0; i < t->n; i = end) {
		end = nvq_end(t, i, &total);
		fprintf(f, "\nNVQ: 0x%016llx\n", (unsigned long long)t->v[i].ptr);
		fprintf(f, "  Total calls: %llu\n", (unsigned long long)total);
		for (size_t k = i; k < end; k++)
			fprintf(f, "  ret=%lld: %llu times (%.1f%%)\n", (long long)t->v[k].value,
				(unsigned long long)t->v[k].count, t->v[k].count * 100.0 / total);
	}
}

void vhost_peek_print_json(FILE *f, const struct pair_counts *t, const char *when, bool final)
{
	struct json j;
	uint64_t total;
	char ptr[24];
	size_t end;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", when);
	if (final)
		json_bool(&j, "final", true);
	json_arr(&j, "nvqs");
	for (size_t i = 0; i < t->n; i = end) {
		end = nvq_end(t, i, &total);
		json_obj(&j, NULL);
		snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)t->v[i].ptr);
		json_str(&j, "nvq", ptr);
		json_uint(&j, "total", total);
		json_arr(&j, "returns");
		for (size_t k = i; k < end; k++) {
			json_obj(&j, NULL);
			json_int(&j, "ret", t->v[k].value);
			json_uint(&j, "count", t->v[k].count);
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- probes ---- */

/* A clone keeps the one argument (the nvq) and the return value; a .part body would not. */
#define PEEK_CLONES (KSYM_CLONE_ISRA | KSYM_CLONE_CONSTPROP)

static const struct hook_def hook_defs[] = {
	{ "peek entry (the nvq)",
	  { HOOK_FUNC_ENTRY("vpeek_entry", "vhost_net_buf_peek"),
	    { HOOK_KPROBE, "vpeek_entry", "vhost_net_buf_peek", .clones = PEEK_CLONES } },
	  "vhost_net" },
	{ "peek return (the length)",
	  { HOOK_FUNC_RETURN("vpeek_return", "vhost_net_buf_peek"),
	    { HOOK_KRETPROBE, "vpeek_return", "vhost_net_buf_peek", .clones = PEEK_CLONES } },
	  "vhost_net" },
};
const struct hook_table vhost_peek_hook_table = { hook_defs, 2 };

/* ---- run ---- */

struct run {
	struct vhost_buf_peek_stats_bpf *skel;
	struct pair_counts now, reported; /* reported: the counts at the last --clear report */
};

static void report(struct run *r, bool final)
{
	char when[32];

	pair_counts_read(&r->now, r->skel->maps.counts);
	fmt_datetime(when, sizeof(when));
	if (opt.clear)
		pair_counts_since(&r->now, &r->reported);
	if (g_common.json)
		vhost_peek_print_json(stdout, &r->now, when, final);
	else
		vhost_peek_print_report(stdout, &r->now, when, final);
	output_flush();
}

static void report_interval(void *ctx)
{
	report(ctx, false);
}

static void report_final(void *ctx)
{
	report(ctx, true);
}

int main(int argc, char **argv)
{
	struct run r = { 0 };
	struct hook_set hooks;
	uint64_t full, unmatched;

	args_parse(&parser, argc, argv);
	tool_init("vhost_buf_peek_stats");
	hook_set_init(&hooks, vhost_peek_hook_table.defs, vhost_peek_hook_table.n, 0);
	require_module("vhost_net", "its RX queues are what the tool counts");
	require_function_hooks("vhost_net_buf_peek has no tracepoint");
	r.skel = BPFNET_OPEN(vhost_buf_peek_stats_bpf);
	hook_prepare(&hooks, r.skel->obj);
	bpfload_load(r.skel->skeleton);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		vhost_peek_print_banner(stdout, (int)opt.interval);
		hook_print(stdout, &hooks);
	}
	output_flush();
	tool_ready();
	interval_run(&(struct interval_loop){
		.interval_s = opt.interval, .report = report_interval, .final = report_final, .ctx = &r });
	hook_detach(&hooks);
	full = bpfload_percpu_sum(r.skel->maps.counters, VPEEK_TABLE_FULL);
	unmatched = bpfload_percpu_sum(r.skel->maps.counters, VPEEK_UNMATCHED);
	if (full)
		log_warn("%llu returns not counted: the table of %d (nvq, return value) pairs was full",
			 (unsigned long long)full, PAIR_COUNTS_MAX);
	if (unmatched)
		log_warn("%llu returns not counted: their call was not seen (in progress at start, or "
			 "more than %d calls in progress at once)",
			 (unsigned long long)unmatched, VPEEK_MAX_INFLIGHT);
	pair_counts_free(&r.now);
	pair_counts_free(&r.reported);
	vhost_buf_peek_stats_bpf__destroy(r.skel);
	return 0;
}
