// SPDX-License-Identifier: GPL-2.0-only
#include "btf_fixture.h"

#include <bpf/btf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "argparse.h"
#include "kernel_btf.h"
#include "runtime.h"
#include "ksyms.h"

static const char *const series[FIXTURE_KERNELS] = { "5.10", "6.1", "6.12" };
static const char *const releases[FIXTURE_KERNELS] = { "5.10.0-32-amd64", "6.1.0-57-amd64",
						       "6.12.118+deb12-amd64" };
static char dir[512];

const char *fixture_series(enum fixture_kernel k)
{
	return series[k];
}

static const struct hook_env *fixture_env_current;

static const char *fentry_accepted(void)
{
	return NULL;
}

/* The modules' functions of <series>.kallsyms (with their clones), read once. */
static const char *module_symbols(void)
{
	static char text[8192];
	char path[640];
	FILE *f;

	if (!text[0]) {
		snprintf(path, sizeof(path), "%s.kallsyms", dir);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_lt(fread(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
		fclose(f);
	}
	return text;
}

/*
 * The BTF's functions (the lab kernels' System.map is not shipped, their images are
 * stripped) and the modules' symbols, as a kallsyms file.
 */
static const struct ksyms *fixture_functions(void)
{
	static struct ksyms *ks;
	const struct btf *btf = kernel_btf();
	char path[64];
	FILE *f;
	int fd;

	if (ks)
		return ks;
	fd = memfd_create("fixture-kallsyms", 0);
	ck_assert_int_ge(fd, 0);
	f = fdopen(dup(fd), "w");
	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_func(t))
			fprintf(f, "%llx T %s\n", 0xffffffff81000000ull + id,
				btf__name_by_offset(btf, t->name_off));
	}
	fputs(module_symbols(), f);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ks = ksyms_load(path);
	close(fd);
	ck_assert_ptr_nonnull(ks);
	return ks;
}

static bool btf_tracepoint(const char *category, const char *name)
{
	char typedef_name[128];

	(void)category; /* btf_trace_<name> does not name the category */
	snprintf(typedef_name, sizeof(typedef_name), "btf_trace_%s", name);
	return btf__find_by_name_kind(kernel_btf(), typedef_name, BTF_KIND_TYPEDEF) > 0;
}

/* Loaded: the fixture has its BTF or its functions. */
static bool fixture_module(const char *module)
{
	char path[640], tag[80];

	snprintf(path, sizeof(path), "%s/%s", dir, module);
	snprintf(tag, sizeof(tag), "[%s]\n", module);
	return access(path, R_OK) == 0 || strstr(module_symbols(), tag);
}

/* The fixture kernel's own vmlinux BTF (without its modules'), parsed once per kernel. */
static const struct btf *fixture_vmlinux(void)
{
	static struct btf *parsed[FIXTURE_KERNELS];
	static char parsed_dir[FIXTURE_KERNELS][sizeof(dir)];
	char path[640];

	for (int k = 0; k < FIXTURE_KERNELS; k++)
		if (parsed[k] && !strcmp(parsed_dir[k], dir))
			return parsed[k];
	for (int k = 0; k < FIXTURE_KERNELS; k++) {
		if (parsed[k])
			continue;
		snprintf(path, sizeof(path), "%s/vmlinux", dir);
		parsed[k] = btf__parse(path, NULL);
		ck_assert_msg(!libbpf_get_error(parsed[k]), "%s: not BTF", path);
		snprintf(parsed_dir[k], sizeof(parsed_dir[k]), "%s", dir);
		return parsed[k];
	}
	ck_abort_msg("more fixture kernels than FIXTURE_KERNELS");
	return NULL;
}

/*
 * What fentry can name: the fixture BTF's functions, a module's only from 5.11 (modules have
 * no BTF of their own before; the 5.10 fixture's module files come from debuginfo, as --btf).
 * A hook without a module looks in vmlinux only (kernel_func_exists): a function of a module
 * (virtio_ring on 5.10 and 6.1) is no fentry target there.
 */
static bool fixture_btf_function(const char *func, const char *module)
{
	const struct hook_env *env = fixture_env_current;

	if (module && release_below(env->release, 5, 11))
		return false;
	if (!module)
		return btf__find_by_name_kind(fixture_vmlinux(), func, BTF_KIND_FUNC) > 0;
	return btf__find_by_name_kind(kernel_btf(), func, BTF_KIND_FUNC) > 0;
}

/* fentry reads int * arguments from 5.17 (5.10 refuses them). */
static bool fixture_fentry_int_ptr(void)
{
	return !release_below(fixture_env_current->release, 5, 17);
}

const struct hook_env *fixture_env(enum fixture_kernel k)
{
	static struct hook_env env;

	snprintf(dir, sizeof(dir), "%s/%s", BTF_FIXTURE_DIR, series[k]);
	g_common.btf_path = dir;
	ck_assert_ptr_nonnull(kernel_btf());
	env = (struct hook_env){
		.release = releases[k],
		.functions = fixture_functions,
		.tracepoint_exists = btf_tracepoint,
		.btf_tracepoint_exists = btf_tracepoint,
		.module_loaded = fixture_module,
		.btf_function_exists = fixture_btf_function,
		.kprobes = true,
		.raw_tracepoints = true,
		.fentry_refusal = fentry_accepted,
		.fentry_int_ptr = fixture_fentry_int_ptr,
	};
	fixture_env_current = &env;
	return &env;
}

void fixture_check_plan(enum fixture_kernel k, const char *tool, const struct hook_table *table,
			const fixture_outcomes *want, int nwant)
{
	const struct hook_env *env = fixture_env(k);
	struct hook_choice *choices = calloc((size_t)table->n, sizeof(*choices));
	struct hook_set s = { tool, table->defs, table->n, choices };
	char buf[160], got[200];

	ck_assert_int_eq(table->n, nwant);
	hook_plan(&s, env);
	for (int i = 0; i < s.n; i++) {
		if (s.c[i].inapplicable)
			snprintf(got, sizeof(got), "n/a");
		else if (!s.c[i].cand)
			snprintf(got, sizeof(got), "none");
		else
			snprintf(got, sizeof(got), "%s [%s]", hook_describe(&s, i, buf, sizeof(buf)),
				 s.c[i].cand->prog);
		ck_assert_msg(!strcmp(got, want[i][k]), "%s on %s, hook %d (%s): got \"%s\", want \"%s\"",
			      tool, fixture_series(k), i, s.defs[i].cand[0].target, got, want[i][k]);
	}
	free(choices);
}

const char *fixture_forced_programs(enum fixture_kernel k, const struct hook_table *table)
{
	static char got[512];
	struct hook_env env = *fixture_env(k);
	struct hook_choice *choices = calloc((size_t)table->n, sizeof(*choices));
	struct hook_set s = { "forced", table->defs, table->n, choices };

	env.force_kprobe = true;
	hook_plan(&s, &env);
	got[0] = 0;
	for (int i = 0; i < s.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? " " : "",
			 s.c[i].cand ? s.c[i].cand->prog : "none");
	free(choices);
	return got;
}
