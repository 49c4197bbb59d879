// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats_summary: top kernel stacks that drop packets, per device, cumulative. */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_count.h"
#include "drop_probe.h"
#include "drop_report.h"
#include "filter.h"
#include "interval.h"
#include "json.h"
#include "output.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"
#include "kernel_drop_stack_stats_summary.h"
#include "kernel_drop_stack_stats_summary.skel.h"

static struct {
	double interval, duration;
	int top;
	struct drop_filter_opts filter;
	struct prom_opts prom;
} opt = { .interval = 10, .top = 5, .filter = { .name = "" } };

static const struct arg_opt options[] = {
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE, "report interval in seconds"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "total run time in seconds (0 = until Ctrl-C)"),
	OPT_INT("top", 't', &opt.top, 1, 100000,
		"stacks shown per report (the final report shows twice as many)"),
	DROP_FILTER_OPTIONS(opt.filter),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "kernel_drop_stack_stats_summary",
	.description = "Track kfree_skb call stack statistics with histograms and five-tuple filtering",
	.epilog = "examples:\n"
		  "  kernel_drop_stack_stats_summary -i 5 -t 10\n"
		  "  kernel_drop_stack_stats_summary -n eth0 --src-ip 10.0.0.1 --l4-protocol tcp\n"
		  "  kernel_drop_stack_stats_summary --dst-port 80 -d 60",
	.opts = options,
};

void kdss_print_cycle(FILE *f, const char *datetime, int cycle, long top, const struct drop_table *drops,
		      const struct drop_table *failed, uint64_t table_full)
{
	fprintf(f, "\n[%s] Cycle %d - Total drops: %llu [showing top %ld]\n", datetime, cycle,
		(unsigned long long)drops->total, top);
	drop_print_cycle_body(f, (size_t)top, drops, failed, table_full, "unique stacks",
			      "No stack traces collected.", DROP_SHOW_STACK);
}

void kdss_print_final(FILE *f, const char *datetime, long top, const struct drop_table *drops,
		      const struct drop_table *failed)
{
	static const struct drop_final_text text = {
		.title = "kfree_skb Call Stack Statistics (Histogram)",
		.drops = "Total packet drops",
		.failed = "Total failed stack traces",
		.none = "No successful stack traces collected.",
		.top = "Top call stacks causing packet drops:",
	};

	drop_print_final(f, datetime, (size_t)(2 * top), drops, failed, &text, false);
}

static void print_json(const char *datetime, int cycle, const struct drop_table *drops,
		       const struct drop_table *failed, uint64_t table_full, size_t max)
{
	struct json j;

	drop_json_begin(&j, stdout, datetime, cycle);
	json_uint(&j, "total_drops", drops->total);
	json_uint(&j, "failed_stacks", failed->total);
	json_uint(&j, "not_counted_table_full", table_full);
	drop_table_json(&j, "failed_by_device", failed, failed->n, false);
	drop_table_json(&j, "stacks", drops, max, false);
	json_end_obj(&j);
	json_finish(&j);
}

struct run {
	struct kernel_drop_stack_stats_summary_bpf *skel;
	struct hook_set hooks;
	int cycle;
	struct prom prom;
};

/* The counts are cumulative: the metrics are the report's tables. */
static void report(struct run *r, int cycle)
{
	struct kernel_drop_stack_stats_summary_bpf *skel = r->skel;
	struct drop_table drops, failed;
	uint64_t full = drop_count_table_full(skel->maps.drop_count_errors);
	char now[32];

	drop_table_read(&drops, skel->maps.drop_counts, DROP_GEN_ANY, false, skel->maps.stacks,
			ksyms_kernel(), KSYM_HEX_MODULE);
	drop_table_read(&failed, skel->maps.failed_counts, DROP_GEN_ANY, false, NULL, NULL, KSYM_HEX);
	if (opt.prom.path) {
		prom_begin(&r->prom, tool_name());
		drop_prom_write(&r->prom, &drops, &failed, full);
		prom_commit(&r->prom, opt.prom.path);
	}
	fmt_datetime(now, sizeof(now));
	if (g_common.json)
		print_json(now, cycle, &drops, &failed, full, (size_t)(cycle ? opt.top : 2 * opt.top));
	else if (cycle)
		kdss_print_cycle(stdout, now, cycle, opt.top, &drops, &failed, full);
	else
		kdss_print_final(stdout, now, opt.top, &drops, &failed);
	output_flush();
	drop_table_free(&drops);
	drop_table_free(&failed);
}

static void report_cycle(void *ctx)
{
	struct run *r = ctx;

	report(r, ++r->cycle);
}

static void report_final(void *ctx)
{
	struct run *r = ctx;

	hook_detach(&r->hooks);
	report(r, 0);
}

int main(int argc, char **argv)
{
	struct drop_count_config cfg;
	struct run r = { 0 };
	char filters[256];

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	drop_count_config_build(&cfg, &opt.filter);
	tool_init("kernel_drop_stack_stats_summary");
	hook_set_init(&r.hooks, &drop_hook, 1, 0);
	if (cfg.ifname[0])
		iface_name_check(cfg.ifname);
	if (!g_common.json) {
		printf("Tracing kfree_skb calls with histograms, %.0fs intervals...%s\n", opt.interval,
		       drop_filter_text(&opt.filter, filters, sizeof(filters)));
		drop_banner_duration(opt.duration);
	}

	r.skel = BPFNET_OPEN(kernel_drop_stack_stats_summary_bpf);
	hook_prepare(&r.hooks, r.skel->obj);

	drop_count_start(r.skel->skeleton, r.skel->maps.config_map, &cfg, &r.hooks);
	interval_run(&(struct interval_loop){ .interval_s = opt.interval,
					      .duration_s = opt.duration,
					      .report = report_cycle,
					      .final = report_final,
					      .ctx = &r });
	prom_free(&r.prom);
	kernel_drop_stack_stats_summary_bpf__destroy(r.skel);
	return 0;
}
