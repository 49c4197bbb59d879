/*
 * Event channel, user side: reads the ring buffer or (legacy object) the perf buffer that
 * common/bpf/events.bpf.h writes, and reports events the kernel side could not submit.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stddef.h>
#include <stdint.h>

/* Called for each event; data is suitably aligned for the tool's event struct. */
typedef void (*event_handler)(void *ctx, const void *data, size_t size);

struct event_channel;

/* Opens the channel on the "events" and "events_lost" maps of a loaded object. Dies on error. */
struct event_channel *events_open(struct bpf_map *events, struct bpf_map *lost, event_handler fn,
				  void *ctx);
/* Delivers pending events; waits up to timeout_ms. Returns the number handled or -errno. */
int events_poll(struct event_channel *ch, int timeout_ms);
/* Events the kernel side dropped because the buffer was full. */
uint64_t events_lost(struct event_channel *ch);
/* Polls until Ctrl-C/SIGTERM or, if duration_s > 0, until that many seconds have passed. */
void events_run(struct event_channel *ch, long duration_s);
/* events_run, calling tick(arg) as well every period_s seconds of the run. */
void events_run_ticking(struct event_channel *ch, long duration_s, double period_s, void (*tick)(void *arg),
			void *arg);
void events_close(struct event_channel *ch);
