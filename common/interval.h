/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The loop of the per-interval tools, in one order for all: sleep an interval (shortened so
 * that --duration ends on time), report it; the last interval, cut short by --duration or by
 * a signal, goes to the final report.
 */
#pragma once
#include <stdbool.h>

struct event_channel;

/* Where interval_run takes time from; tests pass a fake one. */
struct interval_clock {
	double (*now)(void); /* seconds since the tool started */
	bool (*sleep)(double seconds); /* false when a signal cut the sleep short */
};

struct interval_loop {
	double interval_s;
	double duration_s; /* 0: until a signal */
	void (*report)(void *ctx); /* one interval, cycles 1, 2, ... */
	/*
	 * Once at the end, for the last interval. NULL: the last interval is reported like the
	 * others when it ran to --duration, and not at all when a signal cut it short.
	 */
	void (*final)(void *ctx);
	void *ctx;
	struct event_channel *events; /* delivered while waiting; NULL: sleep */
	const struct interval_clock *clock; /* NULL: tool_elapsed(), and tool_sleep() or events_wait() */
};

/* Runs the loop until --duration is over or SIGINT/SIGTERM arrives, then the final report. */
void interval_run(const struct interval_loop *l);
