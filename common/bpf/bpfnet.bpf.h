/* SPDX-License-Identifier: GPL-2.0-only */
/* Included first by every tool's BPF program: kernel types, helpers, and the suite's conventions. */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "wire.h"

/*
 * Fields newer than the oldest generated vmlinux.h (arm64's, from 6.1), as ___flavor types so
 * that code testing them with bpf_core_field_exists() compiles against every vmlinux.h.
 */
struct sk_buff___v62 {
	__u32 vlan_all;
} __attribute__((preserve_access_index));

/* skb->mac_header / network_header value of a header not set yet ((u16)~0U). */
#define SKB_HDR_UNSET 0xFFFF

/*
 * One function-entry hook served two ways by one body: prog, a kprobe, and prog_fentry, an
 * fentry program on func (a BPF trampoline: no breakpoint trap, 5.5+ with the kernel's BTF).
 * User space offers both with HOOK_FUNC_ENTRY (common/hook.h) and loads the one the planner
 * picks (fentry first). Declared like BPF_KPROBE: the body follows, ctx is the program's
 * context (for helpers such as bpf_get_stackid). The arguments are read from registers or
 * from the trampoline's array alike: read through them with BPF_CORE_READ /
 * bpf_probe_read_kernel, not by dereference. In the fentry program a pointer argument is a BTF
 * pointer to the verifier, whatever its C type: no bitwise operator on it, and a global function
 * (BPFNET_VERIFIED_ONCE) does not take it: pass bpfnet_arg_number(p) instead. Before 6.x fentry
 * refuses a function with a pointer-to-pointer argument (struct sk_buff **): declare those
 * kprobes only; before 5.17 it refuses to read an int * argument (hook_fentry_int_ptr_usable).
 */
// clang-format off
#define ___bpfnet_unparen(...) __VA_ARGS__
/* Both programs of BPFNET_FUNC_ENTRY; lead: the parameters the body takes before ctx, in
 * parentheses, and what the kprobe and the fentry program pass for them. */
#define ___BPFNET_FUNC_ENTRY(prog, func, lead, kprobe_lead, fentry_lead, args...)                           \
	static __always_inline int ____##prog(___bpfnet_unparen lead void *ctx, ##args);                    \
	SEC("kprobe")                                                                                       \
	int prog(struct pt_regs *ctx)                                                                       \
	{                                                                                                   \
		_Pragma("GCC diagnostic push")                                                              \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                                      \
		return ____##prog(___bpfnet_unparen kprobe_lead ___bpf_kprobe_args(args));                  \
		_Pragma("GCC diagnostic pop")                                                               \
	}                                                                                                   \
	SEC("fentry/" #func)                                                                                \
	int prog##_fentry(unsigned long long *ctx)                                                          \
	{                                                                                                   \
		_Pragma("GCC diagnostic push")                                                              \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                                      \
		return ____##prog(___bpfnet_unparen fentry_lead ___bpf_ctx_cast(args));                     \
		_Pragma("GCC diagnostic pop")                                                               \
	}                                                                                                   \
	static __always_inline int ____##prog(___bpfnet_unparen lead void *ctx, ##args)
#define BPFNET_FUNC_ENTRY(prog, func, args...) ___BPFNET_FUNC_ENTRY(prog, func, (), (), (), ##args)
// clang-format on

/*
 * BPFNET_FUNC_ENTRY whose body also takes sp, first: the stack pointer at func's entry under the
 * kprobe, 0 under fentry. For a body that must tell its callers from calls whose kretprobe never
 * ran (common/bpf/call_nest.bpf.h): a kretprobe misses returns when its instances run out
 * (maxactive is the CPU count on kernels without preemption: 1 in a one-CPU guest, so a nested
 * call's return is lost) or when the kernel skips it while another BPF program runs on the CPU;
 * fexit misses neither way.
 */
// clang-format off
#define BPFNET_FUNC_ENTRY_SP(prog, func, args...)                                                            \
	___BPFNET_FUNC_ENTRY(prog, func, (__u64 sp,), (PT_REGS_SP(ctx),), (0,), ##args)
// clang-format on

/*
 * One function-return hook served two ways by one body: prog, a kretprobe, and prog_fexit, an
 * fexit program on func (BPF trampoline, planned like BPFNET_FUNC_ENTRY's fentry: HOOK_FUNC_RETURN
 * in common/hook.h). ret declares the return value the body takes ("int ret"), read from the
 * registers (PT_REGS_RC) or from the trampoline's array, where it follows func's nargs
 * arguments: nargs must be func's argument count in its BTF on every kernel the fexit program
 * may load on (bpf_get_func_ret, which would not need it, came in 5.17). The body sees ctx (the
 * program's context) and ret only: what it needs of the arguments it keeps from the entry. In
 * the fexit program a pointer ret is a BTF pointer to the verifier (see BPFNET_FUNC_ENTRY).
 */
// clang-format off
/* Both programs of BPFNET_FUNC_RETURN; lead as in ___BPFNET_FUNC_ENTRY. */
#define ___BPFNET_FUNC_RETURN(prog, func, nargs, lead, kretprobe_lead, fexit_lead, ret)                     \
	static __always_inline int ____##prog(___bpfnet_unparen lead void *ctx, ret);                        \
	SEC("kretprobe")                                                                                     \
	int prog(struct pt_regs *ctx)                                                                        \
	{                                                                                                    \
		_Pragma("GCC diagnostic push")                                                               \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                                       \
		return ____##prog(___bpfnet_unparen kretprobe_lead ctx, (void *)PT_REGS_RC(ctx));           \
		_Pragma("GCC diagnostic pop")                                                                \
	}                                                                                                    \
	SEC("fexit/" #func)                                                                                  \
	int prog##_fexit(unsigned long long *ctx)                                                            \
	{                                                                                                    \
		_Pragma("GCC diagnostic push")                                                               \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                                       \
		return ____##prog(___bpfnet_unparen fexit_lead ctx, (void *)ctx[nargs]);                    \
		_Pragma("GCC diagnostic pop")                                                                \
	}                                                                                                    \
	static __always_inline int ____##prog(___bpfnet_unparen lead void *ctx, ret)
#define BPFNET_FUNC_RETURN(prog, func, nargs, ret) ___BPFNET_FUNC_RETURN(prog, func, nargs, (), (), (), ret)
/*
 * BPFNET_FUNC_RETURN whose body also takes sp, first: the stack pointer as func returns under
 * the kretprobe (its entry's, or 8 bytes above on x86-64), 0 under fexit (call_nest_return).
 */
#define BPFNET_FUNC_RETURN_SP(prog, func, nargs, ret)                                                        \
	___BPFNET_FUNC_RETURN(prog, func, nargs, (__u64 sp,), (PT_REGS_SP(ctx),), (0,), ret)
// clang-format on

/* A map of entries values of value_type under keys of key_type: how every map here is declared. */
#define BPFNET_MAP(name, map_type, key_type, value_type, entries)                                            \
	struct {                                                                                             \
		__uint(type, map_type);                                                                      \
		__uint(max_entries, entries);                                                                \
		__type(key, key_type);                                                                       \
		__type(value, value_type);                                                                   \
	} name SEC(".maps")

/*
 * Configuration lives in a one-element array map, not in .rodata: kernels before 5.2
 * (openEuler 20.03's 4.19) cannot load global data. User space writes it after load.
 */
#define BPFNET_CONFIG(cfg_type)                                                                              \
	BPFNET_MAP(config_map, BPF_MAP_TYPE_ARRAY, __u32, cfg_type, 1);                                      \
	static __always_inline const cfg_type *get_config(void)                                              \
	{                                                                                                    \
		__u32 zero = 0;                                                                              \
		return bpf_map_lookup_elem(&config_map, &zero);                                              \
	}

/*
 * A per-CPU scratch slot for structures too large for the 512-byte BPF stack: name_get() returns
 * it as the last use left it, name_zeroed() cleared (both NULL if the lookup fails).
 */
#define BPFNET_SCRATCH(name, slot_type)                                                                      \
	BPFNET_MAP(name##_scratch, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, slot_type, 1);                          \
	static __always_inline slot_type *name##_get(void)                                                   \
	{                                                                                                    \
		__u32 zero = 0;                                                                              \
		return bpf_map_lookup_elem(&name##_scratch, &zero);                                          \
	}                                                                                                    \
	static __always_inline slot_type *name##_zeroed(void)                                                \
	{                                                                                                    \
		slot_type *slot = name##_get();                                                              \
		if (slot)                                                                                    \
			__builtin_memset(slot, 0, sizeof(*slot));                                            \
		return slot;                                                                                 \
	}

/* Kernel stacks for bpf_get_stackid(), read back by common/stack.h. */
#define BPFNET_STACK_MAP(name, entries)                                                                      \
	struct {                                                                                             \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);                                                      \
		__uint(max_entries, entries);                                                                \
		__uint(key_size, sizeof(__u32));                                                             \
		__uint(value_size, 127 * sizeof(__u64));                                                     \
	} name SEC(".maps")

#define BPFNET_LICENSE char LICENSE[] SEC("license") = "GPL"

/*
 * A function the verifier checks once, on its own: global in the modern object. A static
 * __noinline function is checked again at every call site on every path, which a call in an
 * unrolled loop multiplies (trace_conntrack's rule matches cost 115,000 verified instructions
 * per program that way, 11,000 as a global function). 4.19 (the legacy object) has no global
 * functions. Arguments must be scalars (pointer arguments only from 5.12) and the program's
 * context cannot be passed: a ring buffer needs none (emit_event(NULL, ...)).
 */
#ifdef BPFNET_LEGACY
#define BPFNET_VERIFIED_ONCE static __noinline
#else
#define BPFNET_VERIFIED_ONCE __noinline
#endif

/*
 * A BPFNET_FUNC_ENTRY argument p as a plain number for the verifier (read back from the stack by
 * a helper): what a global function takes, and what bitwise operators accept.
 */
static __always_inline __u64 bpfnet_arg_number(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/* The inode number of dev's network namespace; 0 on kernels built without namespaces. */
static __always_inline __u32 dev_netns_inum(struct net_device *dev)
{
	if (!bpf_core_field_exists(dev->nd_net.net))
		return 0;
	return BPF_CORE_READ(dev, nd_net.net, ns.inum);
}

/* True when dev is in the network namespace of inode netns, or netns or dev's is unknown (0). */
static __always_inline bool dev_in_netns(struct net_device *dev, __u32 netns)
{
	__u32 inum;

	if (!netns)
		return true;
	inum = dev_netns_inum(dev);
	return !inum || inum == netns;
}

/* Adds delta to a per-CPU or shared u64 counter map slot. */
static __always_inline void counter_add(void *map, __u32 key, __u64 delta)
{
	__u64 *v = bpf_map_lookup_elem(map, &key);

	if (v)
		__sync_fetch_and_add(v, delta);
}

/*
 * Adds one to the u64 counter of a hash map at key, creating it; when the map is full the
 * packet is counted in slot full_slot of the per-CPU array full_map instead.
 */
static __always_inline void hash_counter_inc(void *map, const void *key, void *full_map, __u32 full_slot)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);

	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	if (bpf_map_update_elem(map, key, &one, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(map, key); /* another CPU created it meanwhile */
		if (v)
			__sync_fetch_and_add(v, 1);
		else
			counter_add(full_map, full_slot, 1);
	}
}
