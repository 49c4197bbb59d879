// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_monitor: each thread's time on each monitored CPU, from the context switches, and the
 * stacks of a CPU-clock sampling profile of the target CPUs.
 */
#include "bpfnet.bpf.h"
#include "cpu_monitor.h"

BPFNET_MAP(monitored, BPF_MAP_TYPE_ARRAY, __u32, __u8, CPUM_MAX_CPUS);
BPFNET_MAP(running, BPF_MAP_TYPE_ARRAY, __u32, struct cpum_slice, CPUM_MAX_CPUS);
BPFNET_MAP(thread_time, BPF_MAP_TYPE_HASH, struct cpum_thread_key, struct cpum_thread_time, CPUM_MAX_THREADS);
BPFNET_MAP(samples, BPF_MAP_TYPE_HASH, struct cpum_sample_key, __u64, CPUM_MAX_SAMPLES);
BPFNET_STACK_MAP(stacks, CPUM_MAX_STACKS);
BPFNET_MAP(untracked, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, CPUM_UNTRACKED_SLOTS);

/*
 * On a monitored CPU: charges the slice that ends now to the thread leaving (prev), in the
 * name it had, and starts next's. prev's tgid is the current process (the tracepoints run in
 * prev's context).
 */
static __always_inline void switched(__u32 prev, const char *prev_comm, __u32 next, __u32 next_tgid,
				     const char *next_comm)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u8 *on = bpf_map_lookup_elem(&monitored, &cpu);
	struct cpum_slice *slice;
	__u64 now;

	if (!on || !*on)
		return;
	slice = bpf_map_lookup_elem(&running, &cpu);
	if (!slice)
		return;
	now = bpf_ktime_get_ns();
	if (prev && slice->since_ns && slice->tid == prev) {
		struct cpum_thread_key key = { .cpu = cpu, .tid = prev };
		struct cpum_thread_time *t = bpf_map_lookup_elem(&thread_time, &key);

		if (t) {
			t->runtime_ns += now - slice->since_ns;
			__builtin_memcpy(t->comm, prev_comm, CPUM_COMM_LEN);
		} else {
			struct cpum_thread_time first = { .runtime_ns = now - slice->since_ns,
							  .tgid = (__u32)(bpf_get_current_pid_tgid() >> 32) };

			__builtin_memcpy(first.comm, prev_comm, CPUM_COMM_LEN);
			if (bpf_map_update_elem(&thread_time, &key, &first, BPF_NOEXIST))
				counter_add(&untracked, CPUM_THREADS_FULL, 1);
		}
	}
	slice->since_ns = now;
	slice->tid = next;
	slice->tgid = next_tgid;
	__builtin_memcpy(slice->comm, next_comm, CPUM_COMM_LEN);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(cpum_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	char prev_comm[CPUM_COMM_LEN], next_comm[CPUM_COMM_LEN];

	BPF_CORE_READ_INTO(&prev_comm, prev, comm);
	BPF_CORE_READ_INTO(&next_comm, next, comm);
	switched(BPF_CORE_READ(prev, pid), prev_comm, BPF_CORE_READ(next, pid), BPF_CORE_READ(next, tgid),
		 next_comm);
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int cpum_switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	char prev_comm[CPUM_COMM_LEN], next_comm[CPUM_COMM_LEN];

	/* Copied: the verifier refuses reads through a moved context pointer. */
	BPF_CORE_READ_INTO(&prev_comm, ctx, prev_comm);
	BPF_CORE_READ_INTO(&next_comm, ctx, next_comm);
	switched((__u32)ctx->prev_pid, prev_comm, (__u32)ctx->next_pid, 0, next_comm);
	return 0;
}

/* One CPU-clock sample of a target CPU (perf record -C <cpu> -F 1000 --call-graph fp). */
SEC("perf_event")
int cpum_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct cpum_sample_key key = {
		.cpu = bpf_get_smp_processor_id(),
		.tgid = (__u32)(id >> 32),
		.tid = (__u32)id,
	};

	/* In user mode the kernel stack is empty (an error): the sample is a user one. */
	key.kstack = bpf_get_stackid(ctx, &stacks, 0);
	key.ustack = key.tgid ? bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK) : -1;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	hash_counter_inc(&samples, &key, &untracked, CPUM_SAMPLES_FULL);
	return 0;
}

BPFNET_LICENSE;
