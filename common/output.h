/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stdout of the tools. On a terminal it stays line buffered. Elsewhere (a file, a pipe) it is
 * fully buffered, and once a tool reads events (events_open) the event loop flushes it: before
 * it waits, at most every OUTPUT_FLUSH_PERIOD while events keep coming, at each interval
 * report, and at exit; a tool printing per event then costs no write() per event, and a
 * reader of the file still sees each event within OUTPUT_FLUSH_PERIOD.
 */
#pragma once
#include <stdbool.h>

#define OUTPUT_FLUSH_PERIOD 0.05 /* seconds: the longest an event's lines wait in the buffer */

/* Called by tool_init: full buffering (OUTPUT_BUFFER_SIZE) when stdout is not a terminal. */
void output_init(void);
/* From now on the event loop flushes stdout (events_open): output_event_end stops flushing. */
void output_defer_flushes(bool on);
/* Whether stdout is fully buffered and its flushes are left to the event loop. */
bool output_deferred(void);
/* The end of an event's output: flushes stdout unless the event loop does. */
void output_event_end(void);
/* Flushes stdout now. */
void output_flush(void);
/*
 * Before a wait of timeout_ms (negative: no limit) in the event loop: flushes stdout if output
 * waits since OUTPUT_FLUSH_PERIOD or more, and returns the timeout to use, cut so that the
 * loop comes back to flush within that period.
 */
int output_before_wait(int timeout_ms);
