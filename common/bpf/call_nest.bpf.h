/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The running calls of one function in one context (a CPU's or a thread's), innermost last,
 * each known by the stack pointer at its entry: for a tool whose return hook must find its own
 * call's entry (BPFNET_FUNC_ENTRY_SP, BPFNET_FUNC_RETURN_SP). Calls nest on one stack (a tunnel's
 * transmit runs the one of the device below it) or across stacks (a softirq on the IRQ stack
 * transmits while the thread it interrupted is inside a transmit). A kretprobe misses returns:
 * the stack pointers tell the calls still running from those that returned unseen, so that the
 * record neither grows nor pairs a return with another call's entry. Under fentry and fexit
 * (stack pointer 0), which miss nothing, it is a plain stack. The tool keeps its entry data in
 * arrays of CALL_NEST_MAX beside it, at the slots these functions give.
 */
#pragma once

#define CALL_NEST_MAX 8
/* How far apart two frames of one kernel stack can be: THREAD_SIZE, IRQ_STACK_SIZE. */
#define CALL_NEST_STACK_SPAN (16 << 10)
/*
 * A return's stack pointer is its entry's, or 8 bytes above it (x86-64: the return address
 * popped); a nested call of the same function entered further below: its caller's frame and
 * the frames between them.
 */
#define CALL_NEST_OWN_FRAME 64

struct call_nest {
	__u32 depth; /* calls entered and not seen returning; the first CALL_NEST_MAX have slots */
	__u32 pad;
	__u64 sp[CALL_NEST_MAX];
};

/* Whether two stack pointers are on one stack. */
static __always_inline bool call_nest_same_stack(__u64 a, __u64 b)
{
	return (a > b ? a - b : b - a) < CALL_NEST_STACK_SPAN;
}

/*
 * Records a call entered at sp, after dropping the calls recorded on its stack at or below it:
 * they returned unseen. A call on another stack is left: the one an interrupt's call (on the
 * IRQ stack) interrupted, whose context the record also serves, may still be running. The
 * call's slot, CALL_NEST_MAX when it is too deep to keep.
 */
static __always_inline __u32 call_nest_enter(struct call_nest *n, __u64 sp)
{
	__u32 d = n->depth;

	if (sp) {
		if (d > CALL_NEST_MAX)
			d = CALL_NEST_MAX;
#pragma unroll
		for (int i = CALL_NEST_MAX - 1; i >= 0; i--)
			if (i == d - 1 && n->sp[i] <= sp && call_nest_same_stack(n->sp[i], sp))
				d--;
	}
	n->depth = d + 1;
	if (d >= CALL_NEST_MAX)
		return CALL_NEST_MAX;
	n->sp[d] = sp;
	return d;
}

/*
 * The slot of the call returning at sp, taken off the record with the calls recorded after it:
 * they ended before it did (nested on its stack, their returns unseen, or an interrupt's calls).
 * Its record is the innermost on its stack within CALL_NEST_OWN_FRAME below sp; one of its
 * callers first (above sp) means its entry was not recorded. CALL_NEST_MAX when it has no slot.
 */
static __always_inline __u32 call_nest_return(struct call_nest *n, __u64 sp)
{
	__u32 d = n->depth, found = CALL_NEST_MAX;
	bool caller = false;

	if (!d)
		return CALL_NEST_MAX;
	if (!sp) {
		n->depth = --d;
		return d < CALL_NEST_MAX ? d : CALL_NEST_MAX;
	}
#pragma unroll
	for (int i = CALL_NEST_MAX - 1; i >= 0; i--) {
		__u64 rec = n->sp[i];

		if (i >= d || found != CALL_NEST_MAX || caller || !call_nest_same_stack(rec, sp))
			continue;
		if (rec > sp)
			caller = true;
		else if (sp - rec <= CALL_NEST_OWN_FRAME)
			found = i;
	}
	if (found != CALL_NEST_MAX)
		n->depth = found;
	return found;
}
