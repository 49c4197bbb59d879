// SPDX-License-Identifier: GPL-2.0-only
/*
 * pthread_rwlock_wrlock: the bpftrace scripts pthread_rwlock_wrlock.bt (write-lock wait
 * histogram) and, with --stack or as pthread_rwlock_wrlock-stack, pthread_rwlock_wrlock-stack.bt
 * (calls per caller stack of one process), on the C library found at run time.
 */
#include <bpf/bpf.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "bthist.h"
#include "hist.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "stack.h"
#include "usyms.h"
#include "pthread_rwlock_wrlock.h"
#include "pthread_rwlock_wrlock.skel.h"

#define ORIGINAL_LIB "/usr/lib64/libpthread-2.28.so"
#define STACK_ALIAS "pthread_rwlock_wrlock-stack"

static struct {
	int pid, pid_arg;
	const char *lib, *sym;
	bool stack;
	double duration;
} opt = { .sym = "__pthread_rwlock_wrlock" };

static const struct arg_positional positionals[] = {
	POS_INT("PID", &opt.pid_arg, "only this process (the -stack script's $1; same as -p)", false),
	{ 0 },
};

static const struct arg_opt options[] = {
	OPT_INT("pid", 'p', &opt.pid, 1, INT_MAX,
		"only this process (TGID; default: every process using the library)", .metavar = "PID"),
	OPT_FLAG("stack", 0, &opt.stack,
		 "count the calls per caller (user stack) of one process instead of timing them "
		 "(pthread_rwlock_wrlock-stack.bt)"),
	OPT_STR("lib", 0, &opt.lib,
		"the C library to probe (default: the one that defines SYM: libc.so.6 from glibc 2.34, "
		"else libpthread; the process's own with a PID)",
		.metavar = "PATH"),
	OPT_STR("sym", 0, &opt.sym, "the write-lock function (default: __pthread_rwlock_wrlock)",
		.metavar = "SYM"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static struct arg_parser parser = {
	.prog = "pthread_rwlock_wrlock",
	.description = "Histogram of the time pthread_rwlock_wrlock() waits for the write lock (us), or with "
		       "--stack the calls per caller stack of one process; printed at exit like bpftrace",
	.epilog = "examples:\n"
		  "  pthread_rwlock_wrlock                 # every process, until Ctrl-C\n"
		  "  pthread_rwlock_wrlock -p 2301 -d 10   # process 2301, for 10 seconds\n"
		  "  pthread_rwlock_wrlock --stack 2301    # who takes the write lock in 2301\n"
		  "  pthread_rwlock_wrlock-stack 2301      # the same\n"
		  "  pthread_rwlock_wrlock --lib /usr/lib64/libpthread-2.28.so",
	.opts = options,
	.positionals = positionals,
};

enum { HOOK_ENTRY, HOOK_RETURN, HOOK_STACK_ENTRY };

/* Targets are "<library>:<symbol>", filled in once the library is found. */
static struct hook_def hook_defs[] = {
	[HOOK_ENTRY] = { "write-lock call",
			 { { HOOK_UPROBE, "rwl_enter", "libc.so.6:__pthread_rwlock_wrlock" } } },
	[HOOK_RETURN] = { "write-lock return",
			  { { HOOK_URETPROBE, "rwl_return", "libc.so.6:__pthread_rwlock_wrlock" } } },
	[HOOK_STACK_ENTRY] = { "write-lock callers (--stack)",
			       { { HOOK_UPROBE, "rwl_enter_stack", "libc.so.6:__pthread_rwlock_wrlock" } } },
};
const struct hook_table rwl_hook_table = { hook_defs, 3 };

/* --- output */

void rwl_print_hist(FILE *f, const uint64_t *slots)
{
	bt_print_hist(f, "lat", slots, BT_HIST_SLOTS);
}

void rwl_print_exit_dump(FILE *f, const uint64_t *slots, const struct tid_start *inside, size_t ninside)
{
	fputs("\n\n", f);
	tid_starts_print(f, "begin", inside, ninside);
	rwl_print_hist(f, slots);
}

static int by_count(const void *a, const void *b)
{
	const struct rwl_caller_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return x->key.stack_id - y->key.stack_id;
}

void rwl_sort_callers(struct rwl_caller_row *rows, size_t n)
{
	qsort(rows, n, sizeof(*rows), by_count);
}

void rwl_print_callers(FILE *f, const struct rwl_caller_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "@[%s, %u, \n", rows[i].key.comm, rows[i].key.tgid);
		for (int k = 0; k < rows[i].nframes; k++)
			fprintf(f, "    %s\n", rows[i].frames[k]);
		fprintf(f, "]: %llu\n", (unsigned long long)rows[i].count);
	}
	if (n)
		fputc('\n', f);
}

void rwl_print_hist_json(FILE *f, const char *lib, const uint64_t *slots, const struct tid_start *inside,
			 size_t ninside)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	json_str(&j, "library", lib);
	json_str(&j, "unit", "us");
	json_uint(&j, "calls", hist_total(slots, BT_HIST_SLOTS));
	bt_hist_json(&j, "lat", slots, BT_HIST_SLOTS);
	tid_starts_json(&j, inside, ninside);
	json_end_obj(&j);
	json_finish(&j);
}

void rwl_print_callers_json(FILE *f, const char *lib, const struct rwl_caller_row *rows, size_t n)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	json_str(&j, "library", lib);
	json_arr(&j, "callers");
	for (size_t i = 0; i < n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "comm", rows[i].key.comm);
		json_uint(&j, "pid", rows[i].key.tgid);
		json_uint(&j, "count", rows[i].count);
		json_str_array(&j, "stack", rows[i].frames, rows[i].nframes);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

/* --- the library */

static bool defines(const char *path, const char *sym)
{
	return elf_syms_addr(elf_syms_load(path), sym) != 0;
}

/*
 * The file to probe: --lib; with a PID, the mapped file of the process that defines sym (its C
 * library, or the executable itself when it is linked statically); else the original's path,
 * then libc.so.6 (glibc 2.34 and later) and libpthread.so.0 in the usual library folders.
 */
static const char *find_library(int pid, const char *sym)
{
	static const char *const dirs[] = { "/lib64",
					    "/usr/lib64",
					    "/lib/x86_64-linux-gnu",
					    "/usr/lib/x86_64-linux-gnu",
					    "/lib/aarch64-linux-gnu",
					    "/usr/lib/aarch64-linux-gnu",
					    "/lib",
					    "/usr/lib" };
	static const char *const names[] = { "libc.so.6", "libpthread.so.0" };
	static char path[PATH_MAX + 32];
	struct usyms *u;
	const char *mapped;

	if (opt.lib) {
		if (access(opt.lib, R_OK))
			die("--lib %s: %m", opt.lib);
		if (!defines(opt.lib, sym))
			die("--lib %s does not define %s (give the function with --sym)", opt.lib, sym);
		return opt.lib;
	}
	if (pid) {
		u = usyms_load(pid);
		if (!u)
			die("no process %d", pid);
		mapped = usyms_file_defining(u, sym);
		if (!mapped)
			die("process %d maps no file that defines %s (give the library with --lib)", pid,
			    sym);
		/* Another mount namespace (a container): reach the file through the process's root. */
		if (defines(mapped, sym))
			snprintf(path, sizeof(path), "%s", mapped);
		else
			snprintf(path, sizeof(path), "/proc/%d/root%s", pid, mapped);
		usyms_free(u);
		return path;
	}
	if (defines(ORIGINAL_LIB, sym))
		return ORIGINAL_LIB;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++)
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[d], names[n]);
			if (defines(path, sym))
				return path;
		}
	die("no C library defining %s found (%s, libc.so.6 or libpthread.so.0 in /lib64, /usr/lib64, "
	    "/lib/<arch>-linux-gnu, /usr/lib/<arch>-linux-gnu); give it with --lib",
	    sym, ORIGINAL_LIB);
}

/* --- the run */

static void report_hist(struct pthread_rwlock_wrlock_bpf *skel, const char *lib)
{
	uint64_t slots[BT_HIST_SLOTS];
	struct tid_start *inside;
	size_t n;

	bpfload_percpu_sums(skel->maps.lat, BT_HIST_SLOTS, slots);
	n = tid_starts_read(skel->maps.begin, &inside);
	if (g_common.json) {
		rwl_print_hist_json(stdout, lib, slots, inside, n);
	} else {
		rwl_print_hist(stdout, slots); /* the script's END block */
		rwl_print_exit_dump(stdout, slots, inside, n);
	}
	free(inside);
}

/* One caller's frames, rendered into storage owned by the row. */
struct caller_frames {
	const char *frame[STACK_MAX_DEPTH];
	char text[STACK_MAX_DEPTH][STACK_FRAME_LEN];
};

static void report_callers(struct pthread_rwlock_wrlock_bpf *skel, const char *lib)
{
	int fd = bpf_map__fd(skel->maps.callers);
	struct usyms_cache users = { 0 };
	size_t n = 0, cap = 64;
	struct rwl_caller_row *rows = malloc(cap * sizeof(*rows));
	struct caller_frames *frames = malloc(cap * sizeof(*frames));
	struct rwl_caller key, *prev = NULL;

	if (!rows || !frames)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		uint64_t ips[STACK_MAX_DEPTH], count;
		int depth;

		if (n == cap) {
			cap *= 2;
			rows = realloc(rows, cap * sizeof(*rows));
			frames = realloc(frames, cap * sizeof(*frames));
			if (!rows || !frames)
				die("out of memory");
		}
		rows[n].key = key;
		prev = &rows[n].key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		depth = key.stack_id < 0 ? 0
					 : stack_read(skel->maps.stacks, key.stack_id, ips, STACK_MAX_DEPTH);
		depth = depth < 0 ? 0 : depth;
		for (int k = 0; k < depth; k++)
			frames[n].frame[k] = usyms_format(usyms_cache_get(&users, (int)key.tgid), ips[k],
							  KSYM_DEC, frames[n].text[k],
							  sizeof(frames[n].text[k]));
		rows[n].count = count;
		rows[n].nframes = depth;
		rows[n].frames =
			(const char *const *)(uintptr_t)n; /* an index until the arrays stop moving */
		n++;
	}
	for (size_t i = 0; i < n; i++)
		rows[i].frames = frames[(uintptr_t)rows[i].frames].frame;
	rwl_sort_callers(rows, n);
	if (g_common.json) {
		rwl_print_callers_json(stdout, lib, rows, n);
	} else {
		rwl_print_callers(stdout, rows, n); /* the script's END block */
		fputs("\n\n", stdout);
		rwl_print_callers(stdout, rows, n);
	}
	usyms_cache_free(&users);
	free(rows);
	free(frames);
}

int main(int argc, char **argv)
{
	struct rwl_config cfg = { 0 };
	struct pthread_rwlock_wrlock_bpf *skel;
	static char target[PATH_MAX + 300];
	struct hook_set hooks;
	bool alias = !strcmp(basename(argv[0]), STACK_ALIAS);
	uint64_t lost;
	const char *lib;
	int pid;

	if (alias)
		parser.prog = STACK_ALIAS;
	args_parse(&parser, argc, argv);
	opt.stack |= alias;
	if (opt.pid && opt.pid_arg && opt.pid != opt.pid_arg)
		arg_fail("argument -p/--pid: not the same as PID (%d, %d)", opt.pid, opt.pid_arg);
	if (opt.pid_arg < 0)
		arg_fail("argument PID: invalid value: %d (must be a process id)", opt.pid_arg);
	pid = opt.pid ? opt.pid : opt.pid_arg;
	if (opt.stack && !pid)
		arg_fail("the callers of --stack are counted for one process: give its PID");
	tool_init(parser.prog);
	lib = find_library(pid, opt.sym);
	snprintf(target, sizeof(target), "%s:%s", lib, opt.sym);
	for (int i = 0; i < rwl_hook_table.n; i++)
		hook_defs[i].cand[0].target = target;
	hook_set_init(&hooks, hook_defs, rwl_hook_table.n,
		      opt.stack ? 1u << HOOK_ENTRY | 1u << HOOK_RETURN : 1u << HOOK_STACK_ENTRY);
	cfg.tgid = (__u32)pid;

	skel = BPFNET_OPEN(pthread_rwlock_wrlock_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));

	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		hook_print(stdout, &hooks);
		printf("Attaching %d probes...\n", opt.stack ? 2 : 3); /* bpftrace counts END too */
	}
	output_flush();
	tool_ready();
	tool_wait_done(opt.duration);
	hook_detach(&hooks);

	if (opt.stack)
		report_callers(skel, lib);
	else
		report_hist(skel, lib);
	output_flush();
	lost = bpfload_percpu_sum(skel->maps.counters, RWL_UNTIMED);
	if (lost)
		log_warn("%llu calls were not timed: more than %d threads were inside the write lock at once",
			 (unsigned long long)lost, RWL_MAX_THREADS);
	lost = bpfload_percpu_sum(skel->maps.counters, RWL_CALLERS_FULL);
	if (lost)
		log_warn("%llu calls were not counted: more than %d caller stacks", (unsigned long long)lost,
			 RWL_MAX_CALLERS);
	pthread_rwlock_wrlock_bpf__destroy(skel);
	return 0;
}
