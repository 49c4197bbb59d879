// SPDX-License-Identifier: GPL-2.0-only
/* cpu_monitor: what each monitored CPU ran over a cycle, from /proc/stat and the BPF maps. */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "cpu_monitor.h"
#include "cpu_monitor.skel.h"

struct cpum_thread_sample {
	struct cpum_thread_key key;
	struct cpum_thread_time t;
};

void cpum_read_stat(struct cpum_run *r, struct cpum_stat *s)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		die("cannot read /proc/stat: %s", strerror(errno));
	memset(s, 0, (size_t)(r->ncpus + 1) * sizeof(*s));
	while (fgets(line, sizeof(line), f) && !strncmp(line, "cpu", 3)) {
		struct cpum_stat v;
		int cpu = -1;

		if (line[3] == ' ')
			cpu = -1;
		else if (sscanf(line + 3, "%d", &cpu) != 1 || cpu < 0 || cpu >= r->ncpus)
			continue;
		if (sscanf(strchr(line, ' '), " %lu %lu %lu %lu %lu %lu %lu", &v.user, &v.nice, &v.system,
			   &v.idle, &v.iowait, &v.irq, &v.softirq) == 7)
			s[cpu + 1] = v;
	}
	fclose(f);
}

static int cmp_key(const void *a, const void *b)
{
	const struct cpum_thread_key *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* Every (cpu, thread) time entry, sorted by key; *n gets the count. */
static struct cpum_thread_sample *read_threads(struct cpum_run *r, size_t *n)
{
	int fd = bpf_map__fd(r->skel->maps.thread_time);
	struct cpum_thread_key key, next, *prevk = NULL;
	struct cpum_thread_sample *v = NULL;
	size_t cap = 0;

	*n = 0;
	while (bpf_map_get_next_key(fd, prevk, &next) == 0) {
		key = next;
		prevk = &key;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[*n].key = key;
		if (bpf_map_lookup_elem(fd, &key, &v[*n].t) == 0)
			(*n)++;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_key);
	return v;
}

/* How a thread is named in the table: the original's rules (see the page). */
static void display_name(int pid, const char *comm, char *name, size_t len)
{
	char path[64], cmd[31];
	size_t got, word = strcspn(comm, " ");
	FILE *f;

	snprintf(name, len, "%.*s", (int)word, comm);
	if (strcmp(name, "CPU") && strncmp(name, "kworker", 7))
		return;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	got = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	cmd[got] = 0;
	if (cmd[0]) {
		char *slash = strrchr(cmd, '/');

		cmd[strcspn(cmd, " ")] = 0;
		snprintf(name, len, "%s", slash && slash[1] ? slash + 1 : cmd);
	}
}

/* The tgid of a thread from /proc (the classic tracepoint does not give it), or the tid. */
static int tgid_of(uint32_t tid)
{
	char path[64], line[128];
	int tgid = (int)tid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", tid);
	f = fopen(path, "r");
	if (!f)
		return tgid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static void add_row(struct cpum_cpu_rows *c, int pid, uint32_t tid, const char *comm, double percent)
{
	if (percent <= 0.1)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->rows = realloc(c->rows, (size_t)c->cap * sizeof(*c->rows));
		if (!c->rows)
			die("out of memory");
	}
	c->rows[c->n] = (struct cpum_thread_row){ .pid = pid,
						  .tid = (int)tid,
						  .percent = percent > 100 ? 100 : percent };
	display_name(pid, comm, c->rows[c->n].name, sizeof(c->rows[c->n].name));
	c->n++;
}

static int by_percent(const void *pa, const void *pb)
{
	const struct cpum_thread_row *a = pa, *b = pb;

	if (a->percent != b->percent)
		return a->percent < b->percent ? 1 : -1;
	return a->tid - b->tid;
}

int cpum_cpu_index(const struct cpum_run *r, int cpu)
{
	for (int i = 0; i < r->nmonitored; i++)
		if (r->monitored[i] == cpu)
			return i;
	return -1;
}

void cpum_cycle_threads(struct cpum_run *r, uint64_t now_ns, struct cpum_cpu_rows *per_cpu)
{
	int tfd = bpf_map__fd(r->skel->maps.thread_time);
	double cycle_ns = (double)(now_ns - r->cycle_start_ns);
	size_t n, p = 0;
	struct cpum_thread_sample *cur = read_threads(r, &n);
	uint64_t *delta = calloc(n + 1, sizeof(*delta));

	if (!delta)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		while (p < r->nprev && cmp_key(&r->prev[p].key, &cur[i].key) < 0)
			p++;
		delta[i] = cur[i].t.runtime_ns;
		if (p < r->nprev && !cmp_key(&r->prev[p].key, &cur[i].key))
			delta[i] = cur[i].t.runtime_ns >= r->prev[p].t.runtime_ns
					   ? cur[i].t.runtime_ns - r->prev[p].t.runtime_ns
					   : 0;
	}
	for (int c = 0; c < r->nmonitored; c++) {
		uint32_t cpu = (uint32_t)r->monitored[c];
		struct cpum_credit *cr = &r->credits[c];
		struct cpum_slice slice;

		if (bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.running), &cpu, &slice))
			continue;
		if (cr->ns && cr->since_ns != slice.since_ns) {
			/* The slice credited before has ended: its whole length is in the map now. */
			struct cpum_thread_key k = { cpu, cr->tid };
			struct cpum_thread_sample *hit = bsearch(&k, cur, n, sizeof(*cur), cmp_key);

			if (hit)
				delta[hit - cur] -= delta[hit - cur] > cr->ns ? cr->ns : delta[hit - cur];
			cr->ns = 0;
		}
		if (slice.tid && slice.since_ns && slice.since_ns < now_ns) {
			uint64_t from = slice.since_ns > r->cycle_start_ns ? slice.since_ns
									   : r->cycle_start_ns;
			int pid = slice.tgid ? (int)slice.tgid : tgid_of(slice.tid);
			struct cpum_thread_key k = { cpu, slice.tid };
			struct cpum_thread_sample *hit = bsearch(&k, cur, n, sizeof(*cur), cmp_key);
			uint64_t part = now_ns - from;

			cr->since_ns = slice.since_ns;
			cr->tid = slice.tid;
			cr->ns += part;
			if (hit)
				delta[hit - cur] += part;
			else
				add_row(&per_cpu[c], pid, slice.tid, slice.comm,
					100.0 * (double)part / cycle_ns);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int c = cpum_cpu_index(r, (int)cur[i].key.cpu);

		if (c >= 0 && cur[i].key.tid)
			add_row(&per_cpu[c], cur[i].t.tgid ? (int)cur[i].t.tgid : tgid_of(cur[i].key.tid),
				cur[i].key.tid, cur[i].t.comm, 100.0 * (double)delta[i] / cycle_ns);
		/* Threads that did not run keep the table small (they start again from 0). */
		if (!delta[i] && bpf_map_delete_elem(tfd, &cur[i].key) == 0)
			cur[i].t.runtime_ns = 0;
	}
	for (int c = 0; c < r->nmonitored; c++)
		qsort(per_cpu[c].rows, (size_t)per_cpu[c].n, sizeof(*per_cpu[c].rows), by_percent);
	free(r->prev);
	r->prev = cur;
	r->nprev = n;
	free(delta);
}
