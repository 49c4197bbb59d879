// SPDX-License-Identifier: GPL-2.0-only
#include "ksyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* GCC's clones of a function: name.isra.N, name.constprop.N, name.part.N (not the .cold parts). */
static bool is_clone_suffix(const char *suffix)
{
	return (!strncmp(suffix, ".isra.", 6) || !strncmp(suffix, ".constprop.", 11) ||
		!strncmp(suffix, ".part.", 6)) &&
	       !strstr(suffix, ".cold");
}

const char *ksyms_attach_name(const struct ksyms *ks, const char *name)
{
	size_t n = strlen(name);
	const char *clone = NULL;

	for (size_t i = 0; ks && i < ks->n; i++) {
		const char *s = ks->syms[i].name;

		if (strncmp(s, name, n))
			continue;
		if (!s[n])
			return s;
		if (!clone && is_clone_suffix(s + n))
			clone = s;
	}
	return clone;
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
