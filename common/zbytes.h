/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF objects a tool embeds are gzip streams (cmake/BpfEmbed.cmake): their size and their
 * bytes inflated, for bpfload_open() and --version.
 */
#pragma once
#include <stddef.h>

/* The size of the data the gzip stream z holds (its trailer's), 0 when z is too short to be one. */
size_t zbytes_size(const void *z, size_t zlen);
/*
 * Inflates the gzip stream z into a new buffer (free() it) of *len bytes; on a stream that is
 * not gzip, truncated, corrupt or followed by other bytes returns NULL with *len 0 and why in
 * err (errlen bytes).
 */
void *zbytes_inflate(const void *z, size_t zlen, size_t *len, char *err, size_t errlen);
