// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf_verify: loads (without attaching) every program of the given BPF objects on the running
 * kernel and reports each program's verified instruction count; with --legacy-scan it also
 * rejects constructs that kernel 4.19 (openEuler 20.03) cannot load and that libbpf does not
 * rewrite: ring buffers, global data, BTF-only program types, helpers newer than 4.19,
 * loops, programs over 4096 instructions or 131072 verified instructions. A tracepoint program
 * ("tp/CATEGORY/NAME") whose tracepoint this kernel lacks, or an fentry program ("fentry/FUNC")
 * it cannot attach, is skipped, as the tools skip it.
 *
 * usage: bpf_verify [--btf PATH] [--legacy-scan] OBJECT...
 * --btf PATH is what the tools take: a BTF file, or a directory laid out as /sys/kernel/btf
 * (vmlinux + module BTF, for kernels without module BTF) whose files are merged into one.
 * Exit status: 0 when every object passes.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "hook.h"
#include "kernel_btf.h"

#define LEGACY_MAX_INSNS 4096 /* BPF_MAXINSNS */
#define LEGACY_MAX_VERIFIED 131072 /* BPF_COMPLEXITY_LIMIT_INSNS in 4.19 */
#define LEGACY_MAX_HELPER 83 /* bpf_skb_ancestor_cgroup_id, the last helper of 4.19 */

static char log_buf[1 << 20];
static size_t log_len;

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || log_len >= sizeof(log_buf) - 1)
		return 0;
	int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);

	if (n > 0)
		log_len += (size_t)n < sizeof(log_buf) - log_len ? (size_t)n : sizeof(log_buf) - log_len - 1;
	return 0;
}

/* libbpf turns bpf_probe_read_{kernel,user}[_str] into bpf_probe_read[_str] on old kernels. */
static bool helper_ok_on_4_19(int id)
{
	return id <= LEGACY_MAX_HELPER || (id >= 112 && id <= 115);
}

static bool legacy_map_type_ok(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_STACK_TRACE ||
	       t == BPF_MAP_TYPE_LRU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

static bool legacy_prog_type_ok(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_KPROBE || t == BPF_PROG_TYPE_TRACEPOINT || t == BPF_PROG_TYPE_PERF_EVENT ||
	       t == BPF_PROG_TYPE_RAW_TRACEPOINT || t == BPF_PROG_TYPE_SOCKET_FILTER ||
	       t == BPF_PROG_TYPE_SCHED_CLS;
}

/*
 * A tp_btf, fentry or fexit program may sit in the legacy object (both variants have the same
 * programs): the hook planner chooses them only where the kernel has BTF and BPF trampolines
 * (5.5+), never on 4.19.
 */
static bool btf_traced(const struct bpf_program *prog)
{
	enum bpf_attach_type t = bpf_program__expected_attach_type(prog);

	return bpf_program__type(prog) == BPF_PROG_TYPE_TRACING &&
	       (t == BPF_TRACE_RAW_TP || t == BPF_TRACE_FENTRY || t == BPF_TRACE_FEXIT);
}

/* Whether the control-flow graph has a cycle (a back-edge, which 4.19's check_cfg rejects). */
static long find_loop(const struct bpf_insn *insn, size_t n)
{
	enum { NEW, ON_STACK, DONE };
	unsigned char *state = calloc(n, 1);
	size_t *stack = calloc(n, sizeof(*stack)), *next_edge = calloc(n, sizeof(*next_edge));
	long loop = -1;
	size_t sp = 0;

	if (!state || !stack || !next_edge)
		abort();
	stack[sp++] = 0;
	state[0] = ON_STACK;
	while (sp && loop < 0) {
		size_t t = stack[sp - 1];
		__u8 code = insn[t].code, cls = code & 0x07, op = code & 0xf0;
		bool is_jmp = cls == BPF_JMP || cls == BPF_JMP32;
		size_t succ[2];
		int nsucc = 0;

		if (is_jmp && op == BPF_EXIT) {
			nsucc = 0;
		} else if (is_jmp && op == BPF_JA) {
			succ[nsucc++] = t + 1 + (size_t)(long)insn[t].off;
		} else if (is_jmp && op != BPF_CALL) {
			succ[nsucc++] = t + 1;
			succ[nsucc++] = t + 1 + (size_t)(long)insn[t].off;
		} else {
			succ[nsucc++] = t + (code == (BPF_LD | BPF_IMM | BPF_DW) ? 2 : 1);
		}
		if (next_edge[t] < (size_t)nsucc) {
			size_t w = succ[next_edge[t]++];

			if (w >= n)
				continue;
			if (state[w] == ON_STACK)
				loop = (long)t;
			else if (state[w] == NEW) {
				state[w] = ON_STACK;
				stack[sp++] = w;
			}
			continue;
		}
		state[t] = DONE;
		sp--;
	}
	free(state);
	free(stack);
	free(next_edge);
	return loop;
}

static int scan_legacy(const char *path, struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int bad = 0;

	bpf_object__for_each_map(map, obj)
	{
		if (bpf_map__is_internal(map)) {
			printf("FAIL %s: global data section %s (needs 5.2)\n", path, bpf_map__name(map));
			bad++;
		} else if (!legacy_map_type_ok(bpf_map__type(map))) {
			printf("FAIL %s: map %s has type %d, unknown to 4.19\n", path, bpf_map__name(map),
			       bpf_map__type(map));
			bad++;
		}
	}
	bpf_object__for_each_program(prog, obj)
	{
		const struct bpf_insn *insn = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);
		long loop;

		if (!legacy_prog_type_ok(bpf_program__type(prog)) && !btf_traced(prog)) {
			printf("FAIL %s: program %s has type %d, unknown to 4.19\n", path,
			       bpf_program__name(prog), bpf_program__type(prog));
			bad++;
		}
		if (n > LEGACY_MAX_INSNS) {
			printf("FAIL %s: program %s has %zu instructions (4.19 accepts %d)\n", path,
			       bpf_program__name(prog), n, LEGACY_MAX_INSNS);
			bad++;
		}
		for (size_t i = 0; i < n; i++) {
			if (insn[i].code == (BPF_JMP | BPF_CALL) && insn[i].src_reg == 0 &&
			    !helper_ok_on_4_19(insn[i].imm)) {
				printf("FAIL %s: program %s calls helper %d, newer than 4.19\n", path,
				       bpf_program__name(prog), insn[i].imm);
				bad++;
			}
			if ((insn[i].code & 0x07) == BPF_JMP32) {
				printf("FAIL %s: program %s uses 32-bit jumps (needs 5.1)\n", path,
				       bpf_program__name(prog));
				bad++;
				break;
			}
		}
		loop = find_loop(insn, n);
		if (loop >= 0) {
			printf("FAIL %s: program %s has a loop (back-edge at instruction %ld; needs 5.3)\n",
			       path, bpf_program__name(prog), loop);
			bad++;
		}
	}
	return bad;
}

/*
 * False only for a "tp/CATEGORY/NAME" program whose tracepoint tracefs does not list; true for
 * other programs and when tracefs is not mounted (then the load tells).
 */
static bool tracepoint_present(const struct bpf_program *prog)
{
	static const char *const roots[] = { "/sys/kernel/tracing/events",
					     "/sys/kernel/debug/tracing/events" };
	const char *sec = bpf_program__section_name(prog), *tp;
	char events[512];

	if (!strncmp(sec, "tp/", 3))
		tp = sec + 3;
	else if (!strncmp(sec, "tracepoint/", 11))
		tp = sec + 11;
	else
		return true;
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], F_OK))
			continue;
		snprintf(events, sizeof(events), "%s/%s", roots[i], tp);
		return !access(events, F_OK);
	}
	return true;
}

/* Whether the core kernel's function func has an int * argument (any int type, const or not). */
static bool has_int_ptr_arg(const char *func)
{
	const struct btf *btf = running_kernel_btf();
	const struct btf_type *t;
	int id = btf ? btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) : -1;

	if (id <= 0)
		return false;
	t = btf__type_by_id(btf, btf__type_by_id(btf, (__u32)id)->type);
	for (int i = 0; t && btf_is_func_proto(t) && i < btf_vlen(t); i++) {
		int arg = btf__resolve_type(btf, btf_params(t)[i].type), target;
		const struct btf_type *a = arg > 0 ? btf__type_by_id(btf, (__u32)arg) : NULL;

		if (!a || !btf_is_ptr(a))
			continue;
		target = btf__resolve_type(btf, a->type);
		if (target > 0 && btf_is_int(btf__type_by_id(btf, (__u32)target)))
			return true;
	}
	return false;
}

/*
 * False for an "fentry/FUNC" or "fexit/FUNC" program where this kernel has no BPF trampolines
 * or no BTF of FUNC (in vmlinux or a loaded module's), as the planner then picks its kprobe or
 * kretprobe twin; also where FUNC has an int * argument that this kernel's fentry programs
 * cannot read (before 5.17): the tools whose program reads it take the kprobe there
 * (hook_fentry_int_ptr_usable). An fexit program reads the return value only.
 */
static bool fentry_target_present(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog), *func;
	bool fexit = !strncmp(sec, "fexit/", 6);
	struct dirent *e;
	bool found;
	DIR *d;

	if (strncmp(sec, "fentry/", 7) && !fexit)
		return true;
	func = sec + (fexit ? 6 : 7);
	if (hook_env_kernel()->fentry_refusal())
		return false;
	if (kernel_func_exists(func, NULL))
		return fexit || !has_int_ptr_arg(func) || hook_env_kernel()->fentry_int_ptr();
	d = opendir("/sys/kernel/btf");
	found = false;
	while (d && !found && (e = readdir(d)))
		found = e->d_name[0] != '.' && strcmp(e->d_name, "vmlinux") &&
			kernel_func_exists(func, e->d_name);
	if (d)
		closedir(d);
	return found;
}

static int verify(const char *path, const char *btf, bool legacy)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	struct bpf_program *prog;
	int bad = 0, err;

	if (!obj) {
		printf("FAIL %s: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	if (legacy)
		bad += scan_legacy(path, obj);
	bpf_object__for_each_program(prog, obj)
	{
		bool present = tracepoint_present(prog) && fentry_target_present(prog);

		if (!present)
			printf("skip %s: %s (no %s on this kernel)\n", path, bpf_program__name(prog),
			       bpf_program__section_name(prog));
		bpf_program__set_autoload(prog, present);
	}
	log_len = 0;
	err = bpf_object__load(obj);
	if (err) {
		printf("FAIL %s: load failed: %s\n--- libbpf/verifier log ---\n%.*s--- end of log ---\n",
		       path, strerror(-err), (int)log_len, log_buf);
		bpf_object__close(obj);
		return bad + 1;
	}
	bpf_object__for_each_program(prog, obj)
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		if (!bpf_program__autoload(prog))
			continue;
		memset(&info, 0, sizeof(info));
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		printf("ok   %s: %s (%zu insns, %u verified)\n", path, bpf_program__name(prog),
		       bpf_program__insn_cnt(prog), info.verified_insns);
		if (legacy && info.verified_insns > LEGACY_MAX_VERIFIED) {
			printf("FAIL %s: program %s needs %u verified instructions (4.19 allows %d)\n", path,
			       bpf_program__name(prog), info.verified_insns, LEGACY_MAX_VERIFIED);
			bad++;
		}
	}
	bpf_object__close(obj);
	return bad;
}

int main(int argc, char **argv)
{
	const char *btf = NULL;
	bool legacy = false;
	int bad = 0, nobj = 0;

	libbpf_set_print(print_cb);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--btf") && i + 1 < argc) {
			g_common.btf_path = argv[++i];
			btf = btf_file_path();
		} else if (!strcmp(argv[i], "--legacy-scan")) {
			legacy = true;
		} else {
			bad += verify(argv[i], btf, legacy && strstr(argv[i], ".legacy."));
			nobj++;
		}
	}
	if (!nobj) {
		fprintf(stderr, "usage: bpf_verify [--btf PATH] [--legacy-scan] OBJECT...\n");
		return 2;
	}
	printf("%d object(s), %d problem(s)\n", nobj, bad);
	return bad ? 1 : 0;
}
