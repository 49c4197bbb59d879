// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary_arm: the probes of kvm_irqfd_stats_summary (kvm_irqfd.bpf.h) and
 * the arm64 vGIC's end of the chain for the same VMs: the interrupts queued to a vCPU
 * (vgic_queue_irq_unlock) and put in its list registers on guest entry (vgic_v2/v3_populate_lr).
 */
/* arm64: kvm_arch_set_irq_inatomic returns 0 once injected (an ITS cache hit), -EWOULDBLOCK to defer. */
#define KIRQ_ATOMIC_INJECTED(ret) ((ret) == 0)
#include "kvm_irqfd.bpf.h"
#include "kmod/kvm_vgic.h"

BPFNET_MAP(vgic_counts, BPF_MAP_TYPE_HASH, struct kirq_vgic_key, __u64, KIRQ_COUNTS_MAX);

/* No kernel-address test beyond NULL: arm64 tagged pointers (MTE, HW-tag KASAN) start 0xff.. too. */
static __always_inline void count_vgic(void *kvm, void *irq, __u32 version)
{
	struct kirq_vgic_key key = {};

	/* No vGIC in this kernel's BTF (x86): the read below stays dead code, and the object loads. */
	if (!bpf_core_field_exists(((struct vgic_irq___bpfnet *)0)->intid))
		return;
	if (!kvm || !irq)
		return;
	key.kvm = (__u64)kvm;
	if (!bpf_map_lookup_elem(&active_vms, &key.kvm))
		return;
	key.intid = BPF_CORE_READ((struct vgic_irq___bpfnet *)irq, intid);
	key.version = version;
	hash_counter_inc(&vgic_counts, &key, &counters, KIRQ_FULL_VGIC);
}

SEC("kprobe/vgic_queue_irq_unlock")
int BPF_KPROBE(kirq_vgic_queue, void *kvm, void *irq)
{
	count_vgic(kvm, irq, 0);
	return 0;
}

/* Runs on every guest entry with interrupts off: the handlers stay this small. */
SEC("kprobe/vgic_v2_populate_lr")
int BPF_KPROBE(kirq_vgic_v2_lr, void *vcpu, void *irq)
{
	if (vcpu)
		count_vgic(BPF_CORE_READ((struct kvm_vcpu___bpfnet *)vcpu, kvm), irq, 2);
	return 0;
}

SEC("kprobe/vgic_v3_populate_lr")
int BPF_KPROBE(kirq_vgic_v3_lr, void *vcpu, void *irq)
{
	if (vcpu)
		count_vgic(BPF_CORE_READ((struct kvm_vcpu___bpfnet *)vcpu, kvm), irq, 3);
	return 0;
}

BPFNET_LICENSE;
