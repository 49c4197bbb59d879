// SPDX-License-Identifier: GPL-2.0-only
/*
 * offcputime-ts: BCC's offcputime with the time-series mode (-I): off-CPU time per thread and
 * kernel/user stack, printed at the end or every interval.
 */
#include <bpf/bpf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "interval.h"
#include "output.h"
#include "runtime.h"
#include "offcputime-ts.h"
#include "offcputime-ts.skel.h"

static struct {
	const char *pids, *tids, *stack_storage, *min_block, *max_block, *state, *interval, *duration;
	bool user_threads, kernel_threads, user_stacks, kernel_stacks, delimited, folded, offset, ebpf;
	struct prom_opts prom;
} opt = { .stack_storage = "16384", .min_block = "1" };

static const struct arg_opt options[] = {
	OPT_STR("pid", 'p', &opt.pids, "trace these PIDS only, comma-separated list", .metavar = "PID"),
	OPT_STR("tid", 't', &opt.tids, "trace these TIDS only, comma-separated list", .metavar = "TID"),
	OPT_FLAG("user-threads-only", 'u', &opt.user_threads, "user threads only (no kernel threads)"),
	OPT_FLAG("kernel-threads-only", 'k', &opt.kernel_threads, "kernel threads only (no user threads)"),
	OPT_FLAG("user-stacks-only", 'U', &opt.user_stacks,
		 "show stacks from user space only (no kernel space stacks)"),
	OPT_FLAG("kernel-stacks-only", 'K', &opt.kernel_stacks,
		 "show stacks from kernel space only (no user space stacks)"),
	OPT_FLAG("delimited", 'd', &opt.delimited, "insert delimiter between kernel/user stacks"),
	OPT_FLAG("folded", 'f', &opt.folded, "output folded format"),
	OPT_FLAG("offset", 's', &opt.offset, "show address offsets"),
	OPT_STR("stack-storage-size", 0, &opt.stack_storage,
		"the number of unique stack traces that can be stored and displayed (default 16384)"),
	OPT_STR("min-block-time", 'm', &opt.min_block,
		"the amount of time in microseconds over which we store traces (default 1)"),
	OPT_STR("max-block-time", 'M', &opt.max_block,
		"the amount of time in microseconds under which we store traces (default U64_MAX)"),
	OPT_STR("state", 0, &opt.state,
		"filter on this thread state bitmask (eg, 2 == TASK_UNINTERRUPTIBLE) see "
		"include/linux/sched.h"),
	OPT_STR("interval", 'I', &opt.interval, "output every N seconds (time-series mode)"),
	OPT_FLAG("ebpf", 0, &opt.ebpf, "describe the BPF programs and exit (status 3)"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_positional positionals[] = {
	POS_STR("duration", &opt.duration, "duration of trace, in seconds", false),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "offcputime-ts",
	.description = "Summarize off-CPU time by stack trace",
	.epilog = "examples:\n"
		  "    ./offcputime-ts             # trace off-CPU stack time until Ctrl-C\n"
		  "    ./offcputime-ts 5           # trace for 5 seconds only\n"
		  "    ./offcputime-ts -f 5        # 5 seconds, and output in folded format\n"
		  "    ./offcputime-ts -m 1000     # trace only events that last more than 1000 usec\n"
		  "    ./offcputime-ts -M 10000    # trace only events that last less than 10000 usec\n"
		  "    ./offcputime-ts -p 185      # only trace threads for PID 185\n"
		  "    ./offcputime-ts -t 188      # only trace thread 188\n"
		  "    ./offcputime-ts -u          # only trace user threads (no kernel)\n"
		  "    ./offcputime-ts -k          # only trace kernel threads (no user)\n"
		  "    ./offcputime-ts -U          # only show user space stacks (no kernel)\n"
		  "    ./offcputime-ts -K          # only show kernel space stacks (no user)\n"
		  "    ./offcputime-ts -I 5        # print a report every 5 seconds (time series)\n"
		  "    ./offcputime-ts -I 5 -K 60  # every 5 seconds for 60 seconds, kernel stacks",
	.opts = options,
	.positionals = positionals,
};

static const struct hook_def hook_defs[] = {
	{ "context switches",
	  { { HOOK_TP_BTF, "offcpu_sched_switch_btf", "sched:sched_switch" },
	    { HOOK_RAW_TP, "offcpu_sched_switch", "sched:sched_switch" },
	    { HOOK_KPROBE, "offcpu_finish_task_switch", "finish_task_switch" } } },
};
const struct hook_table offcpu_hook_table = { hook_defs, 1 };

/* --- options: the original's checks and messages */

/* A whole number as Python's int() reads it (surrounding blanks, one sign, digits, '_' between). */
static bool parse_u64(const char *text, uint64_t *v, bool *negative)
{
	const char *p = text;
	uint64_t n = 0;
	bool digits = false;

	while (*p == ' ' || *p == '\t')
		p++;
	*negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	for (; (*p >= '0' && *p <= '9') || (*p == '_' && digits && p[1] >= '0' && p[1] <= '9'); p++) {
		if (*p == '_')
			continue;
		if (n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
		digits = true;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	*v = n;
	return digits && !*p;
}

/* A bad option value, or (dest = &opt.duration) a bad positional, argparse-style. */
static void bad_value(const void *dest, const char *msg)
{
	if (dest == &opt.duration)
		arg_fail("argument duration: %s", msg);
	arg_fail_opt(dest, "%s", msg);
}

/* positive_int / positive_nonzero_int of the original: "must be an integer", "must be positive", "must be nonzero". */
static uint64_t checked_int(const void *dest, const char *text, bool nonzero, uint64_t max)
{
	bool negative;
	uint64_t v;
	char msg[160];

	if (!parse_u64(text, &v, &negative))
		bad_value(dest, "must be an integer");
	if (negative && v)
		bad_value(dest, "must be positive");
	if (nonzero && !v)
		bad_value(dest, "must be nonzero");
	if (v > max) {
		snprintf(msg, sizeof(msg), "invalid value: %s (must be at most %llu)", arg_shown(text),
			 (unsigned long long)max);
		bad_value(dest, msg);
	}
	return v;
}

/* A comma-separated id list (-p, -t), into the BPF map of wanted ids. */
static int parse_ids(const void *dest, const char *text, uint32_t *ids, int max)
{
	char *copy = strdup(text), *save = NULL;
	int n = 0;

	if (!copy)
		die("out of memory");
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool negative;
		uint64_t v;

		if (!parse_u64(tok, &v, &negative))
			arg_fail_opt(dest, "must be integers");
		if (negative && v)
			arg_fail_opt(dest, "must be positive ingegers");
		if (v > INT_MAX)
			arg_fail_opt(dest, "invalid value: %s (must be at most %d)", arg_shown(tok), INT_MAX);
		if (n == max)
			arg_fail_opt(dest, "at most %d ids", max);
		ids[n++] = (uint32_t)v;
	}
	free(copy);
	if (!n)
		arg_fail_opt(dest, "must be integers");
	return n;
}

/* argparse's mutually exclusive groups: "argument B: not allowed with argument A". */
static void exclusive(const void *a, bool a_set, const void *b, bool b_set)
{
	if (a_set && b_set)
		arg_fail_opt(b, "not allowed with argument %s", arg_flag_of(a));
}

struct settings {
	struct offcpu_config cfg;
	struct offcpu_layout layout;
	uint32_t ids[OFFCPU_MAX_IDS];
	int nids;
	uint32_t stack_storage;
	int interval, duration;
	char threads[128];
};

static void settings_from_options(struct settings *s)
{
	const void *thread_opts[] = { &opt.pids, &opt.tids, &opt.user_threads, &opt.kernel_threads };
	bool thread_set[] = { opt.pids != NULL, opt.tids != NULL, opt.user_threads, opt.kernel_threads };

	for (int i = 0; i < 4; i++)
		for (int k = i + 1; k < 4; k++)
			exclusive(thread_opts[i], thread_set[i], thread_opts[k], thread_set[k]);
	exclusive(&opt.user_stacks, opt.user_stacks, &opt.kernel_stacks, opt.kernel_stacks);

	memset(s, 0, sizeof(*s));
	s->stack_storage = (uint32_t)checked_int(&opt.stack_storage, opt.stack_storage, true, 1 << 24);
	s->cfg.min_us = checked_int(&opt.min_block, opt.min_block, true, UINT64_MAX);
	s->cfg.max_us = opt.max_block ? checked_int(&opt.max_block, opt.max_block, true, UINT64_MAX)
				      : UINT64_MAX;
	if (opt.state) {
		s->cfg.state_filter = 1;
		s->cfg.state = checked_int(&opt.state, opt.state, false, UINT64_MAX);
	}
	s->interval = opt.interval ? (int)checked_int(&opt.interval, opt.interval, true, 31536000) : 0;
	s->duration = opt.duration
			      ? (int)checked_int(&opt.duration, opt.duration, true, OFFCPU_DURATION_FOREVER)
			      : OFFCPU_DURATION_FOREVER;
	snprintf(s->threads, sizeof(s->threads), "all threads");
	if (opt.pids) {
		s->cfg.thread_filter = OFFCPU_TGIDS;
		s->nids = parse_ids(&opt.pids, opt.pids, s->ids, OFFCPU_MAX_IDS);
		snprintf(s->threads, sizeof(s->threads), "PIDs %.100s", opt.pids);
	} else if (opt.tids) {
		s->cfg.thread_filter = OFFCPU_TIDS;
		s->nids = parse_ids(&opt.tids, opt.tids, s->ids, OFFCPU_MAX_IDS);
		snprintf(s->threads, sizeof(s->threads), "TIDs %.100s", opt.tids);
	} else if (opt.user_threads) {
		s->cfg.thread_filter = OFFCPU_USER;
		snprintf(s->threads, sizeof(s->threads), "user threads");
	} else if (opt.kernel_threads) {
		s->cfg.thread_filter = OFFCPU_KERNEL;
		snprintf(s->threads, sizeof(s->threads), "kernel threads");
	}
	s->cfg.user_stacks = !opt.kernel_stacks;
	s->cfg.kernel_stacks = !opt.user_stacks;
	s->layout = (struct offcpu_layout){ opt.user_stacks, opt.kernel_stacks, opt.delimited, opt.folded };
}

/* --- the run */

/* The kernel side's source, for --ebpf (found through the tool folder's include path). */
__asm__(".pushsection .rodata\n"
	".global offcputime_ts_bpf_source\n"
	"offcputime_ts_bpf_source:\n"
	".incbin \"offcputime-ts.bpf.c\"\n"
	".byte 0\n"
	".popsection\n");
extern const char offcputime_ts_bpf_source[];

static void on_warn(void *ctx, const void *data, size_t size)
{
	const struct offcpu_warn *w = data;

	(void)ctx;
	if (size < sizeof(*w))
		return;
	fprintf(stderr,
		"WARN: Skipped an event with negative duration: pid:%u, tgid:%u, off-cpu:%llu, on-cpu:%llu\n",
		w->pid, w->tgid, (unsigned long long)w->t_start, (unsigned long long)w->t_end);
}

int main(int argc, char **argv)
{
	static struct settings s;
	struct offcpu_run r;
	struct offcputime_ts_bpf *skel;
	struct hook_set hooks;
	struct event_channel *events;
	uint8_t one = 1;

	args_parse(&parser, argc, argv);
	settings_from_options(&s);
	prom_opts_check(&opt.prom);
	if (opt.folded && opt.offset) {
		printf("ERROR: can only use -f or -s. Exiting.\n");
		return 0;
	}
	if (opt.kernel_threads && opt.user_stacks) {
		fprintf(stderr, "ERROR: Displaying user stacks for kernel threads doesn't make sense.\n");
		return EXIT_USAGE;
	}
	if (opt.ebpf) {
		fputs(offcputime_ts_bpf_source, stdout);
		printf("ERROR: Exiting\n");
		return 3;
	}
	tool_init("offcputime-ts");
	hook_set_init(&hooks, offcpu_hook_table.defs, offcpu_hook_table.n, 0);

	skel = BPFNET_OPEN(offcputime_ts_bpf);
	bpf_map__set_max_entries(skel->maps.stack_traces, s.stack_storage);
	hook_prepare(&hooks, skel->obj);
	events_prepare(skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &s.cfg, sizeof(s.cfg));
	for (int i = 0; i < s.nids; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.wanted_ids), &s.ids[i], &one, BPF_ANY);
	r = (struct offcpu_run){ skel, s.layout, opt.offset, s.interval, .prom_path = opt.prom.path };
	events = events_open(skel->maps.events, skel->maps.events_lost, on_warn, &r);

	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json && !s.layout.folded) {
		hook_print(stdout, &hooks);
		offcpu_print_banner(stdout, s.threads, &s.layout, s.interval, s.duration);
	}
	output_flush();
	tool_ready();

	if (s.interval) {
		interval_run(&(struct interval_loop){
			.interval_s = s.interval,
			.duration_s = s.duration < OFFCPU_DURATION_FOREVER ? s.duration : 0,
			.report = offcpu_report,
			.final = offcpu_report,
			.ctx = &r,
			.events = events });
		hook_detach(&hooks);
		events_drain(events);
	} else {
		events_run(events, s.duration < OFFCPU_DURATION_FOREVER ? s.duration : 0);
		hook_detach(&hooks);
		events_drain(events);
		offcpu_report(&r);
	}
	events_close(events);
	offcpu_run_free(&r);
	offcputime_ts_bpf__destroy(skel);
	return 0;
}
