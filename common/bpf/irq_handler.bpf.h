/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IRQ handler tracepoints of the tools that count interrupts: irq_handler_entry(irq, action)
 * and irq_handler_exit(irq, action, ret), the same arguments on every kernel.
 * BPFNET_IRQ_HANDLER_PROGS(entry, exit, on_entry, on_exit) defines the programs entry_raw and
 * exit_raw (raw tracepoints, 4.17+: the arguments without the trace event record a classic
 * program makes the kernel fill on every interrupt) and entry and exit (the classic tracepoints,
 * the fallback: HOOK_RAW_TRACEPOINT of hook.h); each calls the tool's on_entry(irq) or
 * on_exit(irq, ret).
 */
#pragma once
#include "bpfnet.bpf.h"

#define BPFNET_IRQ_HANDLER_PROGS(entry, exit, on_entry, on_exit)                                             \
	SEC("raw_tp/irq_handler_entry")                                                                      \
	int BPF_PROG(entry##_raw, int irq, struct irqaction *action)                                         \
	{                                                                                                    \
		on_entry(irq);                                                                               \
		return 0;                                                                                    \
	}                                                                                                    \
	SEC("raw_tp/irq_handler_exit")                                                                       \
	int BPF_PROG(exit##_raw, int irq, struct irqaction *action, int ret)                                 \
	{                                                                                                    \
		on_exit(irq, ret);                                                                           \
		return 0;                                                                                    \
	}                                                                                                    \
	SEC("tp/irq/irq_handler_entry")                                                                      \
	int entry(struct trace_event_raw_irq_handler_entry *ctx)                                             \
	{                                                                                                    \
		on_entry(BPF_CORE_READ(ctx, irq));                                                           \
		return 0;                                                                                    \
	}                                                                                                    \
	SEC("tp/irq/irq_handler_exit")                                                                       \
	int exit(struct trace_event_raw_irq_handler_exit *ctx)                                               \
	{                                                                                                    \
		on_exit(BPF_CORE_READ(ctx, irq), BPF_CORE_READ(ctx, ret));                                   \
		return 0;                                                                                    \
	}
