// SPDX-License-Identifier: GPL-2.0-only
#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

bool ip_parse(const char *text, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!text)
		return false;
	if (strchr(text, ':')) {
		out->family = 6;
		return inet_pton(AF_INET6, text, out->bytes) == 1;
	}
	out->family = 4;
	return inet_pton(AF_INET, text, out->bytes) == 1;
}

const char *ip_format(const struct ip_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *ipv4_format(uint32_t be_addr, char *buf, size_t len)
{
	struct ip_addr a = { .family = 4 };

	memcpy(a.bytes, &be_addr, 4);
	return ip_format(&a, buf, len);
}

static const struct {
	const char *name;
	int proto;
} l4_names[] = {
	{ "all", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 }, { "sctp", 132 },
};

const char *l4proto_word(size_t i)
{
	return i < ARRAY_SIZE(l4_names) ? l4_names[i].name : NULL;
}

int l4proto_parse(const char *text)
{
	char *end;
	long v;

	if (!text)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(l4_names); i++)
		if (!strcasecmp(text, l4_names[i].name))
			return l4_names[i].proto;
	errno = 0;
	v = strtol(text, &end, 10);
	if (!*text || *end || errno || v < 0 || v > 255)
		return -1;
	return (int)v;
}

const char *l4proto_name(int proto, char *buf, size_t len)
{
	switch (proto) {
	case 1:
		return "ICMP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 58:
		return "ICMPv6";
	default:
		snprintf(buf, len, "%d", proto);
		return buf;
	}
}

const char *l4proto_choice(const char *const *choices, int proto)
{
	for (int i = 0; choices && choices[i]; i++)
		if (l4proto_parse(choices[i]) == proto)
			return choices[i];
	return NULL;
}

void filter_set_addr(struct pkt_filter *f, bool source, const struct ip_addr *a)
{
	if (!a->family)
		return;
	memcpy(source ? f->saddr : f->daddr, a->bytes, 16);
	if (source)
		f->sfamily = (uint8_t)a->family;
	else
		f->dfamily = (uint8_t)a->family;
}

void filter_set_ipv4(struct pkt_filter *f, bool source, uint32_t be_addr)
{
	struct ip_addr a = { .family = be_addr ? 4 : 0 };

	memcpy(a.bytes, &be_addr, 4);
	filter_set_addr(f, source, &a);
}

struct pkt_filter pkt_filter_ipv4(uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport,
				  uint8_t l4proto, uint8_t flags)
{
	struct pkt_filter f = { .l4proto = l4proto, .flags = flags, .sport = sport, .dport = dport };

	filter_set_ipv4(&f, true, saddr);
	filter_set_ipv4(&f, false, daddr);
	return f;
}

int iface_index(const char *name)
{
	unsigned idx = if_nametoindex(name);

	if (!idx)
		die("interface '%s' not found (see `ip link show`)", name);
	return (int)idx;
}

void iface_set_add(struct iface_set *set, const char *name)
{
	int i = 0;

	while (i < PKT_MAX_IFACES && set->ifindex[i])
		i++;
	if (i == PKT_MAX_IFACES)
		die("cannot add interface '%s': at most %d interfaces", name, PKT_MAX_IFACES);
	set->ifindex[i] = (uint32_t)iface_index(name);
	set->netns = netns_inum();
}

void iface_name_check(const char *name)
{
	if (!if_nametoindex(name))
		log_warn("no interface '%s' in this network namespace; matching that name in all "
			 "namespaces",
			 name);
}
