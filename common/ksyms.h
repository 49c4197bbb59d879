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
/* This process loaded BPF programs: their symbols are in /proc/kallsyms from now on. */
void ksyms_bpf_loaded(void);
/*
 * ksyms_kernel() if it has the symbols of every BPF program this process loaded (read after
 * the last load, or read now), else NULL: a table read before lacks them.
 */
struct ksyms *ksyms_kernel_with_programs(void);
/* The text symbol containing addr, or NULL. */
const struct ksym *ksyms_find(const struct ksyms *ks, uint64_t addr);
/*
 * The addresses of module's text, [lo, hi): from its first symbol to the symbol after its last
 * (symbols of other modules may lie between). False if module has no symbols (not loaded).
 */
bool ksyms_module_range(const struct ksyms *ks, const char *module, uint64_t *lo, uint64_t *hi);
/* Whether a text symbol of that exact name exists. */
bool ksyms_has(const struct ksyms *ks, const char *name);
/* The address of the one text symbol of that exact name; 0 if there is none, or several. */
uint64_t ksyms_unique_addr(const struct ksyms *ks, const char *name);
/* GCC's clones of a function, by the suffix GCC gives them (.cold parts are never clones). */
enum ksym_clone {
	KSYM_CLONE_ISRA = 1u << 0, /* name.isra.N: arguments removed or passed differently */
	KSYM_CLONE_CONSTPROP = 1u << 1, /* name.constprop.N: specialised for constant arguments */
	KSYM_CLONE_PART = 1u << 2, /* name.part.N: the body split off by partial inlining */
	KSYM_CLONES_ANY = KSYM_CLONE_ISRA | KSYM_CLONE_CONSTPROP | KSYM_CLONE_PART,
};
/*
 * The clone of function name of one of the kinds (enum ksym_clone bits), NULL if there is
 * none; of several, the first kind in enum order, then the lowest N, then the first name.
 */
const char *ksyms_clone_name(const struct ksyms *ks, const char *name, unsigned kinds);
/* The clones of name of kinds as a pattern for messages: "f.part.N", "f.isra.N/.part.N". */
const char *ksyms_clone_pattern(const char *name, unsigned kinds, char *buf, size_t len);
/*
 * The symbol to attach a kprobe to for function name: the name itself, or the GCC clone
 * (ksyms_clone_name of any kind) that replaced it. NULL if neither exists.
 */
const char *ksyms_attach_name(const struct ksyms *ks, const char *name);
/* Renders addr in the given style into buf; unresolved addresses become "[unknown]". */
const char *ksyms_format(const struct ksyms *ks, uint64_t addr, enum ksym_style style, char *buf, size_t len);
