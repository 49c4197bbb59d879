// SPDX-License-Identifier: GPL-2.0-only
/*
 * offcputime-ts's reports: the totals taken from the maps, their stacks rendered, printed as
 * the original's text, folded lines or JSON.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "usyms.h"
#include "offcputime-ts.h"
#include "offcputime-ts.skel.h"

#define RULE "================================================================================"

bool offcpu_stack_missed(int32_t id)
{
	return id < 0 && id != -EFAULT;
}

enum offcpu_lost_reason offcpu_lost_reason(int32_t id)
{
	return id == -ENOMEM   ? OFFCPU_LOST_TABLE_FULL
	       : id == -EEXIST ? OFFCPU_LOST_HASH_COLLISION
			       : OFFCPU_LOST_OTHER;
}

void offcpu_print_banner(FILE *f, const char *threads, const struct offcpu_layout *l, int interval,
			 int duration)
{
	const char *stacks = l->user_only ? "user" : l->kernel_only ? "kernel" : "user + kernel";

	fprintf(f, "Tracing off-CPU time (us) of %s by %s stack", threads, stacks);
	if (interval && duration < OFFCPU_DURATION_FOREVER)
		fprintf(f, ", output every %d secs for %d secs total.\n", interval, duration);
	else if (interval)
		fprintf(f, ", output every %d secs... Hit Ctrl-C to end.\n", interval);
	else if (duration < OFFCPU_DURATION_FOREVER)
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

/* --- the report */

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

/* The stacks of the entry being printed (large: not on the stack). */
static struct rendered kstack, ustack;

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

static void render_kernel(struct rendered *r, const struct bpf_map *map, int32_t id, enum ksym_style style)
{
	const struct ksyms *ks = ksyms_kernel();
	uint64_t ips[STACK_MAX_DEPTH];
	/* without the program's and the tracepoint runner's frames (stack_from_kernel) */
	int n = id < 0 ? 0 : stack_read(map, id, ips, STACK_MAX_DEPTH);

	r->n = n > 0 ? n : 0;
	for (int i = 0; i < r->n; i++)
		r->frame[i] = ksyms_format(ks, ips[i], style, r->text[i], sizeof(r->text[i]));
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

/* Adds a total to its thread name's sum since the start. */
static void comm_add(struct offcpu_run *r, const char *comm, uint64_t us)
{
	size_t i = 0;

	while (i < r->ncomms && strncmp(r->comms[i].comm, comm, OFFCPU_COMM_LEN))
		i++;
	if (i == r->ncomms) {
		struct offcpu_comm_total *grown = realloc(r->comms, (r->ncomms + 1) * sizeof(*grown));

		if (!grown)
			die("out of memory");
		r->comms = grown;
		memset(&r->comms[i], 0, sizeof(r->comms[i]));
		memcpy(r->comms[i].comm, comm, OFFCPU_COMM_LEN - 1);
		r->ncomms++;
	}
	r->comms[i].us += us;
}

/* The metrics: off-CPU seconds by thread name, stacks lost, periods not counted, since the start. */
static void prom_write(struct offcpu_run *r, uint64_t full)
{
	prom_begin(&r->prom, tool_name());
	prom_family(&r->prom, "off_cpu_seconds_total", PROM_COUNTER,
		    "Time threads spent off-CPU, by thread name (comm).");
	for (size_t i = 0; i < r->ncomms; i++)
		prom_value(&r->prom, &(struct prom_label){ "comm", r->comms[i].comm }, 1,
			   (double)r->comms[i].us / 1e6);
	static const char *const reasons[OFFCPU_LOST_REASONS] = { "table_full", "hash_collision", "other" };

	prom_family(&r->prom, "stack_traces_lost_total", PROM_COUNTER,
		    "Stacks that could not be read (reported as lost), by reason.");
	for (int i = 0; i < OFFCPU_LOST_REASONS; i++)
		prom_value(&r->prom, &(struct prom_label){ "reason", reasons[i] }, 1,
			   (double)r->stacks_lost[i]);
	prom_family(&r->prom, "not_counted_table_full_total", PROM_COUNTER,
		    "Off-CPU periods not counted: the totals table was full.");
	prom_value(&r->prom, NULL, 0, (double)full);
	prom_commit(&r->prom, r->prom_path);
}

void offcpu_run_free(struct offcpu_run *r)
{
	prom_free(&r->prom);
	free(r->comms);
	r->comms = NULL;
	r->ncomms = 0;
}

void offcpu_report(void *ctx)
{
	struct offcpu_run *r = ctx;
	enum ksym_style style = r->offsets ? KSYM_HEX : KSYM_NAME;
	struct usyms_cache users = { 0 };
	uint64_t lost[OFFCPU_LOST_REASONS] = { 0 }, missing = 0, full;
	struct total *t;
	size_t n = take_totals(r->skel->maps.counts, &t);
	char when[32];

	fmt_datetime(when, sizeof(when));
	if (!g_common.json && r->interval) {
		printf("\n");
		offcpu_print_rule(stdout, "Start", when);
	} else if (!g_common.json && !r->layout.folded) {
		printf("\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct offcpu_entry e = { t[i].key, t[i].us, kstack.frame, ustack.frame };

		if (!r->layout.user_only && offcpu_stack_missed(e.key.kernel_stack_id))
			lost[offcpu_lost_reason(e.key.kernel_stack_id)]++;
		if (!r->layout.kernel_only && offcpu_stack_missed(e.key.user_stack_id))
			lost[offcpu_lost_reason(e.key.user_stack_id)]++;
		if (r->prom_path)
			comm_add(r, e.key.comm, e.total_us);
		render_kernel(&kstack, r->skel->maps.stack_traces, e.key.kernel_stack_id, style);
		render_user(&ustack, r->skel->maps.stack_traces, e.key.user_stack_id,
			    e.key.user_stack_id >= 0 ? usyms_cache_get(&users, (int)e.key.tgid) : NULL,
			    style);
		e.nk = kstack.n;
		e.nu = ustack.n;
		if (g_common.json)
			offcpu_print_json(stdout, &e, when);
		else
			offcpu_print_entry(stdout, &e, &r->layout);
	}
	if (!g_common.json && r->interval) {
		offcpu_print_rule(stdout, "End", fmt_datetime(when, sizeof(when)));
		printf("\n");
	}
	output_flush();
	for (int i = 0; i < OFFCPU_LOST_REASONS; i++)
		missing += lost[i];
	if (missing)
		fprintf(stderr, "WARNING: %llu stack traces lost and could not be displayed.%s\n",
			(unsigned long long)missing,
			lost[OFFCPU_LOST_TABLE_FULL] ? " Consider increasing --stack-storage-size." : "");
	full = bpfload_percpu_sum(r->skel->maps.counters, OFFCPU_COUNTS_FULL);
	if (full > r->counts_full_reported)
		log_warn(
			"%llu off-CPU periods not counted: more than %d (thread, stack) totals in one report",
			(unsigned long long)(full - r->counts_full_reported), OFFCPU_MAX_KEYS);
	r->counts_full_reported = full;
	for (int i = 0; i < OFFCPU_LOST_REASONS; i++)
		r->stacks_lost[i] += lost[i];
	if (r->prom_path)
		prom_write(r, full);
	usyms_cache_free(&users);
	free(t);
}
