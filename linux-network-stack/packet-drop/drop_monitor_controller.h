/* SPDX-License-Identifier: GPL-2.0-only */
/* drop_monitor_controller: the parts its files share, and those the golden tests exercise. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "shellwords.h"

/* What the controller does with one reading of the RX dropped counter. */
enum dmc_step {
	DMC_BASELINE, /* first reading: remember it, start no cycle */
	DMC_DROPS, /* the counter grew: run a cycle and keep its log */
	DMC_NO_CHANGE, /* it did not (or was reset): run a cycle and remove its log */
};

struct dmc_counter {
	bool have_previous;
	long long previous;
};

struct dmc_settings {
	const char *interface, *command, *stop_command, *log_dir;
	const char *resolved; /* the command as run, when a suite tool replaced a script; or NULL */
	double interval; /* whole seconds */
};

/* Takes one reading: the step, the increment, and the message that starts the cycle. */
enum dmc_step dmc_observe(struct dmc_counter *c, long long current, long long *increment);
/* The controller's message for a step ("Interface eth0 rx dropped: 5 -> 8 (+3) - ..."). */
void dmc_step_message(char *buf, size_t len, const char *interface, enum dmc_step step, long long previous,
		      long long current, long long increment);
/* Exactly "./logs" means stdout mode; any other --log-dir sends cycle messages to the logs. */
bool dmc_log_files_mode(const char *log_dir);
/* <dir>/monitor_YYYYmmdd_HHMMSS.log for a cycle that starts at tm. */
void dmc_log_path(char *buf, size_t len, const char *dir, const struct tm *tm);
/* The header written at the top of each cycle's log file. */
void dmc_write_log_header(FILE *f, const char *datetime, const char *interface, const char *command);
void dmc_print_banner(FILE *f, const struct dmc_settings *s);
/* The banner as one JSON object ("event": "start"). */
void dmc_print_start_json(FILE *f, const struct dmc_settings *s);
/*
 * Makes a command written for the Python suite run this suite's tool from bindir:
 * "sudo python2 eth_drop.py --interface x" becomes "sudo <bindir>/eth_drop --interface x",
 * and a bare tool name ("eth_drop", "eth_drop.py") becomes <bindir>/<tool>. Wrappers
 * (sudo, env, nohup, with their options) are kept. With btf set, the tool also gets
 * "--btf <btf>" (the controller's own --btf). Returns true when a word was replaced.
 */
bool dmc_resolve_command(struct shell_words *w, const char *bindir, const char *btf);

/* Sleeps for seconds (fractions too). */
void dmc_nap(double seconds);
/* Waits up to timeout seconds for pid to end (reaping it, status into *status if set); true if it did. */
bool dmc_wait_exit(pid_t pid, double timeout, int *status);
/* "[Errno 2] No such file or directory: 'x'", as Python words an OSError, into buf. */
void dmc_os_error(char *buf, size_t len, int err, const char *what);
/*
 * Starts argv (in a new session if new_session, stdout/stderr to out_fd/err_fd when >= 0);
 * returns its pid, or -1 with the reason in err if it could not start.
 */
pid_t dmc_spawn(char *const *argv, bool new_session, int out_fd, int err_fd, char *err, size_t errlen);
/*
 * Runs argv (--stop-command, given as command) for up to timeout seconds, capturing its
 * output as Python's subprocess.run() does; the log line that says how it went goes into result.
 */
void dmc_run_stop_command(char *const *argv, const char *command, double timeout, char *result, size_t len);
