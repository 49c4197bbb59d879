/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the unit tests: running a function in a child process with stdout and
 * stderr captured, and capturing what a function writes to a FILE *.
 */
#pragma once
#include <stddef.h>
#include <stdio.h>

/* Exit status of a captured child whose function returned instead of calling exit(). */
#define CAPTURE_RETURNED 99

struct captured {
	int status; /* exit status; 128 + signal number if the child was killed */
	char *out; /* everything written to stdout (NUL-terminated) */
	char *err; /* everything written to stderr (NUL-terminated) */
};

/*
 * Forks; in the child, points stdout and stderr at temporary files and calls fn(arg), then
 * exit(CAPTURE_RETURNED) if fn returns. The parent waits and collects status and output.
 * Nothing the child changes (globals, static state, environment) leaks into the caller.
 */
void capture_run(void (*fn)(void *), void *arg, struct captured *c);
void captured_free(struct captured *c);

/* Length of the longest line of text (newlines excluded). */
int longest_line(const char *text);

/* Memory stream: open, then mem_close() returns the written text (caller frees). */
struct memfile {
	FILE *f;
	char *buf;
	size_t len;
};
FILE *mem_open(struct memfile *m);
char *mem_close(struct memfile *m);

/*
 * Runs every test of suite s in fork mode (several tests rely on a fresh process: exit tests,
 * and parsers that keep static state) and returns the process exit status.
 */
struct Suite;
int unit_run(struct Suite *s);

/* Adds a test case named name holding tests[0..n) to s; returns it for fixtures and exit tests. */
struct TCase;
struct TTest;
struct TCase *unit_tcase(struct Suite *s, const char *name, const struct TTest *const tests[], size_t n);
/* A suite named name of one test case named tcase holding tests[0..n). */
struct Suite *unit_suite(const char *name, const char *tcase, const struct TTest *const tests[], size_t n);
