/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Opening and loading a tool's BPF object: the modern or the legacy variant, the kernel's BTF
 * or an external one, and one clear line (plus a saved verifier log) when the kernel says no.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "log.h"

/* Routes libbpf's messages into a buffer (stderr too with BPFNET_DEBUG=1). */
void bpfload_init(void);
/* True when the legacy object must be used: no ring buffer, or BPFNET_FORCE_LEGACY=1. */
bool bpfload_use_legacy(void);
/*
 * Opens a skeleton from its embedded object, or from the legacy object's bytes when
 * bpfload_use_legacy(): both gzip-compressed (cmake/BpfEmbed.cmake), inflated here. Dies on error.
 */
void bpfload_open(struct bpf_object_skeleton *s, const void *legacy, size_t legacy_size);
/* Loads (verifies) every program; dies with the cause and the path of the saved log on failure. */
void bpfload_load(struct bpf_object_skeleton *s);
/* The object's map of that name; a missing one is an internal error (dies naming it). */
struct bpf_map *bpfload_map(struct bpf_object *obj, const char *name);
/* Writes a tool's configuration into its one-element config_map. */
void bpfload_write_config(struct bpf_map *config_map, const void *cfg, size_t size);
/*
 * Sums slots 0..n-1 of a per-CPU u64 array over the possible CPUs into out[]; a slot that
 * cannot be read is 0.
 */
void bpfload_percpu_sums(struct bpf_map *map, uint32_t n, uint64_t *out);
/* One slot of such an array (or of a per-CPU hash with u32 keys), summed. */
uint64_t bpfload_percpu_sum(struct bpf_map *map, uint32_t key);
/* The libbpf messages captured so far. */
const char *bpfload_log(void);

/* Allocates and opens the skeleton "name" (e.g. eth_drop_bpf) with the right variant. */
#define BPFNET_OPEN(name)                                                                                    \
	({                                                                                                   \
		struct name *obj_ = calloc(1, sizeof(*obj_));                                                \
		size_t legacy_size_;                                                                         \
		const void *legacy_ = name##_legacy__elf_bytes(&legacy_size_);                               \
		if (!obj_ || name##__create_skeleton(obj_))                                                  \
			die("out of memory");                                                                \
		bpfload_open(obj_->skeleton, legacy_, legacy_size_);                                         \
		obj_;                                                                                        \
	})
