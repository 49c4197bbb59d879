// SPDX-License-Identifier: GPL-2.0-only
#include "events.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"

#define LOST_CHECK_PERIOD 1.0 /* seconds between two looks at the lost counter */
/*
 * While events keep coming, the reader sleeps this long and then reads what accumulated,
 * instead of waiting in epoll to be woken: the kernel wakes a waiting reader for the first
 * event after it caught up, and a reader that keeps up is woken for every few events (half
 * the CPU time of a per-event tool under a flood went to those wakeups). Far below
 * OUTPUT_FLUSH_PERIOD and what the event buffer holds.
 */
#define EVENTS_BATCH_MS 10

struct event_channel {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct bpf_map *lost;
	uint64_t lost_reported; /* the lost counter at the last report */
	double next_lost_check; /* tool_elapsed() */
	event_handler fn;
	void *ctx;
	void *aligned; /* perf samples are only 4-byte aligned: copied here first */
	size_t aligned_size;
	uint64_t delivered; /* events handed to fn */
	bool busy; /* the last read delivered events: more are probably on their way */
};

int events_buffer_kib;

/* bytes rounded up to a power of two pages. */
static unsigned long pow2_pages(unsigned long bytes)
{
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE), size = page;

	while (size < bytes)
		size <<= 1;
	return size;
}

/* The event buffer size in bytes that events_prepare/events_open use (0: the object's own). */
static unsigned long events_buffer_bytes(void)
{
	const char *v = getenv("BPFNET_TEST_EVENT_BUFFER");

	if (v)
		return strtoul(v, NULL, 0);
	return events_buffer_kib ? pow2_pages((unsigned long)events_buffer_kib << 10) : 0;
}

void events_prepare(struct bpf_object *obj)
{
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	unsigned long bytes = events_buffer_bytes();

	if (bytes && events && bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF &&
	    bpf_map__set_max_entries(events, (uint32_t)bytes))
		die("event buffer of %lu bytes: not a ring buffer size", bytes);
}

static int ringbuf_cb(void *ctx, void *data, size_t size)
{
	struct event_channel *ch = ctx;

	ch->delivered++;
	ch->fn(ch->ctx, data, size);
	return 0;
}

static void perf_cb(void *ctx, int cpu, void *data, __u32 size)
{
	struct event_channel *ch = ctx;

	(void)cpu;
	if (size > ch->aligned_size) {
		free(ch->aligned);
		ch->aligned = malloc(size);
		if (!ch->aligned)
			die("out of memory");
		ch->aligned_size = size;
	}
	memcpy(ch->aligned, data, size);
	ch->delivered++;
	ch->fn(ch->ctx, ch->aligned, size);
}

struct event_channel *events_open(struct bpf_map *events, struct bpf_map *lost, event_handler fn, void *ctx)
{
	struct event_channel *ch = calloc(1, sizeof(*ch));

	if (!ch)
		die("out of memory");
	output_defer_flushes(true);
	ch->fn = fn;
	ch->ctx = ctx;
	ch->lost = lost;
	if (bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF) {
		ch->rb = ring_buffer__new(bpf_map__fd(events), ringbuf_cb, ch, NULL);
		if (!ch->rb)
			die("cannot open the ring buffer: %s", strerror(errno));
	} else {
		unsigned long bytes = events_buffer_bytes(), page = (unsigned long)sysconf(_SC_PAGESIZE);
		unsigned long pages = bytes ? bytes / page : ((unsigned long)EVENTS_PERF_KIB << 10) / page;

		ch->pb = perf_buffer__new(bpf_map__fd(events), pages ? pages : 1, perf_cb, NULL, ch, NULL);
		if (!ch->pb)
			die("cannot open the perf buffer: %s", strerror(errno));
	}
	return ch;
}

int events_poll(struct event_channel *ch, int timeout_ms)
{
	uint64_t before = ch->delivered;
	int n;

	timeout_ms = output_before_wait(timeout_ms);
	if (ch->busy && timeout_ms) {
		/* Events came at the last read: sleep, then read what accumulated (EVENTS_BATCH_MS). */
		int ms = timeout_ms > 0 && timeout_ms < EVENTS_BATCH_MS ? timeout_ms : EVENTS_BATCH_MS;

		tool_sleep(ms / 1000.0);
		n = ch->rb ? ring_buffer__consume(ch->rb) : perf_buffer__consume(ch->pb);
	} else {
		n = ch->rb ? ring_buffer__poll(ch->rb, timeout_ms) : perf_buffer__poll(ch->pb, timeout_ms);
	}
	ch->busy = ch->delivered > before;

	if (tool_elapsed() >= ch->next_lost_check)
		events_report_lost(ch);
	return n == -EINTR ? 0 : n;
}

int events_consume(struct event_channel *ch)
{
	int n = ch->rb ? ring_buffer__consume(ch->rb) : perf_buffer__consume(ch->pb);

	if (tool_elapsed() >= ch->next_lost_check)
		events_report_lost(ch);
	/* The tool reads on its own clock and sleeps next: what it printed goes out now. */
	output_flush();
	return n == -EINTR ? 0 : n;
}

void events_drain(struct event_channel *ch)
{
	events_poll(ch, 0);
	events_report_lost(ch);
}

uint64_t events_lost(struct event_channel *ch)
{
	return bpfload_percpu_sum(ch->lost, 0);
}

void events_report_lost(struct event_channel *ch)
{
	uint64_t total = events_lost(ch);
	char hms[16];

	ch->next_lost_check = tool_elapsed() + LOST_CHECK_PERIOD;
	if (total <= ch->lost_reported)
		return;
	events_print_lost(stdout, g_common.json, fmt_time_hms(hms, sizeof(hms)), total - ch->lost_reported,
			  total);
	output_event_end();
	ch->lost_reported = total;
}

void events_print_lost(FILE *f, bool json, const char *hms, uint64_t lost, uint64_t total)
{
	struct json j;

	if (!json) {
		fprintf(f, "[%s] Lost events: +%llu (%llu in total)\n", hms, (unsigned long long)lost,
			(unsigned long long)total);
		return;
	}
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "lost_events", lost);
	json_uint(&j, "lost_events_total", total);
	json_end_obj(&j);
	json_finish(&j);
}

void events_print_final_json(FILE *f, const struct final_count *counts, size_t n, uint64_t lost)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	for (size_t i = 0; i < n; i++)
		json_uint(&j, counts[i].key, counts[i].value);
	json_uint(&j, "lost_events", lost);
	json_end_obj(&j);
	json_finish(&j);
}

void events_print_totals(FILE *f, bool json, uint64_t total)
{
	if (json)
		events_print_final_json(f, NULL, 0, total);
	else
		fprintf(f, "Lost events: %llu\n", (unsigned long long)total);
}

bool events_wait(struct event_channel *ch, double seconds)
{
	double end = tool_elapsed() + seconds;

	while (!tool_exiting()) {
		double left = end - tool_elapsed();
		int err;

		if (left <= 0)
			return true;
		err = events_poll(ch, left < 0.1 ? (int)(left * 1000) + 1 : 100);
		if (err < 0) {
			log_error("polling events failed: %s", strerror(-err));
			return false;
		}
	}
	return false;
}

void events_run(struct event_channel *ch, double duration_s)
{
	events_wait(ch, duration_s > 0 ? duration_s - tool_elapsed() : INFINITY);
	/* Deliver what was already submitted before the probes go away. */
	events_poll(ch, 0);
}

void events_trace(struct event_channel *ch, struct hook_set *hooks, double duration_s, const char *goodbye)
{
	tool_ready();
	events_run(ch, duration_s);
	hook_detach(hooks);
	events_drain(ch);
	if (!g_common.json)
		printf("%s", goodbye);
}

void events_trace_every(struct event_channel *ch, struct hook_set *hooks, double interval_s,
			void (*report)(void *ctx), const char *goodbye)
{
	if (interval_s <= 0) {
		events_trace(ch, hooks, 0, goodbye);
		return;
	}
	tool_ready();
	interval_run(&(struct interval_loop){ .interval_s = interval_s, .report = report, .events = ch });
	hook_detach(hooks);
	events_drain(ch);
	if (!g_common.json)
		printf("%s", goodbye);
}

void events_close(struct event_channel *ch)
{
	if (!ch)
		return;
	output_defer_flushes(false);
	output_flush();
	ring_buffer__free(ch->rb);
	perf_buffer__free(ch->pb);
	free(ch->aligned);
	free(ch);
}
