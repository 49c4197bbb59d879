/* SPDX-License-Identifier: GPL-2.0-only */
/* virtnet_poll_monitor: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"

enum virtnet_poll_event_type {
	VPOLL_ENTRY, /* virtnet_poll called with a budget */
	VPOLL_EXIT, /* virtnet_poll returned the packets it processed */
	VPOLL_RECV_DONE, /* skb_recv_done: the RX virtqueue's interrupt callback */
};

struct virtnet_poll_config {
	__u32 ifindex; /* 0: every device */
	__u32 queue_filter; /* 1: only queue */
	__u32 queue;
	__u32 pad;
};

struct virtnet_poll_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u32 pid; /* TGID */
	__u32 tid;
	char comm[16];
	char dev_name[16];
	__u32 queue_index; /* vq_index / 2 */
	__u32 vq_index;
	__u32 budget;
	__s32 processed;
	__u64 napi_ptr;
	__u64 rq_ptr;
	__u64 vq_ptr;
	__u64 netdev_ptr;
	__u8 type; /* enum virtnet_poll_event_type */
	__u8 pad[7];
};

#ifndef __bpf__
#include <stdio.h>

/* One event line, the original's layout; hms_ms is the local "HH:MM:SS.mmm" of the event. */
void virtnet_poll_print_event(FILE *f, const struct virtnet_poll_event *ev, const char *hms_ms);
/* The same event as one JSON object. */
void virtnet_poll_print_json(FILE *f, const struct virtnet_poll_event *ev, const char *hms_ms);
/* One device queue's events over an --interval. */
struct vpoll_tally {
	char dev[16];
	__u32 queue;
	__u64 interrupts, polls, packets;
};

/* The --interval summary: one line per device queue that had events. */
void virtnet_poll_print_interval(FILE *f, const struct vpoll_tally *t, int n, const char *hms, int interval);
/* The same as one JSON object. */
void virtnet_poll_print_interval_json(FILE *f, const struct vpoll_tally *t, int n, const char *hms);
/* The start-up lines echoing the filters (dev NULL: all; queue < 0: all). */
void virtnet_poll_print_banner(FILE *f, const char *dev, int queue);

struct hook_table;
extern const struct hook_table virtnet_poll_hook_table;
#endif
