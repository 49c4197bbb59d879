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
#include "gso_sample.h"
#include "skb_gso_report.h"
#include "stack.h"
#include "tun-abnormal-gso-type.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const struct gso_sample_host host = {
	.comm = "ovs-vswitchd",
	.dev = "eth1",
	.pid = 2211,
	.features = 0x1a0c1ab69,
	.network_header = 78,
	.src_mac = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc },
	.dst_mac = { 0x52, 0x54, 0x00, 0xdd, 0xee, 0xff },
	.saddr = "10.0.0.1",
	.daddr = "10.0.0.2",
	.sport = 4789,
	.dport = 4790,
};

/* The spec's illustration: an skb of 2962 bytes, 1448-byte segments, no GSO type. */
static struct gso_event sample_event(unsigned probe, int ip_proto)
{
	return gso_sample_event(&host, probe, ip_proto);
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
	struct gso_frames fr = gso_sample_frames("tun_net_xmit+1");
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
	struct gso_frames fr = gso_sample_frames("tun_net_xmit+1");
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
