/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arm64 KVM's vGIC types the arm KVM interrupt tool reads (include/kvm/arm_vgic.h), declared
 * for CO-RE with only the fields used, so that the BPF object also compiles against a vmlinux.h
 * without them (x86_64). arm64 KVM is built into vmlinux: libbpf relocates against its BTF.
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

struct vgic_irq___bpfnet {
	__u32 intid; /* the guest's interrupt ID: SGI 0-15, PPI 16-31, SPI 32-1019, LPI 8192+ */
} __attribute__((preserve_access_index));
