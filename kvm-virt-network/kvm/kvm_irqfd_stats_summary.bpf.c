// SPDX-License-Identifier: GPL-2.0-only
/* kvm_irqfd_stats_summary: the probes both KVM irqfd tools share (kvm_irqfd.bpf.h), nothing more. */
#include "kvm_irqfd.bpf.h"

BPFNET_LICENSE;
