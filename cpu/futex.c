// SPDX-License-Identifier: GPL-2.0-only
/* futex: the bpftrace futex.bt script as a binary: futex() durations as a histogram at exit. */
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
#include "json.h"
#include "log.h"
#include "runtime.h"
#include "futex.h"
#include "futex.skel.h"

enum futex_unit { UNIT_MS, UNIT_US };
static const char *const units[] = { "ms", "us", NULL };

static struct {
	enum futex_unit unit;
	int pid;
	double duration;
} opt = { .unit = UNIT_MS };

static const struct arg_opt options[] = {
	OPT_ENUM("unit", 0, &opt.unit, units, "unit of the histogram (default: ms, as the original)"),
	OPT_INT("pid", 'p', &opt.pid, 1, INT_MAX,
		"only time the futex calls of this process (TGID; default: every process)", .metavar = "PID"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "futex",
	.description = "Histogram of futex() system call durations of all threads, printed at exit "
		       "(Ctrl-C) like bpftrace",
	.epilog = "examples:\n"
		  "  futex                    # all processes, milliseconds, until Ctrl-C\n"
		  "  futex --unit us -d 10    # microseconds, for 10 seconds\n"
		  "  futex -p 2301            # only process 2301",
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

int main(int argc, char **argv)
{
	struct futex_config cfg = { 0 };
	uint64_t slots[BT_HIST_SLOTS];
	struct futex_report r = { .slots = slots };
	struct tid_start *inside;
	struct futex_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
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
	fflush(stdout);
	tool_ready();
	tool_wait_done(opt.duration);
	hook_detach(&hooks);

	bpfload_percpu_sums(skel->maps.lat, BT_HIST_SLOTS, slots);
	r.unit = units[opt.unit];
	r.ninside = tid_starts_read(skel->maps.start, &inside);
	r.inside = inside;
	r.untimed = bpfload_percpu_sum(skel->maps.counters, FUTEX_UNTIMED);
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
