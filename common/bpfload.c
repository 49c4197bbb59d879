// SPDX-License-Identifier: GPL-2.0-only
#include "bpfload.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "argparse.h"
#include "events.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "runtime.h"
#include "strbuf.h"
#include "util.h"
#include "zbytes.h"

#define LOG_KEEP (4u << 20)
#define LOG_TAIL_LINES 20 /* printed on stderr when the log cannot be saved */

static struct strbuf libbpf_log;
static bool debug;
static bool memlock_failed;

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (debug) {
		va_copy(copy, ap);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	if (libbpf_log.len > LOG_KEEP)
		sb_free(&libbpf_log);
	char line[4096];

	vsnprintf(line, sizeof(line), fmt, ap);
	sb_add(&libbpf_log, line);
	return 0;
}

void bpfload_init(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	debug = env_flag("BPFNET_DEBUG");
	libbpf_set_print(print_cb);
	/* Kernels >= 5.11 charge BPF memory to the memcg and ignore this limit. */
	if (setrlimit(RLIMIT_MEMLOCK, &rl)) {
		memlock_failed = true;
		if (kernel_version_below(5, 11))
			log_warn("cannot raise RLIMIT_MEMLOCK (%s): loading may fail; run `ulimit -l "
				 "unlimited` first",
				 strerror(errno));
	}
}

const char *bpfload_log(void)
{
	return libbpf_log.buf ? libbpf_log.buf : "";
}

bool bpfload_use_legacy(void)
{
	if (env_flag("BPFNET_FORCE_LEGACY"))
		return true;
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1;
}

static const char *btf_path(void)
{
	static const char *const fallbacks[] = {
		"/boot/vmlinux-%s",
		"/lib/modules/%s/vmlinux-%s",
		"/lib/modules/%s/build/vmlinux",
		"/usr/lib/modules/%s/kernel/vmlinux",
		"/usr/lib/debug/boot/vmlinux-%s",
		"/usr/lib/debug/boot/vmlinux-%s.debug",
		"/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	const char *path = g_common.btf_path;
	char buf[512];

	if (path)
		return btf_file_path(); /* a bad file is named now, not later as a load failure */
	if (kernel_has_btf())
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(fallbacks); i++) {
		snprintf(buf, sizeof(buf), fallbacks[i], kernel_release(), kernel_release());
		if (!access(buf, R_OK))
			return NULL; /* libbpf finds it (it must hold a .BTF section) */
	}
	die("kernel %s has no BTF (/sys/kernel/btf/vmlinux is missing): pass --btf PATH or set "
	    "BPFNET_BTF to a BTF file for this kernel (README: \"Kernels without BTF\")",
	    kernel_release());
}

/* Keeps a buffer reachable until exit (leak checkers see no leak). */
static void keep(void *p)
{
	static void **kept;
	static size_t nkept;
	void **grown = realloc(kept, (nkept + 1) * sizeof(*kept));

	if (!grown)
		die("out of memory");
	kept = grown;
	kept[nkept++] = p;
}

void bpfload_open(struct bpf_object_skeleton *s, const void *legacy, size_t legacy_size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path());
	const void *z = s->data;
	size_t zlen = s->data_sz;
	char why[160];
	void *elf;
	int err;

	if (bpfload_use_legacy()) {
		z = legacy;
		zlen = legacy_size;
	}
	/* libbpf reads the object until it is loaded: the inflated copy stays for the process's life. */
	elf = zbytes_inflate(z, zlen, &s->data_sz, why, sizeof(why));
	if (!elf)
		die("the BPF object embedded in %s is damaged: %s", tool_name(), why);
	keep(elf);
	s->data = elf;
	err = bpf_object__open_skeleton(s, &opts);
	if (err)
		die("cannot open the BPF object of %s: %s", tool_name(), strerror(-err));
	events_prepare(*s->obj);
}

/* The first line of the log that contains needle, from needle on, without its newline. */
static bool log_find(const char *needle, char *out, size_t len)
{
	const char *p = strstr(bpfload_log(), needle);

	if (!p)
		return false;
	size_t n = strcspn(p, "\n");

	snprintf(out, len, "%.*s", (int)n, p);
	return true;
}

/* Where a load failure's log was written, or could not be (err set). */
static struct {
	char path[PATH_MAX];
	int err;
} saved_log;

static void save_log(void)
{
	const char *tmp = getenv("TMPDIR");
	const char *log = bpfload_log();
	int fd;

	snprintf(saved_log.path, sizeof(saved_log.path), "%s/bpfnet-%s.log", tmp && *tmp ? tmp : "/tmp",
		 tool_name());
	unlink(saved_log.path);
	fd = open(saved_log.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, log, strlen(log)) < 0)
		saved_log.err = errno;
	if (fd >= 0)
		close(fd);
}

/* The end of a load failure's line: where its log (libbpf's, the verifier's) went, or why not. */
static const char *log_note(const char *what)
{
	static char note[PATH_MAX + 160];

	if (saved_log.err)
		snprintf(note, sizeof(note), "%s log could not be saved to %s (%s); its last lines follow",
			 what, saved_log.path, strerror(saved_log.err));
	else
		snprintf(note, sizeof(note), "%s log saved to %s", what, saved_log.path);
	return note;
}

/* The last n lines of the captured log, on stderr. */
static void print_log_tail(int n)
{
	const char *log = bpfload_log();
	const char *p = log + strlen(log);

	if (p > log && p[-1] == '\n')
		p--;
	while (p > log && n > 0)
		if (*--p == '\n')
			n--;
	if (*p == '\n')
		p++;
	fputs(p, stderr);
	if (*p && p[strlen(p) - 1] != '\n')
		fputc('\n', stderr);
}

/* Dies with the load failure's line, followed by the log's end when it could not be saved. */
static noreturn void load_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static noreturn void load_failed(const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_error("%s", line);
	if (saved_log.err)
		print_log_tail(LOG_TAIL_LINES);
	exit(EXIT_RUNTIME);
}

void bpfload_load(struct bpf_object_skeleton *s)
{
	char cause[512], prog[128] = "";
	int err;

	kernel_btf_release();
	err = bpf_object__load_skeleton(s);

	if (!err) {
		ksyms_bpf_loaded();
		return;
	}
	save_log();
	if (log_find("failed to resolve CO-RE relocation", cause, sizeof(cause)) ||
	    log_find("failed to find valid kernel BTF", cause, sizeof(cause)))
		load_failed("%s%s lacks a type or field that %s needs: %s; %s",
			    g_common.btf_path ? "BTF file " : "kernel ",
			    g_common.btf_path ? g_common.btf_path : kernel_release(), tool_name(), cause,
			    log_note("libbpf"));
	if (err == -EPERM && memlock_failed)
		load_failed("loading the BPF object of %s was refused (EPERM) and RLIMIT_MEMLOCK could not "
			    "be raised: run with `ulimit -l unlimited` or as full root; %s",
			    tool_name(), log_note("libbpf"));
	if (log_find("prog '", cause, sizeof(cause))) {
		const char *q = strchr(cause + 6, '\'');

		if (q)
			snprintf(prog, sizeof(prog), " program %.*s", (int)(q - cause - 6), cause + 6);
	}
	load_failed("the kernel rejected the BPF%s of %s (%s); %s", prog, tool_name(), strerror(-err),
		    log_note("verifier"));
}

static uint64_t *percpu_buffer(int *ncpu)
{
	uint64_t *vals;

	*ncpu = libbpf_num_possible_cpus();
	if (*ncpu <= 0)
		die("cannot count the possible CPUs: %s", strerror(-*ncpu));
	vals = calloc((size_t)*ncpu, sizeof(*vals));
	if (!vals)
		die("out of memory");
	return vals;
}

static uint64_t percpu_slot_sum(int fd, uint32_t key, uint64_t *vals, int ncpu)
{
	uint64_t total = 0;

	if (bpf_map_lookup_elem(fd, &key, vals))
		return 0;
	for (int i = 0; i < ncpu; i++)
		total += vals[i];
	return total;
}

void bpfload_percpu_sums(struct bpf_map *map, uint32_t n, uint64_t *out)
{
	int ncpu;
	uint64_t *vals = percpu_buffer(&ncpu);

	for (uint32_t k = 0; k < n; k++)
		out[k] = percpu_slot_sum(bpf_map__fd(map), k, vals, ncpu);
	free(vals);
}

uint64_t bpfload_percpu_sum(struct bpf_map *map, uint32_t key)
{
	int ncpu;
	uint64_t *vals = percpu_buffer(&ncpu), total;

	total = percpu_slot_sum(bpf_map__fd(map), key, vals, ncpu);
	free(vals);
	return total;
}

struct bpf_map *bpfload_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		die("internal error: %s has no map %s", tool_name(), name);
	return m;
}

void bpfload_write_config(struct bpf_map *config_map, const void *cfg, size_t size)
{
	unsigned zero = 0;

	if (bpf_map__update_elem(config_map, &zero, sizeof(zero), cfg, size, BPF_ANY))
		die("cannot write the configuration of %s: %s", tool_name(), strerror(errno));
}
