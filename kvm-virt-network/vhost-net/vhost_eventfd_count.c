// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_eventfd_count: how often each vhost virtqueue adds used buffers and signals its guest,
 * per (virtqueue, call eventfd) pair, every interval (the .py) or once at exit (the .bt).
 */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "kernel_btf.h"
#include "log.h"
#include "output.h"
#include "pair_counts.h"
#include "runtime.h"
#include "timefmt.h"
#include "vhost_eventfd_count.h"
#include "vhost_eventfd_count.skel.h"

static struct {
	double interval;
	bool clear;
	bool at_exit;
} opt = { .interval = 1 };

static const struct arg_opt options[] = {
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE, "Output interval in seconds (default: 1)"),
	OPT_FLAG("clear", 'c', &opt.clear, "Clear counters after each output (default: cumulative)"),
	OPT_FLAG("at-exit", 0, &opt.at_exit,
		 "print the counts once, at Ctrl-C, as bpftrace map lines (the vhost_eventfd_count.bt mode)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vhost_eventfd_count",
	.description = "Count vhost add-used-and-signal calls per (virtqueue, call eventfd) pair",
	.epilog = "examples:\n"
		  "  vhost_eventfd_count                  # cumulative counts every second\n"
		  "  vhost_eventfd_count -i 5 --clear     # counts of each 5 s interval\n"
		  "  vhost_eventfd_count --at-exit        # one dump at Ctrl-C, like the .bt script",
	.opts = options,
};

/* ---- layout ---- */

void vhost_eventfd_print_banner(FILE *f, int interval)
{
	if (!interval) {
		fprintf(f, "Attaching 2 probes...\n");
		return;
	}
	fprintf(f, "Counting vhost_virtqueue + eventfd_ctx combinations... Ctrl-C to stop\n");
	fprintf(f, "Output interval: %d seconds\n", interval);
}

void vhost_eventfd_print_table(FILE *f, const struct pair_counts *t, const char *when, bool final)
{
	if (final)
		fprintf(f, "\nFinal statistics:\n");
	fprintf(f, "\n%s\n", when);
	fprintf(f, "%-18s %-18s %8s\n", "VQ_PTR", "EVENTFD_PTR", "COUNT");
	fprintf(f, "%.50s\n", "--------------------------------------------------");
	if (!t->n)
		fprintf(f, "No data\n");
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "0x%016llx 0x%016llx %8llu\n", (unsigned long long)t->v[i].ptr,
			(unsigned long long)t->v[i].value, (unsigned long long)t->v[i].count);
}

void vhost_eventfd_print_bt(FILE *f, const struct pair_counts *t)
{
	if (!t->n)
		return;
	for (size_t i = t->n; i-- > 0;)
		fprintf(f, "@count[0x%llx, 0x%llx]: %llu\n", (unsigned long long)t->v[i].ptr,
			(unsigned long long)t->v[i].value, (unsigned long long)t->v[i].count);
	fputc('\n', f);
}

void vhost_eventfd_print_json(FILE *f, const struct pair_counts *t, const char *when, bool final)
{
	struct json j;
	char ptr[24];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", when);
	if (final)
		json_bool(&j, "final", true);
	json_uint(&j, "total", pair_counts_total(t));
	json_arr(&j, "pairs");
	for (size_t i = 0; i < t->n; i++) {
		json_obj(&j, NULL);
		snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)t->v[i].ptr);
		json_str(&j, "vq", ptr);
		snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)t->v[i].value);
		json_str(&j, "eventfd", ptr);
		json_uint(&j, "count", t->v[i].count);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- probes ---- */

static const struct hook_def hook_defs[] = {
	{ "add used and signal", { HOOK_FUNC_ENTRY("vefd_signal", "vhost_add_used_and_signal_n") }, "vhost" },
};
const struct hook_table vhost_eventfd_hook_table = { hook_defs, 1 };

/* ---- run ---- */

struct run {
	struct vhost_eventfd_count_bpf *skel;
	struct pair_counts now, reported; /* reported: the counts at the last --clear report */
};

static void report(struct run *r, bool final)
{
	char when[32];

	pair_counts_read(&r->now, r->skel->maps.counts);
	fmt_datetime(when, sizeof(when));
	if (opt.clear)
		pair_counts_since(&r->now, &r->reported);
	pair_counts_sort_by_count(&r->now);
	if (g_common.json)
		vhost_eventfd_print_json(stdout, &r->now, when, final);
	else if (opt.at_exit)
		vhost_eventfd_print_bt(stdout, &r->now);
	else
		vhost_eventfd_print_table(stdout, &r->now, when, final);
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
	uint64_t full;

	args_parse(&parser, argc, argv);
	if (opt.at_exit && opt.clear)
		arg_fail("argument --clear: not allowed with argument --at-exit");
	tool_init("vhost_eventfd_count");
	hook_set_init(&hooks, vhost_eventfd_hook_table.defs, vhost_eventfd_hook_table.n, 0);
	require_module("vhost", "its virtqueues are what the tool counts");
	require_function_hooks("vhost_add_used_and_signal_n has no tracepoint");
	if (!kernel_struct_exists("vhost_virtqueue", "vhost"))
		die("no BTF for the vhost module (struct vhost_virtqueue, whose call eventfd the tool "
		    "reads): "
		    "pass a BTF directory with --btf DIR or BPFNET_BTF (README, \"Kernels without BTF\")");
	r.skel = BPFNET_OPEN(vhost_eventfd_count_bpf);
	hook_prepare(&hooks, r.skel->obj);
	bpfload_load(r.skel->skeleton);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		vhost_eventfd_print_banner(stdout, opt.at_exit ? 0 : (int)opt.interval);
		hook_print(stdout, &hooks);
	}
	output_flush();
	if (opt.at_exit) {
		tool_ready();
		tool_wait_done(0);
		hook_detach(&hooks);
		report_final(&r);
	} else {
		tool_ready();
		interval_run(&(struct interval_loop){ .interval_s = opt.interval,
						      .report = report_interval,
						      .final = report_final,
						      .ctx = &r });
		hook_detach(&hooks);
	}
	full = bpfload_percpu_sum(r.skel->maps.counters, VEFD_TABLE_FULL);
	if (full)
		log_warn("%llu calls not counted: the table of %d (virtqueue, eventfd) pairs was full",
			 (unsigned long long)full, PAIR_COUNTS_MAX);
	pair_counts_free(&r.now);
	pair_counts_free(&r.reported);
	vhost_eventfd_count_bpf__destroy(r.skel);
	return 0;
}
