/* Whether the kernel's BTF describes a type, for choosing probe points whose BPF side reads it. */
#pragma once
#include <stdbool.h>

/*
 * True when struct name is in the kernel's BTF (or the --btf file) or, with module set and no
 * --btf, in that module's BTF (/sys/kernel/btf/<module>). libbpf relocates CO-RE accesses
 * against the same files, so a false answer means those accesses would not resolve.
 */
bool kernel_struct_exists(const char *name, const char *module);
