/* SPDX-License-Identifier: GPL-2.0-only */
/* The GSO tracers' golden sample: the specs' skb with gso_size but no GSO type, on a given host. */
#pragma once
#include "skb_gso_report.h"

/* What differs between the samples of two tools: who sent the skb, where, and its addresses. */
struct gso_sample_host {
	const char *comm, *dev;
	__u32 pid;
	__u64 features; /* hw_features has NETIF_F_IP_CSUM's neighbour bit 1 on top */
	__u16 network_header; /* the IPv4 header follows, 20 bytes */
	__u8 src_mac[6], dst_mac[6];
	const char *saddr, *daddr;
	__u16 sport, dport;
};

/*
 * An skb of 2962 bytes in 1448-byte segments and no GSO type, seen by probe; IPv4 with
 * ip_proto when that is not 0.
 */
struct gso_event gso_sample_event(const struct gso_sample_host *h, unsigned probe, int ip_proto);
/* A three-frame kernel stack below first, through dev_hard_start_xmit and __dev_queue_xmit. */
struct gso_frames gso_sample_frames(const char *first);
