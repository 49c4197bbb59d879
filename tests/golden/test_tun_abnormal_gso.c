// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun-abnormal-gso-type: the bpftrace original's block of each kind of probe (tun_net_xmit
 * with the ring and both stacks, sch_direct_xmit's single line, the openvswitch and
 * validate_xmit_skb blocks for UDP, TCP and other packets, skb_segment), its JSON records and
 * the exit summary, from hand-built events, against golden files.
 */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "skb_gso_report.h"
#include "stack.h"
#include "tun-abnormal-gso-type.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* The spec's illustration: an skb of 2962 bytes, 1448-byte segments, no GSO type. */
static struct gso_event sample_event(unsigned probe, int ip_proto)
{
	static const __u8 src[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc },
			  dst[6] = { 0x52, 0x54, 0x00, 0xdd, 0xee, 0xff };
	struct gso_event ev = { .probe = probe, .pid = 2211, .ts_ns = 1000 };
	struct skb_snapshot *s = &ev.skb;

	strcpy(ev.comm, "ovs-vswitchd");
	strcpy(s->dev, "eth1");
	s->features = 0x1a0c1ab69;
	s->hw_features = 0x1a0c1ab6b;
	s->wanted_features = 0x1a0c1ab69;
	s->hw_enc_features = 0x200;
	s->len = 2962;
	s->data_len = 2896;
	s->dataref = 1;
	s->gso_size = 1448;
	s->gso_segs = 2;
	s->nr_frags = 1;
	s->ip_summed = 3;
	s->network_header = 78;
	s->transport_header = 98;
	memcpy(s->data + 6, src, 6);
	memcpy(s->data, dst, 6);
	if (ip_proto) {
		s->ip_version = 4;
		s->ip_protocol = (__u8)ip_proto;
		s->saddr = golden_ipv4("10.0.0.1");
		s->daddr = golden_ipv4("10.0.0.2");
		s->sport = 4789;
		s->dport = 4790;
	}
	return ev;
}

static struct gso_event sample_xmit(void)
{
	struct gso_event ev = sample_event(TAGT_TUN_NET_XMIT, 6);

	strcpy(ev.skb.dev, "vnet0");
	strcpy(ev.tun_dev, "vnet0");
	ev.ring = (struct tun_ring_state){ .tun = 0xffff888003a0c900ULL,
					   .tfile = 0xffff888003b41000ULL,
					   .queue = 0xffff880012340000ULL,
					   .producer = 12,
					   .consumer_head = 10,
					   .consumer_tail = 8,
					   .size = 1024,
					   .batch = 16,
					   .numqueues = 2,
					   .queue_index = 1 };
	return ev;
}

static struct gso_frames sample_frames(const char *first)
{
	struct gso_frames fr = { .n = 3 };

	fr.frame[0] = first;
	fr.frame[1] = "dev_hard_start_xmit+169";
	fr.frame[2] = "__dev_queue_xmit+1294";
	return fr;
}

static struct stack_frames sample_ustack(void)
{
	struct stack_frames sf = { .n = 2 };

	sf.frame[0] = "sendmsg+77";
	sf.frame[1] = "[unknown]";
	return sf;
}

START_TEST(blocks)
{
	struct stack_frames ustack = sample_ustack(), none = { 0 };
	struct gso_frames fr = sample_frames("tun_net_xmit+1");
	struct gso_event ev = sample_xmit();
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 8 probes...\n", f);
	tagt_print_event(f, &ev, &fr, &ustack);
	ev = sample_event(TAGT_SCH_DIRECT_XMIT, 6);
	tagt_print_event(f, &ev, &fr, &none); /* the banner line only */
	fr.frame[0] = "netdev_frame_hook+1";
	ev = sample_event(TAGT_NETDEV_FRAME_HOOK, 17);
	tagt_print_event(f, &ev, &fr, &none); /* variant A, UDP */
	ev = sample_event(TAGT_NETDEV_FRAME_HOOK, 0);
	tagt_print_event(f, &ev, &fr, &none); /* variant A, not IPv4: no header lines */
	fr.frame[0] = "queue_gso_packets+1";
	ev = sample_event(TAGT_QUEUE_GSO_PACKETS, 6);
	tagt_print_event(f, &ev, &fr, &none); /* variant B, TCP */
	fr.frame[0] = "queue_userspace_packet+1";
	ev = sample_event(TAGT_QUEUE_USERSPACE_PACKET, 1);
	tagt_print_event(f, &ev, &fr, &none); /* variant B, ICMP: stack twice, no details */
	fr.frame[0] = "validate_xmit_skb+1";
	ev = sample_event(TAGT_VALIDATE_XMIT_SKB, 17);
	strcpy(ev.skb.dev, "port-storage");
	tagt_print_event(f, &ev, &fr, &none); /* variant C, UDP */
	ev.probe = TAGT_VALIDATE_XMIT_SKB_LIST;
	ev.skb.ip_version = 0;
	tagt_print_event(f, &ev, &fr, &none); /* variant C, not IPv4 */
	fr.frame[0] = "skb_segment+0";
	ev = sample_event(TAGT_SKB_SEGMENT, 17);
	ev.skb.gso_type = 0x12;
	tagt_print_event(f, &ev, &fr, &none);
	memset(&ev.skb, 0, sizeof(ev.skb)); /* an error pointer returned: no device */
	tagt_print_event(f, &ev, &fr, &none);
	{
		const char *names[TAGT_PROBES];
		uint64_t counts[TAGT_PROBES] = { [TAGT_TUN_NET_XMIT] = 1, [TAGT_VALIDATE_XMIT_SKB] = 3 };

		for (unsigned i = 0; i < TAGT_PROBES; i++)
			names[i] = tagt_probe_name(i);
		gso_print_exit(f, false, names, counts, TAGT_PROBES, 0);
	}
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun-abnormal-gso-type.txt"), 0);
}
END_TEST

START_TEST(json)
{
	struct gso_frames fr = sample_frames("tun_net_xmit+1");
	struct gso_event ev = sample_xmit();
	const char *names[TAGT_PROBES];
	uint64_t counts[TAGT_PROBES] = { [TAGT_TUN_NET_XMIT] = 1 };
	FILE *f = golden_open(&buf, &len);

	gso_print_json(f, &ev, "10:11:12", tagt_probe_name(ev.probe), &fr, NULL);
	ev = sample_event(TAGT_SKB_SEGMENT, 17);
	ev.skb.gso_type = 0x12;
	fr.frame[0] = "skb_segment+0";
	gso_print_json(f, &ev, "10:11:13", tagt_probe_name(ev.probe), &fr, NULL);
	for (unsigned i = 0; i < TAGT_PROBES; i++)
		names[i] = tagt_probe_name(i);
	gso_print_exit(f, true, names, counts, TAGT_PROBES, 2);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun-abnormal-gso-type.json"), 0);
}
END_TEST

Suite *golden_tun_abnormal_gso_suite(void)
{
	const TTest *tests[] = { blocks, json };

	return unit_suite("tun_abnormal_gso", "layouts", tests, ARRAY_SIZE(tests));
}
