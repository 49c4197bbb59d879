// SPDX-License-Identifier: GPL-2.0-only
#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

#include "kernel_btf.h"
#include "log.h"
#include "runtime.h"
#include "tun_dev.h"

void tun_require(void)
{
	require_module("tun", "the tools watch the tun driver's transmit path");
	if (!kernel_struct_exists("tun_struct", "tun"))
		die("no BTF for the tun module (struct tun_struct, the tap's queues and rings): "
		    "pass a BTF directory with --btf DIR or BPFNET_BTF (README, \"Kernels without BTF\")");
}

bool tun_device_is_tun(const char *sysfs_root, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/class/net/%s/tun_flags", sysfs_root, name);
	return access(path, F_OK) == 0;
}

void tun_device_require(const char *name)
{
	if (!if_nametoindex(name))
		die("interface %s not found", name);
	if (!tun_device_is_tun("/sys", name))
		die("interface %s is not a tun/tap device (no /sys/class/net/%s/tun_flags)", name, name);
}

void tun_print_filters(FILE *f, const char *dev, int queue, const char *queue_suffix)
{
	if (dev)
		fprintf(f, "Device filter: %s\n", dev);
	else
		fprintf(f, "Device filter: All TUN devices\n");
	if (queue >= 0)
		fprintf(f, "Queue filter: %d%s\n", queue, queue_suffix);
	else
		fprintf(f, "Queue filter: All queues\n");
}
