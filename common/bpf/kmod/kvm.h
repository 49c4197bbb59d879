/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kvm module's types the KVM interrupt tools read (include/linux/kvm_irqfd.h,
 * include/linux/kvm_host.h), declared for CO-RE with only the fields used. libbpf relocates
 * them against the kvm module's BTF (5.10: the --btf directory, which must hold kvm), so the
 * irqfd layout differences between kernels (vendor members, lockdep) need no offsets here.
 */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

#define KVM_ROUTING_MSI 2 /* KVM_IRQ_ROUTING_MSI */

struct kvm_routing_msi___bpfnet {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
} __attribute__((preserve_access_index));

struct kvm_kernel_irq_routing_entry___bpfnet {
	__u32 gsi;
	__u32 type;
	union {
		struct kvm_routing_msi___bpfnet msi;
	};
} __attribute__((preserve_access_index));

struct kvm_kernel_irqfd___bpfnet {
	void *kvm; /* struct kvm * */
	wait_queue_entry_t wait;
	int gsi;
	struct kvm_kernel_irq_routing_entry___bpfnet irq_entry;
	void *eventfd; /* struct eventfd_ctx * */
} __attribute__((preserve_access_index));

struct kvm_vcpu___bpfnet {
	void *kvm;
	int vcpu_id;
} __attribute__((preserve_access_index));

/* The irqfd whose wait queue entry wait is (container_of). */
static __always_inline struct kvm_kernel_irqfd___bpfnet *kvm_irqfd_of_wait(void *wait)
{
	return (void *)((char *)wait - bpf_core_field_offset(struct kvm_kernel_irqfd___bpfnet, wait));
}

/*
 * The x86 interrupt vector an irqfd's route delivers (the low byte of the MSI data), or -1
 * when the route is not an MSI (an IOAPIC/PIC pin, or no route cached yet).
 */
static __always_inline int kvm_irqfd_msi_vector(struct kvm_kernel_irqfd___bpfnet *irqfd)
{
	if (BPF_CORE_READ(irqfd, irq_entry.type) != KVM_ROUTING_MSI)
		return -1;
	return BPF_CORE_READ(irqfd, irq_entry.msi.data) & 0xff;
}
