// SPDX-License-Identifier: GPL-2.0-only
#include "ksyms.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *text; /* the file as read; names and module names point into it */
	/*
	 * The symbols by name, made on the first lookup by name: an open-addressing table of
	 * NAME_SEVERAL | index of the first symbol of each name (0: free), several when others
	 * share it. A kprobe tool looks up each function it attaches to among ~150k symbols.
	 */
	uint32_t *by_name;
	size_t by_name_mask;
};

#define NAME_SEVERAL (1u << 31)

/* The whole file: /proc/kallsyms has no size, and big reads make it in a few system calls. */
static char *read_all(const char *path)
{
	enum { CHUNK = 1 << 20 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t got = 1;

	if (fd < 0)
		return NULL;
	while (got > 0 || (got < 0 && errno == EINTR)) {
		if (cap - len <= CHUNK) {
			size_t bigger = cap ? cap * 2 : 8 * CHUNK;
			char *p = realloc(buf, bigger);

			if (!p) {
				got = -1;
				break;
			}
			buf = p;
			cap = bigger;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got > 0)
			len += (size_t)got;
	}
	close(fd);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool add_sym(struct ksyms *ks, uint64_t addr, const char *name, const char *module)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 65536;
		struct ksym *p = realloc(ks->syms, cap * sizeof(*p));

		if (!p)
			return false;
		ks->syms = p;
		ks->cap = cap;
	}
	ks->syms[ks->n++] = (struct ksym){ addr, name, module };
	return true;
}

/*
 * One line "ADDR TYPE NAME[\t[MODULE]]", cut into NUL-terminated strings in place; keeps text
 * symbols (t, T, w, W) with an address. Returns the next line.
 */
static char *parse_line(struct ksyms *ks, char *line, bool *ok)
{
	char *end = strchr(line, '\n'), *name, *module = NULL, *p;
	uint64_t addr;

	if (end)
		*end++ = 0;
	else
		end = line + strlen(line);
	addr = strtoull(line, &p, 16);
	if (p == line || (*p != ' ' && *p != '\t'))
		return end;
	p += strspn(p, " \t");
	if (!*p || !strchr("tTwW", *p) || (p[1] != ' ' && p[1] != '\t') || !addr)
		return end;
	name = p + 1 + strspn(p + 1, " \t");
	p = name + strcspn(name, " \t");
	if (p == name)
		return end;
	if (*p) {
		*p++ = 0;
		p += strspn(p, " \t");
		if (*p == '[' && p[1] && p[1] != ']' && strchr(p, ']')) {
			module = p + 1;
			*strchr(module, ']') = 0;
		}
	}
	*ok = add_sym(ks, addr, name, module);
	return end;
}

struct ksyms *ksyms_load(const char *path)
{
	struct ksyms *ks;
	bool ok = true;
	char *text = read_all(path);

	if (!text)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		free(text);
		return NULL;
	}
	ks->text = text;
	for (char *line = text; *line && ok;)
		line = parse_line(ks, line, &ok);
	if (!ok) {
		ksyms_free(ks);
		return NULL;
	}
	if (ks->n)
		qsort(ks->syms, ks->n, sizeof(*ks->syms), cmp_addr);
	return ks;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->by_name);
	free(ks->syms);
	free(ks->text);
	free(ks);
}

/* The process-wide table, and how many loads of this process's BPF objects it has seen. */
static struct ksyms *kernel;
static unsigned int kernel_loads, bpf_loads;

struct ksyms *ksyms_kernel(void)
{
	if (!kernel) {
		kernel = ksyms_load("/proc/kallsyms");
		kernel_loads = bpf_loads;
	}
	return kernel;
}

void ksyms_bpf_loaded(void)
{
	bpf_loads++;
}

struct ksyms *ksyms_kernel_with_programs(void)
{
	return kernel && kernel_loads != bpf_loads ? NULL : ksyms_kernel();
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

bool ksyms_module_range(const struct ksyms *ks, const char *module, uint64_t *lo, uint64_t *hi)
{
	size_t first = SIZE_MAX, last = 0;

	for (size_t i = 0; ks && i < ks->n; i++) {
		if (!ks->syms[i].module || strcmp(ks->syms[i].module, module))
			continue;
		if (first == SIZE_MAX)
			first = i;
		last = i;
	}
	if (first == SIZE_MAX)
		return false;
	*lo = ks->syms[first].addr;
	/* The last function ends where the next symbol starts; the last of all, within a page. */
	*hi = last + 1 < ks->n ? ks->syms[last + 1].addr : ks->syms[last].addr + 4096;
	return true;
}

static size_t name_hash(const char *name)
{
	size_t h = 14695981039346656037ull; /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return h;
}

/* The slot of name in the table, or the free slot where it would go. */
static uint32_t *name_slot(const struct ksyms *ks, const char *name)
{
	size_t i = name_hash(name) & ks->by_name_mask;

	while (ks->by_name[i] && strcmp(ks->syms[(ks->by_name[i] & ~NAME_SEVERAL) - 1].name, name))
		i = (i + 1) & ks->by_name_mask;
	return &ks->by_name[i];
}

static bool index_names(struct ksyms *ks)
{
	size_t size = 1024;

	while (size < ks->n + ks->n / 2)
		size *= 2;
	ks->by_name = calloc(size, sizeof(*ks->by_name));
	if (!ks->by_name)
		return false;
	ks->by_name_mask = size - 1;
	for (size_t i = 0; i < ks->n; i++) {
		uint32_t *slot = name_slot(ks, ks->syms[i].name);

		*slot = *slot ? *slot | NAME_SEVERAL : (uint32_t)i + 1;
	}
	return true;
}

/* The first symbol (by address) named name, NULL if none; *several: others have that name. */
static const struct ksym *by_name(const struct ksyms *ks, const char *name, bool *several)
{
	uint32_t slot;

	/* The table is a cache of the symbols: made on first use, even through a const pointer. */
	if (!ks || !ks->n || (!ks->by_name && !index_names((struct ksyms *)ks)))
		return NULL;
	slot = *name_slot(ks, name);
	if (!slot)
		return NULL;
	*several = slot & NAME_SEVERAL;
	return &ks->syms[(slot & ~NAME_SEVERAL) - 1];
}

bool ksyms_has(const struct ksyms *ks, const char *name)
{
	bool several;

	return by_name(ks, name, &several);
}

uint64_t ksyms_unique_addr(const struct ksyms *ks, const char *name)
{
	bool several;
	const struct ksym *s = by_name(ks, name, &several);

	return s && !several ? s->addr : 0;
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
	bool several;
	const struct ksym *s = by_name(ks, name, &several);

	return s ? s->name : ksyms_clone_name(ks, name, KSYM_CLONES_ANY);
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
