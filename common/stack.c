// SPDX-License-Identifier: GPL-2.0-only
#include "stack.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ksyms.h"
#include "util.h"

/* The most program frames before the trampoline (the program appears once or twice). */
#define STACK_BPF_PROG_FRAMES 3

static bool sym_is(const struct ksym *s, const char *prefix)
{
	return s && s->module && !strcmp(s->module, "bpf") && !strncmp(s->name, prefix, strlen(prefix));
}

static bool frame_is(const struct ksyms *ks, uint64_t ip, const char *prefix)
{
	return sym_is(ksyms_find(ks, ip), prefix);
}

/* How many frames a stack starts with in BPF programs. */
static int prog_frames(const struct ksyms *ks, const uint64_t *ips, int n)
{
	int progs = 0;

	while (progs < n && progs < STACK_BPF_PROG_FRAMES && frame_is(ks, ips[progs], "bpf_prog_"))
		progs++;
	return progs;
}

/* A raw or BTF tracepoint's runner, which calls the program: no frame of the traced code. */
static bool is_runner(const struct ksym *s)
{
	static const char *const runner[] = { "bpf_trace_run", "__bpf_trace_", "__traceiter_" };

	for (size_t i = 0; s && i < ARRAY_SIZE(runner); i++)
		if (!strncmp(s->name, runner[i], strlen(runner[i])))
			return true;
	return false;
}

/* The BPF frames of a stack whose progs program frames are followed by next (ips[progs]'s symbol). */
static int bpf_frames_after(const struct ksyms *ks, const uint64_t *ips, int n, int progs,
			    const struct ksym *next, bool *fentry)
{
	int skip = progs;

	if (sym_is(next, "bpf_trampoline_")) {
		*fentry = true;
		return progs + 1;
	}
	while (skip < n && is_runner(next))
		next = ++skip < n ? ksyms_find(ks, ips[skip]) : NULL;
	return skip;
}

int stack_bpf_frames(const struct ksyms *ks, const uint64_t *ips, int n, bool *fentry)
{
	int progs = prog_frames(ks, ips, n);

	*fentry = false;
	if (!progs || progs == n)
		return 0;
	return bpf_frames_after(ks, ips, n, progs, ksyms_find(ks, ips[progs]), fentry);
}

/*
 * stack_bpf_frames of ips against kallsyms as it is once the programs are loaded and attached:
 * ksyms_kernel() where it was read since (one parse for the stacks and the tool's own lookups),
 * else a table of its own (the planner read ksyms_kernel() before, to find the functions to
 * attach to). Read again when a program's frame is followed by a module address it does not
 * know (a trampoline attached after the last read), once per such address. Each frame is
 * looked up once (again only after such a read).
 */
static int bpf_view_frames(const uint64_t *ips, int n, bool *fentry)
{
	static struct ksyms *view;
	static bool own; /* view is a table of its own, not ksyms_kernel() */
	static uint64_t reread[16];
	static unsigned int nreread;
	const struct ksym *next;
	struct ksyms *fresh;
	int progs;

	*fentry = false;
	if (!view) {
		view = ksyms_kernel_with_programs();
		own = !view;
		if (own)
			view = ksyms_load("/proc/kallsyms");
		return view ? stack_bpf_frames(view, ips, n, fentry) : 0;
	}
	progs = prog_frames(view, ips, n);
	if (!progs || progs == n)
		return 0;
	next = ksyms_find(view, ips[progs]);
	if (!next || !next->module || sym_is(next, "bpf_trampoline_") || is_runner(next) ||
	    nreread == sizeof(reread) / sizeof(reread[0]))
		return bpf_frames_after(view, ips, n, progs, next, fentry);
	for (unsigned int i = 0; i < nreread; i++)
		if (reread[i] == ips[progs])
			return bpf_frames_after(view, ips, n, progs, next, fentry);
	reread[nreread++] = ips[progs];
	fresh = ksyms_load("/proc/kallsyms");
	if (!fresh)
		return progs;
	if (own)
		ksyms_free(view);
	view = fresh;
	own = true;
	return stack_bpf_frames(view, ips, n, fentry);
}

uint64_t stack_fentry_frame(uint64_t ret)
{
#if defined(__x86_64__)
	return ret - 4; /* after "call bpf_trampoline" (5 bytes): where a kprobe's int3 would end */
#else
	return ret;
#endif
}

int stack_from_kernel(uint64_t *ips, int n)
{
	bool fentry = false;
	/* only a kernel stack (upper half of the address space) can start with a program */
	int skip = n > 0 && ips[0] >> 63 ? bpf_view_frames(ips, n, &fentry) : 0;

	if (!skip)
		return n;
	memmove(ips, ips + skip, (size_t)(n - skip) * sizeof(*ips));
	n -= skip;
	if (fentry && n > 0)
		ips[0] = stack_fentry_frame(ips[0]);
	return n;
}

int stack_read(const struct bpf_map *map, int stack_id, uint64_t *ips, int max)
{
	uint64_t frames[STACK_MAX_DEPTH];
	uint32_t key = (uint32_t)stack_id;
	int depth = 0, n = 0;

	memset(frames, 0, sizeof(frames));
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, frames))
		return -errno;
	while (depth < STACK_MAX_DEPTH && frames[depth])
		depth++;
	depth = stack_from_kernel(frames, depth);
	while (n < depth && n < max) {
		ips[n] = frames[n];
		n++;
	}
	return n;
}

/*
 * The last stack rendered: a tool printing per event sees the same few stacks again and again
 * (a drop flood is one stack), and looking up each frame among the kernel's symbols costs more
 * than the rest of the event.
 */
static struct {
	int n;
	uint64_t ip[STACK_MAX_DEPTH];
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
} last = { .n = -1 };

int stack_frames_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id)
{
	uint64_t ips[STACK_MAX_DEPTH];
	bool same;

	sf->n = stack_read(map, stack_id, ips, STACK_MAX_DEPTH);
	same = sf->n >= 0 && sf->n == last.n && !memcmp(ips, last.ip, (size_t)sf->n * sizeof(ips[0]));
	for (int i = 0; i < sf->n; i++) {
		if (same)
			memcpy(sf->text[i], last.text[i], sizeof(sf->text[i]));
		sf->frame[i] = same ? sf->text[i]
				    : ksyms_format(ksyms_kernel(), ips[i], KSYM_HEX, sf->text[i],
						   sizeof(sf->text[i]));
	}
	if (sf->n >= 0 && !same) {
		for (int i = 0; i < sf->n; i++)
			snprintf(last.text[i], sizeof(last.text[i]), "%s", sf->frame[i]);
		memcpy(last.ip, ips, (size_t)sf->n * sizeof(ips[0]));
		last.n = sf->n;
	}
	return sf->n;
}

int stack_tracepoint_frames(const char *const *frames, int n)
{
	static const char *const machinery[] = {
		"__traceiter_", "perf_trace_", "trace_event_raw_event_", "perf_tp_event", "trace_call_bpf",
	};
	int i = 0;

	for (; i < n; i++) {
		bool tracing = false;

		for (size_t k = 0; k < ARRAY_SIZE(machinery); k++)
			if (!strncmp(frames[i], machinery[k], strlen(machinery[k])))
				tracing = true;
		if (!tracing)
			break;
	}
	return i;
}
