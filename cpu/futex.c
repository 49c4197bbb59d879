// SPDX-License-Identifier: GPL-2.0-only
/*
 * futex: the bpftrace futex.bt script as a binary: futex() durations as a histogram at exit;
 * with --prometheus-textfile, the same histogram since the start every interval as metrics.
 */
#include <bpf/bpf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "bthist.h"
#include "hist.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "prom.h"
#include "runtime.h"
#include "futex.h"
#include "futex.skel.h"

enum futex_unit { UNIT_MS, UNIT_US };
static const char *const units[] = { "ms", "us", NULL };

static struct {
	enum futex_unit unit;
	int pid;
	double duration;
	double interval; /* 0: not given */
	struct prom_opts prom;
} opt = { .unit = UNIT_MS };

#define FUTEX_PROM_INTERVAL 5 /* seconds between two writes of the metrics by default */

static const struct arg_opt options[] = {
	OPT_ENUM("unit", 0, &opt.unit, units, "unit of the histogram (default: ms, as the original)"),
	OPT_INT("pid", 'p', &opt.pid, 1, INT_MAX,
		"only time the futex calls of this process (TGID; default: every process)", .metavar = "PID"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	OPT_SECONDS("interval", 'i', &opt.interval, 0,
		    "with --prometheus-textfile: rewrite the metrics every this many seconds (default: 5); "
		    "the histogram on stdout is printed once, at exit",
		    .metavar = "SECONDS"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "futex",
	.description = "Histogram of futex() system call durations of all threads, printed at exit "
		       "(Ctrl-C) like bpftrace",
	.epilog = "examples:\n"
		  "  futex                    # all processes, milliseconds, until Ctrl-C\n"
		  "  futex --unit us -d 10    # microseconds, for 10 seconds\n"
		  "  futex -p 2301            # only process 2301\n"
		  "  futex --unit us -i 10 --quiet --prometheus-textfile "
		  "/var/lib/prometheus/node-exporter/futex.prom",
	.opts = options,
};

static const struct hook_def hook_defs[] = {
	{ "futex() entry", { { HOOK_TP, "futex_enter", "syscalls:sys_enter_futex" } } },
	{ "futex() return", { { HOOK_TP, "futex_exit", "syscalls:sys_exit_futex" } } },
};
const struct hook_table futex_hook_table = { hook_defs, 2 };

void futex_print_report(FILE *f, const struct futex_report *r)
{
	fputs("\n\n", f);
	bt_print_hist(f, "lat", r->slots, BT_HIST_SLOTS);
	tid_starts_print(f, "ts", r->inside, r->ninside);
}

void futex_prom_write(struct prom *p, const struct futex_report *r)
{
	char help[160];

	snprintf(help, sizeof(help),
		 "Durations of the futex() system calls timed since the tool started, in log2 slots of "
		 "whole %s (le: a slot's highest whole %s).",
		 r->unit, r->unit);
	prom_family(p, "call_duration_seconds", PROM_HISTOGRAM, help);
	prom_histogram(p, NULL, 0, r->slots, BT_HIST_SLOTS, bt_hist_high, r->unit_s, r->sum_s);
	prom_family(p, "untimed_calls_total", PROM_COUNTER,
		    "futex() calls not timed: too many threads were inside futex() at once.");
	prom_value(p, NULL, 0, (double)r->untimed);
}

void futex_print_json(FILE *f, const struct futex_report *r)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	json_str(&j, "unit", r->unit);
	json_uint(&j, "calls", hist_total(r->slots, BT_HIST_SLOTS));
	bt_hist_json(&j, "lat", r->slots, BT_HIST_SLOTS);
	tid_starts_json(&j, r->inside, r->ninside);
	json_uint(&j, "untimed", r->untimed);
	json_end_obj(&j);
	json_finish(&j);
}

/* What the kernel counted so far (the histogram into r->slots), threads inside futex() aside. */
static void read_counts(struct futex_bpf *skel, struct futex_report *r, uint64_t *slots)
{
	bpfload_percpu_sums(skel->maps.lat, BT_HIST_SLOTS, slots);
	r->unit = units[opt.unit];
	r->unit_s = opt.unit == UNIT_US ? 1e-6 : 1e-3;
	r->untimed = bpfload_percpu_sum(skel->maps.counters, FUTEX_UNTIMED);
	r->sum_s = (double)bpfload_percpu_sum(skel->maps.counters, FUTEX_SUM_NS) * 1e-9;
}

struct prom_run {
	struct futex_bpf *skel;
	struct prom prom;
};

static void write_metrics(void *ctx)
{
	struct prom_run *run = ctx;
	uint64_t slots[BT_HIST_SLOTS];
	struct futex_report r = { .slots = slots };

	read_counts(run->skel, &r, slots);
	prom_begin(&run->prom, tool_name());
	futex_prom_write(&run->prom, &r);
	prom_commit(&run->prom, opt.prom.path);
}

int main(int argc, char **argv)
{
	struct futex_config cfg = { 0 };
	uint64_t slots[BT_HIST_SLOTS];
	struct futex_report r = { .slots = slots };
	struct tid_start *inside;
	struct futex_bpf *skel;
	struct hook_set hooks;
	struct prom_run run = { 0 };

	args_parse(&parser, argc, argv);
	if (opt.interval && !opt.prom.path)
		arg_fail_opt(&opt.interval,
			     "only with --prometheus-textfile (the histogram is printed once, at exit)");
	prom_opts_check(&opt.prom);
	tool_init("futex");
	hook_set_init(&hooks, futex_hook_table.defs, futex_hook_table.n, 0);
	cfg.tgid = (__u32)opt.pid;
	cfg.unit_ns = opt.unit == UNIT_US ? 1000 : 1000000;

	skel = BPFNET_OPEN(futex_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));

	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json)
		printf("Attaching %d probes...\n", hooks.n);
	output_flush();
	tool_ready();
	run.skel = skel;
	if (!opt.interval)
		opt.interval = FUTEX_PROM_INTERVAL;
	if (opt.prom.path)
		interval_run(&(struct interval_loop){ .interval_s = opt.interval,
						      .duration_s = opt.duration,
						      .report = write_metrics,
						      .ctx = &run });
	else
		tool_wait_done(opt.duration);
	hook_detach(&hooks);
	/* The last metrics: the numbers of the histogram printed below. */
	if (opt.prom.path)
		write_metrics(&run);
	prom_free(&run.prom);

	read_counts(skel, &r, slots);
	r.ninside = tid_starts_read(skel->maps.start, &inside);
	r.inside = inside;
	if (g_common.json)
		futex_print_json(stdout, &r);
	else
		futex_print_report(stdout, &r);
	if (r.untimed)
		log_warn("%llu futex calls were not timed: more than %d threads were inside futex() at once",
			 (unsigned long long)r.untimed, FUTEX_MAX_THREADS);
	free(inside);
	futex_bpf__destroy(skel);
	return 0;
}
