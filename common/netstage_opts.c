// SPDX-License-Identifier: GPL-2.0-only
/*
 * The options the system-network latency tools share: the interface list, the filters and
 * directions they set in the configuration, and the banner lines that show them.
 */
#include <ctype.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "filter.h"
#include "log.h"
#include "netstage.h"
#include "runtime.h"

const char *const netstage_proto_choices[] = { "tcp", "udp", "all", NULL };
const char *const netstage_proto_icmp_choices[] = { "tcp", "udp", "icmp", "all", NULL };
const char *const netstage_dir_choices[] = {
	[NETSTAGE_DIR_TX] = "tx",
	[NETSTAGE_DIR_RX] = "rx",
	[NETSTAGE_DIR_BOTH] = "both",
	NULL,
};

static char *strip(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

void netstage_phy_opt(const char *flag, const char *text, struct iface_set *set)
{
	char *copy = strdup(text ? text : ""), *save = NULL, *item;
	char *names[PKT_MAX_IFACES];
	int n = 0;

	if (!copy)
		die("out of memory");
	memset(set, 0, sizeof(*set));
	/* strtok_r would merge empty items: split by hand so that "a,,b" is an error. */
	for (item = copy; item; item = save) {
		save = strchr(item, ',');
		if (save)
			*save++ = 0;
		item = strip(item);
		if (!*item)
			arg_fail("argument %s: empty interface name in '%s'", flag, arg_shown(text));
		if (strlen(item) >= IFNAMSIZ)
			arg_fail("argument %s: interface name '%s' too long (max %d characters)", flag,
				 arg_shown(item), IFNAMSIZ - 1);
		if (n == PKT_MAX_IFACES)
			arg_fail("argument %s: at most %d interfaces: '%s'", flag, PKT_MAX_IFACES,
				 arg_shown(text));
		names[n++] = item;
	}
	for (int i = 0; i < n; i++)
		iface_set_add(set, names[i]);
	if (n == 1)
		set->ifindex[1] = set->ifindex[0];
	free(copy);
}

/* The --protocol value to NS_PROTO_* bits; all (0) = all_bits. */
static unsigned netstage_protocols(uint8_t protocol, unsigned all_bits)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return NS_PROTO_TCP;
	case IPPROTO_UDP:
		return NS_PROTO_UDP;
	case IPPROTO_ICMP:
		return NS_PROTO_ICMP;
	default:
		return all_bits;
	}
}

/* --direction to NS_DIR_BIT bits. */
static unsigned netstage_dirs(enum netstage_direction direction)
{
	static const unsigned bits[] = {
		[NETSTAGE_DIR_TX] = NS_DIR_BIT(NS_TX),
		[NETSTAGE_DIR_RX] = NS_DIR_BIT(NS_RX),
		[NETSTAGE_DIR_BOTH] = NS_DIRS_ALL,
	};

	return bits[direction];
}

unsigned netstage_opts_apply(struct netstage_config *cfg, const struct netstage_opts *o,
			     unsigned all_protocols, unsigned *dirs)
{
	unsigned protocols = netstage_protocols(o->protocol, all_protocols);

	*dirs = netstage_dirs(o->direction);
	cfg->filter = pkt_filter_ipv4(o->src_ip, o->dst_ip, o->src_port, o->dst_port, 0, NS_FILTER_FLAGS);
	cfg->protocols = (__u8)protocols;
	cfg->stale_ns = (__u64)(o->session_timeout * 1e9);
	if (o->latency_us > 0)
		cfg->report_min_ns = (__u64)(o->latency_us * 1000);
	return protocols;
}

void netstage_opts_resolve(struct netstage_config *cfg, const struct netstage_opts *o)
{
	netstage_phy_opt(arg_flag_of(&o->phy_interface), o->phy_interface, &cfg->phy);
	cfg->netns_inum = netns_inum();
}

void netstage_print_filters(FILE *f, const struct netstage_config *cfg, const struct netstage_opts *o,
			    const char *direction_note)
{
	static const char *const direction_shown[] = {
		[NETSTAGE_DIR_TX] = "TX",
		[NETSTAGE_DIR_RX] = "RX",
		[NETSTAGE_DIR_BOTH] = "BOTH",
	};
	char proto[8];

	snprintf(proto, sizeof(proto), "%s", l4proto_choice(netstage_proto_icmp_choices, o->protocol));
	for (char *p = proto; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	fprintf(f, "Protocol filter: %s\n", proto);
	fprintf(f, "Direction filter: %s%s\n", direction_shown[o->direction], direction_note);
	char addr[16];

	if (cfg->filter.sfamily)
		fprintf(f, "%s filter: %s\n", cfg->filter.flags & PKT_F_EITHER_ADDR ? "VM IP" : "Source IP",
			ipv4_format(cfg->filter.saddr[0], addr, sizeof(addr)));
	if (cfg->filter.dfamily)
		fprintf(f, "Destination IP filter: %s\n",
			ipv4_format(cfg->filter.daddr[0], addr, sizeof(addr)));
	if (cfg->filter.sport)
		fprintf(f, "Source port filter: %u\n", cfg->filter.sport);
	if (cfg->filter.dport)
		fprintf(f, "Destination port filter: %u\n", cfg->filter.dport);
}

void netstage_print_threshold(FILE *f, const struct netstage_opts *o)
{
	if (o->latency_us > 0)
		fprintf(f, "Latency threshold: >= %.3f us (only reporting flows exceeding this latency)\n",
			o->latency_us);
}

void netstage_print_phy(FILE *f, const char *names, const struct iface_set *phy)
{
	fprintf(f, "Physical interfaces: %s (ifindex %u", names, phy->ifindex[0]);
	for (int i = 1; i < PKT_MAX_IFACES && phy->ifindex[i]; i++)
		fprintf(f, ", %u", phy->ifindex[i]);
	fprintf(f, ")\n");
}
