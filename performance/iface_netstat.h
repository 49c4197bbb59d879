/* SPDX-License-Identifier: GPL-2.0-only */
/* iface_netstat: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

#define IFACE_MAX_QUEUES 1024
#define IFACE_SIZE_CLASSES 5 /* [0,64) [64,512) [512,2K) [2K,16K) [16K,64K) */

struct iface_netstat_config {
	struct iface_set iface; /* --name */
	__u32 tx_other; /* slot of TX queue ids the device did not report (= its queue count) */
	__u32 rx_other;
};

/* Per queue, per CPU, cumulative since the tool started. */
struct queue_stats {
	__u64 bytes;
	__u64 packets;
	__u64 size[IFACE_SIZE_CLASSES]; /* packets of 64 KiB and more are in none */
};

#ifndef __bpf__
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One direction's per-interval counts: queues 0..n-1 as shown, other = ids >= n. */
struct queue_table {
	const struct queue_stats *queues;
	int n;
	struct queue_stats other;
};

/*
 * A number as the original printed it (Python to_str): above 1,000,000 in units of 2^20
 * with "M", above 1000 in units of 2^10 with "K", both rounded to 2 decimals in Python's
 * shortest form ("1.5K"); smaller integers as integers, smaller floats as "66.0"/"12.35".
 */
const char *netstat_num(double v, bool is_float, char *buf, size_t len);
/* The header row, one row per queue and the Total row of one direction over seconds. */
void netstat_print_table(FILE *f, const struct queue_table *t, double seconds, bool throughput);
/* One interval: date line, TX table, blank line, RX table, closing rule. */
void netstat_print_report(FILE *f, const char *asctime_now, const struct queue_table *tx,
			  const struct queue_table *rx, double seconds, bool throughput);
/* One interval as a JSON object on one line. */
void netstat_print_json(FILE *f, const char *time_now, const struct queue_table *tx,
			const struct queue_table *rx, double seconds);
/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table netstat_hook_table;
#endif
