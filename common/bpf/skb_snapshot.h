/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "skb snapshot" of the bpftrace-era offload tracers (other/): an skb's lengths, header
 * offsets, encapsulation and GSO fields, its device's feature masks, the IPv4/L4 fields at its
 * header offsets and the bytes at skb->data, as one probe saw them. Filled by
 * skb_snapshot.bpf.h, printed by common/skb_snapshot.h. Shared by BPF and user space.
 */
#pragma once
#include "both_sides.h"
#include "dev_name_set.h"

#define SKB_SNAP_DATA_LEN 18 /* bytes kept from skb->data: an Ethernet header and one 802.1Q tag */

struct skb_snapshot {
	__u64 features, hw_features, wanted_features, hw_enc_features, gso_partial_features; /* skb->dev */
	__u64 frag_list; /* skb_shinfo(skb)->frag_list, the pointer's value (0: none) */
	char dev[16]; /* skb->dev->name, empty without a device (dev_name_set_has reads it) */
	__u32 len, data_len;
	__u32 gso_type; /* skb_shinfo(skb)->gso_type (SKB_GSO_* bits) */
	__s32 ifindex;
	__s32 dataref; /* skb_shinfo(skb)->dataref */
	__u32 saddr, daddr; /* network order: the IPv4 header fields at head + network_header */
	__u16 network_header, transport_header, inner_network_header, inner_transport_header;
	__u16 inner_protocol; /* host order */
	__u16 gso_size, gso_segs;
	__u16 sport, dport; /* host order: the first two 16-bit words at head + transport_header */
	__u16 frag_max_size; /* IPCB(skb)->frag_max_size */
	__u16 hw_vlan_tci; /* the accelerated 802.1Q tag, valid if hw_vlan */
	__u8 hw_vlan;
	__u8 nr_frags;
	__u8 ip_version; /* the version nibble at head + network_header (4: saddr..dport are IPv4's) */
	__u8 ip_protocol; /* the IPv4 protocol field at head + network_header */
	__u8 encapsulation, ignore_df, ip_summed, pkt_type, inner_protocol_type, cloned;
	__u8 data[SKB_SNAP_DATA_LEN]; /* the first bytes at skb->data, zero if unreadable */
};

/* Flags of struct skb_probe_event. */
#define SKB_EV_MATCH 0x1 /* the probe's filter passed: print its block, not only its banner */

/* One probe hit of an offload tracer. */
struct skb_probe_event {
	__u64 arg; /* the probed function's other printed argument (features, gso type mask), or 0 */
	__u32 pid; /* tgid */
	__s32 stack_id; /* kernel stack, or negative */
	__u8 probe; /* the tool's probe id */
	__u8 flags; /* SKB_EV_* */
	__u8 pad[6];
	char comm[16];
	struct skb_snapshot skb;
};
