/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tool's probe points as data: each hook names its candidates in order of preference
 * (tracepoint, raw tracepoint, BTF tracepoint, fentry, fexit, kprobe, kretprobe, uprobe; each with the
 * BPF program, found by name, that serves it), the module the functions live in and whether the
 * tool can run without it. The planner picks one candidate per hook for this kernel, turns off the
 * programs nobody uses, attaches, prints the "Probe:" lines, detaches, and says in one line
 * why a hook cannot be had. --list-probes prints the plan instead of running.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ksyms;
struct hook_set;

enum hook_kind {
	HOOK_NONE, /* end of a candidate list */
	HOOK_TP, /* target "category:name" */
	HOOK_RAW_TP, /* target "category:name" (attached by name) */
	HOOK_TP_BTF, /* target "category:name"; the program is SEC("tp_btf/name") (BTF-typed arguments) */
	HOOK_FENTRY, /* target: a kernel function */
	HOOK_FEXIT, /* target: a kernel function; the program runs at its return (planned as HOOK_FENTRY) */
	HOOK_KPROBE, /* target: a kernel function (or the GCC clone like foo.isra.0 that replaced it) */
	HOOK_KRETPROBE, /* target: a kernel function */
	HOOK_UPROBE, /* target "binary:symbol" */
	HOOK_URETPROBE, /* target "binary:symbol" */
};

#define HOOK_MAX_CANDIDATES 6

/*
 * The two candidates of a function entry declared with BPFNET_FUNC_ENTRY (common/bpf/bpfnet.bpf.h):
 * fentry prog_fentry first, kprobe prog where the kernel cannot attach it (no BPF trampolines,
 * no BTF of func, BPFNET_FORCE_KPROBE=1); the rest as a candidate's usable and clones.
 */
#define HOOK_FUNC_ENTRY(prog, func, ...)                                                                     \
	{ HOOK_FENTRY, prog "_fentry", func, __VA_ARGS__ },                                                  \
	{                                                                                                    \
		HOOK_KPROBE, prog, func, __VA_ARGS__                                                         \
	}

/*
 * The two candidates of a function return declared with BPFNET_FUNC_RETURN (common/bpf/bpfnet.bpf.h):
 * fexit prog_fexit first, kretprobe prog where the kernel cannot attach it (as HOOK_FUNC_ENTRY).
 */
#define HOOK_FUNC_RETURN(prog, func, ...)                                                                    \
	{ HOOK_FEXIT, prog "_fexit", func, __VA_ARGS__ },                                                    \
	{                                                                                                    \
		HOOK_KRETPROBE, prog, func, __VA_ARGS__                                                      \
	}

/*
 * A tracepoint hook with a raw tracepoint program prog_raw first, the classic tracepoint
 * program prog where raw tracepoints cannot be had (or under BPFNET_FORCE_KPROBE=1).
 */
#define HOOK_RAW_TRACEPOINT(prog, target)                                                                    \
	{ HOOK_RAW_TP, prog "_raw", target },                                                                \
	{                                                                                                    \
		HOOK_TP, prog, target                                                                        \
	}

struct hook_candidate {
	enum hook_kind kind;
	const char *prog; /* the BPF program's name in the object */
	const char *target;
	/*
	 * NULL, or false when the candidate cannot be used: this kernel's signature or BTF, or
	 * the choice made for an earlier hook of the set (hooks are planned in table order).
	 */
	bool (*usable)(const struct hook_set *plan);
	/*
	 * HOOK_KPROBE, HOOK_KRETPROBE: 0 = the function, else a GCC clone of it of these kinds
	 * (enum ksym_clone bits, ksyms_clone_name); not offered where the kernel has none.
	 */
	unsigned clones;
};

struct hook_def {
	const char *role; /* what the hook is for: "packet drops", "TX_S0_ip_layer_entry" */
	struct hook_candidate cand[HOOK_MAX_CANDIDATES]; /* in order of preference */
	const char *module; /* the module the functions live in; NULL: the core kernel */
	bool optional; /* missing: a warning, the run goes on without it */
	bool keep_tracepoint; /* BPFNET_FORCE_KPROBE does not skip this hook's tracepoints (of any kind) */
};

/* A tool's hooks, as it passes them to hook_set_init (and the unit tests plan them). */
struct hook_table {
	const struct hook_def *defs;
	int n;
};

/* What the planner asks of a kernel; tests plan against fixtures instead. */
struct hook_env {
	const char *release; /* for messages */
	const struct ksyms *(*functions)(void); /* the kernel's functions, read on first need (slow) */
	bool (*tracepoint_exists)(const char *category, const char *name);
	/* A tp_btf program can attach to the tracepoint (5.5+, the kernel's BTF); NULL: never. */
	bool (*btf_tracepoint_exists)(const char *category, const char *name);
	bool (*module_loaded)(const char *module);
	/* The kernel's own BTF (vmlinux, or module's when set) describes function func: fentry/fexit can name it. */
	bool (*btf_function_exists)(const char *func, const char *module);
	bool kprobes; /* kprobes can be attached at all */
	bool raw_tracepoints; /* BPF_PROG_TYPE_RAW_TRACEPOINT is supported */
	/*
	 * Why fentry and fexit programs (BPF trampolines) cannot load and attach here, NULL when
	 * they can; NULL itself: never, nothing said.
	 */
	const char *(*fentry_refusal)(void);
	/*
	 * An fentry program may read an int * argument (the verifier took only pointers to structs
	 * before 5.17: "arg3 type INT is not a struct", EACCES on 5.10); NULL: never.
	 */
	bool (*fentry_int_ptr)(void);
	/*
	 * BPFNET_FORCE_KPROBE=1: no fentry or fexit; skip tracepoints where a kprobe can stand in, else raw
	 * and BTF tracepoints where a classic one can (the tests of the fallbacks).
	 */
	bool force_kprobe;
};

/* The running kernel, built on first use. */
const struct hook_env *hook_env_kernel(void);
/*
 * For a tool whose probe points are all kernel functions: dies "kernel R cannot attach kprobes
 * (...) nor fentry programs (...); <consequence>" unless this kernel can attach one or the other.
 */
void require_function_hooks(const char *consequence);
/* A usable() for the fentry candidate of a function entry whose program reads an int * argument. */
bool hook_fentry_int_ptr_usable(const struct hook_set *plan);

struct hook_choice {
	const struct hook_candidate *cand; /* NULL: none (see why) or skipped */
	const char *symbol; /* functions: the kallsyms name to attach to; else the target */
	bool skip; /* the tool does not use the hook on this run */
	bool failed; /* an optional hook that could not be attached */
	bool no_module; /* why: its module is not loaded */
	bool inapplicable; /* every candidate's usable() said no: not needed here, not missing */
	char why[384]; /* no candidate: why, in one line */
	struct bpf_program *prog;
	struct bpf_link *link;
};

struct hook_set {
	const char *tool;
	const struct hook_def *defs;
	int n;
	struct hook_choice *c; /* one per def */
	bool quiet; /* the tool reports missing optional hooks itself */
	const struct hook_env *env; /* the kernel planned for, set by hook_plan: for usable() */
};

/*
 * Sets up s for the n (at most 64) hooks of defs; the hooks of bit i of skip are not used on
 * this run (not planned, loaded or attached). With --list-probes, prints every hook and what
 * this kernel offers for it (hook_list) and exits 0: call it right after tool_init().
 */
void hook_set_init(struct hook_set *s, const struct hook_def *defs, int n, uint64_t skip);
/*
 * Picks for every hook not skipped the first candidate env offers; the others get a reason in
 * why. Returns the number of required hooks without a candidate.
 */
int hook_plan(struct hook_set *s, const struct hook_env *env);
/*
 * After hook_plan: dies with the reason of a required hook missing (a module not loaded first:
 * the most useful advice), warns for each optional one (unless s->quiet).
 */
void hook_check(const struct hook_set *s);
/*
 * hook_plan on this kernel and hook_check, then turns off autoload of every program of obj
 * that no chosen candidate uses. Call between open and load.
 */
void hook_prepare(struct hook_set *s, struct bpf_object *obj);
/* Attaches hook i if a candidate was chosen; false (errno set) if not. */
bool hook_attach_one(struct hook_set *s, int i);
/* Attaches every chosen hook in table order; a required one that fails dies, an optional one warns. */
void hook_attach(struct hook_set *s);
/*
 * Detaches every hook, in the reverse order of hook_attach, and warns of the runs the kernel
 * skipped for each (its program's recursion_misses: events the tool never saw).
 */
void hook_detach(struct hook_set *s);
/* The chosen candidate of hook i, NULL if none. */
const struct hook_candidate *hook_chosen(const struct hook_set *s, int i);
/* Whether hook i has a chosen candidate and, after hook_attach, is attached. */
bool hook_active(const struct hook_set *s, int i);
/* "tracepoint skb:kfree_skb", "kprobe ip_send_skb.isra.0", "raw_tracepoint qdisc:qdisc_enqueue". */
const char *hook_describe(const struct hook_set *s, int i, char *buf, size_t len);
/* "Probe: <hook_describe>" for every active hook. */
void hook_print(FILE *f, const struct hook_set *s);
/* For each hook: role, kind and candidates, module, optional/required, and the choice or why none. */
void hook_list(FILE *f, struct hook_set *s, const struct hook_env *env);
/* "kprobe", "tracepoint", ...: the banner's word for a kind. */
const char *hook_kind_name(enum hook_kind kind);
