// SPDX-License-Identifier: GPL-2.0-only
/*
 * offcputime-ts: BCC's offcputime with the time-series mode (-I): off-CPU time per thread and
 * kernel/user stack, printed at the end or every interval.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "usyms.h"
#include "offcputime-ts.h"
#include "offcputime-ts.skel.h"

#define RULE "================================================================================"
#define DURATION_FOREVER 99999999 /* the original's "until Ctrl-C" */

static struct {
	const char *pids, *tids, *stack_storage, *min_block, *max_block, *state, *interval, *duration;
	bool user_threads, kernel_threads, user_stacks, kernel_stacks, delimited, folded, offset, ebpf;
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
	  { { HOOK_RAW_TP, "offcpu_sched_switch", "sched:sched_switch" },
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
	s->duration = opt.duration ? (int)checked_int(&opt.duration, opt.duration, true, DURATION_FOREVER)
				   : DURATION_FOREVER;
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

/* --- output */

bool offcpu_stack_missed(int32_t id)
{
	return id < 0 && id != -EFAULT;
}

void offcpu_print_banner(FILE *f, const char *threads, const struct offcpu_layout *l, int interval,
			 int duration)
{
	const char *stacks = l->user_only ? "user" : l->kernel_only ? "kernel" : "user + kernel";

	fprintf(f, "Tracing off-CPU time (us) of %s by %s stack", threads, stacks);
	if (interval && duration < DURATION_FOREVER)
		fprintf(f, ", output every %d secs for %d secs total.\n", interval, duration);
	else if (interval)
		fprintf(f, ", output every %d secs... Hit Ctrl-C to end.\n", interval);
	else if (duration < DURATION_FOREVER)
		fprintf(f, " for %d secs.\n", duration);
	else
		fprintf(f, "... Hit Ctrl-C to end.\n");
}

void offcpu_print_rule(FILE *f, const char *which, const char *datetime)
{
	fprintf(f, "%s\n=== Off-CPU Analysis Report - %s Time: %s ===\n%s\n", RULE, which, datetime, RULE);
}

static bool delimiter_between(const struct offcpu_entry *e, const struct offcpu_layout *l)
{
	return l->delimited && !l->user_only && !l->kernel_only && e->key.user_stack_id >= 0 &&
	       e->key.kernel_stack_id >= 0;
}

static void print_folded(FILE *f, const struct offcpu_entry *e, const struct offcpu_layout *l)
{
	fputs(e->key.comm, f);
	if (!l->kernel_only) {
		if (offcpu_stack_missed(e->key.user_stack_id))
			fputs(";[Missed User Stack]", f);
		for (int i = e->nu - 1; i >= 0; i--)
			fprintf(f, ";%s", e->uframes[i]);
	}
	if (!l->user_only) {
		if (delimiter_between(e, l))
			fputs(";-", f);
		if (offcpu_stack_missed(e->key.kernel_stack_id))
			fputs(";[Missed Kernel Stack]", f);
		for (int i = e->nk - 1; i >= 0; i--)
			fprintf(f, ";%s", e->kframes[i]);
	}
	fprintf(f, " %llu\n", (unsigned long long)e->total_us);
}

void offcpu_print_entry(FILE *f, const struct offcpu_entry *e, const struct offcpu_layout *l)
{
	if (l->folded) {
		print_folded(f, e, l);
		return;
	}
	if (!l->user_only) {
		if (offcpu_stack_missed(e->key.kernel_stack_id))
			fputs("    [Missed Kernel Stack]\n", f);
		for (int i = 0; i < e->nk; i++)
			fprintf(f, "    %s\n", e->kframes[i]);
	}
	if (delimiter_between(e, l))
		fputs("    --\n", f);
	if (!l->kernel_only) {
		if (offcpu_stack_missed(e->key.user_stack_id))
			fputs("    [Missed User Stack]\n", f);
		for (int i = 0; i < e->nu; i++)
			fprintf(f, "    %s\n", e->uframes[i]);
	}
	fprintf(f, "    %-16s %s (%u)\n        %llu\n\n", "-", e->key.comm, e->key.pid,
		(unsigned long long)e->total_us);
}

void offcpu_print_json(FILE *f, const struct offcpu_entry *e, const char *datetime)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	if (datetime)
		json_str(&j, "time", datetime);
	json_str(&j, "comm", e->key.comm);
	json_uint(&j, "tid", e->key.pid);
	json_uint(&j, "pid", e->key.tgid);
	json_uint(&j, "off_cpu_us", e->total_us);
	json_str_array(&j, "kernel_stack", e->kframes, e->nk);
	json_bool(&j, "kernel_stack_missed", offcpu_stack_missed(e->key.kernel_stack_id));
	json_str_array(&j, "user_stack", e->uframes, e->nu);
	json_bool(&j, "user_stack_missed", offcpu_stack_missed(e->key.user_stack_id));
	json_end_obj(&j);
	json_finish(&j);
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

struct total {
	struct offcpu_key key;
	uint64_t us;
};

/* One stack rendered: frames point into text. */
struct rendered {
	int n;
	const char *frame[STACK_MAX_DEPTH];
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
};

struct run {
	struct offcputime_ts_bpf *skel;
	const struct settings *s;
	struct event_channel *events;
	uint64_t counts_full_reported;
	struct rendered kstack, ustack;
};

static int by_total(const void *a, const void *b)
{
	const struct total *x = a, *y = b;

	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return x->key.pid < y->key.pid ? -1 : x->key.pid > y->key.pid;
}

/* Every total of the counts map, smallest first; the map is emptied (one report per interval). */
static size_t take_totals(struct bpf_map *map, struct total **out)
{
	int fd = bpf_map__fd(map);
	size_t n = 0, cap = 256;
	struct total *t = malloc(cap * sizeof(*t));
	struct offcpu_key key, *prev = NULL;

	if (!t)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (n == cap && !(t = realloc(t, (cap *= 2) * sizeof(*t))))
			die("out of memory");
		t[n].key = key;
		if (!bpf_map_lookup_elem(fd, &key, &t[n].us))
			n++;
		prev = &t[n ? n - 1 : 0].key;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &t[i].key);
	qsort(t, n, sizeof(*t), by_total);
	*out = t;
	return n;
}

/* The frames of the tracing machinery above the scheduler (BPF program, tracepoint runner). */
static bool tracing_frame(const struct ksyms *ks, uint64_t ip)
{
	const struct ksym *sym = ksyms_find(ks, ip);

	return sym && (!strncmp(sym->name, "bpf_prog_", 9) || !strncmp(sym->name, "bpf_trace_run", 13) ||
		       !strncmp(sym->name, "__bpf_trace_", 12) || !strncmp(sym->name, "__traceiter_", 12));
}

static void render_kernel(struct rendered *r, const struct bpf_map *map, int32_t id, enum ksym_style style)
{
	const struct ksyms *ks = ksyms_kernel();
	uint64_t ips[STACK_MAX_DEPTH];
	int n = id < 0 ? 0 : stack_read(map, id, ips, STACK_MAX_DEPTH), skip = 0;

	while (skip < n && tracing_frame(ks, ips[skip]))
		skip++;
	r->n = n > skip ? n - skip : 0;
	for (int i = 0; i < r->n; i++)
		r->frame[i] = ksyms_format(ks, ips[skip + i], style, r->text[i], sizeof(r->text[i]));
}

static void render_user(struct rendered *r, const struct bpf_map *map, int32_t id, const struct usyms *u,
			enum ksym_style style)
{
	uint64_t ips[STACK_MAX_DEPTH];

	r->n = id < 0 ? 0 : stack_read(map, id, ips, STACK_MAX_DEPTH);
	r->n = r->n < 0 ? 0 : r->n;
	for (int i = 0; i < r->n; i++)
		r->frame[i] = usyms_format(u, ips[i], style, r->text[i], sizeof(r->text[i]));
}

static void report(void *ctx)
{
	struct run *r = ctx;
	const struct settings *s = r->s;
	enum ksym_style style = opt.offset ? KSYM_HEX : KSYM_NAME;
	struct usyms_cache users = { 0 };
	uint64_t missing = 0, full;
	bool enomem = false;
	struct total *t;
	size_t n = take_totals(r->skel->maps.counts, &t);
	char when[32];

	fmt_datetime(when, sizeof(when));
	if (!g_common.json && s->interval) {
		printf("\n");
		offcpu_print_rule(stdout, "Start", when);
	} else if (!g_common.json && !s->layout.folded) {
		printf("\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct offcpu_entry e = { t[i].key, t[i].us, r->kstack.frame, r->ustack.frame };

		if (!s->layout.user_only && offcpu_stack_missed(e.key.kernel_stack_id)) {
			missing++;
			enomem |= e.key.kernel_stack_id == -ENOMEM;
		}
		if (!s->layout.kernel_only && offcpu_stack_missed(e.key.user_stack_id)) {
			missing++;
			enomem |= e.key.user_stack_id == -ENOMEM;
		}
		render_kernel(&r->kstack, r->skel->maps.stack_traces, e.key.kernel_stack_id, style);
		render_user(&r->ustack, r->skel->maps.stack_traces, e.key.user_stack_id,
			    e.key.user_stack_id >= 0 ? usyms_cache_get(&users, (int)e.key.tgid) : NULL,
			    style);
		e.nk = r->kstack.n;
		e.nu = r->ustack.n;
		if (g_common.json)
			offcpu_print_json(stdout, &e, when);
		else
			offcpu_print_entry(stdout, &e, &s->layout);
	}
	if (!g_common.json && s->interval) {
		offcpu_print_rule(stdout, "End", fmt_datetime(when, sizeof(when)));
		printf("\n");
	}
	fflush(stdout);
	if (missing)
		fprintf(stderr, "WARNING: %llu stack traces lost and could not be displayed.%s\n",
			(unsigned long long)missing,
			enomem ? " Consider increasing --stack-storage-size." : "");
	full = bpfload_percpu_sum(r->skel->maps.counters, OFFCPU_COUNTS_FULL);
	if (full > r->counts_full_reported)
		log_warn(
			"%llu off-CPU periods not counted: more than %d (thread, stack) totals in one report",
			(unsigned long long)(full - r->counts_full_reported), OFFCPU_MAX_KEYS);
	r->counts_full_reported = full;
	usyms_cache_free(&users);
	free(t);
}

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
	static struct run r;
	struct offcputime_ts_bpf *skel;
	struct hook_set hooks;
	uint8_t one = 1;

	args_parse(&parser, argc, argv);
	settings_from_options(&s);
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
	r.skel = skel;
	r.s = &s;
	r.events = events_open(skel->maps.events, skel->maps.events_lost, on_warn, &r);

	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json && !s.layout.folded) {
		hook_print(stdout, &hooks);
		offcpu_print_banner(stdout, s.threads, &s.layout, s.interval, s.duration);
	}
	fflush(stdout);
	tool_ready();

	if (s.interval) {
		interval_run(
			&(struct interval_loop){ .interval_s = s.interval,
						 .duration_s = s.duration < DURATION_FOREVER ? s.duration : 0,
						 .report = report,
						 .final = report,
						 .ctx = &r,
						 .events = r.events });
		hook_detach(&hooks);
		events_drain(r.events);
	} else {
		events_run(r.events, s.duration < DURATION_FOREVER ? s.duration : 0);
		hook_detach(&hooks);
		events_drain(r.events);
		report(&r);
	}
	events_close(r.events);
	offcputime_ts_bpf__destroy(skel);
	return 0;
}
