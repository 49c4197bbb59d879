// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_monitor: per-CPU usage of target CPUs and their SMT siblings, the threads that ran on
 * each, and a profile of a target CPU whose usage reached the threshold.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "runtime.h"
#include "timefmt.h"
#include "cpu_monitor.h"
#include "cpu_monitor_profile.h"
#include "cpu_monitor.skel.h"

static struct {
	const char *cpus, *log_file, *perf_output;
	double interval, duration;
	int threshold;
	bool log;
} opt = { .interval = 5 };

static const struct arg_opt options[] = {
	OPT_STR("cpus", 'c', &opt.cpus,
		"CPUs to monitor, required: numbers and ranges, e.g. 0,1,2 or 0-3,8-11", .metavar = "CPUS"),
	OPT_SECONDS("interval", 'i', &opt.interval, ARG_WHOLE,
		    "monitoring interval in whole seconds (default: 5)", .metavar = "SECONDS"),
	OPT_FLAG("log", 'l', &opt.log,
		 "write to a log file (cpu_monitor_YYYYMMDD_HHMMSS.log) instead of the screen"),
	OPT_STR("log-file", 0, &opt.log_file, "log file path, appended to (implies --log)",
		.metavar = "FILE"),
	OPT_INT("threshold", 't', &opt.threshold, 0, 100,
		"profile the target CPUs every interval and keep the profile of a CPU whose usage reached "
		"PERCENT (0 = no profiling) (default: 0)",
		.metavar = "PERCENT"),
	OPT_STR("perf-output", 0, &opt.perf_output,
		"folder of the profile reports (default: /tmp/cpu_monitor_perf_YYYYMMDD_HHMMSS)",
		.metavar = "DIR"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "cpu_monitor",
	.description =
		"CPU Monitor - Real-time CPU Usage and Process Monitoring Tool: usage of target CPUs and "
		"their hyper-thread siblings, the top 5 threads that ran on each, and a BPF profile of "
		"a target CPU above a threshold",
	.epilog = "examples:\n"
		  "  cpu_monitor -c 0,1,2 -i 5\n"
		  "  cpu_monitor -c 0-3,8-11 -i 10 -l\n"
		  "  cpu_monitor -c 0,2,4,6 -i 2 --log-file cpu_monitor.log\n"
		  "  cpu_monitor -c 0,1 -i 5 -t 80",
	.opts = options,
};

static const struct hook_def hook_defs[] = {
	{ "context switches",
	  { { HOOK_RAW_TP, "cpum_switch_raw", "sched:sched_switch" },
	    { HOOK_TP, "cpum_switch_tp", "sched:sched_switch" } } },
};
const struct hook_table cpum_hook_table = { hook_defs, 1 };

/* A target CPU and its siblings, in the order of thread_siblings_list. */
struct group {
	int cpu;
	int *members;
	int n;
};

/* What a running slice of a CPU has been credited so far (it is charged whole when it ends). */
struct credit {
	uint64_t since_ns;
	uint32_t tid;
	uint64_t ns;
};

struct thread_sample {
	struct cpum_thread_key key;
	struct cpum_thread_time t;
};

struct run {
	struct cpu_monitor_bpf *skel;
	struct cpum_out out;
	int ncpus; /* possible CPUs (the /proc/stat array size) */
	int *targets, ntargets;
	int *monitored, nmonitored;
	struct group *groups;
	struct cpum_stat *stat_prev, *stat_now; /* [0]: "cpu" total, [1 + n]: cpu n */
	struct thread_sample *prev;
	size_t nprev;
	struct credit *credits;
	uint64_t cycle_start_ns;
	struct bpf_link **profilers;
	char log_path[512], perf_dir[512];
};

static bool is_target(const struct run *r, int cpu)
{
	for (int i = 0; i < r->ntargets; i++)
		if (r->targets[i] == cpu)
			return true;
	return false;
}

static void read_stat(struct run *r, struct cpum_stat *s)
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

/* The SMT siblings of cpu (itself if the kernel does not say). */
static void read_group(int cpu, int max_cpu, struct group *g)
{
	char path[128], text[256] = "";
	const char *bad;
	FILE *f;

	g->cpu = cpu;
	g->members = calloc((size_t)max_cpu + 1, sizeof(int));
	if (!g->members)
		die("out of memory");
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = 0;
		fclose(f);
		text[strcspn(text, "\n")] = 0;
	}
	g->n = text[0] ? cpum_parse_list(text, max_cpu, g->members, max_cpu + 1, &bad) : -1;
	if (g->n <= 0) {
		g->members[0] = cpu;
		g->n = 1;
	}
}

static int cmp_key(const void *a, const void *b)
{
	const struct cpum_thread_key *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* Every (cpu, thread) time entry, sorted by key; *n gets the count. */
static struct thread_sample *read_threads(struct run *r, size_t *n)
{
	int fd = bpf_map__fd(r->skel->maps.thread_time);
	struct cpum_thread_key key, next, *prevk = NULL;
	struct thread_sample *v = NULL;
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

struct cpu_rows {
	struct cpum_thread_row *rows;
	int n, cap;
};

static void add_row(struct cpu_rows *c, int pid, uint32_t tid, const char *comm, double percent)
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

static int cpu_index(const struct run *r, int cpu)
{
	for (int i = 0; i < r->nmonitored; i++)
		if (r->monitored[i] == cpu)
			return i;
	return -1;
}

/*
 * Each monitored CPU's threads over the cycle that ends at now_ns: the slices that ended in it
 * (map deltas) and the part of the running slice inside it, as a share of the cycle.
 */
static void cycle_threads(struct run *r, uint64_t now_ns, struct cpu_rows *per_cpu)
{
	int tfd = bpf_map__fd(r->skel->maps.thread_time);
	double cycle_ns = (double)(now_ns - r->cycle_start_ns);
	size_t n, p = 0;
	struct thread_sample *cur = read_threads(r, &n);
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
		struct credit *cr = &r->credits[c];
		struct cpum_slice slice;

		if (bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.running), &cpu, &slice))
			continue;
		if (cr->ns && cr->since_ns != slice.since_ns) {
			/* The slice credited before has ended: its whole length is in the map now. */
			struct cpum_thread_key k = { cpu, cr->tid };
			struct thread_sample *hit = bsearch(&k, cur, n, sizeof(*cur), cmp_key);

			if (hit)
				delta[hit - cur] -= delta[hit - cur] > cr->ns ? cr->ns : delta[hit - cur];
			cr->ns = 0;
		}
		if (slice.tid && slice.since_ns && slice.since_ns < now_ns) {
			uint64_t from = slice.since_ns > r->cycle_start_ns ? slice.since_ns
									   : r->cycle_start_ns;
			int pid = slice.tgid ? (int)slice.tgid : tgid_of(slice.tid);
			struct cpum_thread_key k = { cpu, slice.tid };
			struct thread_sample *hit = bsearch(&k, cur, n, sizeof(*cur), cmp_key);
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
		int c = cpu_index(r, (int)cur[i].key.cpu);

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

static void set_stamp(struct run *r, char *buf, size_t len)
{
	r->out.stamp = fmt_datetime(buf, len);
}

/* Profiles of the cycle: kept for target CPUs at or above the threshold, discarded otherwise. */
static void cycle_profiles(struct run *r, const double *usage, enum cpum_perf_mark *marks, struct json *j)
{
	char ts[32], file[1024], msg[1200], col[1300], date[64];
	struct cpum_profile prof;
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%d_%H%M%S", &tm);
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Z %Y", &tm);
	cpum_profile_read(&prof, r->skel->maps.samples, r->skel->maps.stacks);
	for (int c = 0; c < r->nmonitored; c++) {
		int cpu = r->monitored[c];

		if (!is_target(r, cpu))
			continue;
		if (usage[c] < opt.threshold) {
			marks[c] = CPUM_PERF_DELETED;
			snprintf(msg, sizeof(msg),
				 "CPU %d usage %.2f%% below threshold %d%%, profile discarded", cpu, usage[c],
				 opt.threshold);
			if (!g_common.json)
				cpum_line(&r->out, "%s", cpum_color(&r->out, "0;34", msg, col, sizeof(col)));
			continue;
		}
		marks[c] = CPUM_PERF_KEPT;
		snprintf(file, sizeof(file), "%s/perf_cpu%d_%s.txt", r->perf_dir, cpu, ts);
		if (!cpum_profile_write(&prof, cpu, file, date, usage[c], opt.threshold, (int)opt.interval)) {
			snprintf(msg, sizeof(msg), "CPU %d usage %.2f%%: no profile samples, nothing saved",
				 cpu, usage[c]);
			if (!g_common.json)
				cpum_line(&r->out, "%s", cpum_color(&r->out, "0;31", msg, col, sizeof(col)));
			continue;
		}
		snprintf(msg, sizeof(msg), "CPU %d usage %.2f%% exceeded threshold, profile saved: %s", cpu,
			 usage[c], file);
		if (g_common.json) {
			json_obj(j, NULL);
			json_int(j, "cpu", cpu);
			json_double(j, "usage", usage[c]);
			json_str(j, "file", file);
			json_end_obj(j);
		} else {
			cpum_line(&r->out, "%s", cpum_color(&r->out, "0;32", msg, col, sizeof(col)));
		}
	}
	cpum_profile_clear(&prof, r->skel->maps.samples, r->skel->maps.stacks);
}

/* The original's "starting perf" line of each cycle (the BPF profiler samples all along). */
static void announce_profile(struct run *r)
{
	char stamp[32], text[128], col[160];

	if (opt.threshold <= 0 || g_common.json || tool_exiting() ||
	    (opt.duration > 0 && tool_elapsed() + opt.interval > opt.duration + 0.5))
		return;
	set_stamp(r, stamp, sizeof(stamp));
	snprintf(text, sizeof(text), "Profiling the target CPUs for this cycle (%ds)", (int)opt.interval);
	cpum_line(&r->out, "%s", cpum_color(&r->out, "1;33", text, col, sizeof(col)));
	fflush(r->out.f);
}

static void json_cpu(struct json *j, const struct cpum_cpu_block *b)
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

static void report(void *ctx)
{
	struct run *r = ctx;
	uint64_t now_ns = ktime_now_ns();
	struct cpu_rows *per_cpu = calloc((size_t)r->nmonitored, sizeof(*per_cpu));
	enum cpum_perf_mark *marks = calloc((size_t)r->nmonitored, sizeof(*marks));
	double *usage = calloc((size_t)r->nmonitored, sizeof(*usage));
	struct cpum_stat *swap;
	char stamp[32];
	struct json j;

	if (!per_cpu || !marks || !usage)
		die("out of memory");
	read_stat(r, r->stat_now);
	cycle_threads(r, now_ns, per_cpu);
	for (int c = 0; c < r->nmonitored; c++)
		usage[c] = cpum_usage(&r->stat_prev[r->monitored[c] + 1], &r->stat_now[r->monitored[c] + 1]);
	set_stamp(r, stamp, sizeof(stamp));
	if (g_common.json) {
		json_begin(&j, stdout);
		json_obj(&j, NULL);
		json_str(&j, "time", stamp);
		json_double(&j, "total_usage", cpum_usage(&r->stat_prev[0], &r->stat_now[0]));
		json_arr(&j, "profiles");
	}
	if (opt.threshold > 0)
		cycle_profiles(r, usage, marks, &j);
	if (g_common.json) {
		json_end_arr(&j);
		json_arr(&j, "groups");
	} else {
		cpum_print_cycle_head(&r->out, r->out.stamp + 11,
				      cpum_usage(&r->stat_prev[0], &r->stat_now[0]));
	}
	for (int t = 0; t < r->ntargets; t++) {
		const struct group *g = &r->groups[t];

		if (g_common.json) {
			json_obj(&j, NULL);
			json_int(&j, "target", g->cpu);
			json_arr(&j, "cpus");
		} else {
			cpum_print_group_head(&r->out, g->cpu, g->members, g->n);
		}
		for (int m = 0; m < g->n; m++) {
			int c = cpu_index(r, g->members[m]);
			struct cpum_cpu_block b = { .cpu = g->members[m],
						    .target = is_target(r, g->members[m]) };

			if (c >= 0) {
				b.usage = usage[c];
				b.perf = marks[c];
				b.rows = per_cpu[c].rows;
				b.nrows = per_cpu[c].n;
			}
			if (g_common.json)
				json_cpu(&j, &b);
			else
				cpum_print_cpu(&r->out, &b, (int)opt.interval);
		}
		if (g_common.json) {
			json_end_arr(&j);
			json_end_obj(&j);
		}
	}
	if (g_common.json) {
		json_end_arr(&j);
		json_end_obj(&j);
		json_finish(&j);
	}
	fflush(r->out.f);
	for (int c = 0; c < r->nmonitored; c++)
		free(per_cpu[c].rows);
	free(per_cpu);
	free(marks);
	free(usage);
	swap = r->stat_prev;
	r->stat_prev = r->stat_now;
	r->stat_now = swap;
	r->cycle_start_ns = now_ns;
	announce_profile(r);
}

/* A CPU-clock sampling event at CPUM_SAMPLE_HZ on cpu, running the profiler program. */
static struct bpf_link *start_profiler(struct bpf_program *prog, int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.size = sizeof(attr),
		.freq = 1,
		.sample_freq = CPUM_SAMPLE_HZ,
	};
	struct bpf_link *link;
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		die("cannot sample CPU %d (perf_event_open: %s)", cpu, strerror(errno));
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		close(fd);
		die("cannot attach the profiler to CPU %d: %s", cpu, strerror(errno));
	}
	return link;
}

static void parse_cpus(struct run *r)
{
	int max_cpu = (int)sysconf(_SC_NPROCESSORS_CONF) - 1;
	int cap = 4 * (max_cpu + 1);
	const char *bad;

	if (!opt.cpus)
		arg_fail("the list of CPUs to monitor is required (-c/--cpus)");
	r->targets = calloc((size_t)cap, sizeof(int));
	if (!r->targets)
		die("out of memory");
	r->ntargets = cpum_parse_list(opt.cpus, max_cpu, r->targets, cap, &bad);
	if (r->ntargets < 0)
		arg_fail_opt(&opt.cpus, "invalid CPU number '%s', system CPU range: 0-%d", arg_shown(bad),
			     max_cpu);
	/* A CPU named twice is shown once (the original showed it twice, the second time empty). */
	r->ntargets = cpum_sort_unique(r->targets, r->ntargets);
	r->ncpus = max_cpu + 1;
	if (r->ncpus > CPUM_MAX_CPUS)
		r->ncpus = CPUM_MAX_CPUS;
}

static void setup_cpus(struct run *r)
{
	int *all = calloc((size_t)r->ncpus, sizeof(int));
	int n = 0;

	r->groups = calloc((size_t)r->ntargets, sizeof(*r->groups));
	if (!all || !r->groups)
		die("out of memory");
	for (int t = 0; t < r->ntargets; t++) {
		read_group(r->targets[t], r->ncpus - 1, &r->groups[t]);
		for (int m = 0; m < r->groups[t].n && n < r->ncpus; m++)
			all[n++] = r->groups[t].members[m];
	}
	r->monitored = all;
	r->nmonitored = cpum_sort_unique(all, n);
	r->credits = calloc((size_t)r->nmonitored, sizeof(*r->credits));
	r->stat_prev = calloc((size_t)r->ncpus + 1, sizeof(*r->stat_prev));
	r->stat_now = calloc((size_t)r->ncpus + 1, sizeof(*r->stat_now));
	if (!r->credits || !r->stat_prev || !r->stat_now)
		die("out of memory");
}

/* Log file and profile folder names carry the start time, as the original's. */
static void setup_outputs(struct run *r)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%d_%H%M%S", &tm);
	r->out.f = stdout;
	r->out.color = !g_common.json && isatty(STDOUT_FILENO);
	if (opt.log_file || opt.log) {
		if (opt.log_file)
			snprintf(r->log_path, sizeof(r->log_path), "%s", opt.log_file);
		else
			snprintf(r->log_path, sizeof(r->log_path), "cpu_monitor_%s.log", ts);
		if (!g_common.json) {
			r->out.f = fopen(r->log_path, "a");
			if (!r->out.f)
				die("cannot open the log file %s: %s", r->log_path, strerror(errno));
			r->out.color = false;
		}
	}
	if (opt.threshold > 0) {
		if (opt.perf_output)
			snprintf(r->perf_dir, sizeof(r->perf_dir), "%s", opt.perf_output);
		else
			snprintf(r->perf_dir, sizeof(r->perf_dir), "/tmp/cpu_monitor_perf_%s", ts);
		if (mkdir(r->perf_dir, 0755) && errno != EEXIST)
			die("cannot create the profile folder %s: %s", r->perf_dir, strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static struct run r;
	struct hook_set hooks;
	char stamp[32], probe[128];
	__u8 one = 1;

	args_parse(&parser, argc, argv);
	parse_cpus(&r);
	tool_init("cpu_monitor");
	hook_set_init(&hooks, cpum_hook_table.defs, cpum_hook_table.n, 0);
	setup_cpus(&r);
	setup_outputs(&r);

	r.skel = BPFNET_OPEN(cpu_monitor_bpf);
	hook_prepare(&hooks, r.skel->obj);
	bpf_program__set_autoload(r.skel->progs.cpum_sample, opt.threshold > 0);
	bpfload_load(r.skel->skeleton);
	for (int c = 0; c < r.nmonitored; c++) {
		__u32 cpu = (__u32)r.monitored[c];

		bpf_map_update_elem(bpf_map__fd(r.skel->maps.monitored), &cpu, &one, BPF_ANY);
	}

	tool_install_signals();
	hook_attach(&hooks);
	if (opt.threshold > 0) {
		r.profilers = calloc((size_t)r.ntargets, sizeof(*r.profilers));
		if (!r.profilers)
			die("out of memory");
		for (int t = 0; t < r.ntargets; t++)
			r.profilers[t] = start_profiler(r.skel->progs.cpum_sample, r.targets[t]);
	}
	read_stat(&r, r.stat_prev);
	r.cycle_start_ns = ktime_now_ns();
	if (!g_common.json) {
		set_stamp(&r, stamp, sizeof(stamp));
		cpum_print_banner(&r.out, r.targets, r.ntargets, r.monitored, r.nmonitored, (int)opt.interval,
				  r.log_path[0] ? r.log_path : NULL, opt.threshold, r.perf_dir);
		cpum_line(&r.out, "Probe: %s", hook_describe(&hooks, 0, probe, sizeof(probe)));
		fflush(r.out.f);
	}
	tool_ready();
	announce_profile(&r);

	interval_run(&(struct interval_loop){
		.interval_s = opt.interval, .duration_s = opt.duration, .report = report, .ctx = &r });

	for (int t = 0; r.profilers && t < r.ntargets; t++)
		bpf_link__destroy(r.profilers[t]);
	hook_detach(&hooks);
	if (!g_common.json) {
		set_stamp(&r, stamp, sizeof(stamp));
		cpum_print_stop(&r.out, tool_exiting());
	}
	if (r.out.f != stdout)
		fclose(r.out.f);
	cpu_monitor_bpf__destroy(r.skel);
	return 0;
}
