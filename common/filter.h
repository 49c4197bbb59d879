/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Addresses, L4 protocols and interfaces as the tools' filters take them (the option kinds of
 * argparse.h parse the text with these), and filling struct pkt_filter and struct iface_set.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/pkt_key.h"

struct ip_addr {
	int family; /* 4 or 6; 0 = none given */
	uint8_t bytes[16]; /* network order; IPv4 in bytes[0..3] */
};

/* Parses a strict dotted-quad IPv4 or an IPv6 address; false if it is neither. */
bool ip_parse(const char *text, struct ip_addr *out);
/* Formats an address (IPv6 in RFC 5952 compressed form). */
const char *ip_format(const struct ip_addr *a, char *buf, size_t len);
/* Formats a network-order IPv4 address. */
const char *ipv4_format(uint32_t be_addr, char *buf, size_t len);

/* L4 protocol by name (all, icmp, tcp, udp, icmpv6, sctp) or number 0-255; -1 if invalid. */
int l4proto_parse(const char *text);
/* The i-th protocol name l4proto_parse knows ("all", "icmp", ...), NULL past the last. */
const char *l4proto_word(size_t i);
/* "TCP", "UDP", "ICMP", "ICMPv6" or the decimal number. */
const char *l4proto_name(int proto, char *buf, size_t len);
/* The first of choices (NULL-terminated) that l4proto_parse reads as proto, or NULL. */
const char *l4proto_choice(const char *const *choices, int proto);

/* Sets the source or destination address filter of f; an address of family 0 (not given) sets none. */
void filter_set_addr(struct pkt_filter *f, bool source, const struct ip_addr *a);
/* The same for a network-order IPv4 address; 0.0.0.0 sets none. */
void filter_set_ipv4(struct pkt_filter *f, bool source, uint32_t be_addr);
/*
 * The packet filter of a tool whose settings are IPv4 addresses (network order), ports and an
 * L4 protocol, 0 meaning any, matched the way flags (PKT_F_*) say.
 */
struct pkt_filter pkt_filter_ipv4(uint32_t saddr, uint32_t daddr, uint16_t sport, uint16_t dport,
				  uint8_t l4proto, uint8_t flags);

/* Resolves an interface name to its ifindex; exits 1 with a clear message if it does not exist. */
int iface_index(const char *name);
/*
 * Adds the interface name to set, by its ifindex in this network namespace (the set's); exits 1
 * if it does not exist (as iface_index()) or set is full.
 */
void iface_set_add(struct iface_set *set, const char *name);
/*
 * For filters that match device names in every network namespace: warns when no interface
 * of that name exists in this one (it may live in another namespace).
 */
void iface_name_check(const char *name);
