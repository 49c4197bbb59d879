// SPDX-License-Identifier: GPL-2.0-only
/* The GSO tracers' golden sample (gso_sample.h). */
#include <string.h>

#include "golden.h"
#include "gso_sample.h"

struct gso_event gso_sample_event(const struct gso_sample_host *h, unsigned probe, int ip_proto)
{
	struct gso_event ev = { .probe = probe, .pid = h->pid, .ts_ns = 1000 };
	struct skb_snapshot *s = &ev.skb;

	strcpy(ev.comm, h->comm);
	strcpy(s->dev, h->dev);
	s->features = h->features;
	s->hw_features = h->features | 2;
	s->wanted_features = h->features;
	s->hw_enc_features = 0x200;
	s->len = 2962;
	s->data_len = 2896;
	s->dataref = 1;
	s->gso_size = 1448;
	s->gso_segs = 2;
	s->nr_frags = 1;
	s->ip_summed = 3;
	s->network_header = h->network_header;
	s->transport_header = h->network_header + 20;
	memcpy(s->data, h->dst_mac, 6);
	memcpy(s->data + 6, h->src_mac, 6);
	if (ip_proto) {
		s->ip_version = 4;
		s->ip_protocol = (__u8)ip_proto;
		s->saddr = golden_ipv4(h->saddr);
		s->daddr = golden_ipv4(h->daddr);
		s->sport = h->sport;
		s->dport = h->dport;
	}
	return ev;
}

struct gso_frames gso_sample_frames(const char *first)
{
	struct gso_frames fr = { .n = 3 };

	fr.frame[0] = first;
	fr.frame[1] = "dev_hard_start_xmit+169";
	fr.frame[2] = "__dev_queue_xmit+1294";
	return fr;
}
