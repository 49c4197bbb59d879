// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats_summary_all: which flows are dropped where, interval by interval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_count.h"
#include "drop_probe.h"
#include "drop_report.h"
#include "filter.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "percpu_delta.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"
#include "kernel_drop_stack_stats_summary_all.h"
#include "kernel_drop_stack_stats_summary_all.skel.h"

static const char *const group_choices[] = {
	[GROUP_ALL] = "all",
	[GROUP_STACK] = "stack",
	[GROUP_FIVETUPLE] = "fivetuple",
	NULL,
};

static struct {
	double interval, duration;
	int top, max_entries;
	enum kdssa_group group_by;
	struct drop_filter_opts filter;
	struct prom_opts prom;
} opt = { .interval = 10, .top = 5, .max_entries = 10240, .group_by = GROUP_ALL, .filter = { .name = "" } };

static const struct arg_opt options[] = {
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE,
		    "report interval in seconds; counts restart each interval"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "total run time in seconds (0 = until Ctrl-C)"),
	OPT_INT("top", 't', &opt.top, 1, 100000,
		"entries shown per report (the final report shows twice as many)"),
	DROP_FILTER_OPTIONS(opt.filter),
	OPT_INT("max-entries", 0, &opt.max_entries, 1, 4000000, "size of each counter table"),
	OPT_ENUM("group-by", 0, &opt.group_by, group_choices, "grouping shown by the periodic reports"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "kernel_drop_stack_stats_summary_all",
	.description = "Track kfree_skb call stack statistics with five-tuple granularity",
	.epilog =
		"examples:\n"
		"  kernel_drop_stack_stats_summary_all --src-ip 10.132.114.12 --dst-ip 10.132.114.11 "
		"--l4-protocol tcp\n"
		"  kernel_drop_stack_stats_summary_all --interval 5 --duration 60 --top 10 --device br-int\n"
		"  kernel_drop_stack_stats_summary_all --group-by fivetuple",
	.opts = options,
};

void kdssa_print_cycle(FILE *f, const char *datetime, int cycle, long top, enum kdssa_group group,
		       const struct drop_table *shown, const struct drop_table *failed, uint64_t table_full)
{
	static const char *const names[] = { "all", "stack", "fivetuple" };
	static const char *const found[] = { "unique stack+flow combinations", "unique stacks",
					     "unique five-tuples" };
	static const char *const empty[] = { "No data collected.", "No stack traces collected.",
					     "No five-tuple data collected." };
	static const unsigned show[] = { DROP_SHOW_STACK | DROP_SHOW_FLOW, DROP_SHOW_STACK, DROP_SHOW_FLOW };

	fprintf(f, "\n[%s] Cycle %d - Interval drops: %llu [showing top %ld, grouped by: %s]\n", datetime,
		cycle, (unsigned long long)shown->total, top, names[group]);
	drop_print_cycle_body(f, (size_t)top, shown, failed, table_full, found[group], empty[group],
			      show[group]);
}

void kdssa_print_final(FILE *f, const char *datetime, long top, const struct drop_table *drops,
		       const struct drop_table *failed)
{
	static const struct drop_final_text text = {
		.title = "kfree_skb Call Stack Statistics - Final Interval Summary",
		.drops = "Last interval packet drops",
		.failed = "Last interval failed stack traces",
		.none = "No packet drops in last interval.",
		.top = "Top call stacks and flows in last interval:",
	};

	drop_print_final(f, datetime, (size_t)(2 * top), drops, failed, &text, true);
}

/* One interval's counts, read and removed from the kernel's tables. */
struct interval {
	struct drop_table drops, stacks, tuples, failed;
	uint64_t table_full;
};

/* The tool's state between reports. */
struct run {
	struct kernel_drop_stack_stats_summary_all_bpf *skel;
	struct hook_set hooks;
	struct percpu_delta errors;
	enum kdssa_group group;
	int cycle;
	/* For the metrics: the counts since the start (the kernel's restart each interval). */
	struct drop_table sum_stacks, sum_failed;
	struct prom prom;
};

static void interval_collect(struct run *r, struct interval *iv)
{
	uint32_t gen = drop_generation_advance(r->skel->maps.generation);
	const struct ksyms *ks = ksyms_kernel();

	drop_table_read(&iv->drops, r->skel->maps.drop_counts, gen, true, r->skel->maps.stacks, ks,
			KSYM_HEX_MODULE);
	drop_table_read(&iv->stacks, r->skel->maps.stack_counts, gen, true, r->skel->maps.stacks, ks,
			KSYM_HEX_MODULE);
	drop_table_read(&iv->tuples, r->skel->maps.tuple_counts, gen, true, NULL, NULL, KSYM_HEX);
	drop_table_read(&iv->failed, r->skel->maps.failed_counts, gen, true, NULL, NULL, KSYM_HEX);
	iv->table_full = percpu_delta_read(&r->errors)[DROP_COUNT_TABLE_FULL];
}

/*
 * Adds the interval's counts of t into sum, by device and stack (the key's interval and flow
 * aside); a new entry takes its frames from t.
 */
static void sum_add(struct drop_table *sum, struct drop_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct drop_entry *e = &t->entries[i];
		size_t k = 0;

		while (k < sum->n && (sum->entries[k].key.stack_id != e->key.stack_id ||
				      strcmp(sum->entries[k].key.devname, e->key.devname)))
			k++;
		if (k == sum->n) {
			struct drop_entry *grown = realloc(sum->entries, (sum->n + 1) * sizeof(*grown));

			if (!grown)
				die("out of memory");
			sum->entries = grown;
			sum->entries[sum->n++] = *e;
			e->nframes = 0;
			e->frames = NULL;
		} else {
			sum->entries[k].count += e->count;
		}
		sum->total += e->count;
	}
	drop_table_sort(sum);
}

/* The metrics since the start: drops by device and stack, failures, drops not counted. */
static void prom_update(struct run *r, struct interval *iv)
{
	sum_add(&r->sum_stacks, &iv->stacks);
	sum_add(&r->sum_failed, &iv->failed);
	prom_begin(&r->prom, tool_name());
	drop_prom_write(&r->prom, &r->sum_stacks, &r->sum_failed, r->errors.last[DROP_COUNT_TABLE_FULL]);
	prom_commit(&r->prom, opt.prom.path);
}

static void interval_free(struct interval *iv)
{
	drop_table_free(&iv->drops);
	drop_table_free(&iv->stacks);
	drop_table_free(&iv->tuples);
	drop_table_free(&iv->failed);
}

static void print_json(const char *datetime, int cycle, enum kdssa_group group, const struct interval *iv)
{
	static const char *const keys[] = { "entries", "stacks", "flows" };
	const struct drop_table *shown = group == GROUP_ALL     ? &iv->drops
					 : group == GROUP_STACK ? &iv->stacks
								: &iv->tuples;
	struct json j;

	drop_json_begin(&j, stdout, datetime, cycle);
	json_str(&j, "group_by", group_choices[opt.group_by]);
	json_uint(&j, "interval_drops", shown->total);
	json_uint(&j, "failed_stacks", iv->failed.total);
	json_uint(&j, "not_counted_table_full", iv->table_full);
	drop_table_json(&j, "failed_by_device", &iv->failed, iv->failed.n, false);
	drop_table_json(&j, keys[group], shown, (size_t)(cycle ? opt.top : 2 * opt.top),
			group != GROUP_STACK);
	json_end_obj(&j);
	json_finish(&j);
}

static void report_cycle(void *ctx)
{
	struct run *r = ctx;
	struct interval iv;
	const struct drop_table *shown = r->group == GROUP_ALL     ? &iv.drops
					 : r->group == GROUP_STACK ? &iv.stacks
								   : &iv.tuples;
	char now[32];

	interval_collect(r, &iv);
	if (opt.prom.path)
		prom_update(r, &iv);
	r->cycle++;
	fmt_datetime(now, sizeof(now));
	if (g_common.json)
		print_json(now, r->cycle, r->group, &iv);
	else
		kdssa_print_cycle(stdout, now, r->cycle, opt.top, r->group, shown, &iv.failed, iv.table_full);
	output_flush();
	interval_free(&iv);
}

/* The final summary is the last interval's counts (the original mixed in cumulative ones). */
static void report_final(void *ctx)
{
	struct run *r = ctx;
	struct interval iv;
	char now[32];

	interval_collect(r, &iv);
	hook_detach(&r->hooks);
	if (opt.prom.path)
		prom_update(r, &iv);
	fmt_datetime(now, sizeof(now));
	if (g_common.json)
		print_json(now, 0, GROUP_ALL, &iv);
	else
		kdssa_print_final(stdout, now, opt.top, &iv.drops, &iv.failed);
	interval_free(&iv);
}

int main(int argc, char **argv)
{
	struct drop_count_config cfg;
	struct run r = { 0 };
	char filters[256];

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	drop_count_config_build(&cfg, &opt.filter);
	cfg.by_tuple = 1;
	r.group = opt.group_by;
	tool_init("kernel_drop_stack_stats_summary_all");
	hook_set_init(&r.hooks, &drop_hook, 1, 0);
	if (cfg.ifname[0])
		iface_name_check(cfg.ifname);
	if (!g_common.json) {
		printf("Tracing kfree_skb calls with five-tuple histograms, %.0fs intervals...%s\n",
		       opt.interval, drop_filter_text(&opt.filter, filters, sizeof(filters)));
		printf("Max histogram entries: %d, Grouping by: %s\n", opt.max_entries,
		       group_choices[opt.group_by]);
		drop_banner_duration(opt.duration);
	}

	r.skel = BPFNET_OPEN(kernel_drop_stack_stats_summary_all_bpf);
	bpf_map__set_max_entries(r.skel->maps.drop_counts, (__u32)opt.max_entries);
	bpf_map__set_max_entries(r.skel->maps.stack_counts, (__u32)opt.max_entries);
	bpf_map__set_max_entries(r.skel->maps.tuple_counts, (__u32)opt.max_entries);
	hook_prepare(&r.hooks, r.skel->obj);

	drop_count_start(r.skel->skeleton, r.skel->maps.config_map, &cfg, &r.hooks);
	percpu_delta_init_map(&r.errors, r.skel->maps.drop_count_errors, DROP_COUNT_ERRORS);
	interval_run(&(struct interval_loop){ .interval_s = opt.interval,
					      .duration_s = opt.duration,
					      .report = report_cycle,
					      .final = report_final,
					      .ctx = &r });
	percpu_delta_free(&r.errors);
	drop_table_free(&r.sum_stacks);
	drop_table_free(&r.sum_failed);
	prom_free(&r.prom);
	kernel_drop_stack_stats_summary_all_bpf__destroy(r.skel);
	return 0;
}
