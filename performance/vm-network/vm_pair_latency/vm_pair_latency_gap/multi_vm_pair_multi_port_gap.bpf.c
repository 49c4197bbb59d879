// SPDX-License-Identifier: GPL-2.0-only
/* multi_vm_pair_multi_port_gap: the shared kernel side of the VM pair tools, in its gap mode. */
#include "vm_pair.bpf.h"

BPFNET_LICENSE;
