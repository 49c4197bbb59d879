/*
 * Choosing among equivalent probe points at run time (a tracepoint, else a kprobe on
 * whichever function this kernel has) and attaching the one chosen.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>

enum probe_kind { PROBE_TRACEPOINT, PROBE_KPROBE, PROBE_KRETPROBE };

struct probe_point {
	struct bpf_program *prog;
	enum probe_kind kind;
	const char *target;	/* "category:name" for tracepoints, a function name for kprobes */
};

/*
 * Returns the first point of the list that this kernel provides (kprobe targets may resolve
 * to GCC clones), turning off autoload of the others; call before loading. With
 * BPFNET_FORCE_KPROBE=1 tracepoints are skipped when the list has a kprobe alternative (tests
 * of the fallback). Dies naming every candidate when none exists.
 */
const struct probe_point *probe_select(struct probe_point *points, int n, const char *what);
/* BPFNET_FORCE_KPROBE=1: the tests' switch to the kprobe fallbacks of tracepoints. */
bool probe_force_kprobe(void);
/* Attaches the point (kprobes to the resolved symbol); NULL with errno set on failure. */
struct bpf_link *probe_try_attach(const struct probe_point *p);
/* probe_try_attach that dies with a clear message on failure (or when kprobes are unavailable). */
struct bpf_link *probe_attach(const struct probe_point *p);
/* "tracepoint skb:kfree_skb" or "kprobe kfree_skb_reason": for banners. */
const char *probe_describe(const struct probe_point *p, char *buf, size_t len);
