// SPDX-License-Identifier: GPL-2.0-only
#include "ksyms.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *strings; /* all names and module names, NUL-separated */
	size_t strings_len, strings_cap;
};

static size_t add_string(struct ksyms *ks, const char *s)
{
	size_t n = strlen(s) + 1, off = ks->strings_len;

	if (off + n > ks->strings_cap) {
		size_t cap = ks->strings_cap ? ks->strings_cap * 2 : 1 << 20;

		while (cap < off + n)
			cap *= 2;
		char *p = realloc(ks->strings, cap);

		if (!p)
			return (size_t)-1;
		ks->strings = p;
		ks->strings_cap = cap;
	}
	memcpy(ks->strings + off, s, n);
	ks->strings_len += n;
	return off;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(const char *path)
{
	FILE *f = fopen(path, "r");
	struct ksyms *ks;
	char line[1024];

	if (!f)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		goto fail;
	/* Names are stored as offsets while the string pool may still move. */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[512], module[128] = "";
		int n = sscanf(line, "%llx %c %511s [%127[^]]]", &addr, &type, name, module);

		if (n < 3 || !strchr("tTwW", type) || !addr)
			continue;
		if (ks->n == ks->cap) {
			size_t cap = ks->cap ? ks->cap * 2 : 65536;
			struct ksym *p = realloc(ks->syms, cap * sizeof(*p));

			if (!p)
				goto fail;
			ks->syms = p;
			ks->cap = cap;
		}
		size_t name_off = add_string(ks, name);
		size_t mod_off = *module ? add_string(ks, module) : (size_t)-1;

		if (name_off == (size_t)-1)
			goto fail;
		ks->syms[ks->n].addr = addr;
		ks->syms[ks->n].name = (const char *)name_off;
		ks->syms[ks->n].module = (const char *)mod_off;
		ks->n++;
	}
	fclose(f);
	for (size_t i = 0; i < ks->n; i++) {
		ks->syms[i].name = ks->strings + (size_t)ks->syms[i].name;
		size_t m = (size_t)ks->syms[i].module;

		ks->syms[i].module = m == (size_t)-1 ? NULL : ks->strings + m;
	}
	if (ks->n)
		qsort(ks->syms, ks->n, sizeof(*ks->syms), cmp_addr);
	return ks;
fail:
	fclose(f);
	ksyms_free(ks);
	return NULL;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strings);
	free(ks);
}

struct ksyms *ksyms_kernel(void)
{
	static struct ksyms *kernel;

	if (!kernel)
		kernel = ksyms_load("/proc/kallsyms");
	return kernel;
}

const struct ksym *ksyms_find(const struct ksyms *ks, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!ks || !ks->n || addr < ks->syms[0].addr)
		return NULL;
	hi = ks->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &ks->syms[lo];
}

bool ksyms_has(const struct ksyms *ks, const char *name)
{
	for (size_t i = 0; ks && i < ks->n; i++)
		if (!strcmp(ks->syms[i].name, name))
			return true;
	return false;
}

static const struct {
	enum ksym_clone kind;
	const char *suffix;
} clone_suffixes[] = {
	{ KSYM_CLONE_ISRA, ".isra." },
	{ KSYM_CLONE_CONSTPROP, ".constprop." },
	{ KSYM_CLONE_PART, ".part." },
};

/* A clone's place among the candidates: the kind's index in clone_suffixes, then N. */
struct clone_rank {
	size_t kind;
	unsigned long n;
};

/*
 * Whether suffix (what follows the function's name) makes a clone of one of kinds, and its
 * rank. GCC stacks suffixes ("f.constprop.0.isra.0"): the first names the kind; a .cold part
 * anywhere is not a function of its own.
 */
static bool clone_suffix(const char *suffix, unsigned kinds, struct clone_rank *rank)
{
	if (strstr(suffix, ".cold"))
		return false;
	for (size_t k = 0; k < ARRAY_SIZE(clone_suffixes); k++) {
		size_t len = strlen(clone_suffixes[k].suffix);
		char *end;

		if (!(kinds & clone_suffixes[k].kind) || strncmp(suffix, clone_suffixes[k].suffix, len) ||
		    !isdigit((unsigned char)suffix[len]))
			continue;
		rank->kind = k;
		rank->n = strtoul(suffix + len, &end, 10);
		return !*end || *end == '.';
	}
	return false;
}

static bool ranks_before(const struct clone_rank *a, const char *a_name, const struct clone_rank *b,
			 const char *b_name)
{
	if (a->kind != b->kind)
		return a->kind < b->kind;
	if (a->n != b->n)
		return a->n < b->n;
	return strcmp(a_name, b_name) < 0;
}

const char *ksyms_clone_name(const struct ksyms *ks, const char *name, unsigned kinds)
{
	size_t n = strlen(name);
	const char *best = NULL;
	struct clone_rank best_rank = { 0 }, rank;

	for (size_t i = 0; ks && i < ks->n; i++) {
		const char *s = ks->syms[i].name;

		if (strncmp(s, name, n) || !clone_suffix(s + n, kinds, &rank))
			continue;
		if (!best || ranks_before(&rank, s, &best_rank, best)) {
			best = s;
			best_rank = rank;
		}
	}
	return best;
}

const char *ksyms_clone_pattern(const char *name, unsigned kinds, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s", name);

	for (size_t k = 0; k < ARRAY_SIZE(clone_suffixes) && used < len; k++)
		if (kinds & clone_suffixes[k].kind)
			used += (size_t)snprintf(buf + used, len - used, "%s%sN",
						 used > strlen(name) ? "/" : "", clone_suffixes[k].suffix);
	return buf;
}

const char *ksyms_attach_name(const struct ksyms *ks, const char *name)
{
	for (size_t i = 0; ks && i < ks->n; i++)
		if (!strcmp(ks->syms[i].name, name))
			return ks->syms[i].name;
	return ksyms_clone_name(ks, name, KSYM_CLONES_ANY);
}

const char *ksyms_format(const struct ksyms *ks, uint64_t addr, enum ksym_style style, char *buf, size_t len)
{
	const struct ksym *s = ksyms_find(ks, addr);

	if (!s) {
		snprintf(buf, len, "[unknown]");
		return buf;
	}
	uint64_t off = addr - s->addr;

	switch (style) {
	case KSYM_NAME:
		snprintf(buf, len, "%s", s->name);
		break;
	case KSYM_HEX:
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
		break;
	case KSYM_HEX_MODULE:
		snprintf(buf, len, "%s+0x%llx [%s]", s->name, (unsigned long long)off,
			 s->module ? s->module : "kernel");
		break;
	case KSYM_DEC:
		snprintf(buf, len, "%s+%llu", s->name, (unsigned long long)off);
		break;
	}
	return buf;
}
