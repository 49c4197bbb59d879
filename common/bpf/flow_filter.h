/* Packet filter shared by user space (which fills it) and BPF programs (which apply it). */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ETHERTYPE_OTHER 0xFFFF	/* "none of IPv4, ARP, RARP, IPv6, LLDP, flow control" */

struct flow_filter {
	__u32 saddr[4];		/* network order; IPv4 uses saddr[0] */
	__u32 daddr[4];
	__u8 sfamily;		/* 0 = any, 4 or 6 */
	__u8 dfamily;
	__u8 l4proto;		/* 0 = any */
	__u8 ipv4_only;		/* "IP" means IPv4 only (tools whose originals parsed IPv4 only) */
	__u8 pad[4];
	__u16 sport;		/* host order, 0 = any */
	__u16 dport;
	__u16 ethertype;	/* real EtherType after VLAN tags; 0 = any, ETHERTYPE_OTHER */
	__u16 vlan_id;		/* outer 802.1Q id, 0 = any */
};
