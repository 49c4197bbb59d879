/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channel, kernel side: the BPF ring buffer where the kernel has it (5.8+), a perf
 * buffer in the legacy object. Failed submissions are counted in events_lost so that user
 * space can report them (common/events.h).
 */
#pragma once
#include "bpfnet.bpf.h"

#ifdef BPFNET_LEGACY
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");
#else
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");
#endif

BPFNET_MAP(events_lost, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, 1);

static __always_inline void emit_event_flags(void *ctx, void *ev, __u32 size, __u64 ringbuf_flags)
{
	long err;

#ifdef BPFNET_LEGACY
	err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, ev, size);
#else
	err = bpf_ringbuf_output(&events, ev, size, ringbuf_flags);
#endif
	if (err)
		counter_add(&events_lost, 0, 1);
}

/* Sends size bytes of ev to user space; ctx is the program's context. */
static __always_inline void emit_event(void *ctx, void *ev, __u32 size)
{
	emit_event_flags(ctx, ev, size, 0);
}

/*
 * The same without waking the reader (ring buffer; a perf buffer still wakes it): for a tool
 * that reads on its own clock with events_consume(), so that its wakeups do not disturb what
 * it measures (a reader woken at every context switch of the process it watches preempts it).
 */
static __always_inline void emit_event_quiet(void *ctx, void *ev, __u32 size)
{
	emit_event_flags(ctx, ev, size, BPF_RB_NO_WAKEUP);
}
