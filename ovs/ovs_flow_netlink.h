/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding of ovs-vswitchd's OVS_FLOW_CMD_NEW requests (nlmsghdr, genlmsghdr, ovs_header,
 * then OVS_FLOW_ATTR_* attributes): the flow key and mask (OVS_KEY_ATTR_*, VLAN ENCAP
 * included) and the actions (OVS_ACTION_ATTR_*) in netlink order, as text.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The key attributes a megaflow is described with; network byte order as on the wire. */
struct ovs_flow_match {
	uint32_t attrs; /* bit n: OVS_KEY_ATTR n was present */
	uint32_t in_port, skb_mark, recirc_id, ct_state, ct_mark;
	uint16_t ct_zone;
	uint8_t eth_src[6], eth_dst[6];
	uint16_t eth_type, vlan_tci; /* network order */
	struct {
		uint32_t src, dst;
		uint8_t proto, tos, ttl, frag;
	} ipv4;
	struct {
		uint8_t src[16], dst[16];
		uint32_t label;
		uint8_t proto, tclass, hlimit, frag;
	} ipv6;
	uint16_t l4_src, l4_dst; /* TCP, UDP or SCTP, network order */
	uint8_t icmp_type, icmp_code;
};

#define OVS_FLOW_FIELDS_MAX 32

/* One field of a megaflow that its mask does not wildcard: "ip_src", "10.0.0.1/32". */
struct ovs_flow_field {
	const char *name;
	char value[96]; /* an IPv6 address and its mask */
};

struct ovs_flow_msg {
	uint32_t dp_ifindex; /* the ovs_header's */
	bool has_key, has_mask, has_actions;
	struct ovs_flow_match key, mask; /* without a mask attribute every key field is exact */
	struct ovs_flow_field fields[OVS_FLOW_FIELDS_MAX];
	int nfields;
	char actions[1024]; /* comma-separated, netlink order; "drop" when empty */
	int nactions;
};

/*
 * Decodes len bytes of a captured request. Returns 0, or -1 with a reason in err (too short,
 * not a flow request, no key).
 */
int ovs_flow_msg_decode(const uint8_t *buf, size_t len, struct ovs_flow_msg *out, char *err, size_t errlen);
