// SPDX-License-Identifier: GPL-2.0-only
/*
 * drop_monitor_controller's decisions and texts, which the golden tests check: the counter
 * step and its message, the log file's name and header, the banner (text or JSON), and the
 * command to run.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "shellwords.h"
#include "timefmt.h"
#include "drop_monitor_controller.h"
#include "util.h"

#define DASH60 "------------------------------------------------------------"
#define LINE50 "=================================================="
/* The pieces the golden tests check */

enum dmc_step dmc_observe(struct dmc_counter *c, long long current, long long *increment)
{
	if (!c->have_previous) {
		c->have_previous = true;
		c->previous = current;
		*increment = 0;
		return DMC_BASELINE;
	}
	*increment = current - c->previous;
	c->previous = current;
	return *increment > 0 ? DMC_DROPS : DMC_NO_CHANGE;
}

void dmc_step_message(char *buf, size_t len, const char *interface, enum dmc_step step, long long previous,
		      long long current, long long increment)
{
	switch (step) {
	case DMC_BASELINE:
		snprintf(buf, len, "Interface %s rx dropped: %lld (baseline)", interface, current);
		break;
	case DMC_DROPS:
		snprintf(buf, len, "Interface %s rx dropped: %lld -> %lld (+%lld) - Drop increment detected",
			 interface, previous, current, increment);
		break;
	case DMC_NO_CHANGE:
		snprintf(buf, len, "Interface %s rx dropped: %lld (no change, increment: %lld)", interface,
			 current, increment);
		break;
	}
}

bool dmc_log_files_mode(const char *log_dir)
{
	return strcmp(log_dir, "./logs") != 0;
}

void dmc_log_path(char *buf, size_t len, const char *dir, const struct tm *tm)
{
	char name[64];
	size_t n = strlen(dir);

	strftime(name, sizeof(name), "monitor_%Y%m%d_%H%M%S.log", tm);
	snprintf(buf, len, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

void dmc_write_log_header(FILE *f, const char *datetime, const char *interface, const char *command)
{
	fprintf(f, "=== Drop Monitor Controller Log ===\n");
	fprintf(f, "Start time: %s\n", datetime);
	fprintf(f, "Interface: %s\n", interface);
	fprintf(f, "Command: %s\n", command);
	fprintf(f, "%s\n\n", LINE50);
}

void dmc_print_banner(FILE *f, const struct dmc_settings *s)
{
	fprintf(f, "Drop Monitor Controller\n");
	fprintf(f, "Interface: %s\n", s->interface);
	fprintf(f, "Command: %s\n", s->command);
	if (s->resolved)
		fprintf(f, "Running: %s\n", s->resolved);
	if (s->stop_command)
		fprintf(f, "Stop command: %s\n", s->stop_command);
	else
		fprintf(f, "Stop method: Process group termination\n");
	fprintf(f, "Monitor interval: %.0f seconds\n", s->interval);
	fprintf(f, "Log directory: %s\n", s->log_dir);
	fprintf(f, "%s\n", DASH60);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_interpreter(const char *word)
{
	const char *b = base_name(word);

	if (!strncmp(b, "python", 6))
		return strspn(b + 6, "0123456789.") == strlen(b + 6);
	return !strcmp(b, "bpftrace") || !strcmp(b, "bash") || !strcmp(b, "sh");
}

/* The suite's executable for a script or tool name, if bindir has it. */
static bool suite_tool(const char *word, const char *bindir, char *path, size_t len)
{
	static const char *const suffixes[] = { ".py", ".bt", ".sh" };
	const char *b = base_name(word);
	char name[NAME_MAX + 1];
	bool had_suffix = false;

	snprintf(name, sizeof(name), "%s", b);
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t n = strlen(name), s = strlen(suffixes[i]);

		if (n > s && !strcmp(name + n - s, suffixes[i])) {
			name[n - s] = 0;
			had_suffix = true;
		}
	}
	/* An explicit path to a program (not a script) is run as given. */
	if ((b != word && !had_suffix) || !*name || !strcmp(name, "drop_monitor_controller"))
		return false;
	snprintf(path, len, "%s/%s", bindir, name);
	return access(path, X_OK) == 0;
}

static bool sudo_option_has_value(const char *opt)
{
	return opt[0] == '-' && opt[1] && !opt[2] && strchr("ugpCDrtTUh", opt[1]);
}

/* Replaces words first..last of w by the n words of with. */
static void replace_words(struct shell_words *w, int first, int last, const char *const *with, int n)
{
	int removed = last - first + 1;
	/* Never shrunk before the move: the words after last are still to be read. */
	int slots = w->argc + (n > removed ? n - removed : 0) + 1;
	char **argv = realloc(w->argv, (size_t)slots * sizeof(*argv));

	if (!argv)
		die("out of memory");
	w->argv = argv;
	for (int i = first; i <= last; i++)
		free(argv[i]);
	memmove(&argv[first + n], &argv[last + 1], (size_t)(w->argc - last) * sizeof(*argv));
	for (int i = 0; i < n; i++) {
		argv[first + i] = strdup(with[i]);
		if (!argv[first + i])
			die("out of memory");
	}
	w->argc += n - removed;
}

bool dmc_resolve_command(struct shell_words *w, const char *bindir, const char *btf)
{
	char path[PATH_MAX];
	const char *with[] = { path, "--btf", btf };
	int i = 0, last;

	while (i < w->argc) {
		const char *b = base_name(w->argv[i]);
		bool sudo = !strcmp(b, "sudo");

		if (!sudo && strcmp(b, "env") && strcmp(b, "nohup"))
			break;
		for (i++; i < w->argc; i++) {
			if (sudo && sudo_option_has_value(w->argv[i]))
				i++;
			else if (w->argv[i][0] != '-' && !(strchr(w->argv[i], '=') && w->argv[i][0] != '/'))
				break;
		}
	}
	if (i >= w->argc)
		return false;
	last = i;
	if (is_interpreter(w->argv[i])) {
		last = i + 1;
		while (last < w->argc && w->argv[last][0] == '-')
			last++;
		if (last >= w->argc)
			return false;
	}
	if (!suite_tool(w->argv[last], bindir, path, sizeof(path)))
		return false;
	replace_words(w, i, last, with, btf ? 3 : 1);
	return true;
}

void dmc_print_start_json(FILE *f, const struct dmc_settings *s)
{
	struct json j;
	char hms[16];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", fmt_time_hms(hms, sizeof(hms)));
	json_str(&j, "event", "start");
	json_str(&j, "interface", s->interface);
	json_str(&j, "command", s->command);
	if (s->resolved)
		json_str(&j, "running", s->resolved);
	if (s->stop_command)
		json_str(&j, "stop_command", s->stop_command);
	json_int(&j, "interval", (long long)s->interval);
	json_str(&j, "log_dir", s->log_dir);
	json_end_obj(&j);
	json_finish(&j);
}
