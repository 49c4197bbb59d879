/* SPDX-License-Identifier: GPL-2.0-only */
/* Drop counters by kernel stack, device and IPv4 5-tuple: shared by BPF and user space. */
#pragma once
#include "both_sides.h"
#include "pkt_key.h"

#define DROP_STACK_NONE (-1) /* key of counters that are not per stack */

struct drop_tuple {
	__u32 saddr; /* network order */
	__u32 daddr;
	__u16 sport; /* host order */
	__u16 dport;
	__u8 protocol;
	__u8 pad[3];
};

struct drop_count_key {
	__u32 gen; /* report interval the count belongs to */
	__s32 stack_id; /* DROP_STACK_NONE in tuple_counts and failed_counts */
	char devname[16];
	struct drop_tuple tuple; /* zero unless counting by tuple */
};

struct drop_count_config {
	struct pkt_filter filter;
	char ifname[16]; /* exact device name, empty = any */
	__u8 by_tuple; /* key drop_counts by tuple too and fill stack_counts, tuple_counts */
	__u8 pad[7];
};

/* Slots of the drop_count_errors array. */
enum drop_count_error {
	DROP_COUNT_TABLE_FULL, /* a counter could not be created: the hash is full */
	DROP_COUNT_ERRORS,
};
