// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GSO anomaly detectors of other/ (trace-qdisc-dequeue, trace_dev_queue_xmit,
 * trace_tc_qdisc): their bpftrace blocks for UDP, TCP and other packets, JSON records and the
 * exit summary, from hand-built events, against golden files.
 */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "gso_sample.h"
#include "skb_gso_report.h"
#include "trace-abnormal-arp.h"
#include "trace-qdisc-dequeue.h"
#include "trace_dev_queue_xmit.h"
#include "trace_tc_qdisc.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const struct gso_sample_host host = {
	.comm = "vhost-2301",
	.dev = "vnet0",
	.pid = 2310,
	.features = 0x1c0d4a89,
	.network_header = 14,
	.src_mac = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x33 },
	.dst_mac = { 0x52, 0x54, 0x00, 0x44, 0x55, 0x66 },
	.saddr = "10.0.0.5",
	.daddr = "10.0.0.9",
	.sport = 5201,
	.dport = 40122,
};

/* The spec's illustration: a TCP skb of 2962 bytes, 1448-byte segments, no GSO type. */
static struct gso_event sample_event(unsigned probe, int ip_proto)
{
	return gso_sample_event(&host, probe, ip_proto);
}

START_TEST(qdisc_dequeue_blocks)
{
	struct gso_frames fr = gso_sample_frames("tun_net_xmit+1");
	struct gso_event ev = sample_event(QDQ_TUN_NET_XMIT, 6);
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 8 probes...\n", f);
	qdq_print_event(f, &ev, &fr); /* function block, TCP, no feature line */
	ev = sample_event(QDQ_TCP_TRANSMIT_SKB, 17);
	ev.sk_saddr = golden_ipv4("10.0.0.5");
	ev.sk_daddr = golden_ipv4("10.0.0.9");
	ev.sk_dport = 0x5000; /* port 80 in network order, printed raw as the original */
	ev.skb.cloned = 1;
	ev.skb.frag_list = 0xffff888012345678ULL;
	fr.frame[0] = "__tcp_transmit_skb+1";
	qdq_print_event(f, &ev, &fr); /* UDP, with the feature line */
	ev = sample_event(QDQ_SCH_DIRECT_XMIT, 0);
	fr.n = 0;
	qdq_print_event(f, &ev, &fr); /* not IPv4: no header lines; empty stack */
	ev = sample_event(QDQ_QDISC_DEQUEUE, 17);
	fr = gso_sample_frames("__qdisc_run+100");
	qdq_print_event(f, &ev, &fr); /* tracepoint block */
	ev.probe = QDQ_NET_DEV_QUEUE;
	qdq_print_event(f, &ev, &fr);
	{
		const char *names[QDQ_PROBES];
		uint64_t counts[QDQ_PROBES] = {
			[QDQ_QDISC_DEQUEUE] = 3, [QDQ_NET_DEV_QUEUE] = 3, [QDQ_TUN_NET_XMIT] = 1
		};

		for (unsigned i = 0; i < QDQ_PROBES; i++)
			names[i] = qdq_probe_name(i);
		gso_print_exit(f, false, names, counts, QDQ_PROBES, 0);
	}
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace-qdisc-dequeue.txt"), 0);
}
END_TEST

START_TEST(qdisc_dequeue_json)
{
	struct gso_frames fr = gso_sample_frames("tun_net_xmit+1");
	struct gso_event ev = sample_event(QDQ_TUN_NET_XMIT, 6);
	const char *names[QDQ_PROBES];
	uint64_t counts[QDQ_PROBES] = { [QDQ_TUN_NET_XMIT] = 1 };
	FILE *f = golden_open(&buf, &len);

	ev.sk_saddr = golden_ipv4("10.0.0.5");
	ev.sk_dport = 0x5000;
	gso_print_json(f, &ev, "10:11:12", qdq_probe_name(ev.probe), &fr, NULL);
	ev = sample_event(QDQ_QDISC_DEQUEUE, 0);
	fr.n = 0;
	gso_print_json(f, &ev, "10:11:13", qdq_probe_name(ev.probe), &fr, NULL);
	for (unsigned i = 0; i < QDQ_PROBES; i++)
		names[i] = qdq_probe_name(i);
	gso_print_exit(f, true, names, counts, QDQ_PROBES, 2);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace-qdisc-dequeue.json"), 0);
}
END_TEST

START_TEST(dev_queue_xmit_blocks)
{
	struct gso_frames fr = gso_sample_frames("__dev_queue_xmit+1");
	struct gso_event ev = sample_event(DQX_DEV_QUEUE_XMIT, 17);
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 2 probes...\n", f);
	dqx_print_event(f, &ev, &fr); /* UDP */
	ev = sample_event(DQX_SCH_DIRECT_XMIT, 6);
	fr.frame[0] = "sch_direct_xmit+1";
	dqx_print_event(f, &ev, &fr); /* TCP */
	ev = sample_event(DQX_SCH_DIRECT_XMIT, 1);
	dqx_print_event(f, &ev, &fr); /* ICMP: no details */
	{
		const char *names[DQX_PROBES] = { dqx_probe_name(0), dqx_probe_name(1) };
		uint64_t counts[DQX_PROBES] = { 2, 1 };

		gso_print_exit(f, false, names, counts, DQX_PROBES, 0);
	}
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_dev_queue_xmit.txt"), 0);
}
END_TEST

START_TEST(tc_qdisc_blocks)
{
	struct gso_frames fr = gso_sample_frames("tcf_classify+1");
	struct gso_event ev = sample_event(TCQ_TCF_CLASSIFY, 17);
	FILE *f = golden_open(&buf, &len);

	strcpy(ev.skb.dev, "port-storage");
	fputs("Attaching 7 probes...\n", f);
	tcq_print_event(f, &ev, &fr); /* generic, UDP */
	ev.probe = TCQ_HTB_ENQUEUE;
	ev.skb.ip_version = 0;
	fr.frame[0] = "htb_enqueue+1";
	tcq_print_event(f, &ev, &fr); /* generic, not IPv4 */
	ev = sample_event(TCQ_FQ_CODEL_QDISC, 6);
	strcpy(ev.skb.dev, "port-storage");
	ev.enqueue_fn = 0xffffffffc0a01230ULL;
	fr.frame[0] = "fq_codel_enqueue+1";
	tcq_print_event(f, &ev, &fr); /* the fq_codel check */
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_tc_qdisc.txt"), 0);
}
END_TEST

START_TEST(tc_qdisc_json)
{
	struct gso_frames fr = gso_sample_frames("fq_codel_enqueue+1");
	struct gso_event ev = sample_event(TCQ_FQ_CODEL_QDISC, 6);
	FILE *f = golden_open(&buf, &len);

	ev.enqueue_fn = 0xffffffffc0a01230ULL;
	gso_print_json(f, &ev, "10:11:12", "fq_codel_enqueue_qdisc", &fr, "fq_codel_enqueue");
	gso_print_json(f, &ev, "10:11:12", "fq_codel_enqueue_qdisc", &fr, NULL);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_tc_qdisc.json"), 0);
}
END_TEST

static struct arp_event sample_arp(unsigned probe, unsigned op)
{
	static const __u8 sha[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef },
			  bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct arp_event ev = { .probe = probe, .op = (__u16)op, .protocol = 0x806, .pid = 2310 };

	strcpy(ev.comm, "vhost-2301");
	strcpy(ev.dev, "vnet42");
	ev.spa = golden_ipv4("192.168.25.218");
	memcpy(ev.sha, sha, 6);
	memcpy(ev.eth_src, sha, 6);
	memcpy(ev.eth_dst, bcast, 6);
	return ev;
}

/* The spec's sample: a request received from the tap, a reply sent into it, an unknown opcode. */
START_TEST(abnormal_arp_text)
{
	const char *frames[] = { "__netif_receive_skb+1", "netif_receive_skb_internal+55",
				 "tun_get_user+3091" };
	struct arp_event ev = sample_arp(ARP_RECEIVE, 1);
	struct arp_count counts[] = { { { "ksoftirqd/3", "vnet42" }, 230 },
				      { { "vhost-2301", "vnet42" }, 17 } };
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 3 probes...\n", f);
	arp_print_event(f, &ev, frames, 3);
	ev = sample_arp(ARP_TUN_XMIT, 2);
	ev.pkt_type = 4;
	arp_print_event(f, &ev, frames, 0); /* a stack that could not be read */
	ev.op = 9;
	arp_print_event(f, &ev, NULL, 0); /* --no-stack */
	arp_sort_counts(counts, ARRAY_SIZE(counts));
	arp_print_exit(f, false, counts, ARRAY_SIZE(counts), 0, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace-abnormal-arp.txt"), 0);
}
END_TEST

START_TEST(abnormal_arp_json)
{
	const char *frames[] = { "tun_net_xmit+1", "dev_hard_start_xmit+169" };
	struct arp_event ev = sample_arp(ARP_TUN_XMIT, 2);
	struct arp_count counts[] = { { { "vhost-2301", "vnet42" }, 17 } };
	FILE *f = golden_open(&buf, &len);

	arp_print_json(f, &ev, "10:11:12", frames, 2);
	arp_print_json(f, &ev, "10:11:13", NULL, 0);
	arp_print_exit(f, true, counts, ARRAY_SIZE(counts), 3, 1);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace-abnormal-arp.json"), 0);
}
END_TEST

Suite *golden_qdisc_gso_suite(void)
{
	const TTest *tests[] = { qdisc_dequeue_blocks, qdisc_dequeue_json, dev_queue_xmit_blocks,
				 tc_qdisc_blocks,      tc_qdisc_json,      abnormal_arp_text,
				 abnormal_arp_json };

	return unit_suite("qdisc_gso", "layouts", tests, ARRAY_SIZE(tests));
}
