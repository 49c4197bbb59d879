// SPDX-License-Identifier: GPL-2.0-only
#include "ovs_upcall.h"
#include "kernel_btf.h"

const char *ovs_upcall_cmd_name(unsigned cmd)
{
	switch (cmd) {
	case OVS_UPCALL_MISS:
		return "MISS";
	case OVS_UPCALL_ACTION:
		return "ACTION";
	default:
		return NULL;
	}
}

bool ovs_upcall_tracepoint_usable(const struct hook_set *plan)
{
	(void)plan;
	return kernel_struct_exists("trace_event_raw_ovs_dp_upcall", "openvswitch");
}
