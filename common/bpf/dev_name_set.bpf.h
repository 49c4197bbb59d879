/* SPDX-License-Identifier: GPL-2.0-only */
/* Matching a device's name against a struct dev_name_set in a BPF program. */
#pragma once
#include "bpfnet.bpf.h"
#include "dev_name_set.h"

/*
 * Copies dev's name NUL-padded into name (empty when dev is NULL or unreadable, as bpftrace's
 * failed reads) and says whether it is one of set's names (any name when set is empty).
 */
static __always_inline bool dev_name_set_has(const struct dev_name_set *set, struct net_device *dev,
					     char name[DEV_NAME_LEN])
{
	__u64 *have = (__u64 *)name;
	bool listed = false;

	have[0] = 0;
	have[1] = 0;
	if (dev)
		bpf_probe_read_kernel_str(name, DEV_NAME_LEN, dev->name);
	if (!set->count)
		return true;
#pragma unroll
	for (int i = 0; i < DEV_NAME_SET_MAX; i++)
		listed |= i < set->count && have[0] == set->name[i][0] && have[1] == set->name[i][1];
	return listed;
}
