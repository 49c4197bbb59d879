/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lab kernels (5.10, 6.1, 6.12) as the planner and the BTF questions see them, from the
 * fixture BTF of tests/fixtures/btf/<series> (made by its make.sh from the lab cache).
 */
#pragma once
#include "hook.h"

enum fixture_kernel { K5_10, K6_1, K6_12, FIXTURE_KERNELS };

/* "5.10", "6.1", "6.12". */
const char *fixture_series(enum fixture_kernel k);
/*
 * Points --btf at the fixture directory of k (its vmlinux and module files are merged) and
 * returns the planner's view of k: functions are the BTF's functions and those of
 * <series>.kallsyms (modules, with GCC clones), a tracepoint exists when its btf_trace_<name>
 * typedef does, a module is loaded when the fixture has its BTF or its functions; kprobes, raw
 * tracepoints and fentry are available. Call once per process (the BTF is cached).
 */
const struct hook_env *fixture_env(enum fixture_kernel k);

/* A hook's outcome on each kernel: "<kind> <symbol> [<program>]", "none" (missing), "n/a". */
typedef const char *fixture_outcomes[FIXTURE_KERNELS];
#define SAME(x)                                                                                              \
	{                                                                                                    \
		x, x, x                                                                                      \
	} /* the same outcome on 5.10, 6.1 and 6.12 */

/* Plans table on k (fixture_env) and asserts each hook's outcome; nwant must be table's size. */
void fixture_check_plan(enum fixture_kernel k, const char *tool, const struct hook_table *table,
			const fixture_outcomes *want, int nwant);
/* In a loop test (tcase_add_loop_test over the kernels): the kernel of this run. */
#define K (enum fixture_kernel) _i
/* The programs table's plan on k under BPFNET_FORCE_KPROBE=1 chooses, one per hook ("none"), space-separated. */
const char *fixture_forced_programs(enum fixture_kernel k, const struct hook_table *table);
#define CHECK_PLAN(tool, table, want) fixture_check_plan(K, tool, table, want, (int)ARRAY_SIZE(want))
