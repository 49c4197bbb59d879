/* SPDX-License-Identifier: GPL-2.0-only */
/* Questions answered from the running kernel's BTF (or the --btf file) and its modules' BTF. */
#pragma once
#include <bpf/btf.h>
#include <stdbool.h>

/*
 * The --btf (or $BPFNET_BTF) BTF, checked and parsed once: a file, or a directory laid out as
 * /sys/kernel/btf (vmlinux + standalone module BTF files, merged into one). Dies naming the
 * path and the fix when it cannot serve. NULL when none was given.
 */
const struct btf *btf_file(void);
/* The path libbpf relocates against for --btf (the merged file for a directory); NULL: none. */
const char *btf_file_path(void);
/* The BTF of the running kernel, or of --btf / $BPFNET_BTF, loaded once; NULL if none. */
const struct btf *kernel_btf(void);
/*
 * Frees the running kernel's parsed BTF (vmlinux and modules; not --btf's); the next question
 * parses it again. bpfload_load calls it before libbpf parses its own copy, so that a tool
 * does not hold two (~5 MB each) at its peak.
 */
void kernel_btf_release(void);

/*
 * True when struct name is in the kernel's BTF (or the --btf file) or, with module set and no
 * --btf, in that module's BTF (/sys/kernel/btf/<module>). libbpf relocates CO-RE accesses
 * against the same files, so a false answer means those accesses would not resolve.
 */
bool kernel_struct_exists(const char *name, const char *module);

/* The running kernel's own vmlinux BTF, even under --btf (BPF trampolines attach through it); NULL if none. */
const struct btf *running_kernel_btf(void);
/*
 * True when the running kernel's own BTF describes function func, unambiguously: what an
 * fentry program attaches by. Without module, /sys/kernel/btf/vmlinux (even under --btf); with
 * module, the loaded module's BTF (none under --btf), and the core kernel has no function of
 * that name.
 */
bool kernel_func_exists(const char *func, const char *module);

/*
 * The 1-based position of the first parameter of kernel function func whose type is a
 * pointer to struct type_name (e.g. "sk_buff"), from the kernel's BTF (or --btf) and then
 * from the BTF of module (NULL: none). 0 when the function takes no such parameter, -1 when
 * no BTF describes the function (old kernel, module not loaded): decide another way.
 */
int kfunc_struct_arg(const char *func, const char *module, const char *type_name);

/* Whether enum name is in the kernel's BTF (or --btf) or, with module set, in that module's BTF. */
bool kernel_enum_exists(const char *name, const char *module);
/* The name of value in enum name (looked up as kernel_enum_exists does); NULL if not there. */
const char *kernel_enum_value_name(const char *name, const char *module, long long value);
