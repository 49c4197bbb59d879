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
