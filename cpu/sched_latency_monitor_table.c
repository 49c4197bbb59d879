// SPDX-License-Identifier: GPL-2.0-only
/* sched_latency_monitor: sample windows, their rows and the log's layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "sched_latency_monitor.h"

#define NS_PER_MS 1000000.0

static struct slm_thread *thread_of(struct slm_window *w, uint32_t tid, const char *comm)
{
	struct slm_thread *t;

	for (int i = 0; i < w->n; i++) {
		if (w->threads[i].tid == tid) {
			t = &w->threads[i];
			goto named;
		}
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->threads = realloc(w->threads, (size_t)w->cap * sizeof(*w->threads));
		if (!w->threads)
			die("out of memory");
	}
	t = &w->threads[w->n++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
named:
	/* The latest name wins: a thread renamed in the window shows its new name. */
	snprintf(t->comm, SLM_COMM_LEN, "%.*s", SLM_COMM_LEN - 1, comm); /* comm: NUL or 15 chars */
	return t;
}

static void add_run(struct slm_window *w, uint32_t tid, const char *comm, uint64_t start, uint64_t end)
{
	if (start < w->start_ns)
		start = w->start_ns;
	if (end > w->end_ns)
		end = w->end_ns;
	if (end > start)
		thread_of(w, tid, comm)->runtime_ns += end - start;
}

void slm_window_add(struct slm_window *w, const struct slm_event *ev)
{
	struct slm_thread *t;
	uint64_t delay;

	if (ev->kind == SLM_RUN) {
		add_run(w, ev->tid, ev->comm, ev->start_ns, ev->end_ns);
		return;
	}
	if (ev->end_ns < w->start_ns || ev->end_ns >= w->end_ns || ev->end_ns < ev->start_ns)
		return;
	delay = ev->end_ns - ev->start_ns;
	t = thread_of(w, ev->tid, ev->comm);
	t->delays++;
	t->delay_ns += delay;
	if (delay > t->max_delay_ns || t->delays == 1) {
		t->max_delay_ns = delay;
		t->max_at_ns = ev->end_ns;
	}
}

void slm_window_add_running(struct slm_window *w, uint32_t tid, const char *comm, uint64_t since_ns,
			    uint64_t now_ns)
{
	add_run(w, tid, comm, since_ns, now_ns);
}

void slm_window_free(struct slm_window *w)
{
	free(w->threads);
	w->threads = NULL;
	w->n = w->cap = 0;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct slm_row *a = pa, *b = pb;
	/* Averages compared as a.delay/a.delays vs b.delay/b.delays without rounding. */
	unsigned __int128 la = (unsigned __int128)a->delay_ns * b->delays;
	unsigned __int128 lb = (unsigned __int128)b->delay_ns * a->delays;
	int c;

	if (la != lb)
		return la < lb ? 1 : -1;
	if ((c = cmp_u64_desc(a->max_delay_ns, b->max_delay_ns)) ||
	    (c = cmp_u64_desc(a->delays, b->delays)) || (c = cmp_u64_desc(a->runtime_ns, b->runtime_ns)))
		return c;
	if ((c = strcmp(a->comm, b->comm)))
		return c;
	return a->tid < b->tid ? -1 : a->tid > b->tid;
}

int slm_rows(const struct slm_window *w, struct slm_row **rows)
{
	struct slm_row *r = calloc((size_t)w->n + 1, sizeof(*r));
	int n = 0;

	if (!r)
		die("out of memory");
	for (int i = 0; i < w->n; i++) {
		const struct slm_thread *t = &w->threads[i];
		struct slm_row *row = NULL;

		if (!t->delays)
			continue;
		for (int k = 0; k < n && !row; k++)
			if (!strcmp(r[k].comm, t->comm))
				row = &r[k];
		if (!row) {
			row = &r[n++];
			memcpy(row->comm, t->comm, SLM_COMM_LEN);
			row->tid = t->tid;
		}
		row->merged++;
		row->runtime_ns += t->runtime_ns;
		row->delays += t->delays;
		row->delay_ns += t->delay_ns;
		if (t->max_delay_ns > row->max_delay_ns || row->merged == 1) {
			row->max_delay_ns = t->max_delay_ns;
			row->max_at_ns = t->max_at_ns;
		}
	}
	qsort(r, (size_t)n, sizeof(*r), cmp_rows);
	*rows = r;
	return n;
}

static const char rule_113[] =
	"-----------------------------------------------------------------------------------------"
	"------------------------";

void slm_print_log_header(FILE *f, const char *datetime)
{
	fprintf(f,
		"========================================\n"
		"Scheduler Latency Monitoring Log\n"
		"Start Time: %s\n"
		"========================================\n",
		datetime);
}

void slm_print_table(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n)
{
	uint64_t all_runtime = 0, all_delays = 0;

	fprintf(f, "\n %s\n", rule_113);
	fprintf(f,
		"  Task                  |   Runtime ms  | Switches | Average delay ms | Maximum delay ms | "
		"Maximum delay at       |\n");
	fprintf(f, " %s\n", rule_113);
	for (int i = 0; i < n; i++) {
		const struct slm_row *r = &rows[i];
		char at[32];
		int w;

		if (r->merged > 1)
			w = fprintf(f, "  %s:(%d) ", r->comm, r->merged);
		else
			w = fprintf(f, "  %s:%u ", r->comm, r->tid);
		fprintf(f, "%*s", w < 24 ? 24 - w : 0, "");
		snprintf(at, sizeof(at), "%llu.%06llu", (unsigned long long)(r->max_at_ns / 1000000000ULL),
			 (unsigned long long)(r->max_at_ns % 1000000000ULL / 1000ULL));
		fprintf(f, "|%11.3f ms |%9llu | avg:%9.3f ms | max:%9.3f ms | max at: %13s s\n",
			(double)r->runtime_ns / NS_PER_MS, (unsigned long long)r->delays,
			(double)r->delay_ns / (double)r->delays / NS_PER_MS,
			(double)r->max_delay_ns / NS_PER_MS, at);
		all_runtime += r->runtime_ns;
		all_delays += r->delays;
	}
	fprintf(f, " %s\n", rule_113);
	fprintf(f, "  TOTAL:                |%11.3f ms |%9llu |\n", (double)all_runtime / NS_PER_MS,
		(unsigned long long)all_delays);
	fprintf(f, " ---------------------------------------------------\n");
	if (si->lost_events)
		fprintf(f, "  INFO: %llu events lost (the ring buffer was full): the figures above are low\n",
			(unsigned long long)si->lost_events);
	if (si->untracked)
		fprintf(f, "  INFO: %llu runnable periods or runs not followed (a table of %d threads was full)\n",
			(unsigned long long)si->untracked, SLM_MAX_THREADS);
	fprintf(f, "\n");
}

void slm_print_sample(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n)
{
	fprintf(f, "\n==================== Sample #%d ====================\n", si->sample);
	fprintf(f, "Timestamp: %s\n", si->timestamp);
	fprintf(f, "Process: %s\n", si->process);
	fprintf(f, "PID: %d\n", si->pid);
	if (si->measured_s < si->period_s)
		fprintf(f, "Period: %g s (stopped after %.3f s)\n", si->period_s, si->measured_s);
	else
		fprintf(f, "Period: %g s\n", si->period_s);
	fprintf(f, "Sample: %d\n", si->sample);
	fprintf(f, "==============================================================\n\n");
	slm_print_table(f, si, rows, n);
	fprintf(f, "\n==================== End of Sample #%d ====================\n\n", si->sample);
}

void slm_print_json(FILE *f, const struct slm_sample_info *si, const struct slm_row *rows, int n)
{
	uint64_t all_runtime = 0, all_delays = 0, all_delay = 0;
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_int(&j, "sample", si->sample);
	json_str(&j, "timestamp", si->timestamp);
	json_str(&j, "process", si->process);
	json_int(&j, "pid", si->pid);
	json_double(&j, "period_s", si->period_s);
	json_double(&j, "measured_s", si->measured_s);
	json_arr(&j, "tasks");
	for (int i = 0; i < n; i++) {
		const struct slm_row *r = &rows[i];

		json_obj(&j, NULL);
		json_str(&j, "comm", r->comm);
		if (r->merged > 1)
			json_int(&j, "threads", r->merged);
		else
			json_uint(&j, "tid", r->tid);
		json_double(&j, "runtime_ms", (double)r->runtime_ns / NS_PER_MS);
		json_uint(&j, "switches", r->delays);
		json_double(&j, "total_delay_ms", (double)r->delay_ns / NS_PER_MS);
		json_double(&j, "avg_delay_ms", (double)r->delay_ns / (double)r->delays / NS_PER_MS);
		json_double(&j, "max_delay_ms", (double)r->max_delay_ns / NS_PER_MS);
		json_uint(&j, "max_delay_at_ns", r->max_at_ns);
		json_end_obj(&j);
		all_runtime += r->runtime_ns;
		all_delays += r->delays;
		all_delay += r->delay_ns;
	}
	json_end_arr(&j);
	json_double(&j, "total_runtime_ms", (double)all_runtime / NS_PER_MS);
	json_uint(&j, "total_switches", all_delays);
	json_double(&j, "total_delay_ms", (double)all_delay / NS_PER_MS);
	json_uint(&j, "lost_events", si->lost_events);
	json_uint(&j, "untracked", si->untracked);
	json_end_obj(&j);
	json_finish(&j);
}
