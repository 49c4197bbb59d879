// SPDX-License-Identifier: GPL-2.0-only
/* futex: time of each futex() system call, counted into a bpftrace-style log2 histogram. */
#include "bpfnet.bpf.h"
#include "hist.bpf.h"
#include "futex.h"

BPFNET_CONFIG(struct futex_config)

/* Thread id -> entry time (ns). A plain hash: when full, calls are counted as untimed. */
BPFNET_MAP(start, BPF_MAP_TYPE_HASH, __u32, __u64, FUTEX_MAX_THREADS);
HIST_MAP(lat, BT_HIST_SLOTS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, FUTEX_COUNTERS);

SEC("tp/syscalls/sys_enter_futex")
int futex_enter(void *ctx)
{
	const struct futex_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	__u32 tid = (__u32)id;

	if (!cfg || (cfg->tgid && cfg->tgid != id >> 32))
		return 0;
	if (bpf_map_update_elem(&start, &tid, &now, BPF_ANY))
		counter_add(&counters, FUTEX_UNTIMED, 1);
	return 0;
}

SEC("tp/syscalls/sys_exit_futex")
int futex_exit(void *ctx)
{
	const struct futex_config *cfg = get_config();
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), slot;
	__u64 *t0 = bpf_map_lookup_elem(&start, &tid), now = bpf_ktime_get_ns(), *count;

	/* No entry: the call began before the tool attached (the original counted the uptime). */
	if (!cfg || !t0 || !cfg->unit_ns)
		return 0;
	slot = bt_hist_slot((now - *t0) / cfg->unit_ns);
	counter_add(&counters, FUTEX_SUM_NS, now - *t0);
	bpf_map_delete_elem(&start, &tid);
	if (slot >= BT_HIST_SLOTS)
		return 0;
	count = bpf_map_lookup_elem(&lat, &slot);
	if (count)
		*count += 1;
	return 0;
}

BPFNET_LICENSE;
