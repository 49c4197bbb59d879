/* SPDX-License-Identifier: GPL-2.0-only */
/* virtionet-rx-path-monitor: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/hist_slot.h"

struct rxmon_config {
	__u8 all_devices; /* count the generic functions for every caller, as the original did */
	__u8 pad[7];
};

/* The four functions of the NAPI cycle, in the order of the original's report. */
enum rxmon_fn {
	RXMON_POLL, /* virtnet_poll: packets received */
	RXMON_ENABLE_CB, /* virtqueue_enable_cb_prepare: the used index token */
	RXMON_COMPLETE, /* napi_complete_done: whether NAPI completed */
	RXMON_VQ_POLL, /* virtqueue_poll: whether more buffers are used */
	RXMON_FNS,
};

/* Slots of the per-CPU counters array. */
enum rxmon_counter {
	RXMON_POLL_CALLS,
	RXMON_POLL_PACKETS,
	RXMON_POLL_PRODUCTIVE, /* returned > 0 */
	RXMON_ENABLE_CB_CALLS,
	RXMON_ENABLE_CB_DATA, /* returned > 0 */
	RXMON_COMPLETE_CALLS,
	RXMON_COMPLETE_SUCCESS, /* returned true */
	RXMON_VQ_POLL_CALLS,
	RXMON_VQ_POLL_DATA, /* returned true */
	RXMON_POLL_TO_ENABLE_CB, /* enable_cb_prepare entered right after virtnet_poll on this CPU */
	RXMON_ENABLE_CB_TO_COMPLETE, /* napi_complete_done entered right after enable_cb_prepare */
	RXMON_COUNTERS,
};

/* The histograms of the four return values, side by side: RXMON_FNS x BT_HIST_SLOTS. */
#define RXMON_HIST_SLOTS (RXMON_FNS * BT_HIST_SLOTS)

/* One per-event line: a return of one of the four functions. */
struct rxmon_event {
	__u64 ts_ns;
	__u64 ret;
	__u32 tgid;
	__u8 fn; /* enum rxmon_fn */
	__u8 pad[3];
	char comm[16];
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* Everything a summary or the final report prints, read from the maps. */
struct rxmon_totals {
	uint64_t count[RXMON_COUNTERS];
	uint64_t hist[RXMON_FNS][BT_HIST_SLOTS];
	uint64_t elapsed_s; /* whole seconds since the start */
	uint64_t lost_events;
};

/* The banner after the probes are attached (the script's BEGIN). */
void rxmon_print_banner(FILE *f);
/* "<comm> [<tgid>] <function>: ..." for an event the original prints (see rxmon_event_printed). */
void rxmon_print_event(FILE *f, const struct rxmon_event *ev);
void rxmon_print_event_json(FILE *f, const struct rxmon_event *ev, const char *hms);
/* The running summary printed every interval (totals since the start). */
void rxmon_print_summary(FILE *f, const struct rxmon_totals *t);
void rxmon_print_summary_json(FILE *f, const struct rxmon_totals *t, const char *hms);
/* The report at exit: counts, histograms, rates, call flow, insights. */
void rxmon_print_final(FILE *f, const struct rxmon_totals *t);
void rxmon_print_final_json(FILE *f, const struct rxmon_totals *t);

struct hook_table;
extern const struct hook_table rxmon_hook_table;
#endif
