// SPDX-License-Identifier: GPL-2.0-only
#include "linkstats.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "util.h"

/* RTM_GETLINK for one interface by name; the answer carries IFLA_STATS64. */
static int netlink_stats(const char *name, struct rtnl_link_stats64 *out)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req = { 0 };
	char buf[16384];
	struct rtattr *rta;
	size_t namelen = strlen(name) + 1;
	int fd, n, err = -ENODATA;

	if (namelen > IFNAMSIZ)
		return -ENODEV;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.ifi))));
	rta->rta_type = IFLA_IFNAME;
	rta->rta_len = (unsigned short)RTA_LENGTH(namelen);
	memcpy(RTA_DATA(rta), name, namelen);
	req.nh.nlmsg_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.ifi))) + RTA_ALIGN(rta->rta_len);
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		err = -errno;
		goto out;
	}
	n = (int)recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned)n);
	     nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nh);

			err = e->error ? e->error : -ENODATA;
			break;
		}
		if (nh->nlmsg_type != RTM_NEWLINK)
			continue;
		struct ifinfomsg *ifi = NLMSG_DATA(nh);
		int len = (int)IFLA_PAYLOAD(nh);

		for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
			if (rta->rta_type == IFLA_STATS64 && RTA_PAYLOAD(rta) >= sizeof(*out)) {
				memcpy(out, RTA_DATA(rta), sizeof(*out));
				err = 0;
			}
		}
		break;
	}
out:
	close(fd);
	return err;
}

static int sysfs_counter(const char *name, const char *counter, __u64 *v)
{
	char path[128];
	unsigned long long x;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", name, counter);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? -ENODEV : -errno;
	ok = fscanf(f, "%llu", &x) == 1;
	fclose(f);
	if (!ok)
		return -EIO;
	*v = x;
	return 0;
}

/* sysfs reflects the namespace it was mounted in, which may not be the caller's: last resort. */
static int sysfs_stats(const char *name, struct rtnl_link_stats64 *out)
{
	static const struct {
		const char *file;
		size_t off;
	} fields[] = {
		{ "rx_packets", offsetof(struct rtnl_link_stats64, rx_packets) },
		{ "tx_packets", offsetof(struct rtnl_link_stats64, tx_packets) },
		{ "rx_bytes", offsetof(struct rtnl_link_stats64, rx_bytes) },
		{ "tx_bytes", offsetof(struct rtnl_link_stats64, tx_bytes) },
		{ "rx_errors", offsetof(struct rtnl_link_stats64, rx_errors) },
		{ "tx_errors", offsetof(struct rtnl_link_stats64, tx_errors) },
		{ "rx_dropped", offsetof(struct rtnl_link_stats64, rx_dropped) },
		{ "tx_dropped", offsetof(struct rtnl_link_stats64, tx_dropped) },
	};

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		int err = sysfs_counter(name, fields[i].file, (__u64 *)((char *)out + fields[i].off));

		if (err)
			return err;
	}
	return 0;
}

int link_stats_read(const char *name, struct rtnl_link_stats64 *out, char *err, size_t errlen)
{
	int rc = netlink_stats(name, out);

	if (rc == -ENODEV || (rc && (rc = sysfs_stats(name, out)) == -ENODEV)) {
		snprintf(err, errlen, "no interface '%s' in this network namespace", name);
		return -ENODEV;
	}
	if (rc)
		snprintf(err, errlen, "cannot read the counters of %s: %s", name, strerror(-rc));
	return rc;
}
