// SPDX-License-Identifier: GPL-2.0-only
/*
 * pthread_rwlock_wrlock: time from the call of the C library's write-lock function to its
 * return (a bpftrace-style histogram in microseconds), or (--stack) the calls per caller stack.
 */
#include "bpfnet.bpf.h"
#include "pthread_rwlock_wrlock.h"

BPFNET_CONFIG(struct rwl_config)

BPFNET_MAP(begin, BPF_MAP_TYPE_HASH, __u32, __u64, RWL_MAX_THREADS);
BPFNET_MAP(lat, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, BT_HIST_SLOTS);
BPFNET_MAP(callers, BPF_MAP_TYPE_HASH, struct rwl_caller, __u64, RWL_MAX_CALLERS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, RWL_COUNTERS);
BPFNET_STACK_MAP(stacks, 16384);

static __always_inline bool process_wanted(const struct rwl_config *cfg, __u64 id)
{
	return !cfg->tgid || cfg->tgid == id >> 32;
}

SEC("uprobe")
int rwl_enter(struct pt_regs *ctx)
{
	const struct rwl_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	__u32 tid = (__u32)id;

	if (!cfg || !process_wanted(cfg, id))
		return 0;
	if (bpf_map_update_elem(&begin, &tid, &now, BPF_ANY))
		counter_add(&counters, RWL_UNTIMED, 1);
	return 0;
}

SEC("uretprobe")
int rwl_return(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), slot;
	__u64 *t0 = bpf_map_lookup_elem(&begin, &tid), *count;

	if (!t0)
		return 0;
	slot = bt_hist_slot((bpf_ktime_get_ns() - *t0) / 1000);
	bpf_map_delete_elem(&begin, &tid);
	if (slot >= BT_HIST_SLOTS)
		return 0;
	count = bpf_map_lookup_elem(&lat, &slot);
	if (count)
		*count += 1;
	return 0;
}

SEC("uprobe")
int rwl_enter_stack(struct pt_regs *ctx)
{
	const struct rwl_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct rwl_caller key = {};

	if (!cfg || !process_wanted(cfg, id))
		return 0;
	key.tgid = id >> 32;
	key.stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	hash_counter_inc(&callers, &key, &counters, RWL_CALLERS_FULL);
	return 0;
}

BPFNET_LICENSE;
