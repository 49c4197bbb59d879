/* Kernel function prototypes from BTF: which argument of a function carries a given struct. */
#pragma once

/*
 * The 1-based position of the first parameter of kernel function func whose type is a
 * pointer to struct type_name (e.g. "sk_buff"), from the kernel's BTF (or --btf) and then
 * from the BTF of module (NULL: none). 0 when the function takes no such parameter, -1 when
 * no BTF describes the function (old kernel, module not loaded): decide another way.
 */
int kfunc_struct_arg(const char *func, const char *module, const char *type_name);
