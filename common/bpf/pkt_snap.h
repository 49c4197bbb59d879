/* SPDX-License-Identifier: GPL-2.0-only */
/* Packet bytes captured in the kernel (common/bpf/skb_pkt.bpf.h), parsed by pkt_key.h and pktdecode.h. */
#pragma once
#include "both_sides.h"

/* Bytes captured from where the snapshot starts. */
#define PKT_SNAP_LEN 128

/* Where a snapshot's bytes start. */
enum pkt_at {
	PKT_AT_NET, /* the network header (no link-layer header yet, or not wanted) */
	PKT_AT_ETH, /* the Ethernet header */
	PKT_AT_DATA, /* skb->data after eth_type_trans: in-packet VLAN tags (skb_protocol is the first TPID), then L3 */
	PKT_AT_TCP, /* the TCP header of a packet without an IP header yet (addresses from its socket) */
};

struct pkt_snap {
	__u8 bytes[PKT_SNAP_LEN];
	__u8 len; /* bytes captured */
	__u8 at; /* enum pkt_at */
	__u16 skb_protocol; /* skb->protocol, host order */
	__u16 hw_vlan_tci; /* accelerated (out-of-packet) 802.1Q tag, valid if hw_vlan */
	__u8 hw_vlan;
	__u8 pad;
};
