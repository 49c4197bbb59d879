// SPDX-License-Identifier: GPL-2.0-only
/* kernel_drop_stack_stats: the bpftrace drop-stack script as a binary, same positional parameters. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_count.h"
#include "drop_probe.h"
#include "filter.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "kernel_drop_stack_stats.h"
#include "kernel_drop_stack_stats.skel.h"

#define LINE43 "==========================================="
#define LINE42 "=========================================="
#define DASH40 "----------------------------------------"
#define TOP 3

static struct {
	const char *device;
	int interval;
} opt = { .device = "", .interval = 10 };

static const struct arg_positional positionals[] = {
	POS_STR("device_name", &opt.device, "only count drops on this device (\"\" = all devices)", false),
	POS_INT("interval", &opt.interval, "reporting period in seconds (default 10; <= 0 means 10)", false),
	{ 0 },
};

static const struct arg_opt options[] = { { 0 } };

static const struct arg_parser parser = {
	.prog = "kernel_drop_stack_stats",
	.description = "Count kfree_skb drops per kernel stack and device; print the top ones "
		       "periodically and everything at Ctrl-C",
	.epilog = "examples:\n"
		  "  kernel_drop_stack_stats\n"
		  "  kernel_drop_stack_stats eth0\n"
		  "  kernel_drop_stack_stats br-int 5\n"
		  "  kernel_drop_stack_stats \"\" 15",
	.opts = options,
	.positionals = positionals,
};

void kds_device_totals(const struct drop_table *stacks, const struct drop_table *failed,
		       struct drop_table *out)
{
	const struct drop_table *src[] = { stacks, failed };

	memset(out, 0, sizeof(*out));
	out->entries = calloc(stacks->n + failed->n + 1, sizeof(*out->entries));
	if (!out->entries)
		die("out of memory");
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < src[s]->n; i++) {
			const struct drop_entry *e = &src[s]->entries[i];
			size_t k = 0;

			while (k < out->n && strcmp(out->entries[k].key.devname, e->key.devname))
				k++;
			if (k == out->n) {
				memcpy(out->entries[k].key.devname, e->key.devname, sizeof(e->key.devname));
				out->entries[k].key.stack_id = DROP_STACK_NONE;
				out->n++;
			}
			out->entries[k].count += e->count;
			out->total += e->count;
		}
	}
	drop_table_sort(out);
}

/* bpftrace prints the largest entries last; top == 0 prints all of them. */
static size_t first_shown(size_t n, size_t top)
{
	return top && n > top ? top : n;
}

void kds_print_device_totals(FILE *f, const struct drop_table *totals, size_t top)
{
	for (size_t i = first_shown(totals->n, top); i-- > 0;)
		fprintf(f, "@device_totals[%s]: %llu\n", totals->entries[i].key.devname,
			(unsigned long long)totals->entries[i].count);
}

static void print_stack_entry(FILE *f, const struct drop_entry *e)
{
	fprintf(f, "@stack_counts[\n");
	if (e->nframes <= 0)
		fprintf(f, "    [stack unavailable]\n");
	for (int k = 0; k < e->nframes; k++)
		fprintf(f, "    %s\n", e->frames[k]);
	fprintf(f, ", %s]: %llu\n", e->key.devname, (unsigned long long)e->count);
}

void kds_print_stack_counts(FILE *f, const struct drop_table *stacks, const struct drop_table *failed,
			    size_t top)
{
	struct drop_table all = { 0 };

	/* Stacks that could not be captured count under an empty stack, as bpftrace's kstack does. */
	all.n = stacks->n + failed->n;
	all.entries = calloc(all.n + 1, sizeof(*all.entries));
	if (!all.entries)
		die("out of memory");
	memcpy(all.entries, stacks->entries, stacks->n * sizeof(*all.entries));
	for (size_t i = 0; i < failed->n; i++) {
		all.entries[stacks->n + i] = failed->entries[i];
		all.entries[stacks->n + i].nframes = 0;
	}
	drop_table_sort(&all);
	for (size_t i = first_shown(all.n, top); i-- > 0;)
		print_stack_entry(f, &all.entries[i]);
	free(all.entries); /* the frames belong to the caller's tables */
}

struct snapshot {
	struct drop_table stacks, failed, totals;
};

static void snapshot_read(struct kernel_drop_stack_stats_bpf *skel, struct snapshot *s)
{
	drop_table_read(&s->stacks, skel->maps.drop_counts, DROP_GEN_ANY, false, skel->maps.stacks,
			ksyms_kernel(), KSYM_DEC);
	drop_table_read(&s->failed, skel->maps.failed_counts, DROP_GEN_ANY, false, NULL, NULL, KSYM_DEC);
	kds_device_totals(&s->stacks, &s->failed, &s->totals);
}

static void snapshot_free(struct snapshot *s)
{
	drop_table_free(&s->stacks);
	drop_table_free(&s->failed);
	free(s->totals.entries);
}

static void print_json(const char *hms, int cycle, const struct snapshot *s, uint64_t delta)
{
	struct json j;

	json_begin(&j, stdout);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	if (cycle) {
		json_int(&j, "cycle", cycle);
		json_uint(&j, "new_drops", delta);
	} else {
		json_bool(&j, "final", true);
	}
	json_uint(&j, "total_drops", s->totals.total);
	drop_table_json(&j, "device_totals", &s->totals, s->totals.n, false);
	drop_table_json(&j, "stack_counts", &s->stacks, cycle ? TOP : s->stacks.n, false);
	json_end_obj(&j);
	json_finish(&j);
}

struct run {
	struct kernel_drop_stack_stats_bpf *skel;
	struct hook_set hooks;
	uint64_t last_total;
	int cycle;
};

static void report_cycle(void *ctx)
{
	struct run *r = ctx;
	struct snapshot s;
	char hms[16];

	snapshot_read(r->skel, &s);
	r->cycle++;
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json) {
		print_json(hms, r->cycle, &s, s.totals.total - r->last_total);
	} else {
		printf("%s Cycle %d - Total drops: %llu (+%llu in last %ds)\n%s\n", hms, r->cycle,
		       (unsigned long long)s.totals.total,
		       (unsigned long long)(s.totals.total - r->last_total), opt.interval, DASH40);
		printf("Top devices:\n");
		kds_print_device_totals(stdout, &s.totals, TOP);
		printf("Top call stacks (showing top %d):\n", TOP);
		kds_print_stack_counts(stdout, &s.stacks, &s.failed, TOP);
		printf("%s\n", LINE43);
	}
	output_flush();
	r->last_total = s.totals.total;
	snapshot_free(&s);
}

static void report_final(void *ctx)
{
	struct run *r = ctx;
	struct snapshot s;
	char hms[16];

	hook_detach(&r->hooks);
	snapshot_read(r->skel, &s);
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json) {
		print_json(hms, 0, &s, 0);
	} else {
		printf("\n%s kfree_skb Final Statistics\n%s\n", hms, LINE42);
		printf("Total packet drops: %llu\n\n", (unsigned long long)s.totals.total);
		if (!s.totals.total) {
			printf("No packet drops detected.\n");
		} else {
			printf("Drops by device:\n");
			kds_print_device_totals(stdout, &s.totals, 0);
			printf("\nTop call stacks by device:\n%s\n", LINE42);
			kds_print_stack_counts(stdout, &s.stacks, &s.failed, 0);
			printf("\nTracing completed.\n");
		}
	}
	snapshot_free(&s);
}

int main(int argc, char **argv)
{
	struct drop_count_config cfg = { 0 };
	struct run r = { 0 };

	args_parse(&parser, argc, argv);
	if (opt.interval <= 0)
		opt.interval = 10;
	if (opt.interval > ARG_SECONDS_MAX)
		arg_fail("argument interval: invalid value: %d (must be between 1 and %.0f seconds)",
			 opt.interval, ARG_SECONDS_MAX);
	/* Not an ARG_IFNAME: "" is the original's "every device". */
	if (strlen(opt.device) >= IFNAMSIZ)
		arg_fail("argument device_name: interface name '%s' too long (max %d characters)",
			 arg_shown(opt.device), IFNAMSIZ - 1);
	snprintf(cfg.ifname, sizeof(cfg.ifname), "%s", opt.device);
	tool_init("kernel_drop_stack_stats");
	hook_set_init(&r.hooks, &drop_hook, 1, 0);
	if (cfg.ifname[0])
		iface_name_check(cfg.ifname);

	r.skel = BPFNET_OPEN(kernel_drop_stack_stats_bpf);
	hook_prepare(&r.hooks, r.skel->obj);
	bpfload_load(r.skel->skeleton);
	bpfload_write_config(r.skel->maps.config_map, &cfg, sizeof(cfg));
	tool_install_signals();
	hook_attach(&r.hooks);
	if (!g_common.json) {
		printf("Tracing kfree_skb calls...\n");
		if (cfg.ifname[0])
			printf("Device filter: %s\n", cfg.ifname);
		else
			printf("No device filter - monitoring all interfaces\n");
		printf("Reporting interval: %d seconds\n", opt.interval);
		hook_print(stdout, &r.hooks);
		printf("Press Ctrl+C to see final summary\n%s\n", LINE43);
	}
	output_flush();
	tool_ready();

	interval_run(&(struct interval_loop){ .interval_s = (double)opt.interval,
					      .report = report_cycle,
					      .final = report_final,
					      .ctx = &r });
	kernel_drop_stack_stats_bpf__destroy(r.skel);
	return 0;
}
