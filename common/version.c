// SPDX-License-Identifier: GPL-2.0-only
#include "version.h"

#include <bpf/libbpf.h>
#include <string.h>

#include "json.h"
#include "zbytes.h"

static struct {
	const char *name, *variant;
	const void *(*elf_bytes)(size_t *size);
} registered[VERSION_MAX_OBJECTS];
static int nregistered;

void version_add_bpf_object(const char *name, const char *variant, const void *(*elf_bytes)(size_t *size))
{
	for (int i = 0; i < nregistered; i++)
		if (!strcmp(registered[i].name, name) && !strcmp(registered[i].variant, variant))
			return;
	if (nregistered == VERSION_MAX_OBJECTS)
		return;
	registered[nregistered].name = name;
	registered[nregistered].variant = variant;
	registered[nregistered].elf_bytes = elf_bytes;
	nregistered++;
}

struct version_info version_current(const char *tool)
{
	struct version_info v = {
		.tool = tool,
		.suite = bpfnet_suite_version,
		.git_revision = bpfnet_git_revision,
		.build_date = bpfnet_build_date,
		.libbpf_major = (int)libbpf_major_version(),
		.libbpf_minor = (int)libbpf_minor_version(),
		.nobjects = nregistered,
	};

	for (int i = 0; i < nregistered; i++) {
		size_t zlen = 0;
		const void *z = registered[i].elf_bytes(&zlen);

		v.objects[i] = (struct bpf_object_info){ registered[i].name, registered[i].variant,
							 zbytes_size(z, zlen) };
	}
	return v;
}

/* What each variant of cmake/BpfTool.cmake needs from the kernel. */
static const char *variant_note(const char *variant)
{
	if (!strcmp(variant, "modern"))
		return "events through the BPF ring buffer, kernel 5.8+";
	if (!strcmp(variant, "legacy"))
		return "events through a perf buffer, kernel 4.19+";
	return "";
}

static void write_json(FILE *f, const struct version_info *v)
{
	struct json j;
	char libbpf[32];

	snprintf(libbpf, sizeof(libbpf), "%d.%d", v->libbpf_major, v->libbpf_minor);
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "tool", v->tool);
	json_str(&j, "version", v->suite);
	json_str(&j, "git_revision", v->git_revision);
	json_str(&j, "libbpf", libbpf);
	json_str(&j, "build_date", v->build_date);
	json_arr(&j, "bpf_objects");
	for (int i = 0; i < v->nobjects; i++) {
		json_obj(&j, NULL);
		json_str(&j, "name", v->objects[i].name);
		json_str(&j, "variant", v->objects[i].variant);
		json_uint(&j, "bytes", v->objects[i].bytes);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

void version_write(FILE *f, const struct version_info *v, bool json)
{
	if (json) {
		write_json(f, v);
		return;
	}
	fprintf(f, "%s (bpfnet-tools) %s\n", v->tool, v->suite);
	fprintf(f, "git revision: %s\n", v->git_revision);
	fprintf(f, "libbpf: %d.%d\n", v->libbpf_major, v->libbpf_minor);
	fprintf(f, "build date: %s\n", v->build_date);
	if (!v->nobjects)
		fprintf(f, "BPF objects: none (this tool loads no BPF object of its own)\n");
	else
		fprintf(f, "BPF objects:\n");
	for (int i = 0; i < v->nobjects; i++) {
		const struct bpf_object_info *o = &v->objects[i];

		const char *note = variant_note(o->variant);

		fprintf(f, "  %s.%s.bpf.o  %zu bytes%s%s\n", o->name, o->variant, o->bytes, *note ? "  " : "",
			note);
	}
	fflush(f);
}
