// SPDX-License-Identifier: GPL-2.0-only
/* Decoding of OVS_FLOW_CMD_NEW requests: key, mask and actions (see ovs_flow_netlink.h). */
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pktdecode.h"
#include "strbuf.h"
#include "ovs_flow_actions.h"
#include "ovs_flow_attr.h"
#include "ovs_flow_netlink.h"

/* OVS_KEY_ATTR_* attributes (key or mask) into m; ENCAP (the VLAN's inner headers) recursively. */
static void match_parse(const uint8_t *buf, size_t len, struct ovs_flow_match *m)
{
	size_t off = 0;
	struct ovs_attr a;

	while (ovs_attr_next(buf, len, &off, &a)) {
		bool ok = true;

		switch (a.type) {
		case OVS_KEY_ATTR_ENCAP:
			match_parse(a.data, a.len, m);
			break;
		case OVS_KEY_ATTR_IN_PORT:
			m->in_port = ovs_attr_u32(&a);
			break;
		case OVS_KEY_ATTR_SKB_MARK:
			m->skb_mark = ovs_attr_u32(&a);
			break;
		case OVS_KEY_ATTR_RECIRC_ID:
			m->recirc_id = ovs_attr_u32(&a);
			break;
		case OVS_KEY_ATTR_CT_STATE:
			m->ct_state = ovs_attr_u32(&a);
			break;
		case OVS_KEY_ATTR_CT_MARK:
			m->ct_mark = ovs_attr_u32(&a);
			break;
		case OVS_KEY_ATTR_CT_ZONE:
			m->ct_zone = ovs_attr_u16(&a);
			break;
		case OVS_KEY_ATTR_ETHERNET: {
			struct ovs_key_ethernet e;

			if ((ok = ovs_attr_take(&e, sizeof(e), &a))) {
				memcpy(m->eth_src, e.eth_src, 6);
				memcpy(m->eth_dst, e.eth_dst, 6);
			}
			break;
		}
		case OVS_KEY_ATTR_VLAN:
			m->vlan_tci = ovs_attr_u16(&a);
			break;
		case OVS_KEY_ATTR_ETHERTYPE:
			m->eth_type = ovs_attr_u16(&a);
			break;
		case OVS_KEY_ATTR_IPV4: {
			struct ovs_key_ipv4 k;

			if ((ok = ovs_attr_take(&k, sizeof(k), &a))) {
				m->ipv4.src = k.ipv4_src;
				m->ipv4.dst = k.ipv4_dst;
				m->ipv4.proto = k.ipv4_proto;
				m->ipv4.tos = k.ipv4_tos;
				m->ipv4.ttl = k.ipv4_ttl;
				m->ipv4.frag = k.ipv4_frag;
			}
			break;
		}
		case OVS_KEY_ATTR_IPV6: {
			struct ovs_key_ipv6 k;

			if ((ok = ovs_attr_take(&k, sizeof(k), &a))) {
				memcpy(m->ipv6.src, k.ipv6_src, 16);
				memcpy(m->ipv6.dst, k.ipv6_dst, 16);
				m->ipv6.label = k.ipv6_label;
				m->ipv6.proto = k.ipv6_proto;
				m->ipv6.tclass = k.ipv6_tclass;
				m->ipv6.hlimit = k.ipv6_hlimit;
				m->ipv6.frag = k.ipv6_frag;
			}
			break;
		}
		case OVS_KEY_ATTR_TCP:
		case OVS_KEY_ATTR_UDP:
		case OVS_KEY_ATTR_SCTP: {
			struct ovs_key_udp k; /* the same two ports for all three */

			if ((ok = ovs_attr_take(&k, sizeof(k), &a))) {
				m->l4_src = k.udp_src;
				m->l4_dst = k.udp_dst;
			}
			break;
		}
		case OVS_KEY_ATTR_ICMP:
		case OVS_KEY_ATTR_ICMPV6: {
			struct ovs_key_icmp k;

			if ((ok = ovs_attr_take(&k, sizeof(k), &a))) {
				m->icmp_type = k.icmp_type;
				m->icmp_code = k.icmp_code;
			}
			break;
		}
		default:
			break;
		}
		if (ok && a.type < 32)
			m->attrs |= 1u << a.type;
	}
}

static bool has(const struct ovs_flow_match *m, int attr)
{
	return m->attrs & (1u << attr);
}

static bool all_ones(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return false;
	return true;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* A mask of leading ones over n bytes: its length in bits, else -1. */
static int prefix_len(const uint8_t *mask, size_t n)
{
	int bits = 0;
	size_t i = 0;

	for (; i < n && mask[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		uint8_t b = mask[i++];

		while (b & 0x80) {
			bits++;
			b <<= 1;
		}
		if (b)
			return -1;
	}
	for (; i < n; i++)
		if (mask[i])
			return -1;
	return bits;
}

static struct ovs_flow_field *field_add(struct ovs_flow_msg *out, const char *name)
{
	struct ovs_flow_field *f;

	if (out->nfields >= OVS_FLOW_FIELDS_MAX)
		return NULL;
	f = &out->fields[out->nfields++];
	f->name = name;
	f->value[0] = '\0';
	return f;
}

static void field_uint(struct ovs_flow_msg *out, const char *name, uint32_t v, uint32_t mask, uint32_t full)
{
	struct ovs_flow_field *f;

	if (!mask || !(f = field_add(out, name)))
		return;
	if (mask == full)
		snprintf(f->value, sizeof(f->value), "%u", v);
	else
		snprintf(f->value, sizeof(f->value), "%u/0x%x", v & mask, mask);
}

static void field_hex(struct ovs_flow_msg *out, const char *name, uint32_t v, uint32_t mask, uint32_t full)
{
	struct ovs_flow_field *f;

	if (!mask || !(f = field_add(out, name)))
		return;
	if (mask == full)
		snprintf(f->value, sizeof(f->value), "0x%x", v);
	else
		snprintf(f->value, sizeof(f->value), "0x%x/0x%x", v & mask, mask);
}

static void field_mac(struct ovs_flow_msg *out, const char *name, const uint8_t *v, const uint8_t *mask)
{
	struct ovs_flow_field *f;
	char a[24], b[24];

	if (all_zero(mask, 6) || !(f = field_add(out, name)))
		return;
	if (all_ones(mask, 6))
		snprintf(f->value, sizeof(f->value), "%s", mac_format(v, a, sizeof(a)));
	else
		snprintf(f->value, sizeof(f->value), "%s/%s", mac_format(v, a, sizeof(a)),
			 mac_format(mask, b, sizeof(b)));
}

static void field_addr(struct ovs_flow_msg *out, const char *name, int family, const void *v,
		       const void *mask)
{
	size_t n = family == AF_INET ? 4 : 16;
	struct ovs_flow_field *f;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint8_t masked[16];
	int bits;

	if (all_zero(mask, n) || !(f = field_add(out, name)))
		return;
	for (size_t i = 0; i < n; i++)
		masked[i] = ((const uint8_t *)v)[i] & ((const uint8_t *)mask)[i];
	inet_ntop(family, masked, a, sizeof(a));
	bits = prefix_len(mask, n);
	if (bits >= 0) {
		snprintf(f->value, sizeof(f->value), "%s/%d", a, bits);
	} else {
		inet_ntop(family, mask, b, sizeof(b));
		snprintf(f->value, sizeof(f->value), "%s/%s", a, b);
	}
}

static void field_frag(struct ovs_flow_msg *out, const char *name, uint8_t v, uint8_t mask)
{
	static const char *const names[] = { "no", "first", "later" };
	struct ovs_flow_field *f;

	if (!mask || !(f = field_add(out, name)))
		return;
	if (mask == 0xff && v < 3)
		snprintf(f->value, sizeof(f->value), "%s", names[v]);
	else
		snprintf(f->value, sizeof(f->value), "%u/0x%x", v & mask, mask);
}

/* The fields of the key that the mask keeps, in the order of ovs-dpctl's dump. */
static void fields_build(struct ovs_flow_msg *out)
{
	const struct ovs_flow_match *k = &out->key, *m = &out->mask;
	static const char *const l4_names[][2] = { { "tcp_src", "tcp_dst" },
						   { "udp_src", "udp_dst" },
						   { "sctp_src", "sctp_dst" } };
	int l4 = has(k, OVS_KEY_ATTR_TCP)    ? 0
		 : has(k, OVS_KEY_ATTR_UDP)  ? 1
		 : has(k, OVS_KEY_ATTR_SCTP) ? 2
					     : -1;

	if (has(k, OVS_KEY_ATTR_RECIRC_ID))
		field_uint(out, "recirc_id", k->recirc_id, m->recirc_id, UINT32_MAX);
	if (has(k, OVS_KEY_ATTR_IN_PORT))
		field_uint(out, "in_port", k->in_port, m->in_port, UINT32_MAX);
	if (has(k, OVS_KEY_ATTR_SKB_MARK))
		field_hex(out, "skb_mark", k->skb_mark, m->skb_mark, UINT32_MAX);
	if (has(k, OVS_KEY_ATTR_CT_STATE))
		field_hex(out, "ct_state", k->ct_state, m->ct_state, UINT32_MAX);
	if (has(k, OVS_KEY_ATTR_CT_ZONE))
		field_uint(out, "ct_zone", k->ct_zone, m->ct_zone, UINT16_MAX);
	if (has(k, OVS_KEY_ATTR_CT_MARK))
		field_hex(out, "ct_mark", k->ct_mark, m->ct_mark, UINT32_MAX);
	if (has(k, OVS_KEY_ATTR_ETHERNET)) {
		field_mac(out, "eth_src", k->eth_src, m->eth_src);
		field_mac(out, "eth_dst", k->eth_dst, m->eth_dst);
	}
	if (has(k, OVS_KEY_ATTR_VLAN))
		field_hex(out, "vlan_tci", ntohs(k->vlan_tci), ntohs(m->vlan_tci), UINT16_MAX);
	if (has(k, OVS_KEY_ATTR_ETHERTYPE) && m->eth_type) {
		struct ovs_flow_field *f = field_add(out, "eth_type");

		if (f)
			snprintf(f->value, sizeof(f->value), "0x%04x", ntohs(k->eth_type));
	}
	if (has(k, OVS_KEY_ATTR_IPV4)) {
		field_addr(out, "ip_src", AF_INET, &k->ipv4.src, &m->ipv4.src);
		field_addr(out, "ip_dst", AF_INET, &k->ipv4.dst, &m->ipv4.dst);
		field_uint(out, "ip_proto", k->ipv4.proto, m->ipv4.proto, UINT8_MAX);
		field_uint(out, "ip_tos", k->ipv4.tos, m->ipv4.tos, UINT8_MAX);
		field_uint(out, "ip_ttl", k->ipv4.ttl, m->ipv4.ttl, UINT8_MAX);
		field_frag(out, "ip_frag", k->ipv4.frag, m->ipv4.frag);
	}
	if (has(k, OVS_KEY_ATTR_IPV6)) {
		field_addr(out, "ipv6_src", AF_INET6, k->ipv6.src, m->ipv6.src);
		field_addr(out, "ipv6_dst", AF_INET6, k->ipv6.dst, m->ipv6.dst);
		field_hex(out, "ipv6_label", ntohl(k->ipv6.label), ntohl(m->ipv6.label), UINT32_MAX);
		field_uint(out, "ipv6_proto", k->ipv6.proto, m->ipv6.proto, UINT8_MAX);
		field_hex(out, "ipv6_tclass", k->ipv6.tclass, m->ipv6.tclass, UINT8_MAX);
		field_uint(out, "ipv6_hlimit", k->ipv6.hlimit, m->ipv6.hlimit, UINT8_MAX);
		field_frag(out, "ipv6_frag", k->ipv6.frag, m->ipv6.frag);
	}
	if (l4 >= 0) {
		field_uint(out, l4_names[l4][0], ntohs(k->l4_src), ntohs(m->l4_src), UINT16_MAX);
		field_uint(out, l4_names[l4][1], ntohs(k->l4_dst), ntohs(m->l4_dst), UINT16_MAX);
	}
	if (has(k, OVS_KEY_ATTR_ICMP) || has(k, OVS_KEY_ATTR_ICMPV6)) {
		field_uint(out, "icmp_type", k->icmp_type, m->icmp_type, UINT8_MAX);
		field_uint(out, "icmp_code", k->icmp_code, m->icmp_code, UINT8_MAX);
	}
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#define OVS_FLOW_ATTRS_OFFSET (NLMSG_HDRLEN + GENL_HDRLEN + sizeof(struct ovs_header))

int ovs_flow_msg_decode(const uint8_t *buf, size_t len, struct ovs_flow_msg *out, char *err, size_t errlen)
{
	const struct ovs_attr *key = NULL, *mask = NULL;
	struct ovs_attr a, key_attr, mask_attr;
	/* Kept from one request to the next: a tool decodes one per flow installed (no malloc each). */
	static struct strbuf sb;
	struct nlmsghdr nlh;
	struct ovs_header oh;
	size_t off = OVS_FLOW_ATTRS_OFFSET, end;

	memset(out, 0, sizeof(*out));
	sb.len = 0;
	if (len < OVS_FLOW_ATTRS_OFFSET)
		return fail(err, errlen, "Data too short: %zu bytes", len);
	memcpy(&nlh, buf, sizeof(nlh));
	if (buf[NLMSG_HDRLEN] != OVS_FLOW_CMD_NEW)
		return fail(err, errlen, "not an OVS_FLOW_CMD_NEW request (command %u)", buf[NLMSG_HDRLEN]);
	memcpy(&oh, buf + NLMSG_HDRLEN + GENL_HDRLEN, sizeof(oh));
	out->dp_ifindex = (uint32_t)oh.dp_ifindex;
	end = nlh.nlmsg_len < len ? nlh.nlmsg_len : len;
	while (ovs_attr_next(buf, end, &off, &a)) {
		if (a.type == OVS_FLOW_ATTR_KEY) {
			key_attr = a;
			key = &key_attr;
		} else if (a.type == OVS_FLOW_ATTR_MASK) {
			mask_attr = a;
			mask = &mask_attr;
		} else if (a.type == OVS_FLOW_ATTR_ACTIONS) {
			size_t aoff = 0;
			struct ovs_attr act;

			out->has_actions = true;
			while (ovs_attr_next(a.data, a.len, &aoff, &act)) {
				if (out->nactions++)
					sb_addf(&sb, ",");
				ovs_flow_action_text(&sb, &act);
			}
		}
	}
	if (!key)
		return fail(err, errlen, "No flow key attribute in %zu bytes", len);
	out->has_key = true;
	match_parse(key->data, key->len, &out->key);
	if (mask) {
		out->has_mask = true;
		match_parse(mask->data, mask->len, &out->mask);
	} else {
		memset(&out->mask, 0xff, sizeof(out->mask));
		out->mask.attrs = out->key.attrs;
	}
	fields_build(out);
	snprintf(out->actions, sizeof(out->actions), "%s", out->nactions ? sb.buf : "drop");
	return 0;
}
