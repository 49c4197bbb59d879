// SPDX-License-Identifier: GPL-2.0-only
/* multi_vm_pair_latency_pairid: the shared kernel side of the VM pair latency tools. */
#include "vm_pair.bpf.h"

BPFNET_LICENSE;
