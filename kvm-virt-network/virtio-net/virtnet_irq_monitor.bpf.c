// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtnet_irq_monitor: for a set of IRQs, handler calls per CPU, handler return values and
 * handler durations, from the irq tracepoints.
 */
#include "bpfnet.bpf.h"
#include "irq_handler.bpf.h"
#include "virtnet_irq_monitor.h"

/* User space creates an entry for each watched IRQ: the filter. */
BPFNET_MAP(stats, BPF_MAP_TYPE_HASH, __s32, struct virq_stats, VIRQ_MAX_IRQS);
/* Longest handler per IRQ since user space last reset it (apart: resetting it loses no count). */
BPFNET_MAP(max_ns, BPF_MAP_TYPE_HASH, __s32, __u64, VIRQ_MAX_IRQS);
BPFNET_MAP(cpu_calls, BPF_MAP_TYPE_HASH, struct virq_pair, __u64, VIRQ_MAX_CPU_KEYS);
BPFNET_MAP(ret_calls, BPF_MAP_TYPE_HASH, struct virq_pair, __u64, VIRQ_MAX_RET_KEYS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, VIRQ_COUNTERS);

/* The handler running on this CPU (hard IRQ handlers do not nest). */
struct handler_start {
	__s32 irq;
	__u64 ns, *max;
};
BPFNET_MAP(started, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, struct handler_start, 1);

/* Adds one to the counter of key in map, creating it; counts overflow in counters[full]. */
static __always_inline void pair_add(void *map, struct virq_pair *key, __u32 full)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);

	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	if (bpf_map_update_elem(map, key, &one, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(map, key);
		if (v)
			__sync_fetch_and_add(v, 1);
		else
			counter_add(&counters, full, 1);
	}
}

static __always_inline void handler_entry(__s32 irq)
{
	struct virq_pair key = { irq, (__s32)bpf_get_smp_processor_id() };
	struct virq_stats *s = bpf_map_lookup_elem(&stats, &irq);
	struct handler_start *h;
	__u32 zero = 0;

	if (!s)
		return;
	__sync_fetch_and_add(&s->calls, 1);
	pair_add(&cpu_calls, &key, VIRQ_CPU_FULL);
	h = bpf_map_lookup_elem(&started, &zero);
	if (h) {
		h->irq = irq;
		h->ns = bpf_ktime_get_ns();
	}
}

static __always_inline void handler_exit(__s32 irq, __s32 ret)
{
	struct virq_pair key = { irq, ret };
	struct virq_stats *s = bpf_map_lookup_elem(&stats, &irq);
	struct handler_start *h;
	__u32 zero = 0;
	__u64 ns, *max;

	if (!s)
		return;
	h = bpf_map_lookup_elem(&started, &zero);
	if (h && h->ns && h->irq == irq) {
		ns = bpf_ktime_get_ns() - h->ns;
		h->ns = 0;
		__sync_fetch_and_add(&s->timed, 1);
		__sync_fetch_and_add(&s->duration_ns, ns);
		max = bpf_map_lookup_elem(&max_ns, &irq);
		if (max && ns > *max)
			*max = ns;
	}
	pair_add(&ret_calls, &key, VIRQ_RET_FULL);
}

BPFNET_IRQ_HANDLER_PROGS(virq_entry, virq_exit, handler_entry, handler_exit)

BPFNET_LICENSE;
