// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_monitor: per-CPU usage of target CPUs and their SMT siblings, the threads that ran on
 * each, and a profile of a target CPU whose usage reached the threshold.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static bool is_target(const struct cpum_run *r, int cpu)
{
	for (int i = 0; i < r->ntargets; i++)
		if (r->targets[i] == cpu)
			return true;
	return false;
}

/* The SMT siblings of cpu (itself if the kernel does not say). */
static void read_group(int cpu, int max_cpu, struct cpum_group *g)
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

static void set_stamp(struct cpum_run *r, char *buf, size_t len)
{
	r->out.stamp = fmt_datetime(buf, len);
}

/* Profiles of the cycle: kept for target CPUs at or above the threshold, discarded otherwise. */
static void cycle_profiles(struct cpum_run *r, const double *usage, enum cpum_perf_mark *marks,
			   struct json *j)
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
static void announce_profile(struct cpum_run *r)
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

static void report(void *ctx)
{
	struct cpum_run *r = ctx;
	uint64_t now_ns = ktime_now_ns();
	struct cpum_cpu_rows *per_cpu = calloc((size_t)r->nmonitored, sizeof(*per_cpu));
	enum cpum_perf_mark *marks = calloc((size_t)r->nmonitored, sizeof(*marks));
	double *usage = calloc((size_t)r->nmonitored, sizeof(*usage));
	struct cpum_stat *swap;
	char stamp[32];
	struct json j;

	if (!per_cpu || !marks || !usage)
		die("out of memory");
	cpum_read_stat(r, r->stat_now);
	cpum_cycle_threads(r, now_ns, per_cpu);
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
		const struct cpum_group *g = &r->groups[t];

		if (g_common.json) {
			json_obj(&j, NULL);
			json_int(&j, "target", g->cpu);
			json_arr(&j, "cpus");
		} else {
			cpum_print_group_head(&r->out, g->cpu, g->members, g->n);
		}
		for (int m = 0; m < g->n; m++) {
			int c = cpum_cpu_index(r, g->members[m]);
			struct cpum_cpu_block b = { .cpu = g->members[m],
						    .target = is_target(r, g->members[m]) };

			if (c >= 0) {
				b.usage = usage[c];
				b.perf = marks[c];
				b.rows = per_cpu[c].rows;
				b.nrows = per_cpu[c].n;
			}
			if (g_common.json)
				cpum_json_cpu(&j, &b);
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

static void parse_cpus(struct cpum_run *r)
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

static void setup_cpus(struct cpum_run *r)
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
static void setup_outputs(struct cpum_run *r)
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
	static struct cpum_run r;
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
			r.profilers[t] = cpum_profiler_start(r.skel->progs.cpum_sample, r.targets[t]);
	}
	cpum_read_stat(&r, r.stat_prev);
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
