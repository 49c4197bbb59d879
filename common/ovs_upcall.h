/* SPDX-License-Identifier: GPL-2.0-only */
/* What the OVS tools share about upcalls: the ovs_dp_upcall hook and the upcall commands' names. */
#pragma once
#include <stdbool.h>

#include "hook.h"

/* OVS_PACKET_CMD_* of include/uapi/linux/openvswitch.h that an upcall carries. */
#define OVS_UPCALL_MISS 1
#define OVS_UPCALL_ACTION 2

/* "MISS", "ACTION", or NULL for another command. */
const char *ovs_upcall_cmd_name(unsigned cmd);

/* The tracepoint's record is a module type: usable only where the module's BTF describes it. */
bool ovs_upcall_tracepoint_usable(const struct hook_set *plan);

/*
 * The hook on ovs_dp_upcall(): the openvswitch:ovs_dp_upcall tracepoint (program tp_prog,
 * reading the record with ovs_upcall_from_tp) where the kernel has it, else a kprobe (kp_prog,
 * ovs_upcall_from_kprobe); both in common/bpf/ovs_upcall.bpf.h.
 */
// clang-format off
#define OVS_UPCALL_HOOK(tp_prog, kp_prog)                                                                    \
	{ "ovs_dp_upcall",                                                                                   \
	  { { HOOK_TP, tp_prog, "openvswitch:ovs_dp_upcall", ovs_upcall_tracepoint_usable },                 \
	    { HOOK_KPROBE, kp_prog, "ovs_dp_upcall" } },                                                     \
	  "openvswitch" }
// clang-format on
