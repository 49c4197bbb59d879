#include "events.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfload.h"
#include "log.h"
#include "runtime.h"

struct event_channel {
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct bpf_map *lost;
	event_handler fn;
	void *ctx;
	void *aligned;		/* perf samples are only 4-byte aligned: copied here first */
	size_t aligned_size;
};

static int ringbuf_cb(void *ctx, void *data, size_t size)
{
	struct event_channel *ch = ctx;

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
	ch->fn(ch->ctx, ch->aligned, size);
}

struct event_channel *events_open(struct bpf_map *events, struct bpf_map *lost, event_handler fn,
				  void *ctx)
{
	struct event_channel *ch = calloc(1, sizeof(*ch));

	if (!ch)
		die("out of memory");
	ch->fn = fn;
	ch->ctx = ctx;
	ch->lost = lost;
	if (bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF) {
		ch->rb = ring_buffer__new(bpf_map__fd(events), ringbuf_cb, ch, NULL);
		if (!ch->rb)
			die("cannot open the ring buffer: %s", strerror(errno));
	} else {
		/* 64 pages per CPU: enough for bursts of a few thousand events between polls. */
		ch->pb = perf_buffer__new(bpf_map__fd(events), 64, perf_cb, NULL, ch, NULL);
		if (!ch->pb)
			die("cannot open the perf buffer: %s", strerror(errno));
	}
	return ch;
}

int events_poll(struct event_channel *ch, int timeout_ms)
{
	int n = ch->rb ? ring_buffer__poll(ch->rb, timeout_ms) : perf_buffer__poll(ch->pb, timeout_ms);

	return n == -EINTR ? 0 : n;
}

uint64_t events_lost(struct event_channel *ch)
{
	return bpfload_percpu_sum(ch->lost, 0);
}

void events_run(struct event_channel *ch, long duration_s)
{
	events_run_ticking(ch, duration_s, 0, NULL, NULL);
}

void events_run_ticking(struct event_channel *ch, long duration_s, double period_s, void (*tick)(void *arg),
			void *arg)
{
	double next_tick = tool_elapsed() + period_s;

	while (!tool_exiting() && !tool_duration_over(duration_s)) {
		int err = events_poll(ch, 100);

		if (err < 0) {
			log_error("polling events failed: %s", strerror(-err));
			break;
		}
		if (tick && tool_elapsed() >= next_tick) {
			tick(arg);
			next_tick = tool_elapsed() + period_s;
		}
	}
	/* Deliver what was already submitted before the probes go away. */
	events_poll(ch, 0);
}

void events_close(struct event_channel *ch)
{
	if (!ch)
		return;
	ring_buffer__free(ch->rb);
	perf_buffer__free(ch->pb);
	free(ch->aligned);
	free(ch);
}
