/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --version of every tool: the suite's version, the git revision and date of the build (both
 * fixed when CMake configures, cmake/BuildInfo.cmake), the libbpf linked in, and the BPF objects
 * the executable embeds: each <tool>.skel.h (cmake/BpfTool.cmake) registers its variants
 * (modern, legacy) from a constructor.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Written by CMake into build/gen/build_info.c. */
extern const char bpfnet_suite_version[]; /* project(VERSION), e.g. "0.1.0" */
extern const char bpfnet_git_revision[]; /* abbreviated commit, "unknown" outside git */
extern const char bpfnet_build_date[]; /* UTC, YYYY-MM-DD; from $SOURCE_DATE_EPOCH when set */

struct bpf_object_info {
	const char *name; /* the object's tool, e.g. "eth_drop" */
	const char *variant; /* "modern", "legacy" */
	size_t bytes; /* size of the embedded ELF object */
};

#define VERSION_MAX_OBJECTS 16

struct version_info {
	const char *tool;
	const char *suite;
	const char *git_revision;
	const char *build_date;
	int libbpf_major, libbpf_minor;
	int nobjects;
	struct bpf_object_info objects[VERSION_MAX_OBJECTS];
};

/*
 * Records an embedded BPF object variant; elf_bytes is its skeleton's <skel>__elf_bytes (the
 * gzip-compressed object), called only by version_current(), which gives the object's size. A second registration of the same name and variant is ignored.
 */
void version_add_bpf_object(const char *name, const char *variant, const void *(*elf_bytes)(size_t *size));
/* This build's information for tool. */
struct version_info version_current(const char *tool);
/*
 * Writes v as text (a "tool (bpfnet-tools) version" line, then "key: value" lines and one line
 * per BPF object) or, with json, as one JSON object.
 */
void version_write(FILE *f, const struct version_info *v, bool json);
