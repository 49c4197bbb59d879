/* SPDX-License-Identifier: GPL-2.0-only */
/* tun_ring_monitor: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/dev_name_set.h"
#include "bpf/tun_ring.h"

#define TRM_MAX_QUEUE_COUNTS 4096

struct trm_config {
	struct dev_name_set device; /* the --device name; empty: every tun/tap device */
	__u32 saddr, daddr; /* network order; 0 = unset */
	__u16 sport, dport; /* host order; 0 = unset */
	__u8 protocol; /* 6, 17; 0 = unset */
	__u8 filter_enabled; /* any of the five given: a packet passes if ANY of them matches */
	__u8 all; /* --all: every transmit, not only ring-full ones */
	__u8 count_queues; /* --interval: count transmits per device queue */
	__u32 pad;
};

/* One tun_net_xmit call. */
struct trm_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u64 skb;
	__u32 pid; /* TGID */
	__u32 tid;
	char comm[16];
	char dev[16];
	__u32 saddr, daddr; /* network order; 0 when the headers were not parsed */
	__u16 sport, dport; /* host order */
	__u16 queue_mapping;
	__u8 protocol;
	__u8 pad;
	__u32 tfiles_size; /* sizeof(tun_struct.tfiles) on this kernel */
	__u32 numqueues_offset; /* offsetof(struct tun_struct, numqueues) on this kernel */
	struct tun_ring_state ring; /* the packet's own queue's TX ring */
};

/* --interval counts, per device queue. */
struct trm_queue_key {
	__u32 ifindex;
	__u32 queue;
};

struct trm_queue_count {
	__u64 xmits; /* transmits that passed the filters */
	__u64 full; /* of which found the ring full */
	char dev[16];
};

#ifndef __bpf__
#include <stdio.h>

/* The filter settings as the banner echoes them. */
struct trm_settings {
	const char *device; /* NULL: all */
	__u32 saddr, daddr; /* network order, 0 = unset */
	__u16 sport, dport;
	__u8 protocol;
	bool all;
};

/* The --verbose lines printed before loading. */
void trm_print_verbose(FILE *f, const struct trm_config *cfg);
/* The start-up lines. */
void trm_print_banner(FILE *f, const struct trm_settings *s);
/* One event in the original's block layout; hms_ms is its local "HH:MM:SS.mmm". */
void trm_print_event(FILE *f, const struct trm_event *ev, const char *hms_ms);
/* The same event as one JSON object. */
void trm_print_json(FILE *f, const struct trm_event *ev, const char *hms_ms);
/* One --interval report: a line per device queue (sorted by device, then queue). */
struct trm_queue_row {
	struct trm_queue_key key;
	struct trm_queue_count count;
};
/*
 * Turns the totals rows[0..n) into what grew since the totals prev[0..nprev) of the previous
 * report (same device queue: same key), keeping only rows that grew; returns how many.
 */
int trm_rows_since(struct trm_queue_row *rows, int n, const struct trm_queue_row *prev, int nprev);
void trm_print_interval(FILE *f, struct trm_queue_row *rows, int n, __u64 overflow, const char *hms,
			int interval);
/* The same as one JSON object. */
void trm_print_interval_json(FILE *f, struct trm_queue_row *rows, int n, __u64 overflow, const char *hms);

struct hook_table;
extern const struct hook_table trm_hook_table;
#endif
