// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_btf.h"

#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argparse.h"
#include "log.h"

#define BTF_HOWTO                                                                                            \
	"produce one from the kernel's debuginfo with `pahole --btf_encode_detached=FILE vmlinux` "          \
	"(README: \"Kernels without BTF\")"

static struct btf *btf_parse_checked(const char *path)
{
	struct btf *btf = btf__parse(path, NULL);
	long err = libbpf_get_error(btf);

	if (err == -ENOENT) /* the file exists: an ELF file without a .BTF section */
		die("BTF file %s is an ELF file without BTF (no .BTF section): %s", path, BTF_HOWTO);
	if (err == -EACCES || err == -EPERM)
		die("BTF file %s: %s", path, strerror(-(int)err));
	if (err)
		die("BTF file %s is not a valid BTF file: %s", path, BTF_HOWTO);
	return btf;
}

/*
 * A directory laid out as /sys/kernel/btf: "vmlinux" plus one standalone BTF file per module.
 * libbpf relocates against one file only, so the module types are appended to vmlinux's and
 * the copies of kernel types each module carries are merged away (btf__dedup).
 */
static struct btf *btf_dir_merge(const char *dir)
{
	char path[4096];
	struct dirent *e;
	struct btf *merged;
	DIR *d;

	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	if (access(path, F_OK))
		die("BTF directory %s has no vmlinux file (it holds vmlinux and one file per module, "
		    "as /sys/kernel/btf does): %s",
		    dir, BTF_HOWTO);
	merged = btf_parse_checked(path);
	d = opendir(dir);
	if (!d)
		die("BTF directory %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct btf *module;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		module = btf_parse_checked(path);
		if (btf__add_btf(merged, module) < 0)
			die("BTF file %s cannot be merged with %s/vmlinux: a module's BTF must be "
			    "standalone (pahole without --btf_base)",
			    path, dir);
		btf__free(module);
	}
	closedir(d);
	if (btf__dedup(merged, NULL))
		die("BTF directory %s: its files do not describe one kernel", dir);
	return merged;
}

/* The merged BTF as a file libbpf can open (an unlinked memory file). */
static const char *btf_memfile(const struct btf *btf)
{
	static char path[64];
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	int fd = memfd_create("bpfnet-btf", 0);

	if (fd < 0 || write(fd, raw, size) != (ssize_t)size)
		die("cannot write the merged BTF to a memory file: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return path;
}

static struct btf *btf_given;
static const char *btf_given_path;

const struct btf *btf_file(void)
{
	const char *path = g_common.btf_path;
	struct stat st;

	if (!path || btf_given)
		return btf_given;
	if (stat(path, &st))
		die("BTF file %s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		btf_given = btf_dir_merge(path);
		btf_given_path = btf_memfile(btf_given);
	} else {
		btf_given = btf_parse_checked(path);
		btf_given_path = path;
	}
	return btf_given;
}

const char *btf_file_path(void)
{
	btf_file();
	return btf_given_path;
}

/* The running kernel's parsed BTF (vmlinux, modules), dropped by kernel_btf_release. */
static struct {
	struct btf *vmlinux; /* of /sys/kernel/btf, also under --btf (running_kernel_btf) */
	bool vmlinux_tried;
	struct {
		char name[64];
		struct btf *btf;
	} modules[8];
	unsigned nmodules;
} parsed;

static struct btf *sysfs_vmlinux(void)
{
	if (!parsed.vmlinux_tried) {
		parsed.vmlinux_tried = true;
		parsed.vmlinux = btf__load_vmlinux_btf();
		if (libbpf_get_error(parsed.vmlinux))
			parsed.vmlinux = NULL;
	}
	return parsed.vmlinux;
}

const struct btf *kernel_btf(void)
{
	return g_common.btf_path ? btf_file() : sysfs_vmlinux();
}

const struct btf *running_kernel_btf(void)
{
	return sysfs_vmlinux();
}

void kernel_btf_release(void)
{
	for (unsigned i = 0; i < parsed.nmodules; i++)
		btf__free(parsed.modules[i].btf);
	btf__free(parsed.vmlinux);
	memset(&parsed, 0, sizeof(parsed));
}

/*
 * The BTF of a loaded module, split on the kernel's, parsed once per module (tools ask about
 * several functions and types of the same module); NULL with --btf or when absent.
 */
static const struct btf *module_btf(const char *module)
{
	struct btf *mod;
	unsigned slot;

	if (!module || g_common.btf_path || !sysfs_vmlinux())
		return NULL;
	for (unsigned i = 0; i < parsed.nmodules; i++)
		if (!strcmp(parsed.modules[i].name, module))
			return parsed.modules[i].btf;
	mod = btf__load_module_btf(module, sysfs_vmlinux());
	if (libbpf_get_error(mod))
		mod = NULL;
	/* more modules than any tool probes: reuse the last slot */
	slot = parsed.nmodules < 8 ? parsed.nmodules++ : 7;
	btf__free(parsed.modules[slot].btf);
	snprintf(parsed.modules[slot].name, sizeof(parsed.modules[slot].name), "%s", module);
	parsed.modules[slot].btf = mod;
	return mod;
}

static bool in_btf(const struct btf *btf, const char *name, int kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) > 0;
}

bool kernel_struct_exists(const char *name, const char *module)
{
	return kernel_btf() && (in_btf(kernel_btf(), name, BTF_KIND_STRUCT) ||
				in_btf(module_btf(module), name, BTF_KIND_STRUCT));
}

bool kernel_func_exists(const char *func, const char *module)
{
	bool in_vmlinux = in_btf(running_kernel_btf(), func, BTF_KIND_FUNC);

	/*
	 * A module's function whose name the core kernel also has (static irqfd_wakeup: kvm's
	 * and Xen privcmd's) is ambiguous: an fentry program would attach to the core's.
	 */
	if (module)
		return !in_vmlinux && in_btf(module_btf(module), func, BTF_KIND_FUNC);
	return in_vmlinux;
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
	const struct btf *mod = module_btf(module);

	return mod ? struct_arg(mod, func, type_name) : -1;
}

/* The BTF holding enum name and its id: the kernel's (or --btf), else module's; NULL if none. */
static const struct btf *find_enum(const char *name, const char *module, int *id)
{
	const struct btf *btf = kernel_btf();

	if (!btf)
		return NULL;
	*id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);
	if (*id > 0)
		return btf;
	btf = module_btf(module);
	if (!btf)
		return NULL;
	*id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);
	return *id > 0 ? btf : NULL;
}

bool kernel_enum_exists(const char *name, const char *module)
{
	int id;

	return find_enum(name, module, &id) != NULL;
}

const char *kernel_enum_value_name(const char *name, const char *module, long long value)
{
	int id;
	const struct btf *btf = find_enum(name, module, &id);

	if (!btf)
		return NULL;
	const struct btf_type *t = btf__type_by_id(btf, (__u32)id);
	const struct btf_enum *e = btf_enum(t);

	for (int i = 0; i < btf_vlen(t); i++, e++)
		if (e->val == value)
			return btf__name_by_offset(btf, e->name_off);
	return NULL;
}
