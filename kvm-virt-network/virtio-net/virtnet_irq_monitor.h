/* SPDX-License-Identifier: GPL-2.0-only */
/* virtnet_irq_monitor: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"

#define VIRQ_MAX_IRQS 256 /* IRQs one run can watch */
#define VIRQ_MAX_CPU_KEYS 16384 /* (IRQ, CPU) pairs */
#define VIRQ_MAX_RET_KEYS 4096 /* (IRQ, return value) pairs */

/* Totals per watched IRQ since the start (user space takes the differences per interval). */
struct virq_stats {
	__u64 calls; /* irq_handler_entry */
	__u64 timed; /* exits matched with an entry on the same CPU */
	__u64 duration_ns; /* sum over timed exits */
};

/* Keys of the (IRQ, CPU) and (IRQ, return value) counters. */
struct virq_pair {
	__s32 irq;
	__s32 value;
};

enum virq_counter {
	VIRQ_CPU_FULL, /* entries not counted per CPU: the (IRQ, CPU) table was full */
	VIRQ_RET_FULL, /* exits not counted per return value: the (IRQ, ret) table was full */
	VIRQ_COUNTERS,
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

struct virq_count {
	int key; /* a CPU or a return value */
	uint64_t count;
};

/* One IRQ's figures over one interval. */
struct virq_irq_report {
	int irq;
	const char *name; /* the handlers /proc/interrupts names, or "unknown" */
	uint64_t calls;
	struct virq_count *cpus; /* sorted by CPU */
	int ncpus;
	struct virq_count *rets; /* sorted by return value */
	int nrets;
	uint64_t timed, duration_ns, max_ns;
};

struct virq_report {
	const char *hms; /* local time of the report */
	struct virq_irq_report *irqs; /* in ascending IRQ order */
	int nirqs;
};

/* The start-up lines: irqs in the order given. */
void virq_print_banner(FILE *f, const int *irqs, int nirqs, int interval, bool trace_cpu);
/* The lines once the probes are attached. */
void virq_print_started(FILE *f);
/* One report in the original's layout. */
void virq_print_report(FILE *f, const struct virq_report *r);
/* The same as one JSON object. */
void virq_print_json(FILE *f, const struct virq_report *r);
/*
 * Parses an --irqs value ("69,71, 73"): the numbers into irqs (at most max), their count
 * returned; -1 with the bad item's message in err when an item is not an integer.
 */
int virq_parse_list(const char *text, int *irqs, int max, char *err, size_t errlen);

struct hook_table;
extern const struct hook_table virq_hook_table;
#endif
