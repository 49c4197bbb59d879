// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary: per interval, the irqfd wakeups of one VM (its QEMU process and
 * vhost-<pid> threads) and the injections and vCPU kicks they led to, per VM, irqfd and vCPU.
 * The run and the report are kvm_irqfd_run.c's, shared with kvm_irqfd_stats_summary_arm.
 */
#include <stdlib.h>

#include "bpfload.h"
#include "hook.h"
#include "kvm_irqfd_stats_summary.h"
#include "kvm_irqfd_stats_summary.skel.h"
#include "log.h"

static const struct hook_def hook_defs[] = { KIRQ_COMMON_HOOK_DEFS };
const struct hook_table kirq_hook_table = { hook_defs, KIRQ_HOOKS };

KIRQ_SKELETON_OPS(kvm_irqfd_stats_summary_bpf)

static void print_attached(const struct hook_set *hooks)
{
	for (int i = 0; i < KIRQ_HOOKS; i++)
		if (i != KIRQ_HOOK_ARCH_RET)
			printf("Successfully attached to %s\n", hooks->c[i].symbol);
}

int main(int argc, char **argv)
{
	static const struct kirq_tool tool = {
		.prog = "kvm_irqfd_stats_summary",
		.description =
			"VM interrupt statistics: irqfd wakeups, injections and vCPU kicks of one QEMU "
			"process",
		.hooks = &kirq_hook_table,
		.open = kirq_open_skel,
		.destroy = kirq_destroy_skel,
		.print_attached = print_attached,
		.print_banner = kirq_print_banner,
	};

	return kirq_run(&tool, argc, argv);
}
