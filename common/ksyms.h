/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel symbol lookup from /proc/kallsyms, loaded once and cached. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;
	const char *module; /* NULL for the core kernel */
};

struct ksyms;

enum ksym_style {
	KSYM_HEX, /* "func+0x1a" (BCC ksym) */
	KSYM_HEX_MODULE, /* "func+0x1a [kernel]" or "[openvswitch]" (BCC sym) */
	KSYM_DEC, /* "func+26" (bpftrace kstack) */
	KSYM_NAME, /* "func" (BCC ksym without show_offset) */
};

/* Loads the symbol table from path (a kallsyms file); NULL on error. */
struct ksyms *ksyms_load(const char *path);
void ksyms_free(struct ksyms *ks);
/* The process-wide table of /proc/kallsyms, loaded on first use. */
struct ksyms *ksyms_kernel(void);
/* The text symbol containing addr, or NULL. */
const struct ksym *ksyms_find(const struct ksyms *ks, uint64_t addr);
/* Whether a text symbol of that exact name exists. */
bool ksyms_has(const struct ksyms *ks, const char *name);
/*
 * The symbol to attach a kprobe to for function name: the name itself, or the GCC clone
 * (name.isra.0, name.constprop.0, name.part.0, ...) that replaced it. NULL if neither exists.
 */
const char *ksyms_attach_name(const struct ksyms *ks, const char *name);
/* Renders addr in the given style into buf; unresolved addresses become "[unknown]". */
const char *ksyms_format(const struct ksyms *ks, uint64_t addr, enum ksym_style style, char *buf, size_t len);
