// SPDX-License-Identifier: GPL-2.0-only
/* sched_latency_monitor: run-queue latency of one process's threads, one table per sample. */
#include <bpf/bpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "sched_latency_monitor.h"
#include "sched_latency_monitor.skel.h"

#define NS_PER_S 1000000000ULL

static struct {
	const char *process, *log;
	double period, interval, duration;
	int pid;
	bool verbose;
} opt = { .process = "ovs-vswitchd", .log = "sched_latency.log", .period = 1, .interval = 1 };

static const struct arg_opt options[] = {
	OPT_STR("process", 'p', &opt.process, "target process name to monitor (default: ovs-vswitchd)",
		.metavar = "PROCESS"),
	OPT_SECONDS("period", 't', &opt.period, 0,
		    "measurement period of each sample in seconds (default: 1)", .metavar = "SECONDS"),
	OPT_SECONDS("interval", 'i', &opt.interval, 0,
		    "monitoring interval in seconds: a sample starts every INTERVAL (default: 1)",
		    .metavar = "SECONDS"),
	OPT_STR("log", 'l', &opt.log,
		"log file path, appended to; - for standard output "
		"(default: sched_latency.log)",
		.metavar = "FILE"),
	OPT_FLAG("verbose", 'v', &opt.verbose, "print progress messages on standard output"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	OPT_INT("pid", 0, &opt.pid, 1, 4194304,
		"monitor this process instead of the one named by --process (when several share the name)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "sched_latency_monitor",
	.description = "Scheduler Latency Monitor: run-queue latency (wait for a CPU) of one process's "
		       "threads, a perf sched latency table per sample appended to a log file",
	.epilog = "examples:\n"
		  "  sched_latency_monitor -p ovs-vswitchd -t 1 -i 1\n"
		  "  sched_latency_monitor --process qemu-kvm --period 2 --interval 1\n"
		  "  sched_latency_monitor -t 1 -i 0.5 -v\n"
		  "  sched_latency_monitor --interval 1 --duration 60 -l -",
	.opts = options,
};

static const struct hook_def hook_defs[] = {
	{ "context switches",
	  { { HOOK_RAW_TP, "slm_switch_raw", "sched:sched_switch" },
	    { HOOK_TP, "slm_switch_tp", "sched:sched_switch" } } },
	{ "wakeups",
	  { { HOOK_RAW_TP, "slm_wakeup_raw", "sched:sched_wakeup" },
	    { HOOK_TP, "slm_wakeup_tp", "sched:sched_wakeup" } } },
	{ "wakeups of new threads",
	  { { HOOK_RAW_TP, "slm_wakeup_new_raw", "sched:sched_wakeup_new" },
	    { HOOK_TP, "slm_wakeup_new_tp", "sched:sched_wakeup_new" } } },
};
const struct hook_table slm_hook_table = { hook_defs, 3 };

static uint64_t seconds_ns(double s)
{
	return (uint64_t)(s * 1e9 + 0.5);
}

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void vlog(const char *fmt, ...)
{
	char now[40];
	va_list ap;

	if (!opt.verbose)
		return;
	printf("[%s] ", fmt_datetime_ms(now, sizeof(now)));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	output_flush();
}

/* The process's command name (/proc/<pid>/comm) into buf; false if it is gone. */
static bool proc_comm(int pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

/* Whether pid is name as pidof sees it: its command name or its argv[0]'s base name. */
static bool proc_named(int pid, const char *name)
{
	char comm[64], path[64], argv0[4096];
	const char *base;
	size_t n;
	FILE *f;

	if (proc_comm(pid, comm, sizeof(comm)) && !strcmp(comm, name))
		return true;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(argv0, 1, sizeof(argv0) - 1, f);
	fclose(f);
	argv0[n] = 0;
	base = strrchr(argv0, '/');
	return n && !strcmp(base ? base + 1 : argv0, name);
}

/* The one process named name; dies when there is none or more than one. */
static int find_target(const char *name)
{
	int pids[8], n = 0;
	struct dirent *e;
	char list[128] = "";
	DIR *d = opendir("/proc");

	if (!d)
		die("cannot read /proc: %s", strerror(errno));
	while ((e = readdir(d))) {
		int pid = atoi(e->d_name);

		if (pid <= 0 || pid == getpid() || !proc_named(pid, name))
			continue;
		if (n < (int)(sizeof(pids) / sizeof(pids[0])))
			pids[n] = pid;
		n++;
	}
	closedir(d);
	if (n == 0)
		die("no process named '%s' is running (-p/--process)", name);
	if (n > 1) {
		for (int i = 0; i < n && i < 8; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", i ? ", " : "",
				 pids[i]);
		die("%d processes are named '%s' (%s%s): choose one with --pid", n, name, list,
		    n > 8 ? ", ..." : "");
	}
	return pids[0];
}

static bool process_alive(int pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return stat(path, &st) == 0;
}

/* The target's threads into target_tids, for the classic tracepoints (see the BPF side). */
static void register_threads(struct bpf_map *tids, int pid)
{
	char path[64];
	struct dirent *e;
	__u8 one = 1;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		__u32 tid = (__u32)atoi(e->d_name);

		if (tid)
			bpf_map_update_elem(bpf_map__fd(tids), &tid, &one, BPF_ANY);
	}
	closedir(d);
}

#define SLM_MAX_OPEN 128 /* samples open at once: period / interval + 1 */

struct open_sample {
	struct slm_window w;
	char timestamp[40];
	uint64_t lost_at_start, untracked_at_start;
};

struct run {
	struct sched_latency_monitor_bpf *skel;
	struct event_channel *events;
	FILE *log;
	const char *process;
	int pid;
	uint64_t period_ns, interval_ns, next_start_ns, stop_ns;
	int samples; /* started so far */
	struct open_sample open[SLM_MAX_OPEN];
	int nopen;
	bool header_written;
};

static uint64_t untracked_total(struct run *r)
{
	uint64_t v[SLM_UNTRACKED_SLOTS];
	uint64_t sum = 0;

	bpfload_percpu_sums(r->skel->maps.untracked, SLM_UNTRACKED_SLOTS, v);
	for (int i = 0; i < SLM_UNTRACKED_SLOTS; i++)
		sum += v[i];
	return sum;
}

/* Starts every sample due by now_ns (never one at or after the stop time). */
static void start_due(struct run *r, uint64_t now_ns)
{
	while (r->next_start_ns <= now_ns && r->next_start_ns < r->stop_ns && r->nopen < SLM_MAX_OPEN) {
		struct open_sample *s = &r->open[r->nopen++];

		memset(s, 0, sizeof(*s));
		s->w.sample = ++r->samples;
		s->w.start_ns = r->next_start_ns;
		s->w.end_ns = r->next_start_ns + r->period_ns;
		fmt_wall_ns_ms(ktime_to_wall_ns(s->w.start_ns), s->timestamp, sizeof(s->timestamp));
		s->lost_at_start = events_lost(r->events);
		s->untracked_at_start = untracked_total(r);
		vlog("Sample #%d started", s->w.sample);
		r->next_start_ns += r->interval_ns;
	}
}

static void on_event(void *ctx, const void *data, size_t size)
{
	const struct slm_event *ev = data;
	struct run *r = ctx;

	if (size < sizeof(*ev))
		return;
	start_due(r, ev->end_ns);
	for (int i = 0; i < r->nopen; i++)
		slm_window_add(&r->open[i].w, ev);
}

/* Adds to w the runs still going at end_ns (no switch-out event yet). */
static void add_running(struct run *r, struct slm_window *w, uint64_t end_ns)
{
	int fd = bpf_map__fd(r->skel->maps.oncpu);
	__u32 key, next, *prev = NULL;
	struct slm_oncpu on;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &on) == 0)
			slm_window_add_running(w, key, on.comm, on.since_ns, end_ns);
	}
}

static void finish_sample(struct run *r, struct open_sample *s, uint64_t end_ns)
{
	struct slm_sample_info si = {
		.sample = s->w.sample,
		.timestamp = s->timestamp,
		.process = r->process,
		.pid = r->pid,
		.period_s = opt.period,
	};
	struct slm_row *rows;
	char now[40];
	int n;

	if (end_ns < s->w.end_ns)
		s->w.end_ns = end_ns;
	add_running(r, &s->w, s->w.end_ns);
	si.measured_s = (double)(s->w.end_ns - s->w.start_ns) / 1e9;
	si.lost_events = events_lost(r->events) - s->lost_at_start;
	si.untracked = untracked_total(r) - s->untracked_at_start;
	n = slm_rows(&s->w, &rows);
	if (g_common.json) {
		slm_print_json(stdout, &si, rows, n);
	} else {
		if (!r->header_written)
			slm_print_log_header(r->log, fmt_datetime(now, sizeof(now)));
		r->header_written = true;
		slm_print_sample(r->log, &si, rows, n);
		fflush(r->log);
	}
	vlog("Sample #%d completed: %d tasks", s->w.sample, n);
	free(rows);
	slm_window_free(&s->w);
}

/*
 * Delivers what is buffered, then reports and drops the samples that ended by now_ns (all of
 * them when the run stops: those still going end at now_ns).
 */
static void finish_due(struct run *r, uint64_t now_ns, bool all)
{
	int kept = 0;

	events_consume(r->events);
	for (int i = 0; i < r->nopen; i++) {
		if (all || r->open[i].w.end_ns <= now_ns)
			finish_sample(r, &r->open[i], now_ns);
		else
			r->open[kept++] = r->open[i];
	}
	r->nopen = kept;
}

#define SLM_READ_PERIOD_NS 100000000ULL /* the events are read every 100 ms (see emit_event_quiet) */

/* Seconds until the next sample starts or ends, or the next read of the events. */
static double next_wait(const struct run *r, uint64_t now_ns)
{
	uint64_t next = r->next_start_ns < r->stop_ns ? r->next_start_ns : r->stop_ns;

	for (int i = 0; i < r->nopen; i++)
		if (r->open[i].w.end_ns < next)
			next = r->open[i].w.end_ns;
	if (next <= now_ns)
		return 0;
	return (double)(next - now_ns < SLM_READ_PERIOD_NS ? next - now_ns : SLM_READ_PERIOD_NS) / 1e9;
}

/* Runs until --duration, a signal, or the target's exit (false). */
static bool sample_loop(struct run *r)
{
	for (;;) {
		uint64_t now = ktime_now_ns();

		start_due(r, now);
		finish_due(r, now, false);
		if (tool_exiting() || now >= r->stop_ns || (!r->nopen && r->next_start_ns >= r->stop_ns))
			break;
		if (!process_alive(r->pid))
			return false;
		if (!tool_sleep(next_wait(r, now)))
			break;
	}
	return true;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct slm_config cfg = { 0 };
	struct hook_set hooks;
	char comm[64];
	bool target_alive;

	args_parse(&parser, argc, argv);
	if (opt.period / opt.interval >= SLM_MAX_OPEN)
		arg_fail_opt(&opt.period, "at most %d samples may overlap (period / interval)",
			     SLM_MAX_OPEN - 1);
	tool_init("sched_latency_monitor");
	hook_set_init(&hooks, slm_hook_table.defs, slm_hook_table.n, 0);
	if (opt.pid) {
		if (!proc_comm(opt.pid, comm, sizeof(comm)))
			die("no process with PID %d is running (--pid)", opt.pid);
		r.pid = opt.pid;
		r.process = comm;
	} else {
		r.pid = find_target(opt.process);
		r.process = opt.process;
	}
	if (!g_common.json) {
		if (!strcmp(opt.log, "-"))
			r.log = stdout;
		else if (!(r.log = fopen(opt.log, "a")))
			die("cannot open the log file %s: %s", opt.log, strerror(errno));
	}
	vlog("Starting continuous scheduler latency monitoring");
	vlog("Target process: %s (PID %d)", r.process, r.pid);
	vlog("Sampling interval: %g s", opt.interval);
	vlog("Measurement period: %g s", opt.period);
	if (!g_common.json)
		vlog("Log file: %s", r.log == stdout ? "standard output" : opt.log);

	cfg.tgid = (__u32)r.pid;
	r.skel = BPFNET_OPEN(sched_latency_monitor_bpf);
	hook_prepare(&hooks, r.skel->obj);
	events_prepare(r.skel->obj);
	bpfload_load(r.skel->skeleton);
	bpfload_write_config(r.skel->maps.config_map, &cfg, sizeof(cfg));
	register_threads(r.skel->maps.target_tids, r.pid);
	r.events = events_open(r.skel->maps.events, r.skel->maps.events_lost, on_event, &r);

	tool_install_signals();
	hook_attach(&hooks);
	if (opt.verbose)
		hook_print(stdout, &hooks);
	r.period_ns = seconds_ns(opt.period);
	r.interval_ns = seconds_ns(opt.interval);
	r.next_start_ns = ktime_now_ns();
	r.stop_ns = opt.duration > 0 ? r.next_start_ns + seconds_ns(opt.duration) : UINT64_MAX;
	tool_ready();
	vlog("Press Ctrl+C to stop monitoring");

	target_alive = sample_loop(&r);
	if (tool_exiting())
		vlog("Stop signal received, cleaning up...");
	hook_detach(&hooks);
	finish_due(&r, ktime_now_ns() < r.stop_ns ? ktime_now_ns() : r.stop_ns, true);
	events_close(r.events);
	if (r.log && r.log != stdout)
		fclose(r.log);
	sched_latency_monitor_bpf__destroy(r.skel);
	if (!target_alive)
		die("the target process %s (PID %d) exited", r.process, r.pid);
	vlog("Scheduler latency monitoring stopped");
	return 0;
}
