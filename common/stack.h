/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel stacks captured by bpf_get_stackid() into a BPF_MAP_TYPE_STACK_TRACE map. */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stdint.h>

struct ksyms;

#define STACK_MAX_DEPTH 127 /* PERF_MAX_STACK_DEPTH */

#define STACK_FRAME_LEN 192 /* one rendered frame: "func+0x1a [module]" */

/*
 * Copies the frames of stack_id (innermost first) into ips; returns the depth, or -errno. A stack
 * taken in a BPF program loses the program's frames (stack_from_kernel): an fentry program's
 * starts in the traced function, as the kprobe's does.
 */
int stack_read(const struct bpf_map *map, int stack_id, uint64_t *ips, int max);

/*
 * How many of the n leading frames of ips are BPF's own, not the kernel's: a stack taken with
 * bpf_get_stackid in an fentry (or fexit) program starts with the program ("bpf_prog_<tag>_<name>",
 * once or twice) and the trampoline that called it ("bpf_trampoline_<key>", module "bpf" in
 * kallsyms), then comes the traced function (*fentry set); a raw or BTF tracepoint program's
 * starts with the program, then the tracepoint's runner (bpf_trace_run*, __bpf_trace_*,
 * __traceiter_*), then the code that hit the tracepoint. 0 for every other stack: a kprobe's
 * starts in the probed function, a classic tracepoint program's at the tracepoint's caller. ks must be read after the programs were
 * attached (their symbols appear then).
 */
int stack_bpf_frames(const struct ksyms *ks, const uint64_t *ips, int n, bool *fentry);
/*
 * Makes the n frames of a stack from bpf_get_stackid or bpf_get_stack (innermost first) start in
 * the kernel, in place; returns how many are left. A BPF program's frames go (stack_bpf_frames
 * against /proc/kallsyms as it is now: read at the first call, again when a program's frame is
 * followed by a module address it does not know), and after an fentry program's, on x86-64 the
 * traced function's frame, the return address of its 5-byte call to the trampoline, becomes the
 * address a kprobe on the function reports (the call's first byte + 1): the stack prints as the
 * kprobe's. An fexit program's stack has that frame too, although the function has returned
 * (a kretprobe's starts at its caller): the one tool that takes stacks in an fexit program drops
 * it (common/skb_gso_run.c). stack_read applies it.
 */
int stack_from_kernel(uint64_t *ips, int n);
/* The traced function's frame after an fentry program's BPF frames, as the kprobe's (above). */
uint64_t stack_fentry_frame(uint64_t ret);
/*
 * The number of innermost frames of a classic tracepoint program's stack, rendered, that belong
 * to the tracepoint's machinery (__traceiter_*, perf_trace_*, ...) rather than to the kernel code
 * that hit it. Other programs' stacks have none: stack_from_kernel trims them.
 */
int stack_tracepoint_frames(const char *const *frames, int n);

/* A kernel stack rendered for printing. */
struct stack_frames {
	int n; /* frames, or -errno if the stack could not be read */
	const char *frame[STACK_MAX_DEPTH]; /* innermost first, each pointing into text */
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
};

/* Reads stack_id from map and renders each frame "func+0x1a" (KSYM_HEX); returns sf->n. */
int stack_frames_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id);
