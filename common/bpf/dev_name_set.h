/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Network devices by name, in every network namespace and whether they exist yet or not: the
 * match the bpftrace originals made with a 16-byte compare of skb->dev->name. Filled by user
 * space (common/dev_names.h), matched in BPF by dev_name_set_has() (dev_name_set.bpf.h).
 */
#pragma once
#include "both_sides.h"

#define DEV_NAME_LEN 16
#define DEV_NAME_SET_MAX 8

struct dev_name_set {
	/* NUL-padded names, compared as two 64-bit words each */
	__u64 name[DEV_NAME_SET_MAX][DEV_NAME_LEN / 8];
	__u32 count; /* 0 = every device */
	__u32 pad;
};
