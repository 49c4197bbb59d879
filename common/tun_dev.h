/* SPDX-License-Identifier: GPL-2.0-only */
/* What the host-side tun/tap tools check before they load: the tun driver, its types, the device. */
#pragma once
#include <stdbool.h>
#include <stdio.h>

/* Dies naming the cause unless the tun driver is loaded and its types' BTF is at hand (or --btf). */
void tun_require(void);
/* Whether /sys/class/net/<name> under sysfs_root is a tun or tap device (it has tun_flags). */
bool tun_device_is_tun(const char *sysfs_root, const char *name);
/* Dies unless an interface name exists in this network namespace and is a tun/tap device. */
void tun_device_require(const char *name);
/*
 * The banner's filter lines of the tun/vhost tools: "Device filter: <dev>" or "... All TUN
 * devices", "Queue filter: <queue><queue_suffix>" or "... All queues" (queue < 0).
 */
void tun_print_filters(FILE *f, const char *dev, int queue, const char *queue_suffix);
