// SPDX-License-Identifier: GPL-2.0-only
#include "hook.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "strbuf.h"

static const struct ksyms *kernel_functions(void)
{
	return ksyms_kernel();
}

/*
 * tp_btf attaches through the btf_trace_<name> typedef of the kernel's own BTF (libbpf's
 * BPF_PROG_TYPE_TRACING probe says no on every kernel: it loads without an attach target).
 */
static bool btf_tracepoint_exists(const char *category, const char *name)
{
	char typedef_name[128];

	(void)category; /* the typedef does not name the category */
	if (access("/sys/kernel/btf/vmlinux", R_OK) || !kernel_btf())
		return false;
	snprintf(typedef_name, sizeof(typedef_name), "btf_trace_%s", name);
	return btf__find_by_name_kind(kernel_btf(), typedef_name, BTF_KIND_TYPEDEF) > 0;
}

/* BPF trampolines: x86-64 since 5.5, arm64 since 6.0. */
static bool arch_has_trampolines(void)
{
#if defined(__x86_64__)
	return !kernel_version_below(5, 5);
#elif defined(__aarch64__)
	return !kernel_version_below(6, 0);
#else
	return false;
#endif
}

/* 0 if the fentry program insns (n of them) on the kernel's function target loads, else an errno. */
static int fentry_load_error(const char *target, const struct bpf_insn *insns, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	const struct btf *vmlinux = running_kernel_btf();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, target, BTF_KIND_FUNC) : -1, fd;

	if (id <= 0)
		return ENOENT;
	opts.attach_btf_id = (__u32)id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, n, &opts);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

#define INSN_R0_ZERO                                                                                         \
	{                                                                                                    \
		.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0                          \
	}
#define INSN_EXIT                                                                                            \
	{                                                                                                    \
		.code = BPF_JMP | BPF_EXIT                                                                   \
	}

/*
 * Why fentry programs cannot be had here, NULL if they can: no trampolines, no kernel BTF, or a
 * kernel that refuses them (a security policy may, with EPERM, where tracepoints load). Asked
 * once, by loading a do-nothing program on bpf_fentry_test1, the kernel's own fentry test target.
 */
static const char *kernel_fentry_refusal(void)
{
	static char why[128];
	static bool asked;
	const struct bpf_insn insns[] = { INSN_R0_ZERO, INSN_EXIT };
	int err;

	if (asked)
		return why[0] ? why : NULL;
	asked = true;
	if (!arch_has_trampolines())
		snprintf(why, sizeof(why), "no BPF trampolines on this kernel");
	else if ((err = fentry_load_error("bpf_fentry_test1", insns, 2)) == ENOENT)
		snprintf(why, sizeof(why), "the kernel's BTF does not describe bpf_fentry_test1");
	else if (err)
		snprintf(why, sizeof(why), "a test program on bpf_fentry_test1 did not load: %s",
			 strerror(err));
	return why[0] ? why : NULL;
}

/*
 * Whether an fentry program may read an int * argument: loads one that reads the second
 * argument (int *b) of bpf_modify_return_test, the kernel's own test target. Asked once.
 */
static bool kernel_fentry_int_ptr(void)
{
	static int has = -1;
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_1, .off = 8 },
		INSN_R0_ZERO,
		INSN_EXIT,
	};

	if (has < 0)
		has = !kernel_fentry_refusal() && !fentry_load_error("bpf_modify_return_test", insns, 3);
	return has;
}

/* "kernel R cannot attach kprobes (...)", and nor fentry programs if refusal says why. */
static void format_no_kprobes(char *buf, size_t size, const char *release, const char *refusal)
{
	int n = snprintf(buf, size,
			 "kernel %s cannot attach kprobes (no kprobe PMU and no kprobe_events: "
			 "CONFIG_KPROBE_EVENTS is off)",
			 release);

	if (refusal && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " nor fentry programs (%s)", refusal);
}

void require_function_hooks(const char *consequence)
{
	const char *refusal;
	char what[384];

	if (kernel_has_kprobes() || !(refusal = kernel_fentry_refusal()))
		return;
	format_no_kprobes(what, sizeof(what), kernel_release(), refusal);
	die("%s; %s", what, consequence);
}

bool hook_fentry_int_ptr_usable(const struct hook_set *plan)
{
	return plan->env->fentry_int_ptr && plan->env->fentry_int_ptr();
}

const struct hook_env *hook_env_kernel(void)
{
	static struct hook_env env;
	static bool built;

	if (!built) {
		env.release = kernel_release();
		env.functions = kernel_functions;
		env.tracepoint_exists = tracepoint_exists;
		env.btf_tracepoint_exists = btf_tracepoint_exists;
		env.module_loaded = module_loaded;
		env.btf_function_exists = kernel_func_exists;
		env.kprobes = kernel_has_kprobes();
		env.raw_tracepoints = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL) == 1;
		env.fentry_refusal = kernel_fentry_refusal;
		env.fentry_int_ptr = kernel_fentry_int_ptr;
		env.force_kprobe = env_flag("BPFNET_FORCE_KPROBE");
		built = true;
	}
	return &env;
}

const char *hook_kind_name(enum hook_kind kind)
{
	static const char *const names[] = {
		[HOOK_NONE] = "none",
		[HOOK_TP] = "tracepoint",
		[HOOK_RAW_TP] = "raw_tracepoint",
		[HOOK_TP_BTF] = "tp_btf",
		[HOOK_FENTRY] = "fentry",
		[HOOK_FEXIT] = "fexit",
		[HOOK_KPROBE] = "kprobe",
		[HOOK_KRETPROBE] = "kretprobe",
		[HOOK_UPROBE] = "uprobe",
		[HOOK_URETPROBE] = "uretprobe",
	};

	return names[kind];
}

static bool is_tracepoint(enum hook_kind kind)
{
	return kind == HOOK_TP || kind == HOOK_RAW_TP || kind == HOOK_TP_BTF;
}

/* A tracepoint kind that takes the tracepoint's arguments directly (no trace event record). */
static bool is_direct_tracepoint(enum hook_kind kind)
{
	return kind == HOOK_RAW_TP || kind == HOOK_TP_BTF;
}

static bool is_kprobe(enum hook_kind kind)
{
	return kind == HOOK_KPROBE || kind == HOOK_KRETPROBE;
}

/* A BPF trampoline program: fentry or fexit. */
static bool is_trampoline(enum hook_kind kind)
{
	return kind == HOOK_FENTRY || kind == HOOK_FEXIT;
}

static int ncand(const struct hook_def *d)
{
	int n = 0;

	while (n < HOOK_MAX_CANDIDATES && d->cand[n].kind != HOOK_NONE)
		n++;
	return n;
}

/* Whether exists() says yes to the "category:name" of target. */
static bool tracepoint_offered(bool (*exists)(const char *category, const char *name), const char *target)
{
	const char *colon = strchr(target, ':');
	char cat[64];

	if (!colon || (size_t)(colon - target) >= sizeof(cat))
		return false;
	snprintf(cat, sizeof(cat), "%.*s", (int)(colon - target), target);
	return exists(cat, colon + 1);
}

static bool uprobe_offered(const char *target)
{
	const char *colon = strrchr(target, ':');
	char path[512];

	if (!colon || (size_t)(colon - target) >= sizeof(path))
		return false;
	snprintf(path, sizeof(path), "%.*s", (int)(colon - target), target);
	return access(path, R_OK) == 0;
}

/* The symbol candidate c attaches to on env's kernel, NULL if env does not offer it. */
static const char *offered(const struct hook_set *s, const struct hook_env *env, const struct hook_def *d,
			   const struct hook_candidate *c, bool skip_tracepoints, bool skip_direct)
{
	bool tracepoint;

	if (c->usable && !c->usable(s))
		return NULL;
	tracepoint = is_tracepoint(c->kind) && !skip_tracepoints &&
		     !(skip_direct && is_direct_tracepoint(c->kind)) &&
		     tracepoint_offered(env->tracepoint_exists, c->target);
	switch (c->kind) {
	case HOOK_TP:
		return tracepoint ? c->target : NULL;
	case HOOK_RAW_TP:
		return tracepoint && env->raw_tracepoints ? c->target : NULL;
	case HOOK_TP_BTF:
		return tracepoint && env->btf_tracepoint_exists &&
				       tracepoint_offered(env->btf_tracepoint_exists, c->target)
			       ? c->target
			       : NULL;
	case HOOK_FENTRY:
	case HOOK_FEXIT:
		return env->fentry_refusal && !env->force_kprobe && env->btf_function_exists &&
				       !env->fentry_refusal() &&
				       env->btf_function_exists(c->target, d->module)
			       ? c->target
			       : NULL;
	case HOOK_KPROBE:
	case HOOK_KRETPROBE:
		if (!env->kprobes)
			return NULL;
		return c->clones ? ksyms_clone_name(env->functions(), c->target, c->clones)
				 : ksyms_attach_name(env->functions(), c->target);
	case HOOK_UPROBE:
	case HOOK_URETPROBE:
		return uprobe_offered(c->target) ? c->target : NULL;
	case HOOK_NONE:
		break;
	}
	return NULL;
}

/* The function a candidate names, as messages show it ("f", or "f.part.N" for its clones). */
static const char *cand_target(const struct hook_candidate *c, char *buf, size_t len)
{
	if (!c->clones || !is_kprobe(c->kind))
		return c->target;
	return ksyms_clone_pattern(c->target, c->clones, buf, len);
}

static void plan_one(const struct hook_set *s, int i, const struct hook_env *env)
{
	const struct hook_def *d = &s->defs[i];
	struct hook_choice *ch = &s->c[i];
	bool skip_tp = false, skip_direct = false, all_kprobes = true, any_fentry = false;
	struct strbuf tried = { 0 };
	char target[160];
	int n = ncand(d), turned_down = 0;

	ch->cand = NULL;
	ch->symbol = NULL;
	ch->why[0] = 0;
	ch->no_module = false;
	ch->inapplicable = false;
	if (ch->skip)
		return;
	/*
	 * BPFNET_FORCE_KPROBE tests the fallbacks: a kprobe or fentry stands in for every
	 * tracepoint, else a classic tracepoint for the raw and BTF ones before it.
	 */
	for (int k = 0; k < n; k++) {
		if (!is_tracepoint(d->cand[k].kind))
			skip_tp = env->force_kprobe && !d->keep_tracepoint;
		if (d->cand[k].kind == HOOK_TP)
			skip_direct = env->force_kprobe && !d->keep_tracepoint;
	}
	for (int k = 0; k < n && !ch->cand; k++) {
		const char *sym = offered(s, env, d, &d->cand[k], skip_tp, skip_direct);

		if (sym) {
			ch->cand = &d->cand[k];
			ch->symbol = sym;
			sb_free(&tried);
			return;
		}
		turned_down += d->cand[k].usable && !d->cand[k].usable(s);
		all_kprobes &= is_kprobe(d->cand[k].kind) || is_trampoline(d->cand[k].kind);
		any_fentry |= is_trampoline(d->cand[k].kind);
		sb_addf(&tried, "%s%s %s", tried.len ? ", " : "", hook_kind_name(d->cand[k].kind),
			cand_target(&d->cand[k], target, sizeof(target)));
	}
	/* Checked only now: a module built into the kernel (no /sys/module entry, no
	 * modules.builtin to say so) offers its probe points all the same. */
	if (d->module && !env->module_loaded(d->module)) {
		ch->no_module = true;
		snprintf(ch->why, sizeof(ch->why),
			 "kernel module %s is not loaded (%s needs it for %s); load it with `modprobe %s`",
			 d->module, s->tool, d->role, d->module);
	} else if (n && turned_down == n)
		ch->inapplicable = true;
	else if (n && all_kprobes && !env->kprobes) {
		size_t len;

		format_no_kprobes(ch->why, sizeof(ch->why), env->release,
				  any_fentry && env->fentry_refusal ? env->fentry_refusal() : NULL);
		len = strlen(ch->why);
		snprintf(ch->why + len, sizeof(ch->why) - len, ", needed for %s: %s", d->role, tried.buf);
	} else
		snprintf(ch->why, sizeof(ch->why),
			 "kernel %s has none of the probe points %s needs for %s: %s", env->release, s->tool,
			 d->role, tried.buf ? tried.buf : "(none)");
	sb_free(&tried);
}

void hook_set_init(struct hook_set *s, const struct hook_def *defs, int n, uint64_t skip)
{
	s->tool = tool_name();
	s->defs = defs;
	s->n = n;
	s->c = calloc((size_t)n + 1, sizeof(*s->c));
	if (!s->c)
		die("out of memory");
	for (int i = 0; i < n && i < 64; i++)
		s->c[i].skip = skip & (1ull << i);
	if (g_common.list_probes) {
		hook_list(stdout, s, hook_env_kernel());
		exit(0);
	}
}

static bool missing(const struct hook_set *s, int i)
{
	return !s->c[i].cand && !s->c[i].skip && !s->c[i].inapplicable;
}

static bool required_missing(const struct hook_set *s, int i)
{
	return missing(s, i) && !s->defs[i].optional;
}

int hook_plan(struct hook_set *s, const struct hook_env *env)
{
	int missing = 0;

	s->env = env;
	for (int i = 0; i < s->n; i++) {
		plan_one(s, i, env);
		missing += required_missing(s, i);
	}
	return missing;
}

static bool prog_used(const struct hook_set *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (s->c[i].cand && !strcmp(s->c[i].cand->prog, name))
			return true;
	return false;
}

void hook_check(const struct hook_set *s)
{
	for (int i = 0; i < s->n; i++)
		if (required_missing(s, i) && s->c[i].no_module)
			die("%s", s->c[i].why);
	for (int i = 0; i < s->n; i++)
		if (required_missing(s, i))
			die("%s", s->c[i].why);
	for (int i = 0; i < s->n && !s->quiet; i++)
		if (missing(s, i))
			log_warn("%s: %s disabled", s->c[i].why, s->defs[i].role);
}

void hook_prepare(struct hook_set *s, struct bpf_object *obj)
{
	struct bpf_program *prog;

	hook_plan(s, hook_env_kernel());
	hook_check(s);
	for (int i = 0; i < s->n; i++) {
		struct hook_choice *ch = &s->c[i];

		if (!ch->cand)
			continue;
		ch->prog = bpf_object__find_program_by_name(obj, ch->cand->prog);
		if (!ch->prog)
			die("internal error: %s has no BPF program %s", s->tool, ch->cand->prog);
		/* The section names one function; the candidate may name another (an older name). */
		if (is_trampoline(ch->cand->kind) && bpf_program__set_attach_target(ch->prog, 0, ch->symbol))
			die("cannot set the %s target %s of %s: %s", hook_kind_name(ch->cand->kind),
			    ch->symbol, ch->cand->prog, strerror(errno));
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, prog_used(s, bpf_program__name(prog)));
}

/*
 * By address where the name is one function's: the kernel then skips its own lookup of the
 * name, before 6.2 a scan of every symbol (most of a tool's start on 5.10 under emulation).
 * libbpf takes names only for legacy kprobe_events (no kprobe PMU).
 */
static struct bpf_link *attach_kprobe(const struct hook_choice *ch)
{
	uint64_t addr = kernel_has_kprobe_pmu() ? ksyms_unique_addr(kernel_functions(), ch->symbol) : 0;
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = ch->cand->kind == HOOK_KRETPROBE, .offset = addr);

	return bpf_program__attach_kprobe_opts(ch->prog, addr ? NULL : ch->symbol, &opts);
}

static struct bpf_link *attach_one(const struct hook_choice *ch)
{
	const char *target = ch->symbol;
	const char *colon = strchr(target, ':');
	char cat[64];

	switch (ch->cand->kind) {
	case HOOK_TP:
		snprintf(cat, sizeof(cat), "%.*s", (int)(colon - target), target);
		return bpf_program__attach_tracepoint(ch->prog, cat, colon + 1);
	case HOOK_RAW_TP:
		return bpf_program__attach_raw_tracepoint(ch->prog, colon + 1);
	case HOOK_TP_BTF: /* the target is in the program's section name */
	case HOOK_FENTRY:
	case HOOK_FEXIT:
		return bpf_program__attach_trace(ch->prog);
	case HOOK_KPROBE:
	case HOOK_KRETPROBE:
		return attach_kprobe(ch);
	case HOOK_UPROBE:
	case HOOK_URETPROBE: {
		char path[512];
		LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = strrchr(target, ':') + 1,
			    .retprobe = ch->cand->kind == HOOK_URETPROBE);

		snprintf(path, sizeof(path), "%.*s", (int)(strrchr(target, ':') - target), target);
		return bpf_program__attach_uprobe_opts(ch->prog, -1, path, 0, &opts);
	}
	case HOOK_NONE:
		break;
	}
	errno = EINVAL;
	return NULL;
}

bool hook_attach_one(struct hook_set *s, int i)
{
	struct hook_choice *ch = &s->c[i];

	if (!ch->cand) {
		errno = ENOENT;
		return false;
	}
	ch->link = attach_one(ch);
	ch->failed = !ch->link;
	return ch->link != NULL;
}

void hook_attach(struct hook_set *s)
{
	for (int i = 0; i < s->n; i++) {
		char desc[160];

		if (!hook_chosen(s, i) || hook_attach_one(s, i))
			continue;
		if (!s->defs[i].optional)
			die("cannot attach %s: %s", hook_describe(s, i, desc, sizeof(desc)), strerror(errno));
		log_warn("cannot attach %s: %s: %s disabled", hook_describe(s, i, desc, sizeof(desc)),
			 strerror(errno), s->defs[i].role);
	}
}

/* Runs of prog the kernel skipped: it does not nest BPF programs on a CPU (5.12+ counts them). */
static __u64 recursion_misses(const struct bpf_program *prog)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(prog);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.recursion_misses;
}

void hook_detach(struct hook_set *s)
{
	for (int i = s->n - 1; i >= 0; i--) {
		char desc[160];
		__u64 missed;

		if (!s->c[i].link)
			continue;
		missed = recursion_misses(s->c[i].prog);
		if (missed)
			log_warn("the kernel skipped %s %llu times (another BPF program was running on that "
				 "CPU): those events are missing",
				 hook_describe(s, i, desc, sizeof(desc)), (unsigned long long)missed);
		bpf_link__destroy(s->c[i].link);
		s->c[i].link = NULL;
	}
}

const struct hook_candidate *hook_chosen(const struct hook_set *s, int i)
{
	return s->c[i].cand;
}

bool hook_active(const struct hook_set *s, int i)
{
	return s->c[i].cand && !s->c[i].failed;
}

const char *hook_describe(const struct hook_set *s, int i, char *buf, size_t len)
{
	const struct hook_choice *ch = &s->c[i];

	if (!ch->cand)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s %s", hook_kind_name(ch->cand->kind), ch->symbol);
	return buf;
}

void hook_print(FILE *f, const struct hook_set *s)
{
	char desc[160];

	for (int i = 0; i < s->n; i++)
		if (hook_active(s, i))
			fprintf(f, "Probe: %s\n", hook_describe(s, i, desc, sizeof(desc)));
}

void hook_list(FILE *f, struct hook_set *s, const struct hook_env *env)
{
	char desc[160], target[160];

	hook_plan(s, env);
	if (!s->n)
		fprintf(f, "no probes of its own\n");
	for (int i = 0; i < s->n; i++) {
		const struct hook_def *d = &s->defs[i];

		fprintf(f, "%s (%s%s%s):\n", d->role, d->optional ? "optional" : "required",
			d->module ? ", module " : "", d->module ? d->module : "");
		for (int k = 0; k < ncand(d); k++)
			fprintf(f, "  %s %s%s\n", hook_kind_name(d->cand[k].kind),
				cand_target(&d->cand[k], target, sizeof(target)),
				d->cand[k].usable && !d->cand[k].usable(s) ? " (not usable here)" : "");
		if (s->c[i].skip)
			fprintf(f, "  not used with these options\n");
		else if (s->c[i].inapplicable)
			fprintf(f, "  not used on this kernel (no candidate applies)\n");
		else if (!s->c[i].cand)
			fprintf(f, "  none on this kernel: %s\n", s->c[i].why);
		else
			fprintf(f, "  chosen: %s\n", hook_describe(s, i, desc, sizeof(desc)));
	}
}
