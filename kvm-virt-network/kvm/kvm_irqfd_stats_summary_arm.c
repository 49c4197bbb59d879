// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary_arm: kvm_irqfd_stats_summary for arm64 hosts, plus the vGIC's end of
 * the chain per VM and interrupt ID: queued to a vCPU (vgic_queue_irq_unlock) and put in a
 * GICv2/GICv3 list register on guest entry (vgic_v2/v3_populate_lr). The run and the report are
 * kvm_irqfd_run.c's, shared with the x86 tool.
 */
#include <stdlib.h>

#include "bpfload.h"
#include "hook.h"
#include "ksyms.h"
#include "kvm_irqfd_stats_summary.h"
#include "kvm_irqfd_stats_summary_arm.skel.h"
#include "log.h"
#include "runtime.h"

/*
 * The vGIC probes are optional each (the original required vgic_queue_irq_unlock; the tool
 * still counts what it can where a kernel inlined it); with none of them the tool refuses.
 */
static const struct hook_def hook_defs[] = {
	KIRQ_COMMON_HOOK_DEFS,
	[KIRQ_HOOK_VGIC_QUEUE] = { "vGIC queueing",
				   { { HOOK_KPROBE, "kirq_vgic_queue", "vgic_queue_irq_unlock" } },
				   "kvm",
				   true },
	[KIRQ_HOOK_VGIC_V2] = { "GICv2 list register",
				{ { HOOK_KPROBE, "kirq_vgic_v2_lr", "vgic_v2_populate_lr" } },
				"kvm",
				true },
	[KIRQ_HOOK_VGIC_V3] = { "GICv3 list register",
				{ { HOOK_KPROBE, "kirq_vgic_v3_lr", "vgic_v3_populate_lr" } },
				"kvm",
				true },
};
const struct hook_table kirq_arm_hook_table = { hook_defs, KIRQ_ARM_HOOKS };

KIRQ_SKELETON_OPS(kvm_irqfd_stats_summary_arm_bpf)

bool kirq_has_vgic(const struct ksyms *ks)
{
	for (int i = KIRQ_HOOK_VGIC_QUEUE; i < KIRQ_ARM_HOOKS; i++)
		if (ksyms_attach_name(ks, hook_defs[i].cand[0].target))
			return true;
	return false;
}

/* An x86 (or a KVM-less arm64) kernel has no vGIC: one line instead of counts that stay 0. */
static void check_kernel(void)
{
	const struct ksyms *ks = ksyms_kernel();

	/* No symbol list: the hook planner says what is missing. */
	if (ks && !kirq_has_vgic(ks))
		die("kernel %s has no function vgic_queue_irq_unlock (nor vgic_v2/v3_populate_lr): "
		    "kvm_irqfd_stats_summary_arm is the arm64 variant, for hosts with KVM's vGIC; "
		    "on this host use kvm_irqfd_stats_summary",
		    kernel_release());
}

static void print_attached(const struct hook_set *hooks)
{
	static const int order[] = { KIRQ_HOOK_WAKEUP,     KIRQ_HOOK_ARCH, KIRQ_HOOK_MSI,
				     KIRQ_HOOK_VGIC_QUEUE, KIRQ_HOOK_KICK, KIRQ_HOOK_VGIC_V2,
				     KIRQ_HOOK_VGIC_V3 };
	static const char *const why[KIRQ_ARM_HOOKS] = {
		[KIRQ_HOOK_VGIC_QUEUE] = "inlined or renamed in this kernel; vgic_queue counts stay 0",
		[KIRQ_HOOK_VGIC_V2] = "system may use GICv3",
		[KIRQ_HOOK_VGIC_V3] = "system may use GICv2",
	};

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		int i = order[k];

		if (hook_active(hooks, i))
			printf("Successfully attached to %s\n", hooks->c[i].symbol);
		else
			printf("Note: %s not available (%s)\n", hooks->defs[i].cand[0].target, why[i]);
	}
}

int main(int argc, char **argv)
{
	static const struct kirq_tool tool = {
		.prog = "kvm_irqfd_stats_summary_arm",
		.description =
			"VM interrupt statistics on arm64 hosts: irqfd wakeups, injections, vCPU kicks "
			"and vGIC list-register injections of one QEMU process",
		.hooks = &kirq_arm_hook_table,
		.vgic = true,
		.open = kirq_open_skel,
		.destroy = kirq_destroy_skel,
		.check_kernel = check_kernel,
		.print_attached = print_attached,
		.print_banner = kirq_arm_print_banner,
	};

	return kirq_run(&tool, argc, argv);
}
