#include "kernel_btf.h"

#include <bpf/libbpf.h>
#include <string.h>

#include "argparse.h"

const struct btf *kernel_btf(void)
{
	static struct btf *btf;
	static bool tried;

	if (!tried) {
		tried = true;
		btf = g_common.btf_path ? btf__parse(g_common.btf_path, NULL) : btf__load_vmlinux_btf();
		if (libbpf_get_error(btf))
			btf = NULL;
	}
	return btf;
}

/* The BTF of a loaded module, split on the kernel's; NULL with --btf or when absent. */
static struct btf *module_btf(const char *module)
{
	struct btf *mod;

	if (!module || g_common.btf_path || !kernel_btf())
		return NULL;
	mod = btf__load_module_btf(module, (struct btf *)kernel_btf());
	return libbpf_get_error(mod) ? NULL : mod;
}

bool kernel_struct_exists(const char *name, const char *module)
{
	const struct btf *base = kernel_btf();
	struct btf *mod;
	bool found;

	if (!base)
		return false;
	if (btf__find_by_name_kind(base, name, BTF_KIND_STRUCT) > 0)
		return true;
	mod = module_btf(module);
	found = mod && btf__find_by_name_kind(mod, name, BTF_KIND_STRUCT) > 0;
	btf__free(mod);
	return found;
}

static const struct btf_type *skip_modifiers(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static int struct_arg(const struct btf *btf, const char *func, const char *type_name)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);

	if (id < 0)
		return -1;
	const struct btf_type *proto = btf__type_by_id(btf, btf__type_by_id(btf, (__u32)id)->type);

	if (!proto || !btf_is_func_proto(proto))
		return -1;
	const struct btf_param *p = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++, p++) {
		const struct btf_type *t = skip_modifiers(btf, p->type);

		if (!t || !btf_is_ptr(t))
			continue;
		t = skip_modifiers(btf, t->type);
		if (t && btf_is_struct(t) && !strcmp(btf__name_by_offset(btf, t->name_off), type_name))
			return i + 1;
	}
	return 0;
}

int kfunc_struct_arg(const char *func, const char *module, const char *type_name)
{
	const struct btf *base = kernel_btf();
	int pos;

	if (!base)
		return -1;
	pos = struct_arg(base, func, type_name);
	if (pos >= 0)
		return pos;
	struct btf *mod = module_btf(module);

	if (!mod)
		return -1;
	pos = struct_arg(mod, func, type_name);
	btf__free(mod);
	return pos;
}
