/*
 * Parsing of the filter options shared by the tools (addresses, ports, protocols, EtherTypes,
 * interfaces, directions, VLANs) into struct flow_filter and friends. The *_opt functions
 * report bad input argparse-style, naming the flag, and exit with status 2.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/flow_filter.h"

struct ip_addr {
	int family;		/* 4 or 6 */
	uint8_t bytes[16];	/* network order; IPv4 in bytes[0..3] */
};

/* Parses dotted IPv4 or IPv6 text; false if it is neither. */
bool ip_parse(const char *text, struct ip_addr *out);
/* Formats an address (IPv6 in RFC 5952 compressed form). */
const char *ip_format(const struct ip_addr *a, char *buf, size_t len);
/* Formats a network-order IPv4 address. */
const char *ipv4_format(uint32_t be_addr, char *buf, size_t len);

/* L4 protocol by name (all, icmp, tcp, udp, icmpv6, sctp) or number 0-255; -1 if invalid. */
int l4proto_parse(const char *text);
/* "TCP", "UDP", "ICMP", "ICMPv6" or the decimal number. */
const char *l4proto_name(int proto, char *buf, size_t len);

/* Fills the source or destination address of f from an option value (NULL: no filter). */
void filter_addr_opt(struct flow_filter *f, bool source, const char *flag, const char *text,
		     bool ipv4_only);
/*
 * An IPv4 filter option in network order, in inet_aton syntax as the originals parsed it ("10.1"
 * accepted; NULL or 0.0.0.0 = no filter); exits 2 if invalid.
 */
uint32_t ipv4_aton_opt(const char *flag, const char *text);
/* A port option value (0 = no filter); exits 2 if outside 0-65535. */
uint16_t port_opt(const char *flag, long value);
/* An L4 protocol option value; exits 2 if unknown. */
uint8_t l4proto_opt(const char *flag, const char *text);
/* A VLAN id option value (0 = no filter); exits 2 if outside 0-4095. */
uint16_t vlan_opt(const char *flag, long value);

/* Resolves an interface name to its ifindex; exits 1 with a clear message if it does not exist. */
int iface_index(const char *name);
/*
 * For filters that match device names in every network namespace: warns when no interface
 * of that name exists in this one (it may live in another namespace).
 */
void iface_name_check(const char *name);
/* Checks an interface name fits IFNAMSIZ; exits 2 naming the flag otherwise. */
void iface_name_opt(const char *flag, const char *name);

enum direction { DIR_BOTH = 0, DIR_RX = 1, DIR_TX = 2 };
/* "rx", "tx", "both" (also "ingress"/"egress"); exits 2 naming the flag otherwise. */
enum direction direction_opt(const char *flag, const char *text);
