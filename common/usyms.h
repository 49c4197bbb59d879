/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space symbols: function symbols of ELF files (.symtab and .dynsym, read with libelf and
 * cached per file), and per process the executable mappings of /proc/<pid>/maps that turn a
 * code address into a file, a symbol and an offset.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

struct elf_syms;
struct usyms;

/* The function symbols of the ELF file at path (loaded once, then cached); NULL if unreadable. */
const struct elf_syms *elf_syms_load(const char *path);
/* The address (st_value) of the defined function name in the file, 0 if it has none. */
uint64_t elf_syms_addr(const struct elf_syms *es, const char *name);
/* The function containing the file address addr and its offset in it; NULL if none does. */
const char *elf_syms_find(const struct elf_syms *es, uint64_t addr, uint64_t *off);

/* The executable mappings of process pid, read now; NULL if the process is gone. */
struct usyms *usyms_load(int pid);
void usyms_free(struct usyms *u);
/* The mapped file holding the process address addr (NULL if none) and the file address. */
const char *usyms_file(const struct usyms *u, uint64_t addr, uint64_t *file_addr);
/* The function containing the process address addr and the offset in it; NULL if unresolved. */
const char *usyms_find(const struct usyms *u, uint64_t addr, uint64_t *off);
/*
 * Renders addr in style (KSYM_NAME, KSYM_HEX, KSYM_DEC); unresolved addresses become
 * "[unknown]", or "0x<hex>" in the bpftrace style KSYM_DEC. u may be NULL (process gone).
 */
const char *usyms_format(const struct usyms *u, uint64_t addr, enum ksym_style style, char *buf, size_t len);
/* Of the files process pid maps, the first whose symbols define name (its path, or NULL). */
const char *usyms_file_defining(const struct usyms *u, const char *name);

/* Per-process symbol tables of one report, loaded on first use and kept until usyms_cache_free. */
struct usyms_cache {
	struct usyms_cache_entry *entries;
	size_t n, cap;
};
/* The process's table (NULL if the process is gone; asked once per pid). */
const struct usyms *usyms_cache_get(struct usyms_cache *c, int pid);
void usyms_cache_free(struct usyms_cache *c);
