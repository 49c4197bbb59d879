// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_latency_monitor: the run-queue waits and the on-CPU runs of one process's threads,
 * one event each, from the scheduler's wakeup and switch tracepoints.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "sched_latency_monitor.h"

BPFNET_CONFIG(struct slm_config);
/* Since when a target thread has been runnable without running. */
BPFNET_MAP(runnable_since, BPF_MAP_TYPE_HASH, __u32, __u64, SLM_MAX_THREADS);
BPFNET_MAP(oncpu, BPF_MAP_TYPE_HASH, __u32, struct slm_oncpu, SLM_MAX_THREADS);
/*
 * The classic tracepoints name threads, not processes: the target's threads seen so far (user
 * space adds those of /proc/<pid>/task, a switch-out in the target's context adds the others).
 */
BPFNET_MAP(target_tids, BPF_MAP_TYPE_HASH, __u32, __u8, SLM_MAX_THREADS);
BPFNET_MAP(untracked, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, SLM_UNTRACKED_SLOTS);

/* TASK_REPORT bits of prev_state: none set means still runnable (preempted or yielding). */
#define SLM_TASK_REPORT 0xff

struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline bool target_tgid(__u32 tgid)
{
	const struct slm_config *cfg = get_config();

	return cfg && tgid == cfg->tgid;
}

static __always_inline bool target_tid(__u32 tid)
{
	return bpf_map_lookup_elem(&target_tids, &tid) != NULL;
}

static __always_inline void became_runnable(__u32 tid, __u64 now)
{
	/* A second wakeup while still waiting keeps the first moment. */
	if (bpf_map_update_elem(&runnable_since, &tid, &now, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&runnable_since, &tid))
		counter_add(&untracked, SLM_WAKEUPS_TABLE_FULL, 1);
}

static __always_inline void emit(void *ctx, __u32 kind, __u32 tid, __u64 start, __u64 end, const char *comm)
{
	struct slm_event ev = { .start_ns = start, .end_ns = end, .tid = tid, .kind = kind };

	__builtin_memcpy(ev.comm, comm, SLM_COMM_LEN);
	/* Woken at every event, the tool would preempt the threads it measures. */
	emit_event_quiet(ctx, &ev, sizeof(ev));
}

static __always_inline void switched_out(void *ctx, __u32 tid, bool runnable, __u64 now)
{
	struct slm_oncpu *on = bpf_map_lookup_elem(&oncpu, &tid);

	if (on) {
		emit(ctx, SLM_RUN, tid, on->since_ns, now, on->comm);
		bpf_map_delete_elem(&oncpu, &tid);
	}
	if (runnable)
		became_runnable(tid, now);
}

static __always_inline void switched_in(void *ctx, __u32 tid, const char *comm, __u64 now)
{
	__u64 *since = bpf_map_lookup_elem(&runnable_since, &tid);
	struct slm_oncpu on = { .since_ns = now };

	__builtin_memcpy(on.comm, comm, SLM_COMM_LEN);
	if (since) {
		emit(ctx, SLM_DELAY, tid, *since, now, comm);
		bpf_map_delete_elem(&runnable_since, &tid);
	}
	if (bpf_map_update_elem(&oncpu, &tid, &on, BPF_ANY))
		counter_add(&untracked, SLM_ONCPU_TABLE_FULL, 1);
}

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
}

/* Raw tracepoints: the tasks themselves, so the process is known by its tgid. */

SEC("raw_tp/sched_switch")
int BPF_PROG(slm_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	char comm[SLM_COMM_LEN];

	if (target_tgid(BPF_CORE_READ(prev, tgid)))
		switched_out(ctx, BPF_CORE_READ(prev, pid), preempt || task_state(prev) == 0, now);
	if (target_tgid(BPF_CORE_READ(next, tgid))) {
		BPF_CORE_READ_INTO(&comm, next, comm);
		switched_in(ctx, BPF_CORE_READ(next, pid), comm, now);
	}
	return 0;
}

static __always_inline int woken_raw(struct task_struct *p)
{
	if (target_tgid(BPF_CORE_READ(p, tgid)))
		became_runnable(BPF_CORE_READ(p, pid), bpf_ktime_get_ns());
	return 0;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(slm_wakeup_raw, struct task_struct *p)
{
	return woken_raw(p);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(slm_wakeup_new_raw, struct task_struct *p)
{
	return woken_raw(p);
}

/* Classic tracepoints (kernels without raw tracepoints): threads by target_tids. */

SEC("tracepoint/sched/sched_switch")
int slm_switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 prev = (__u32)ctx->prev_pid, next = (__u32)ctx->next_pid;
	char comm[SLM_COMM_LEN];
	__u8 one = 1;

	/* The tracepoint runs in prev's context: its process is the current one. */
	if (target_tgid((__u32)(bpf_get_current_pid_tgid() >> 32))) {
		bpf_map_update_elem(&target_tids, &prev, &one, BPF_ANY);
		switched_out(ctx, prev, (ctx->prev_state & SLM_TASK_REPORT) == 0, now);
	}
	if (target_tid(next)) {
		/* Copied, not passed on: the verifier refuses reads through a moved context pointer. */
		BPF_CORE_READ_INTO(&comm, ctx, next_comm);
		switched_in(ctx, next, comm, now);
	}
	return 0;
}

static __always_inline int woken_tp(struct trace_event_raw_sched_wakeup_template *ctx)
{
	__u32 tid = (__u32)ctx->pid;

	if (target_tid(tid))
		became_runnable(tid, bpf_ktime_get_ns());
	return 0;
}

SEC("tracepoint/sched/sched_wakeup")
int slm_wakeup_tp(struct trace_event_raw_sched_wakeup_template *ctx)
{
	return woken_tp(ctx);
}

SEC("tracepoint/sched/sched_wakeup_new")
int slm_wakeup_new_tp(struct trace_event_raw_sched_wakeup_template *ctx)
{
	return woken_tp(ctx);
}

BPFNET_LICENSE;
