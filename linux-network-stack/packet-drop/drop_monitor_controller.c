// SPDX-License-Identifier: GPL-2.0-only
/*
 * drop_monitor_controller: watches one interface's RX dropped counter and runs a monitoring
 * command (one of this suite's tools) for one interval at a time, keeping the log of every
 * cycle that began with a drop increase.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argparse.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "kernel_btf.h"
#include "linkstats.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "shellwords.h"
#include "strbuf.h"
#include "timefmt.h"
#include "drop_monitor_controller.h"
#include "util.h"

#define STOP_TERM_WAIT 5.0 /* seconds a process group gets after SIGTERM */
#define STOP_COMMAND_TIMEOUT 10.0
#define STOP_CHILD_WAIT 2.0

static struct dmc_settings opt = { .interval = 30, .log_dir = "./logs" };

static const struct arg_opt options[] = {
	OPT_IFNAME("interface", 0, &opt.interface, "interface whose RX dropped counter is watched",
		   .flags = ARG_REQUIRED),
	OPT_STR("command", 0, &opt.command,
		"monitoring command run for each cycle, e.g. \"eth_drop --interface port-mgt\" (split like "
		"a shell does, run without one; a tool of this suite, or its .py name, runs the tool next "
		"to this program)",
		.flags = ARG_REQUIRED),
	OPT_STR("stop-command", 0, &opt.stop_command,
		"command that stops the monitoring command at the end of a cycle (default: SIGTERM to its "
		"process group)"),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE,
		    "seconds per cycle (and between counter readings)"),
	OPT_STR("log-dir", 0, &opt.log_dir,
		"directory for the cycles' log files; exactly ./logs also prints the cycle messages on "
		"stdout, any other value writes them into the cycle's log file"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "drop_monitor_controller",
	.description = "Monitor interface drops and control monitoring command",
	.epilog =
		"examples:\n"
		"  drop_monitor_controller --interface port-mgt --command \"eth_drop --interface port-mgt\"\n"
		"  drop_monitor_controller --interface eth0 --interval 10 --log-dir /var/log/drops \\\n"
		"      --command \"kernel_drop_stack_stats_summary -n eth0 -i 5\"\n"
		"  drop_monitor_controller --interface eth0 --command \"sudo python2 eth_drop.py --interface "
		"eth0\" \\\n"
		"      --stop-command \"sudo pkill -INT -x eth_drop\"",
	.opts = options,
};

/* Output: stdout (text or JSON) and the current cycle's log file */

static struct {
	bool log_files_mode;
	struct shell_words command, stop_command;
	pid_t child; /* 0: no monitoring command running */
	bool have_log;
	char log_path[PATH_MAX];
} st;

static volatile sig_atomic_t pending_signal;
static bool running = true;

struct fields {
	const char *log_file;
	bool counts;
	long long rx_dropped, previous, increment;
};

static void out_json(const char *event, const char *hms, const char *text, const struct fields *x)
{
	struct json j;

	json_begin(&j, stdout);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "event", event);
	json_str(&j, "message", text);
	if (x && x->counts) {
		json_str(&j, "interface", opt.interface);
		json_int(&j, "rx_dropped", x->rx_dropped);
		if (strcmp(event, "baseline")) {
			json_int(&j, "previous", x->previous);
			json_int(&j, "increment", x->increment);
		}
	}
	if (x && x->log_file)
		json_str(&j, "log_file", x->log_file);
	json_end_obj(&j);
	json_finish(&j);
}

/* A line on stdout: "[HH:MM:SS] text" when stamped, or one JSON object. */
static void out(const char *event, bool stamped, const struct fields *x, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void out(const char *event, bool stamped, const struct fields *x, const char *fmt, ...)
{
	char text[2048], hms[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		out_json(event, hms, text, x);
	else if (stamped)
		printf("[%s] %s\n", hms, text);
	else
		printf("%s\n", text);
	output_flush();
}

/* The original's log_message: into the cycle's log file in log-file mode, else on stdout. */
static void log_message(const struct fields *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_message(const struct fields *x, const char *fmt, ...)
{
	char text[2048], hms[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (st.log_files_mode && st.have_log && access(st.log_path, F_OK) == 0) {
		FILE *f = fopen(st.log_path, "a");

		if (f) {
			fprintf(f, "[%s] %s\n", fmt_time_hms(hms, sizeof(hms)), text);
			if (!fclose(f))
				return;
		}
	}
	out(x && x->counts ? (x->increment > 0 ? "drops_detected" : "no_change") : "message", true, x, "%s",
	    text);
}

static void start_cycle(void)
{
	char datetime[32], err[PATH_MAX + 256];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;
	int fd;

	localtime_r(&now, &tm);
	dmc_log_path(st.log_path, sizeof(st.log_path), opt.log_dir, &tm);
	st.have_log = true;
	f = fopen(st.log_path, "w");
	if (!f) {
		dmc_os_error(err, sizeof(err), errno, st.log_path);
		log_message(NULL, "Error starting monitoring command: %s", err);
		return;
	}
	dmc_write_log_header(f, fmt_datetime(datetime, sizeof(datetime)), opt.interface, opt.command);
	fclose(f);
	fd = open(st.log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		dmc_os_error(err, sizeof(err), errno, st.log_path);
		log_message(NULL, "Error starting monitoring command: %s", err);
		return;
	}
	st.child = dmc_spawn(st.command.argv, true, fd, -1, err, sizeof(err));
	close(fd);
	if (st.child < 0) {
		st.child = 0;
		log_message(NULL, "Error starting monitoring command: %s", err);
	}
}

static void stop_monitoring(void)
{
	if (!st.child)
		return;
	if (st.stop_command.argc) {
		char result[2048];

		log_message(NULL, "Executing stop command: %s", opt.stop_command);
		dmc_run_stop_command(st.stop_command.argv, opt.stop_command, STOP_COMMAND_TIMEOUT, result,
				     sizeof(result));
		log_message(NULL, "%s", result);
		if (!dmc_wait_exit(st.child, 0, NULL)) {
			kill(st.child, SIGTERM);
			/* Still there: the whole group goes, so no tracing tool outlives its cycle. */
			if (!dmc_wait_exit(st.child, STOP_CHILD_WAIT, NULL)) {
				killpg(st.child, SIGKILL);
				dmc_wait_exit(st.child, STOP_CHILD_WAIT, NULL);
			}
		}
	} else if (killpg(st.child, SIGTERM) < 0) {
		log_message(NULL, "Warning: Error stopping monitoring command: [Errno %d] %s", errno,
			    strerror(errno));
		killpg(st.child, SIGKILL);
		dmc_wait_exit(st.child, STOP_CHILD_WAIT, NULL);
	} else if (!dmc_wait_exit(st.child, STOP_TERM_WAIT, NULL)) {
		log_message(NULL,
			    "Warning: Error stopping monitoring command: Command '%s' timed out after %.0f "
			    "seconds",
			    opt.command, STOP_TERM_WAIT);
		killpg(st.child, SIGKILL);
		dmc_wait_exit(st.child, STOP_CHILD_WAIT, NULL);
	}
	st.child = 0;
	log_message(NULL, "Stopped monitoring command");
}

/* Signals: the handler only records; the loop reports and stops the command at once. */

static void on_signal(int sig)
{
	pending_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL); /* the SSH session that ran it went away */
}

static void handle_signal(void)
{
	int sig = pending_signal;

	if (!sig)
		return;
	pending_signal = 0;
	if (!g_common.json)
		printf("\n");
	out("signal", true, NULL, "Received signal %d, shutting down...", sig);
	running = false;
	stop_monitoring();
}

/* Sleeps one interval, returning at once when a signal arrives. */
static void sleep_interval(void)
{
	double end = tool_elapsed() + opt.interval;

	while (!pending_signal && tool_elapsed() < end) {
		double left = end - tool_elapsed();

		dmc_nap(left < 0.2 ? left : 0.2);
	}
	handle_signal();
}

/* The main loop */

static void finish_cycle(enum dmc_step step)
{
	if (step == DMC_DROPS) {
		if (!st.log_files_mode)
			out("log_kept", true, &(struct fields){ .log_file = st.log_path },
			    "Kept log file (drops detected): %s", st.log_path);
	} else if (unlink(st.log_path) == 0) {
		if (!st.log_files_mode)
			out("log_removed", true, &(struct fields){ .log_file = st.log_path },
			    "Removed log file (no drops detected): %s", st.log_path);
	} else if (!st.log_files_mode) {
		out("warning", false, NULL, "Warning: Could not remove log file %s: [Errno %d] %s: '%s'",
		    st.log_path, errno, strerror(errno), st.log_path);
	}
	st.have_log = false;
}

static void monitor(void)
{
	struct dmc_counter counter = { 0 };

	while (running) {
		struct rtnl_link_stats64 stats;
		char err[256], msg[512];
		long long previous = counter.previous, increment;
		enum dmc_step step;

		handle_signal();
		if (!running)
			break;
		if (link_stats_read(opt.interface, &stats, err, sizeof(err))) {
			out("error", false, NULL, "Error getting interface stats: %s", err);
			if (!st.log_files_mode)
				out("error", true, NULL, "Failed to get interface stats");
			sleep_interval();
			continue;
		}
		step = dmc_observe(&counter, (long long)stats.rx_dropped, &increment);
		dmc_step_message(msg, sizeof(msg), opt.interface, step, previous, counter.previous,
				 increment);
		struct fields counts = { .counts = true,
					 .rx_dropped = counter.previous,
					 .previous = previous,
					 .increment = increment };

		if (step == DMC_BASELINE) {
			if (!st.log_files_mode)
				out("baseline", true, &counts, "%s", msg);
			continue;
		}
		start_cycle();
		counts.log_file = st.log_path;
		log_message(&counts, "%s", msg);
		sleep_interval();
		stop_monitoring();
		finish_cycle(step);
	}
	stop_monitoring();
}

/* Start-up */

/* Splits the value of the option whose destination is option into words (exits 2 if it cannot). */
static void split_option(const char *const *option, struct shell_words *w)
{
	const char *error;

	if (shell_split(*option, w, &error))
		arg_fail_opt(option, "cannot split '%s' into words: %s", arg_shown(*option), error);
	if (!w->argc)
		arg_fail_opt(option, "empty command");
}

static void make_dirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			die("cannot create log directory %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		die("cannot create log directory %s: %s", buf, strerror(errno));
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], err[256];
	struct rtnl_link_stats64 stats;
	char *resolved = NULL;
	ssize_t n;

	args_parse(&parser, argc, argv);
	hook_set_init(&(struct hook_set){ 0 }, NULL, 0, 0); /* --list-probes: it runs other tools */
	split_option(&opt.command, &st.command);
	if (opt.stop_command)
		split_option(&opt.stop_command, &st.stop_command);
	if (!*opt.log_dir)
		arg_fail_opt(&opt.log_dir, "empty path");
	if (link_stats_read(opt.interface, &stats, err, sizeof(err)) == -ENODEV)
		die("%s (--interface)", err);

	if (g_common.btf_path)
		btf_file(); /* a bad file is named now, not in every cycle's log */

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		if (dmc_resolve_command(&st.command, dirname(self), g_common.btf_path))
			opt.resolved = resolved = shell_join(st.command.argv);
	}
	if (g_common.btf_path && !opt.resolved)
		log_warn("--btf %s is not passed to the monitoring command: it is not a tool of this suite "
			 "(give it its own --btf in --command)",
			 g_common.btf_path);
	st.log_files_mode = dmc_log_files_mode(opt.log_dir);
	make_dirs(opt.log_dir);
	install_signals();
	if (g_common.json)
		dmc_print_start_json(stdout, &opt);
	else
		dmc_print_banner(stdout, &opt);
	output_flush();
	tool_ready();

	monitor();

	free(resolved);
	shell_words_free(&st.command);
	shell_words_free(&st.stop_command);
	return 0;
}
