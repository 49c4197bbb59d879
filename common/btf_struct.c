#include "btf_struct.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "argparse.h"

static bool has_struct(const struct btf *btf, const char *name)
{
	return btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT) > 0;
}

bool kernel_struct_exists(const char *name, const char *module)
{
	struct btf *base, *mod;
	bool found;

	base = g_common.btf_path ? btf__parse(g_common.btf_path, NULL) : btf__load_vmlinux_btf();
	if (libbpf_get_error(base))
		return false;
	found = has_struct(base, name);
	if (!found && module && !g_common.btf_path) {
		mod = btf__load_module_btf(module, base);
		if (!libbpf_get_error(mod)) {
			found = has_struct(mod, name);
			btf__free(mod);
		}
	}
	btf__free(base);
	return found;
}
