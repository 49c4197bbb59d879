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

static int by_start(const void *a, const void *b)
{
	const struct futex_inside *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

void futex_sort_inside(struct futex_inside *inside, size_t n)
{
	qsort(inside, n, sizeof(*inside), by_start);
}

void futex_print_report(FILE *f, const struct futex_report *r)
{
	fputs("\n\n", f);
	bt_print_hist(f, "lat", r->slots, BT_HIST_SLOTS);
	for (size_t i = 0; i < r->ninside; i++)
		fprintf(f, "@ts[%u]: %llu\n", r->inside[i].tid, (unsigned long long)r->inside[i].start_ns);
	if (r->ninside)
		fputc('\n', f);
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
	json_arr(&j, "inside");
	for (size_t i = 0; i < r->ninside; i++) {
		json_obj(&j, NULL);
		json_uint(&j, "tid", r->inside[i].tid);
		json_uint(&j, "start_ns", r->inside[i].start_ns);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_uint(&j, "untimed", r->untimed);
	json_end_obj(&j);
	json_finish(&j);
}

/* The threads still inside futex(): what is left in the start map. */
static size_t read_inside(struct bpf_map *map, struct futex_inside **out)
{
	int fd = bpf_map__fd(map);
	size_t n = 0, cap = 64;
	struct futex_inside *v = malloc(cap * sizeof(*v));
	__u32 key, next;
	__u64 ts;
	void *prev = NULL;

	if (!v)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &ts))
			continue;
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			die("out of memory");
		v[n++] = (struct futex_inside){ key, ts };
	}
	futex_sort_inside(v, n);
	*out = v;
	return n;
}

int main(int argc, char **argv)
{
	struct futex_config cfg = { 0 };
	uint64_t slots[BT_HIST_SLOTS];
	struct futex_report r = { .slots = slots };
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
	r.ninside = read_inside(skel->maps.start, &r.inside);
	r.untimed = bpfload_percpu_sum(skel->maps.counters, FUTEX_UNTIMED);
	if (g_common.json)
		futex_print_json(stdout, &r);
	else
		futex_print_report(stdout, &r);
	if (r.untimed)
		log_warn("%llu futex calls were not timed: more than %d threads were inside futex() at once",
			 (unsigned long long)r.untimed, FUTEX_MAX_THREADS);
	free(r.inside);
	futex_bpf__destroy(skel);
	return 0;
}
