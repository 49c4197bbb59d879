// SPDX-License-Identifier: GPL-2.0-only
/*
 * offcputime-ts: time each thread spends off-CPU, summed per (thread, user stack, kernel
 * stack). At sched_switch (BTF or raw tracepoint) the outgoing task is current: its stacks are
 * taken when it leaves; in the finish_task_switch kprobe (the original's hook) the incoming task
 * is current: its stacks are taken when it comes back, which shows the same place it blocked in.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "offcputime-ts.h"

#define PF_KTHREAD 0x00200000

BPFNET_CONFIG(struct offcpu_config)

BPFNET_MAP(start, BPF_MAP_TYPE_LRU_HASH, __u32, struct offcpu_start, OFFCPU_MAX_THREADS);
BPFNET_MAP(counts, BPF_MAP_TYPE_HASH, struct offcpu_key, __u64, OFFCPU_MAX_KEYS);
BPFNET_MAP(wanted_ids, BPF_MAP_TYPE_HASH, __u32, __u8, OFFCPU_MAX_IDS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, OFFCPU_COUNTERS);
BPFNET_STACK_MAP(stack_traces, 16384); /* --stack-storage-size, set before load */

/* task_struct.state before 5.14 (renamed __state). */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

static __always_inline __u64 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return (__u64)BPF_CORE_READ((struct task_struct___old *)t, state);
}

static __always_inline bool thread_wanted(const struct offcpu_config *cfg, struct task_struct *t, __u32 pid,
					  __u32 tgid)
{
	bool kthread = BPF_CORE_READ(t, flags) & PF_KTHREAD;

	switch (cfg->thread_filter) {
	case OFFCPU_TGIDS:
		return bpf_map_lookup_elem(&wanted_ids, &tgid) != NULL;
	case OFFCPU_TIDS:
		return bpf_map_lookup_elem(&wanted_ids, &pid) != NULL;
	case OFFCPU_USER:
		return !kthread;
	case OFFCPU_KERNEL:
		return kthread;
	}
	return true;
}

static __always_inline bool state_wanted(const struct offcpu_config *cfg, struct task_struct *t)
{
	__u64 state;

	if (!cfg->state_filter)
		return true;
	state = task_state(t);
	return cfg->state ? (state & cfg->state) != 0 : state == 0;
}

/* The current task's identity and stacks. */
static __always_inline void capture_current(void *ctx, const struct offcpu_config *cfg,
					    struct offcpu_key *key)
{
	__u64 id = bpf_get_current_pid_tgid();

	key->pid = (__u32)id;
	key->tgid = id >> 32;
	key->user_stack_id = cfg->user_stacks ? bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK) : -1;
	key->kernel_stack_id = cfg->kernel_stacks ? bpf_get_stackid(ctx, &stack_traces, 0) : -1;
	bpf_get_current_comm(key->comm, sizeof(key->comm));
}

static __always_inline void switch_out(void *ctx, const struct offcpu_config *cfg, struct task_struct *prev,
				       bool prev_is_current)
{
	__u32 pid = BPF_CORE_READ(prev, pid), tgid = BPF_CORE_READ(prev, tgid);
	struct offcpu_start st = {};

	/* The idle task (pid 0, one per CPU) does not block. */
	if (!pid || !thread_wanted(cfg, prev, pid, tgid) || !state_wanted(cfg, prev))
		return;
	st.ts = bpf_ktime_get_ns();
	if (prev_is_current)
		capture_current(ctx, cfg, &st.key);
	bpf_map_update_elem(&start, &pid, &st, BPF_ANY);
}

static __always_inline void add_total(const struct offcpu_key *key, __u64 us)
{
	__u64 *total = bpf_map_lookup_elem(&counts, key);

	if (total) {
		__sync_fetch_and_add(total, us);
		return;
	}
	if (!bpf_map_update_elem(&counts, key, &us, BPF_NOEXIST))
		return;
	total = bpf_map_lookup_elem(&counts, key); /* another CPU created it meanwhile */
	if (total)
		__sync_fetch_and_add(total, us);
	else
		counter_add(&counters, OFFCPU_COUNTS_FULL, 1);
}

static __always_inline void switch_in(void *ctx, const struct offcpu_config *cfg, __u32 pid,
				      bool next_is_current)
{
	struct offcpu_start *found = bpf_map_lookup_elem(&start, &pid), st;
	__u64 t_end = bpf_ktime_get_ns(), us;

	if (!found)
		return;
	st = *found;
	bpf_map_delete_elem(&start, &pid);
	if (st.ts > t_end) {
		struct offcpu_warn w = { pid, st.key.tgid, st.ts, t_end };

		emit_event(ctx, &w, sizeof(w));
		return;
	}
	us = (t_end - st.ts) / 1000;
	if (us < cfg->min_us || us > cfg->max_us)
		return;
	if (next_is_current)
		capture_current(ctx, cfg, &st.key);
	add_total(&st.key, us);
}

/* sched_switch(preempt, prev, next, ...): the raw and the BTF tracepoint see the same arguments. */
static __always_inline int on_sched_switch(void *ctx, const __u64 *args)
{
	const struct offcpu_config *cfg = get_config();
	struct task_struct *prev = (struct task_struct *)args[1];
	struct task_struct *next = (struct task_struct *)args[2];

	if (!cfg)
		return 0;
	switch_out(ctx, cfg, prev, true);
	switch_in(ctx, cfg, BPF_CORE_READ(next, pid), false);
	return 0;
}

SEC("tp_btf/sched_switch")
int offcpu_sched_switch_btf(__u64 *ctx)
{
	return on_sched_switch(ctx, ctx);
}

SEC("raw_tp/sched_switch")
int offcpu_sched_switch(struct bpf_raw_tracepoint_args *ctx)
{
	return on_sched_switch(ctx, ctx->args);
}

SEC("kprobe/finish_task_switch")
int BPF_KPROBE(offcpu_finish_task_switch, struct task_struct *prev)
{
	const struct offcpu_config *cfg = get_config();

	if (!cfg)
		return 0;
	switch_out(ctx, cfg, prev, false);
	switch_in(ctx, cfg, (__u32)bpf_get_current_pid_tgid(), true);
	return 0;
}

BPFNET_LICENSE;
