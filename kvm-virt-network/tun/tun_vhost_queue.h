/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tun_to_vhost_queue_status_simple and tun_to_vhost_queue_stats_details: what the BPF side
 * (tun_vhost_queue.bpf.h) and user space share, and the report both tools print.
 */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/hist_slot.h"

#define TVQ_DEV_LEN 16
#define TVQ_MAX_QUEUES 1024 /* (device, queue) pairs and sockets tracked */
#define TVQ_MAX_SIGNAL_IDX 16384 /* (socket, last_used_idx) pairs counted per interval */
/*
 * Slots of bpftrace's hist() rule (0, 1, 2-3, 4-7, ...): every u16 index, and ring depths up to
 * 2^31 - 1; larger values count in the last slot. A power of two (the BPF side masks with it).
 */
#define TVQ_SLOTS 32

/* The histograms of a queue, in the order the details tool prints them (the simple tool: two). */
enum tvq_hist {
	TVQH_AVAIL_RX, /* avail_idx - last_avail_idx at handle_rx */
	TVQH_INFLIGHT_RX, /* last_avail_idx - last_used_idx at handle_rx */
	TVQH_AVAIL_SIGNAL, /* the same at the vhost signal */
	TVQH_INFLIGHT_SIGNAL,
	TVQH_USED_RX, /* last_used_idx at handle_rx */
	TVQH_USED_SIGNAL, /* last_used_idx at the vhost signal */
	TVQH_RING_XMIT, /* TX ptr_ring depth at tun_net_xmit */
	TVQH_RING_RECV, /* TX ptr_ring depth at tun_recvmsg */
	TVQH_HISTS,
};

/* Per-CPU counters: entries dropped because a table was full, and the stages --debug shows. */
enum tvq_counter {
	TVQC_TARGETS_FULL,
	TVQC_QUEUES_FULL,
	TVQC_RX_VQS_FULL,
	TVQC_SIGNAL_IDX_FULL,
	TVQC_RX_ENTRY,
	TVQC_RX_NULL,
	TVQC_RX_LOOKUP,
	TVQC_RX_FOUND,
	TVQC_RX_NOT_FOUND,
	TVQC_SIGNAL_ENTRY,
	TVQC_COUNTERS,
};

struct tvq_config {
	char dev[TVQ_DEV_LEN]; /* --device; empty: every tun/tap device */
	__u32 filter_queue; /* --queue given */
	__u32 queue;
	/* details: signals of a socket's TX virtqueue are left out, signal indices counted */
	__u32 details;
	__u32 generation; /* of the signal index counts being written (user space flips it) */
};

/* A tap queue: its device and skb->queue_mapping. */
struct tvq_queue_key {
	char dev[TVQ_DEV_LEN];
	__u32 queue;
};

/* Everything counted for one queue since the start; user space reports what grew. */
struct tvq_queue_stats {
	__u64 hist[TVQH_HISTS][TVQ_SLOTS];
	__u64 xmits; /* tun_net_xmit calls seen (the NAPI flags are from the last) */
	__u64 signals; /* vhost signals counted */
	__u64 gen_signals[2]; /* details: the same, per signal index generation */
	__u32 last_used_idx; /* at the last signal */
	__u8 napi_enabled;
	__u8 napi_frags_enabled;
};

/* How often the guest was signalled with one last_used_idx of a socket in one interval. */
struct tvq_signal_idx_key {
	__u64 sock;
	__u32 last_used_idx;
	__u32 generation;
};

/* The slot of value v: 0 for 0, else floor(log2(v)) + 1 (the originals' bpf_log2l). */
static __always_inline __u32 tvq_slot(__u64 v)
{
	__u32 slot = bt_hist_slot(v);

	return slot < TVQ_SLOTS ? slot : TVQ_SLOTS - 1;
}

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

#include "prom.h"

/* One queue's interval: the deltas of its counters, and whether it was seen. */
struct tvq_queue_report {
	char dev[TVQ_DEV_LEN];
	uint32_t queue;
	uint64_t sock; /* the tun_file's socket (details' signal index analysis); 0: unknown */
	uint64_t hist[TVQH_HISTS][TVQ_SLOTS];
	uint64_t xmits, signals;
	uint64_t gen_signals; /* details: signals of the generation just retired */
	uint32_t last_used_idx;
	bool napi_enabled, napi_frags_enabled;
};

/* One last_used_idx and how often it was signalled. */
struct tvq_idx_count {
	uint32_t idx;
	uint64_t count;
};

/* The signal index frequency of one socket in an interval (details). */
#define TVQ_TOP 10
struct tvq_signal_freq {
	uint64_t sock;
	const struct tvq_queue_report *queue; /* NULL: the socket belongs to no queue seen */
	uint64_t total, unique, verification;
	struct tvq_idx_count top[TVQ_TOP]; /* by count, highest first */
	int ntop;
};

struct tvq_debug_entry {
	uint64_t key, value;
	const char *queue; /* "dev:qN", or NULL */
};

/* --debug's sections of an interval. */
struct tvq_debug_report {
	const uint64_t *counters; /* TVQC_COUNTERS deltas */
	const struct tvq_debug_entry *targets; /* socket -> queue */
	int ntargets;
	const struct tvq_debug_entry *rx_vqs; /* RX virtqueue -> its socket (queue set: a target) */
	int nrx_vqs;
};

/* One report: the queues sorted by device and queue number. */
struct tvq_report {
	const char *time; /* "2025-09-22 16:30:15.123" */
	bool show_time; /* -T: a Time line in the text */
	const struct tvq_queue_report *queues;
	int nqueues;
	const struct tvq_signal_freq *freqs; /* details */
	int nfreqs;
	const struct tvq_debug_report *debug; /* details --debug; NULL: none */
};

/* The filter lines and start-up lines of either tool (outputs 0: unlimited). */
struct tvq_banner {
	const char *release; /* "6.1" */
	const char *distro;
	bool vring_call_struct; /* vhost_virtqueue.call_ctx is a struct vhost_vring_call */
	const char *signal_fn, *handle_rx_fn; /* attached functions; NULL: not attached */
	const char *device; /* NULL: all */
	int queue; /* -1: all */
	int interval, outputs;
};

void tvq_print_simple_banner(FILE *f, const struct tvq_banner *b);
void tvq_print_details_banner(FILE *f, const struct tvq_banner *b);
void tvq_print_simple_report(FILE *f, const struct tvq_report *r);
void tvq_print_details_report(FILE *f, const struct tvq_report *r);
/* The report as one JSON object (details adds its histograms and the signal analysis). */
void tvq_print_json(FILE *f, const struct tvq_report *r, bool details);
/*
 * The metrics (--prometheus-textfile) of the n queues into the exposition p begun by the caller,
 * each queue's counts since the start (cum[i]: xmits, signals and histograms cumulative); the
 * simple tool's two histograms, or the details tool's eight.
 */
void tvq_prom_write(struct prom *p, const struct tvq_queue_report *cum, int n, bool details);
struct bpf_object;
struct bpf_object_skeleton;
struct hook_set;

#define TVQ_UNLIMITED 99999999 /* the originals' default number of reports */

/* The command line of either tool. */
struct tvq_options {
	const char *device; /* NULL: all */
	int queue; /* -1: all */
	int interval;
	int outputs;
	bool timestamp;
	bool debug;
	struct prom_opts prom;
};

/* The hooks of both tools, in the order of tvq_hook_defs (the simple tool uses the first two). */
enum tvq_hook { TVQ_HOOK_XMIT, TVQ_HOOK_SIGNAL, TVQ_HOOK_RECVMSG, TVQ_HOOK_HANDLE_RX, TVQ_HOOKS };
extern const struct hook_table tvq_simple_hook_table, tvq_details_hook_table;

/*
 * After the tool opened its skeleton: plans and loads it, writes the configuration, attaches,
 * prints the banner and a report per interval until o->outputs reports or a signal (the
 * interval a signal cuts short is reported too), detaches. Dies with one line on failure.
 */
void tvq_run(const struct tvq_options *o, bool details, struct hook_set *hooks,
	     struct bpf_object_skeleton *skel, struct bpf_object *obj);

/* Counts idx with count into fr's top list (the TVQ_TOP highest, ties: the lower index first). */
void tvq_top_insert(struct tvq_signal_freq *fr, uint32_t idx, uint64_t count);
/* "2-3", "1", "0": the values slot s holds. */
const char *tvq_slot_label(unsigned s, char *buf, size_t len);
/* Lowest and highest value of slot s. */
uint64_t tvq_slot_low(unsigned s);
uint64_t tvq_slot_high(unsigned s);
#endif
