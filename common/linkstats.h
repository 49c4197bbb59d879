/* SPDX-License-Identifier: GPL-2.0-only */
/* Interface counters as `ip -s link` shows them: rtnetlink IFLA_STATS64, else sysfs. */
#pragma once
#include <linux/if_link.h>
#include <stddef.h>

/*
 * Reads the 64-bit counters of interface name in the caller's network namespace. Returns 0,
 * or -ENODEV when there is no such interface, or another -errno with a reason in err.
 */
int link_stats_read(const char *name, struct rtnl_link_stats64 *out, char *err, size_t errlen);
