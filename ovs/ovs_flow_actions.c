// SPDX-License-Identifier: GPL-2.0-only
/* The actions of an OVS_FLOW_CMD_NEW request, written as ovs-dpctl writes them. */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <string.h>

#include "pktdecode.h"
#include "strbuf.h"
#include "ovs_flow_actions.h"

/* set(ipv4(tos=0x20/0xfc)): the fields of one key attribute, with their masks (or exact). */
static void set_text(struct strbuf *sb, const struct ovs_attr *a, bool masked)
{
	size_t half = masked ? a->len / 2 : a->len;
	struct ovs_attr value = { a->type, a->data, half };
	char x[INET6_ADDRSTRLEN], y[24];

	switch (a->type) {
	case OVS_KEY_ATTR_IPV4: {
		struct ovs_key_ipv4 v, m;

		if (!ovs_attr_take(&v, sizeof(v), &value))
			break;
		memset(&m, 0xff, sizeof(m));
		if (masked)
			memcpy(&m, a->data + half, sizeof(m));
		sb_addf(sb, "set(ipv4(");
		const char *sep = "";

		if (m.ipv4_src) {
			sb_addf(sb, "%ssrc=%s", sep, inet_ntop(AF_INET, &v.ipv4_src, x, sizeof(x)));
			sep = ",";
		}
		if (m.ipv4_dst) {
			sb_addf(sb, "%sdst=%s", sep, inet_ntop(AF_INET, &v.ipv4_dst, x, sizeof(x)));
			sep = ",";
		}
		if (m.ipv4_tos) {
			sb_addf(sb, "%stos=0x%x", sep, v.ipv4_tos);
			if (m.ipv4_tos != 0xff)
				sb_addf(sb, "/0x%x", m.ipv4_tos);
			sep = ",";
		}
		if (m.ipv4_ttl)
			sb_addf(sb, "%sttl=%u", sep, v.ipv4_ttl);
		sb_addf(sb, "))");
		return;
	}
	case OVS_KEY_ATTR_ETHERNET: {
		struct ovs_key_ethernet v;

		if (!ovs_attr_take(&v, sizeof(v), &value))
			break;
		sb_addf(sb, "set(eth(src=%s,", mac_format(v.eth_src, y, sizeof(y)));
		sb_addf(sb, "dst=%s))", mac_format(v.eth_dst, y, sizeof(y)));
		return;
	}
	case OVS_KEY_ATTR_TCP:
	case OVS_KEY_ATTR_UDP: {
		struct ovs_key_udp v;

		if (!ovs_attr_take(&v, sizeof(v), &value))
			break;
		sb_addf(sb, "set(%s(src=%u,dst=%u))", a->type == OVS_KEY_ATTR_TCP ? "tcp" : "udp",
			ntohs(v.udp_src), ntohs(v.udp_dst));
		return;
	}
	default:
		break;
	}
	sb_addf(sb, "set(key_attr_%u)", a->type);
}

static void ct_text(struct strbuf *sb, const struct ovs_attr *ct)
{
	const char *sep = "";
	size_t off = 0;
	struct ovs_attr a;

	sb_addf(sb, "ct(");
	while (ovs_attr_next(ct->data, ct->len, &off, &a)) {
		switch (a.type) {
		case OVS_CT_ATTR_COMMIT:
			sb_addf(sb, "%scommit", sep);
			break;
		case OVS_CT_ATTR_FORCE_COMMIT:
			sb_addf(sb, "%sforce_commit", sep);
			break;
		case OVS_CT_ATTR_ZONE:
			if (!ovs_attr_u16(&a))
				continue; /* the default zone, which ovs-dpctl does not print either */
			sb_addf(sb, "%szone=%u", sep, ovs_attr_u16(&a));
			break;
		case OVS_CT_ATTR_MARK:
			sb_addf(sb, "%smark", sep);
			break;
		case OVS_CT_ATTR_LABELS:
			sb_addf(sb, "%slabel", sep);
			break;
		case OVS_CT_ATTR_HELPER:
			sb_addf(sb, "%shelper=%.*s", sep, (int)strnlen((const char *)a.data, a.len), a.data);
			break;
		case OVS_CT_ATTR_NAT:
			sb_addf(sb, "%snat", sep);
			break;
		default:
			continue;
		}
		sep = ",";
	}
	sb_addf(sb, ")");
}

void ovs_flow_action_text(struct strbuf *sb, const struct ovs_attr *a)
{
	size_t off = 0;
	struct ovs_attr sub;

	switch (a->type) {
	case OVS_ACTION_ATTR_OUTPUT:
		sb_addf(sb, "output:%u", ovs_attr_u32(a));
		break;
	case OVS_ACTION_ATTR_USERSPACE: {
		uint32_t pid = 0;

		while (ovs_attr_next(a->data, a->len, &off, &sub))
			if (sub.type == OVS_USERSPACE_ATTR_PID)
				pid = ovs_attr_u32(&sub);
		sb_addf(sb, "userspace(pid=%u)", pid);
		break;
	}
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
		if (ovs_attr_next(a->data, a->len, &off, &sub))
			set_text(sb, &sub, a->type == OVS_ACTION_ATTR_SET_MASKED);
		else
			sb_addf(sb, "set()");
		break;
	case OVS_ACTION_ATTR_PUSH_VLAN: {
		struct ovs_action_push_vlan v;

		if (ovs_attr_take(&v, sizeof(v), a))
			sb_addf(sb, "push_vlan(vid=%u,pcp=%u)", ntohs(v.vlan_tci) & 0x0fff,
				ntohs(v.vlan_tci) >> 13);
		else
			sb_addf(sb, "push_vlan");
		break;
	}
	case OVS_ACTION_ATTR_POP_VLAN:
		sb_addf(sb, "pop_vlan");
		break;
	case OVS_ACTION_ATTR_RECIRC:
		sb_addf(sb, "recirc(0x%x)", ovs_attr_u32(a));
		break;
	case OVS_ACTION_ATTR_CT:
		ct_text(sb, a);
		break;
	case OVS_ACTION_ATTR_CT_CLEAR:
		sb_addf(sb, "ct_clear");
		break;
	case OVS_ACTION_ATTR_TRUNC:
		sb_addf(sb, "trunc(%u)", ovs_attr_u32(a));
		break;
	case OVS_ACTION_ATTR_SAMPLE:
		sb_addf(sb, "sample");
		break;
	case OVS_ACTION_ATTR_HASH:
		sb_addf(sb, "hash");
		break;
	case OVS_ACTION_ATTR_CLONE:
		sb_addf(sb, "clone");
		break;
	case OVS_ACTION_ATTR_METER:
		sb_addf(sb, "meter(%u)", ovs_attr_u32(a));
		break;
	case OVS_ACTION_ATTR_PUSH_MPLS:
		sb_addf(sb, "push_mpls");
		break;
	case OVS_ACTION_ATTR_POP_MPLS:
		sb_addf(sb, "pop_mpls");
		break;
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		sb_addf(sb, "check_pkt_len");
		break;
	default:
		sb_addf(sb, "action_%u", a->type);
		break;
	}
}
