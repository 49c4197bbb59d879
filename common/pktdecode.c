// SPDX-License-Identifier: GPL-2.0-only
#include "pktdecode.h"

#include <stdio.h>
#include <string.h>

#include "bpf/pkt_key.h"

#define ETH_HLEN_ 14

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void decode_l4(struct pkt_decoded *d, uint8_t proto, const uint8_t *l4, size_t len)
{
	if ((proto == 6 || proto == 17) && len >= 4) {
		d->has_ports = true;
		d->sport = be16(l4);
		d->dport = be16(l4 + 2);
	} else if ((proto == 1 || proto == 58) && len >= 8) {
		d->has_icmp = true;
		d->icmp_type = l4[0];
		d->icmp_code = l4[1];
		d->icmp_id = be16(l4 + 4);
		d->icmp_seq = be16(l4 + 6);
	}
}

static void decode_ipv4(struct pkt_decoded *d, const uint8_t *p, size_t len)
{
	d->kind = PKT_IPV4;
	if (len < 20)
		return;
	d->l3_complete = true;
	d->ip4.ihl = p[0] & 0x0f;
	d->ip4.tos = p[1];
	d->ip4.tot_len = be16(p + 2);
	d->ip4.id = be16(p + 4);
	d->ip4.frag_off = be16(p + 6);
	d->ip4.ttl = p[8];
	d->ip4.protocol = p[9];
	memcpy(&d->ip4.saddr, p + 12, 4);
	memcpy(&d->ip4.daddr, p + 16, 4);
	size_t hl = (size_t)d->ip4.ihl * 4;

	/* Only the first fragment carries the L4 header. */
	if (hl >= 20 && hl <= len && !(d->ip4.frag_off & 0x1fff))
		decode_l4(d, d->ip4.protocol, p + hl, len - hl);
}

static void decode_ipv6(struct pkt_decoded *d, const uint8_t *p, size_t len)
{
	d->kind = PKT_IPV6;
	if (len < 40)
		return;
	d->l3_complete = true;
	d->ip6.payload_len = be16(p + 4);
	d->ip6.nexthdr = p[6];
	d->ip6.hop_limit = p[7];
	memcpy(d->ip6.saddr, p + 8, 16);
	memcpy(d->ip6.daddr, p + 24, 16);
	decode_l4(d, d->ip6.nexthdr, p + 40, len - 40);
}

static void decode_arp(struct pkt_decoded *d, const uint8_t *p, size_t len, enum pkt_kind kind)
{
	d->kind = kind;
	if (len < 28)
		return;
	d->l3_complete = true;
	d->arp.htype = be16(p);
	d->arp.ptype = be16(p + 2);
	d->arp.op = be16(p + 6);
	memcpy(d->arp.sha, p + 8, 6);
	memcpy(d->arp.spa, p + 14, 4);
	memcpy(d->arp.tha, p + 18, 6);
	memcpy(d->arp.tpa, p + 24, 4);
}

void pkt_decode(const uint8_t *buf, size_t len, bool has_l2, uint16_t l3_proto, struct pkt_decoded *d)
{
	size_t off = 0;

	memset(d, 0, sizeof(*d));
	d->has_l2 = has_l2;
	d->proto = l3_proto;
	if (has_l2) {
		if (len < ETH_HLEN_) {
			d->proto = 0;
			return;
		}
		memcpy(d->dst_mac, buf, 6);
		memcpy(d->src_mac, buf + 6, 6);
		d->outer_type = d->proto = be16(buf + 12);
		off = ETH_HLEN_;
		while (pkt_is_vlan(d->proto) && d->vlan_tags < 2 && off + 4 <= len) {
			uint16_t tci = be16(buf + off);

			if (!d->vlan_tags) {
				d->vlan_id = tci & 0x0fff;
				d->vlan_prio = tci >> 13;
				d->vlan_inner = be16(buf + off + 2);
			}
			d->proto = be16(buf + off + 2);
			d->vlan_tags++;
			off += 4;
		}
	}
	d->l3 = buf + off;
	d->l3_len = len - off;
	switch (d->proto) {
	case ETH_P_IP_:
		decode_ipv4(d, d->l3, d->l3_len);
		break;
	case ETH_P_IPV6_:
		decode_ipv6(d, d->l3, d->l3_len);
		break;
	case ETH_P_ARP_:
		decode_arp(d, d->l3, d->l3_len, PKT_ARP);
		break;
	case ETH_P_RARP_:
		decode_arp(d, d->l3, d->l3_len, PKT_RARP);
		break;
	default:
		d->kind = PKT_OTHER;
	}
}

const char *mac_format(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}
