/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a header shared by the BPF programs and user space needs on either side: the kernel's
 * fixed-width types (from vmlinux.h in BPF, <linux/types.h> in user space) and __always_inline.
 */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <stdbool.h>
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
