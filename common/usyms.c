// SPDX-License-Identifier: GPL-2.0-only
#include "usyms.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

struct elf_sym {
	uint64_t addr, size;
	const char *name;
	int bind_rank; /* global 0, weak 1, local 2: of several names at one address, the lowest wins */
};

struct load_segment {
	uint64_t offset, vaddr, filesz;
};

struct elf_syms {
	dev_t dev;
	ino_t ino;
	struct elf_sym *syms;
	size_t n;
	struct load_segment *segs;
	size_t nsegs;
	char *names; /* one block for every name */
};

struct mapping {
	uint64_t start, end, offset;
	char *path;
	const struct elf_syms *es; /* NULL: not loaded yet or not an ELF file we can read */
	bool tried;
};

struct usyms {
	int pid;
	struct mapping *maps;
	size_t n;
};

struct usyms_cache_entry {
	int pid;
	struct usyms *u;
};

/* Every ELF file read so far, by device and inode: a C library is read once for all processes. */
static struct elf_syms **elf_cache;
static size_t elf_cache_n;

static int by_addr(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->bind_rank != y->bind_rank)
		return x->bind_rank - y->bind_rank;
	return strcmp(x->name, y->name);
}

static int bind_rank(unsigned char bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

/* Appends the defined functions of one symbol table section. */
static bool read_symtab(Elf *e, Elf_Scn *scn, GElf_Shdr *sh, struct elf_syms *es, size_t *cap,
			size_t *names_len, size_t *names_cap)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < count; i++) {
		GElf_Sym sym;
		const char *name;
		size_t len;

		if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC && GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC)
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (es->n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			es->syms = realloc(es->syms, *cap * sizeof(*es->syms));
			if (!es->syms)
				return false;
		}
		len = strlen(name) + 1;
		if (*names_len + len > *names_cap) {
			*names_cap = (*names_cap + len) * 2;
			es->names = realloc(es->names, *names_cap);
			if (!es->names)
				return false;
		}
		memcpy(es->names + *names_len, name, len);
		/* names move while the block grows: store offsets now, pointers at the end */
		es->syms[es->n++] = (struct elf_sym){ sym.st_value, sym.st_size,
						      (const char *)(uintptr_t)*names_len,
						      bind_rank(GELF_ST_BIND(sym.st_info)) };
		*names_len += len;
	}
	return true;
}

static bool read_elf(int fd, struct elf_syms *es)
{
	size_t cap = 0, names_len = 0, names_cap = 0, nphdr = 0;
	Elf_Scn *scn = NULL;
	bool ok = true;
	Elf *e;

	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		elf_end(e);
		return false;
	}
	if (!elf_getphdrnum(e, &nphdr) && nphdr) {
		es->segs = calloc(nphdr, sizeof(*es->segs));
		for (size_t i = 0; es->segs && i < nphdr; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
				es->segs[es->nsegs++] =
					(struct load_segment){ ph.p_offset, ph.p_vaddr, ph.p_filesz };
		}
	}
	while (ok && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			ok = read_symtab(e, scn, &sh, es, &cap, &names_len, &names_cap);
	}
	elf_end(e);
	if (!ok)
		return false;
	for (size_t i = 0; i < es->n; i++)
		es->syms[i].name = es->names + (uintptr_t)es->syms[i].name;
	qsort(es->syms, es->n, sizeof(*es->syms), by_addr);
	return true;
}

static void elf_syms_free(struct elf_syms *es)
{
	if (!es)
		return;
	free(es->syms);
	free(es->segs);
	free(es->names);
	free(es);
}

/* The symbols of an open file, from the cache or read now. */
static const struct elf_syms *elf_syms_of_fd(int fd)
{
	struct elf_syms *es, **grown;
	struct stat st;

	if (fstat(fd, &st))
		return NULL;
	for (size_t i = 0; i < elf_cache_n; i++)
		if (elf_cache[i]->dev == st.st_dev && elf_cache[i]->ino == st.st_ino)
			return elf_cache[i];
	elf_version(EV_CURRENT);
	es = calloc(1, sizeof(*es));
	if (!es)
		die("out of memory");
	es->dev = st.st_dev;
	es->ino = st.st_ino;
	if (!read_elf(fd, es)) {
		elf_syms_free(es);
		return NULL;
	}
	grown = realloc(elf_cache, (elf_cache_n + 1) * sizeof(*elf_cache));
	if (!grown)
		die("out of memory");
	elf_cache = grown;
	elf_cache[elf_cache_n++] = es;
	return es;
}

const struct elf_syms *elf_syms_load(const char *path)
{
	const struct elf_syms *es;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	es = elf_syms_of_fd(fd);
	close(fd);
	return es;
}

uint64_t elf_syms_addr(const struct elf_syms *es, const char *name)
{
	for (size_t i = 0; es && i < es->n; i++)
		if (!strcmp(es->syms[i].name, name))
			return es->syms[i].addr;
	return 0;
}

const char *elf_syms_find(const struct elf_syms *es, uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi = es ? es->n : 0;
	const struct elf_sym *s;

	while (lo < hi) { /* the first symbol above addr */
		size_t mid = (lo + hi) / 2;

		if (es->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	s = &es->syms[lo - 1];
	while (s > es->syms && s[-1].addr == s->addr) /* the best-ranked name at this address */
		s--;
	if (s->size && addr >= s->addr + s->size)
		return NULL;
	*off = addr - s->addr;
	return s->name;
}

struct usyms *usyms_load(int pid)
{
	struct usyms *u = calloc(1, sizeof(*u));
	size_t cap = 0;
	char path[64], line[4096];
	FILE *f;

	if (!u)
		die("out of memory");
	u->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f) {
		free(u);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end, offset;
		char perms[8];
		int name_at = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &offset, &name_at) <
			    4 ||
		    !name_at || perms[2] != 'x' || line[name_at] != '/')
			continue;
		line[strcspn(line, "\n")] = 0;
		if (u->n == cap) {
			cap = cap ? cap * 2 : 32;
			u->maps = realloc(u->maps, cap * sizeof(*u->maps));
			if (!u->maps)
				die("out of memory");
		}
		u->maps[u->n] = (struct mapping){ start, end, offset, strdup(line + name_at) };
		if (!u->maps[u->n].path)
			die("out of memory");
		u->n++;
	}
	fclose(f);
	return u;
}

void usyms_free(struct usyms *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->maps[i].path);
	free(u->maps);
	free(u);
}

/*
 * The mapped file's symbols, read through the process's view of the file system (its mount
 * namespace), else through map_files (a file deleted or replaced since it was mapped).
 */
static const struct elf_syms *mapping_syms(const struct usyms *u, struct mapping *m)
{
	char path[4200];
	int fd;

	if (m->tried)
		return m->es;
	m->tried = true;
	snprintf(path, sizeof(path), "/proc/%d/root%s", u->pid, m->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", u->pid,
			 (unsigned long long)m->start, (unsigned long long)m->end);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return NULL;
	m->es = elf_syms_of_fd(fd);
	close(fd);
	return m->es;
}

static struct mapping *mapping_of(const struct usyms *u, uint64_t addr)
{
	for (size_t i = 0; u && i < u->n; i++)
		if (addr >= u->maps[i].start && addr < u->maps[i].end)
			return &u->maps[i];
	return NULL;
}

/* The file's virtual address of a file offset, through its executable PT_LOAD segments. */
static bool file_vaddr(const struct elf_syms *es, uint64_t file_off, uint64_t *vaddr)
{
	for (size_t i = 0; i < es->nsegs; i++) {
		const struct load_segment *s = &es->segs[i];

		if (file_off >= s->offset && file_off < s->offset + s->filesz) {
			*vaddr = file_off - s->offset + s->vaddr;
			return true;
		}
	}
	return false;
}

const char *usyms_file(const struct usyms *u, uint64_t addr, uint64_t *file_addr)
{
	struct mapping *m = mapping_of(u, addr);
	const struct elf_syms *es = m ? mapping_syms(u, m) : NULL;

	if (!es || !file_vaddr(es, addr - m->start + m->offset, file_addr))
		return NULL;
	return m->path;
}

const char *usyms_find(const struct usyms *u, uint64_t addr, uint64_t *off)
{
	struct mapping *m = mapping_of(u, addr);
	uint64_t vaddr;

	if (!usyms_file(u, addr, &vaddr))
		return NULL;
	return elf_syms_find(m->es, vaddr, off);
}

const char *usyms_format(const struct usyms *u, uint64_t addr, enum ksym_style style, char *buf, size_t len)
{
	uint64_t off = 0;
	const char *name = usyms_find(u, addr, &off);

	if (!name) {
		if (style == KSYM_DEC)
			snprintf(buf, len, "0x%llx", (unsigned long long)addr);
		else
			snprintf(buf, len, "[unknown]");
		return buf;
	}
	switch (style) {
	case KSYM_HEX:
	case KSYM_HEX_MODULE:
		snprintf(buf, len, "%s+0x%llx", name, (unsigned long long)off);
		break;
	case KSYM_DEC:
		snprintf(buf, len, "%s+%llu", name, (unsigned long long)off);
		break;
	case KSYM_NAME:
		snprintf(buf, len, "%s", name);
		break;
	}
	return buf;
}

const char *usyms_file_defining(const struct usyms *u, const char *name)
{
	for (size_t i = 0; u && i < u->n; i++) {
		const struct elf_syms *es = mapping_syms(u, &u->maps[i]);

		if (es && elf_syms_addr(es, name))
			return u->maps[i].path;
	}
	return NULL;
}

const struct usyms *usyms_cache_get(struct usyms_cache *c, int pid)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].pid == pid)
			return c->entries[i].u;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->entries = realloc(c->entries, c->cap * sizeof(*c->entries));
		if (!c->entries)
			die("out of memory");
	}
	c->entries[c->n] = (struct usyms_cache_entry){ pid, usyms_load(pid) };
	return c->entries[c->n++].u;
}

void usyms_cache_free(struct usyms_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		usyms_free(c->entries[i].u);
	free(c->entries);
	*c = (struct usyms_cache){ 0 };
}
