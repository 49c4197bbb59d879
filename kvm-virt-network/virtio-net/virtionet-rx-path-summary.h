/* SPDX-License-Identifier: GPL-2.0-only */
/* virtionet-rx-path-summary: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/hist_slot.h"

/* Counters, in the order of the script's @ maps. */
enum rxsum_counter {
	RXS_POLL_CALLS,
	RXS_POLL_PRODUCTIVE, /* returned > 0 */
	RXS_POLL_PACKETS, /* sum of the returns > 0 */
	RXS_CB_PREPARE_CALLS,
	RXS_NAPI_COMPLETE_CALLS,
	RXS_NAPI_COMPLETE_SUCCESS, /* returned true */
	RXS_VQ_POLL_CALLS,
	RXS_VQ_POLL_DATA, /* returned true */
	RXS_CB_DELAYED_CALLS, /* entries */
	RXS_CB_DELAYED_DATA, /* returned true */
	RXS_GET_BUF_CALLS,
	RXS_VRING_CALLS,
	RXS_VRING_IRQ_FULL, /* vring_interrupt calls not counted per IRQ: the table was full */
	RXS_COUNTERS,
};

/* Histograms (bpftrace hist() slots). */
enum rxsum_hist {
	RXH_POLL_RET,
	RXH_CB_PREPARE_RET,
	RXH_NAPI_COMPLETE_RET,
	RXH_VQ_POLL_RET,
	RXH_CB_DELAYED_RET,
	RXH_CB_DELAYED_LAST_USED,
	RXH_GET_BUF_LAST_USED,
	RXH_HISTS,
};

#define RXS_IRQ_FIRST 24 /* the script counts handler entries and exits of IRQs 24-63 */
#define RXS_IRQ_LAST 63
#define RXS_IRQS (RXS_IRQ_LAST - RXS_IRQ_FIRST + 1)
#define RXS_RETS 4 /* irqreturn_t: NONE, HANDLED, WAKE_THREAD, HANDLED | WAKE_THREAD */
#define RXS_VRING_IRQS 1024

/* Slots of the per-CPU totals array: counters, IRQ entries, IRQ exits by return, vring returns, histograms. */
#define RXS_AT_IRQ_ENTRY RXS_COUNTERS
#define RXS_AT_IRQ_EXIT (RXS_AT_IRQ_ENTRY + RXS_IRQS)
#define RXS_AT_VRING_RET (RXS_AT_IRQ_EXIT + RXS_IRQS * RXS_RETS)
#define RXS_AT_HIST (RXS_AT_VRING_RET + RXS_RETS)
#define RXS_SLOTS (RXS_AT_HIST + RXH_HISTS * BT_HIST_SLOTS)

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* vring_interrupt calls of one IRQ. */
struct rxsum_irq_count {
	int irq;
	uint64_t count;
};

/* What one report shows: a period's deltas or the totals since the start. */
struct rxsum_view {
	const uint64_t *slots; /* RXS_SLOTS */
	const struct rxsum_irq_count *vring_irqs;
	int nvring_irqs;
};

/* The BEGIN lines: duration 0 = until Ctrl-C; period_given 0 = the default. */
void rxsum_print_banner(FILE *f, int duration, int period, int period_given);
/* One period report; hms the local time, elapsed and period in whole seconds. */
void rxsum_print_period(FILE *f, const struct rxsum_view *v, const char *hms, int elapsed, int period);
/* The END report over the whole run of elapsed seconds. */
void rxsum_print_summary(FILE *f, const struct rxsum_view *v, int elapsed);
/* The exit dump of the cumulative maps in bpftrace's format (by name). */
void rxsum_print_map_dump(FILE *f, const struct rxsum_view *v);
/* A period (final false) or the end (final true) as one JSON object. */
void rxsum_print_json(FILE *f, const struct rxsum_view *v, const char *hms, int elapsed, bool final);

struct hook_table;
extern const struct hook_table rxsum_hook_table;
#endif
