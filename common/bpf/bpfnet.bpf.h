/* Included first by every tool's BPF program: kernel types, helpers, and the suite's conventions. */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * Configuration lives in a one-element array map, not in .rodata: kernels before 5.2
 * (openEuler 20.03's 4.19) cannot load global data. User space writes it after load.
 */
#define BPFNET_CONFIG(cfg_type)                                                                    \
	struct {                                                                               \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                              \
		__uint(max_entries, 1);                                                        \
		__type(key, __u32);                                                            \
		__type(value, cfg_type);                                                           \
	} config_map SEC(".maps");                                                             \
	static __always_inline const cfg_type *get_config(void)                                    \
	{                                                                                      \
		__u32 zero = 0;                                                                \
		return bpf_map_lookup_elem(&config_map, &zero);                                \
	}

/* A per-CPU scratch slot for structures too large for the 512-byte BPF stack. */
#define BPFNET_SCRATCH(name, slot_type)                                                             \
	struct {                                                                               \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                       \
		__uint(max_entries, 1);                                                        \
		__type(key, __u32);                                                            \
		__type(value, slot_type);                                                           \
	} name##_scratch SEC(".maps");                                                         \
	static __always_inline slot_type *name##_get(void)                                          \
	{                                                                                      \
		__u32 zero = 0;                                                                \
		return bpf_map_lookup_elem(&name##_scratch, &zero);                            \
	}

/* Kernel stacks for bpf_get_stackid(), read back by common/stack.h. */
#define BPFNET_STACK_MAP(name, entries)                                                        \
	struct {                                                                               \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);                                        \
		__uint(max_entries, entries);                                                  \
		__uint(key_size, sizeof(__u32));                                               \
		__uint(value_size, 127 * sizeof(__u64));                                       \
	} name SEC(".maps")

#define BPFNET_LICENSE char LICENSE[] SEC("license") = "GPL"

/* Adds delta to a per-CPU or shared u64 counter map slot. */
static __always_inline void counter_add(void *map, __u32 key, __u64 delta)
{
	__u64 *v = bpf_map_lookup_elem(map, &key);

	if (v)
		__sync_fetch_and_add(v, delta);
}
