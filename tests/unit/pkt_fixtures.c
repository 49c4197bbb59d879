// SPDX-License-Identifier: GPL-2.0-only
#include "pkt_fixtures.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The packets are built before the tests run, where Check's assertions cannot report. */
#define BUILD_CHECK(cond)                                                                                    \
	do {                                                                                                 \
		if (!(cond)) {                                                                               \
			fprintf(stderr, "pkt_fixtures: %s failed\n", #cond);                                 \
			abort();                                                                             \
		}                                                                                            \
	} while (0)

static uint8_t *pkt_grow(struct pkt_bytes *p, size_t n)
{
	BUILD_CHECK(p->len + n <= sizeof(p->b));
	p->len += n;
	return p->b + p->len - n;
}

static void put16(uint8_t *at, uint16_t v)
{
	at[0] = (uint8_t)(v >> 8);
	at[1] = (uint8_t)v;
}

void pkt_start(struct pkt_bytes *p)
{
	memset(p, 0, sizeof(*p));
}

void pkt_raw(struct pkt_bytes *p, size_t n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		*pkt_grow(p, 1) = (uint8_t)va_arg(ap, int);
	va_end(ap);
}

void pkt_be16(struct pkt_bytes *p, size_t n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		put16(pkt_grow(p, 2), (uint16_t)va_arg(ap, int));
	va_end(ap);
}

void pkt_eth(struct pkt_bytes *p, uint16_t type)
{
	pkt_raw(p, 12, MAC_DST, MAC_SRC);
	pkt_be16(p, 1, type);
}

void pkt_vlan(struct pkt_bytes *p, uint16_t tci, uint16_t type)
{
	pkt_be16(p, 2, tci, type);
}

void pkt_ipv4(struct pkt_bytes *p, const struct pkt_ipv4 *h)
{
	uint8_t ihl = h->has_options ? 6 : 5;
	uint8_t *ip;

	p->ip = p->len;
	p->ip_version = 4;
	ip = pkt_grow(p, ihl * 4u);
	memset(ip, 0, ihl * 4u);
	ip[0] = 0x40 | ihl;
	ip[1] = h->tos;
	put16(ip + 4, h->id);
	put16(ip + 6, h->frag_off);
	ip[8] = h->ttl;
	ip[9] = h->protocol;
	BUILD_CHECK(inet_pton(AF_INET, h->saddr, ip + 12) == 1);
	BUILD_CHECK(inet_pton(AF_INET, h->daddr, ip + 16) == 1);
	if (h->has_options)
		memcpy(ip + 20, h->options, 4);
}

void pkt_ipv6(struct pkt_bytes *p, uint8_t nexthdr)
{
	uint8_t *ip;

	p->ip = p->len;
	p->ip_version = 6;
	ip = pkt_grow(p, 40);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[6] = nexthdr;
	ip[7] = 64;
	BUILD_CHECK(inet_pton(AF_INET6, "2001:db8::1", ip + 8) == 1);
	BUILD_CHECK(inet_pton(AF_INET6, "2001:db8::2", ip + 24) == 1);
}

void pkt_done(struct pkt_bytes *p)
{
	if (p->ip_version == 4)
		put16(p->b + p->ip + 2, (uint16_t)(p->len - p->ip));
	else if (p->ip_version == 6)
		put16(p->b + p->ip + 4, (uint16_t)(p->len - p->ip - 40));
}

void pkt_ipv4_udp_fragment(struct pkt_bytes *p, uint16_t frag_off, const uint16_t payload[4])
{
	pkt_start(p);
	pkt_eth(p, 0x0800);
	pkt_ipv4(p, &(struct pkt_ipv4){ .id = 0x99,
					.frag_off = frag_off,
					.ttl = 64,
					.protocol = 17,
					.saddr = "10.0.0.1",
					.daddr = "10.0.0.2" });
	pkt_be16(p, 4, payload[0], payload[1], payload[2], payload[3]);
	pkt_done(p);
}

static void pkt_eth_ipv4(struct pkt_bytes *p, uint16_t type, const struct pkt_ipv4 *h)
{
	pkt_start(p);
	pkt_eth(p, type);
	pkt_ipv4(p, h);
}

void pkt_eth_ipv4_tcp(struct pkt_bytes *p)
{
	pkt_eth_ipv4(p, 0x0800,
		     &(struct pkt_ipv4){ .tos = 0x10,
					 .id = 0x1234,
					 .frag_off = 0x4000,
					 .ttl = 64,
					 .protocol = 6,
					 .saddr = "10.0.0.1",
					 .daddr = "10.0.0.2" });
	pkt_be16(p, 10, 5000, 80, 0, 1, 0, 0, 0x5002, 0xffff, 0, 0);
	pkt_done(p);
}

void pkt_eth_ipv4_opts_udp(struct pkt_bytes *p)
{
	pkt_eth_ipv4(p, 0x0800,
		     &(struct pkt_ipv4){ .id = 1,
					 .ttl = 32,
					 .protocol = 17,
					 .saddr = "192.168.1.1",
					 .daddr = "192.168.1.2",
					 .options = { 1, 1, 1, 0 },
					 .has_options = 1 });
	pkt_be16(p, 4, 53, 12345, 8, 0);
	pkt_done(p);
}

void pkt_eth_ipv4_icmp(struct pkt_bytes *p)
{
	pkt_eth_ipv4(
		p, 0x0800,
		&(struct pkt_ipv4){
			.id = 0xabcd, .ttl = 64, .protocol = 1, .saddr = "10.0.0.1", .daddr = "8.8.8.8" });
	pkt_be16(p, 4, 0x0800, 0xf7d4, 42, 7);
	pkt_done(p);
}

void pkt_eth_ipv4_frag(struct pkt_bytes *p)
{
	pkt_ipv4_udp_fragment(p, 0x00b9, (const uint16_t[]){ 0xdead, 0xbeef, 0, 0 });
}

void pkt_eth_ipv4_first_frag(struct pkt_bytes *p)
{
	pkt_ipv4_udp_fragment(p, 0x2000, (const uint16_t[]){ 1024, 2049, 1492, 0 });
}

void pkt_eth_vlan_ipv4_udp(struct pkt_bytes *p)
{
	pkt_start(p);
	pkt_eth(p, 0x8100);
	pkt_vlan(p, 0xa064, 0x0800);
	pkt_ipv4(p, &(struct pkt_ipv4){
			    .id = 1, .ttl = 64, .protocol = 17, .saddr = "10.0.0.1", .daddr = "10.0.0.2" });
	pkt_be16(p, 4, 1024, 2049, 8, 0);
	pkt_done(p);
}

void pkt_eth_qinq_ipv6_udp(struct pkt_bytes *p)
{
	pkt_start(p);
	pkt_eth(p, 0x8100);
	pkt_vlan(p, 0x600a, 0x8100);
	pkt_vlan(p, 20, 0x86dd);
	pkt_ipv6(p, 17);
	pkt_be16(p, 4, 1234, 5678, 8, 0);
	pkt_done(p);
}

void pkt_eth_8021ad_ipv4_udp(struct pkt_bytes *p)
{
	pkt_start(p);
	pkt_eth(p, 0x88a8);
	pkt_vlan(p, 30, 0x8100);
	pkt_vlan(p, 40, 0x0800);
	pkt_ipv4(p, &(struct pkt_ipv4){
			    .id = 1, .ttl = 64, .protocol = 17, .saddr = "10.0.0.1", .daddr = "10.0.0.2" });
	pkt_be16(p, 4, 1024, 2049, 8, 0);
	pkt_done(p);
}

void pkt_eth_three_tags(struct pkt_bytes *p)
{
	pkt_start(p);
	pkt_eth(p, 0x8100);
	pkt_vlan(p, 1, 0x8100);
	pkt_vlan(p, 2, 0x8100);
	pkt_vlan(p, 3, 0x0800);
	pkt_raw(p, 2, 0x45, 0x00);
}

static void pkt_eth_ipv6(struct pkt_bytes *p, uint8_t nexthdr)
{
	pkt_start(p);
	pkt_eth(p, 0x86dd);
	pkt_ipv6(p, nexthdr);
}

void pkt_eth_ipv6_udp(struct pkt_bytes *p)
{
	pkt_eth_ipv6(p, 17);
	pkt_be16(p, 4, 1234, 5678, 8, 0);
	pkt_done(p);
}

void pkt_eth_ipv6_icmp6(struct pkt_bytes *p)
{
	pkt_eth_ipv6(p, 58);
	pkt_be16(p, 4, 0x8000, 0x1234, 1, 2);
	pkt_done(p);
}

void pkt_eth_arp(struct pkt_bytes *p, uint16_t type, uint16_t op)
{
	pkt_start(p);
	pkt_eth(p, type);
	pkt_be16(p, 2, 1, 0x0800);
	pkt_raw(p, 2, 6, 4);
	pkt_be16(p, 1, op);
	pkt_raw(p, 10, MAC_SRC, 192, 168, 1, 1);
	pkt_raw(p, 10, MAC_DST, 192, 168, 1, 2);
}

void pkt_eth_lldp(struct pkt_bytes *p)
{
	pkt_start(p);
	pkt_eth(p, 0x88cc);
	pkt_raw(p, 7, 0x02, 0x07, 0x04, 0x00, 0x11, 0x22, 0x33);
}
