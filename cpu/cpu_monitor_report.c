// SPDX-License-Identifier: GPL-2.0-only
/* cpu_monitor: CPU lists, usage from /proc/stat counters, and the report's layouts. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"
#include "cpu_monitor.h"

#define MAX_THREADS_SHOWN 5 /* MAX_PROCESSES_PER_CPU of the original */

static bool parse_cpu(const char *s, size_t n, int max_cpu, int *cpu)
{
	long v = 0;

	if (n == 0 || n > 7)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*cpu = (int)v;
	return v <= max_cpu;
}

int cpum_parse_list(const char *text, int max_cpu, int *cpus, int cap, const char **bad)
{
	static char item[64];
	const char *p = text;
	int n = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *dash = memchr(p, '-', len);
		int lo, hi;

		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		*bad = item;
		if (dash) {
			if (!parse_cpu(p, (size_t)(dash - p), max_cpu, &lo) ||
			    !parse_cpu(dash + 1, len - (size_t)(dash - p) - 1, max_cpu, &hi) || hi < lo)
				return -1;
		} else if (!parse_cpu(p, len, max_cpu, &lo)) {
			return -1;
		} else {
			hi = lo;
		}
		for (int c = lo; c <= hi; c++) {
			if (n == cap)
				return -1;
			cpus[n++] = c;
		}
		if (!p[len])
			return n;
		p += len + 1;
	}
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int cpum_sort_unique(int *cpus, int n)
{
	int k = 0;

	qsort(cpus, (size_t)n, sizeof(*cpus), cmp_int);
	for (int i = 0; i < n; i++)
		if (!k || cpus[k - 1] != cpus[i])
			cpus[k++] = cpus[i];
	return k;
}

static uint64_t stat_total(const struct cpum_stat *s)
{
	return s->user + s->nice + s->system + s->idle + s->iowait + s->irq + s->softirq;
}

double cpum_usage(const struct cpum_stat *a, const struct cpum_stat *b)
{
	uint64_t total = stat_total(b) - stat_total(a);
	uint64_t idle = (b->idle + b->iowait) - (a->idle + a->iowait);

	if (!total || stat_total(b) < stat_total(a))
		return 0;
	return 100.0 * (double)(total - idle) / (double)total;
}

void cpum_line(const struct cpum_out *o, const char *fmt, ...)
{
	va_list ap;

	fprintf(o->f, "[%s] ", o->stamp);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
}

const char *cpum_color(const struct cpum_out *o, const char *code, const char *text, char *buf, size_t len)
{
	if (o->color)
		snprintf(buf, len, "\033[%sm%s\033[0m", code, text);
	else
		snprintf(buf, len, "%s", text);
	return buf;
}

static void list_text(struct strbuf *sb, const int *cpus, int n, const char *sep)
{
	for (int i = 0; i < n; i++)
		sb_addf(sb, "%s%d", i ? sep : "", cpus[i]);
}

static const char rule_80[] =
	"================================================================================";

void cpum_print_banner(const struct cpum_out *o, const int *targets, int ntargets, const int *monitored,
		       int nmonitored, int interval, const char *log_file, int threshold,
		       const char *perf_dir)
{
	struct strbuf t = { 0 }, m = { 0 };

	list_text(&t, targets, ntargets, ",");
	list_text(&m, monitored, nmonitored, ",");
	cpum_line(o, "%s", rule_80);
	cpum_line(o, "CPU monitor started");
	cpum_line(o, "Target CPUs: [%s]", t.buf);
	cpum_line(o, "Monitored CPUs: [%s]", m.buf);
	cpum_line(o, "Monitoring interval: %d s", interval);
	cpum_line(o, "CPU utilisation interval: %d s", interval);
	cpum_line(o, "Max processes shown per CPU: %d", MAX_THREADS_SHOWN);
	if (log_file)
		cpum_line(o, "Log file: %s", log_file);
	if (threshold > 0) {
		cpum_line(o, "Perf sampling threshold: %d%%", threshold);
		cpum_line(o, "Perf output directory: %s", perf_dir);
		cpum_line(o,
			  "Perf strategy: sample every cycle in parallel, keep results above threshold, only "
			  "target CPUs");
	} else {
		cpum_line(o, "Perf sampling: disabled");
	}
	cpum_line(o, "%s", rule_80);
	sb_free(&t);
	sb_free(&m);
}

/* The value as the original carried it: printed with 2 decimals before any other format. */
static double two_decimals(double v)
{
	char text[64];

	snprintf(text, sizeof(text), "%.2f", v);
	return strtod(text, NULL);
}

void cpum_print_cycle_head(const struct cpum_out *o, const char *hms, double total_usage)
{
	cpum_line(o, "======== CPU monitoring - %s ========", hms);
	cpum_line(o, "Total CPU usage: %.1f%%", two_decimals(total_usage));
	cpum_line(o, "%s", "");
}

void cpum_print_group_head(const struct cpum_out *o, int cpu, const int *group, int ngroup)
{
	struct strbuf g = { 0 };

	for (int i = 0; i < ngroup; i++)
		sb_addf(&g, " %d", group[i]);
	cpum_line(o, "Target CPU %d and its hyper-thread group [%s]:", cpu, g.buf ? g.buf : "");
	sb_free(&g);
}

void cpum_print_cpu(const struct cpum_out *o, const struct cpum_cpu_block *b, int interval)
{
	char perf[80] = "", label[80] = "", buf[64];
	int shown = b->nrows < MAX_THREADS_SHOWN ? b->nrows : MAX_THREADS_SHOWN;

	if (b->perf != CPUM_PERF_NONE)
		snprintf(perf, sizeof(perf), " %s",
			 b->perf == CPUM_PERF_KEPT
				 ? cpum_color(o, "0;32", "[PERF kept]", buf, sizeof(buf))
				 : cpum_color(o, "0;34", "[PERF deleted]", buf, sizeof(buf)));
	if (b->target)
		snprintf(label, sizeof(label), " %s", cpum_color(o, "0;32", "[TARGET]", buf, sizeof(buf)));
	cpum_line(o, "  CPU %2d: %6.1f%%%s%s - running threads (%ds average CPU utilisation):", b->cpu,
		  two_decimals(b->usage), perf, label, interval);
	cpum_line(o, "    %6s %6s %3s %5s %-20s", "PID", "TID", "CPU", "%CPU", "COMMAND");
	cpum_line(o, "    %6s %6s %3s %5s %-20s", "------", "------", "---", "-----", "--------------------");
	for (int i = 0; i < shown; i++) {
		const struct cpum_thread_row *r = &b->rows[i];

		cpum_line(o, "    %6d %6d %3d %5.1f%% %-20s", r->pid, r->tid, b->cpu,
			  two_decimals(r->percent), r->name);
	}
	if (!shown)
		cpum_line(o, "    no active processes");
	cpum_line(o, "%s", "");
}

void cpum_json_cpu(struct json *j, const struct cpum_cpu_block *b)
{
	json_obj(j, NULL);
	json_int(j, "cpu", b->cpu);
	json_double(j, "usage", b->usage);
	json_bool(j, "target", b->target);
	if (b->perf == CPUM_PERF_NONE)
		json_null(j, "profile");
	else
		json_str(j, "profile", b->perf == CPUM_PERF_KEPT ? "kept" : "discarded");
	json_arr(j, "threads");
	for (int i = 0; i < b->nrows; i++) {
		json_obj(j, NULL);
		json_int(j, "pid", b->rows[i].pid);
		json_int(j, "tid", b->rows[i].tid);
		json_double(j, "cpu_percent", b->rows[i].percent);
		json_str(j, "command", b->rows[i].name);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

void cpum_print_stop(const struct cpum_out *o, bool signaled)
{
	cpum_line(o, "%s", "");
	cpum_line(o, "%s",
		  signaled ? "Received interrupt signal, stopping monitoring..."
			   : "Duration reached, stopping monitoring...");
	cpum_line(o, "CPU monitor stopped");
}

static int by_samples(const void *pa, const void *pb)
{
	const struct cpum_stack *a = pa, *b = pb;

	if (a->samples != b->samples)
		return a->samples < b->samples ? 1 : -1;
	return a->tid - b->tid;
}

/* Self samples of one symbol (the innermost frame), for Top Functions. */
struct self_row {
	const char *symbol, *comm;
	bool kernel;
	uint64_t samples;
};

static int by_self(const void *pa, const void *pb)
{
	const struct self_row *a = pa, *b = pb;
	int c;

	if (a->samples != b->samples)
		return a->samples < b->samples ? 1 : -1;
	if ((c = strcmp(a->symbol, b->symbol)))
		return c;
	return strcmp(a->comm, b->comm);
}

#define TOP_FUNCTIONS 30
#define TOP_STACKS 10

void cpum_print_profile(FILE *f, int cpu, const char *date, double usage, int threshold, int interval,
			struct cpum_stack *stacks, int n)
{
	struct self_row *self = calloc((size_t)n + 1, sizeof(*self));
	uint64_t total = 0;
	int nself = 0;

	if (!self)
		abort();
	qsort(stacks, (size_t)n, sizeof(*stacks), by_samples);
	for (int i = 0; i < n; i++) {
		const struct cpum_stack *s = &stacks[i];
		const char *leaf = s->nframes ? s->frames[0] : "[unknown]";
		struct self_row *r = NULL;

		total += s->samples;
		for (int k = 0; k < nself && !r; k++)
			if (!strcmp(self[k].symbol, leaf) && !strcmp(self[k].comm, s->comm))
				r = &self[k];
		if (!r) {
			r = &self[nself++];
			r->symbol = leaf;
			r->comm = s->comm;
			r->kernel = s->nkernel > 0;
		}
		r->samples += s->samples;
	}
	qsort(self, (size_t)nself, sizeof(*self), by_self);

	fprintf(f, "======== CPU %d Performance Report - %s ========\n", cpu, date);
	fprintf(f, "CPU usage this cycle: %.2f%% (threshold: %d%%)\n", usage, threshold);
	fprintf(f, "Sampling time: %d s\n", interval);
	fprintf(f, "Samples: %llu (CPU clock at %d Hz, frame-pointer stacks, BPF perf-event program)\n",
		(unsigned long long)total, CPUM_SAMPLE_HZ);
	fprintf(f, "\n======== Top Functions ========\n");
	fprintf(f, "# Overhead       Samples  Command          Symbol\n");
	for (int i = 0; i < nself && i < TOP_FUNCTIONS; i++)
		fprintf(f, "  %7.2f%%  %12llu  %-15s  [%c] %s\n",
			100.0 * (double)self[i].samples / (double)total, (unsigned long long)self[i].samples,
			self[i].comm, self[i].kernel ? 'k' : '.', self[i].symbol);
	fprintf(f, "\n======== Call Graph (Top %d) ========\n", TOP_STACKS);
	for (int i = 0; i < n && i < TOP_STACKS; i++) {
		const struct cpum_stack *s = &stacks[i];

		fprintf(f, "  %7.2f%%  %llu samples  %s  pid %d  tid %d\n",
			100.0 * (double)s->samples / (double)total, (unsigned long long)s->samples, s->comm,
			s->pid, s->tid);
		for (int k = s->nframes - 1; k >= 0; k--)
			fprintf(f, "            %s%s\n", k == s->nframes - 1 ? "" : "-> ", s->frames[k]);
		fprintf(f, "\n");
	}
	fprintf(f, "======== Detailed Call Graph with Addresses ========\n");
	for (int i = 0; i < n && i < TOP_STACKS; i++) {
		const struct cpum_stack *s = &stacks[i];

		fprintf(f, "  %7.2f%%  %s  pid %d  tid %d\n", 100.0 * (double)s->samples / (double)total,
			s->comm, s->pid, s->tid);
		for (int k = 0; k < s->nframes; k++)
			fprintf(f, "            %s\n", s->details[k]);
		if (s->ustack_err)
			fprintf(f, "            [user stack not captured: %s]\n", strerror(-s->ustack_err));
		fprintf(f, "\n");
	}
	free(self);
}
