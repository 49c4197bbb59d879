/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channel, user side: reads the ring buffer or (legacy object) the perf buffer that
 * common/bpf/events.bpf.h writes, and reports events the kernel side could not submit: as they
 * happen (at most once a second, from events_poll) and in the tools' final totals.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Called for each event; data is suitably aligned for the tool's event struct. */
typedef void (*event_handler)(void *ctx, const void *data, size_t size);

struct event_channel;

/*
 * --event-buffer KIB, in a per-event tool's options (OPT_EVENT_BUFFER): the size of the event
 * buffer, the ring buffer (EVENTS_RINGBUF_KIB by default) or, on kernels before 5.8, the perf
 * buffer of each CPU (EVENTS_PERF_KIB by default); rounded up to a power of two pages. 0: the
 * default.
 */
#define EVENTS_RINGBUF_KIB 4096
#define EVENTS_PERF_KIB 256
extern int events_buffer_kib;
#define OPT_EVENT_BUFFER                                                                                     \
	OPT_INT("event-buffer", 0, &events_buffer_kib, 4, 1 << 20,                                           \
		"event buffer size in KiB, rounded up to a power of two pages (default: 4096, or 256 per "   \
		"CPU before Linux 5.8); a larger one absorbs longer bursts without losing events",           \
		.metavar = "KIB")

/*
 * Before load: sizes the object's "events" ring buffer (--event-buffer). BPFNET_TEST_EVENT_BUFFER=
 * BYTES (a test switch) takes precedence, so that tests can force losses; events_open sizes a
 * perf buffer alike.
 */
void events_prepare(struct bpf_object *obj);
/* Opens the channel on the "events" and "events_lost" maps of a loaded object. Dies on error. */
struct event_channel *events_open(struct bpf_map *events, struct bpf_map *lost, event_handler fn, void *ctx);
/*
 * Delivers pending events, waiting up to timeout_ms, and reports new losses if a second has
 * passed since the last check. While events keep coming (the last call delivered some), it
 * sleeps up to 10 ms and reads what accumulated rather than being woken for each. Returns a
 * count of what was handled (> 0: something) or -errno.
 */
int events_poll(struct event_channel *ch, int timeout_ms);
/*
 * Delivers the events already buffered without waiting for a wakeup (for a kernel side that
 * sends with emit_event_quiet), and reports new losses as events_poll does. Returns the
 * number of events handled or -errno.
 */
int events_consume(struct event_channel *ch);
/* Once the probes are detached: delivers the events still buffered and reports the last losses. */
void events_drain(struct event_channel *ch);
/* Reports on stdout the events lost since the last report, if any (a line, or a JSON object). */
void events_report_lost(struct event_channel *ch);
/* Events the kernel side dropped because the buffer was full, since the start. */
uint64_t events_lost(struct event_channel *ch);
/* Delivers events for seconds; false when Ctrl-C/SIGTERM arrived or polling failed (logged). */
bool events_wait(struct event_channel *ch, double seconds);
/* Polls until Ctrl-C/SIGTERM or, if duration_s > 0, until that many seconds have passed. */
void events_run(struct event_channel *ch, double duration_s);
struct hook_set;
/*
 * An event tool's run once its probes are attached: tool_ready, events_run, then detaches the
 * probes, delivers what is still buffered and prints goodbye on stdout (not with --json).
 */
void events_trace(struct event_channel *ch, struct hook_set *hooks, double duration_s, const char *goodbye);
/* events_trace until a signal, with report(NULL) every interval_s seconds if interval_s > 0. */
void events_trace_every(struct event_channel *ch, struct hook_set *hooks, double interval_s,
			void (*report)(void *ctx), const char *goodbye);
void events_close(struct event_channel *ch);

/*
 * One loss report at time hms: "[hms] Lost events: +<lost> (<total> in total)", or
 * {"time", "lost_events" (since the last report), "lost_events_total"}.
 */
void events_print_lost(FILE *f, bool json, const char *hms, uint64_t lost, uint64_t total);
/* The totals of a tool that reports nothing else at exit: "Lost events: N" or {"final": true, "lost_events"}. */
void events_print_totals(FILE *f, bool json, uint64_t total);

/* One named count of a tool's final totals. */
struct final_count {
	const char *key;
	uint64_t value;
};
/* The JSON totals object at exit: {"final": true, <each count in order>, "lost_events": lost}. */
void events_print_final_json(FILE *f, const struct final_count *counts, size_t n, uint64_t lost);
