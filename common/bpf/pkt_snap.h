/* Packet bytes captured in the kernel (common/bpf/skb_pkt.bpf.h), decoded in user space. */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Bytes captured from the link-layer (or network) header on. */
#define PKT_SNAP_LEN 128

struct pkt_snap {
	__u8 bytes[PKT_SNAP_LEN];
	__u8 len;		/* bytes captured */
	__u8 has_l2;		/* bytes start at the Ethernet header, else at the network header */
	__u16 skb_protocol;	/* skb->protocol, host order */
	__u16 hw_vlan_tci;	/* accelerated (out-of-packet) 802.1Q tag, valid if hw_vlan */
	__u8 hw_vlan;
	__u8 pad;
};
