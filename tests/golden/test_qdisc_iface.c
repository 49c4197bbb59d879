// SPDX-License-Identifier: GPL-2.0-only
/*
 * performance/ tools: qdisc_lateny_details' per-packet records and end-of-run accounting,
 * iface_netstat's tables and unit conversions, against golden files (the first record of
 * each is the spec's sample, verbatim).
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "golden.h"
#include "iface_netstat.h"
#include "qdisc_lateny_details.h"
#include "util.h"
#include "unit_helpers.h"

static char *buf;
static size_t len;

static struct qdisc_pkt pkt4(const char *src, const char *dst, int proto, const char *dev)
{
	struct qdisc_pkt p;

	memset(&p, 0, sizeof(p));
	p.family = 4;
	inet_pton(AF_INET, src, &p.saddr[0]);
	inet_pton(AF_INET, dst, &p.daddr[0]);
	p.l4proto = (__u8)proto;
	p.flags = QDISC_PKT_L4;
	strcpy(p.devname, dev);
	return p;
}

static void times(struct qdisc_pkt *p, __u64 enq, __u64 deq)
{
	p->enqueue_ns = enq;
	p->dequeue_ns = deq;
}

START_TEST(qdisc_records)
{
	FILE *f = golden_open(&buf, &len);
	struct qdisc_pkt p;

	/* The spec's sample. */
	p = pkt4("10.0.0.1", "10.0.0.2", IPPROTO_TCP, "eth0");
	p.sport = 45678;
	p.dport = 80;
	p.tcp_seq = 1234567890;
	times(&p, 1579019845123456789ULL, 1579019845123459789ULL);
	qdisc_print_event(f, &p, "14:30:15.123");

	/* UDP shows the IP id; a delay behind a backlog, in microseconds with 3 decimals. */
	p = pkt4("192.168.122.10", "192.168.122.1", IPPROTO_UDP, "vnet0");
	p.sport = 5001;
	p.dport = 53;
	p.ip_id = 0xBEEF;
	times(&p, 1000000000ULL, 1008333333ULL);
	qdisc_print_event(f, &p, "00:00:01.008");

	/* ICMP (the original crashed here under Python 3). */
	p = pkt4("10.1.1.1", "10.1.1.2", IPPROTO_ICMP, "br-int");
	p.icmp_type = 8;
	p.icmp_id = 4242;
	p.icmp_seq = 7;
	times(&p, 5000, 5000);
	qdisc_print_event(f, &p, "23:59:59.999");

	/* A non-first fragment has no ports; other protocols by number. */
	p = pkt4("10.0.0.3", "10.0.0.4", IPPROTO_UDP, "eth1");
	p.flags = QDISC_PKT_FRAGMENT;
	p.ip_id = 77;
	times(&p, 100, 1100);
	qdisc_print_event(f, &p, "12:00:00.000");
	p = pkt4("10.0.0.3", "10.0.0.4", 47, "gre0");
	p.flags = 0;
	times(&p, 100, 250);
	qdisc_print_event(f, &p, "12:00:00.001");

	/* IPv6 UDP (no IP id: the UDP length), ICMPv6. */
	memset(&p, 0, sizeof(p));
	p.family = 6;
	inet_pton(AF_INET6, "fd00:1::1", p.saddr);
	inet_pton(AF_INET6, "fd00:1::2", p.daddr);
	p.l4proto = IPPROTO_UDP;
	p.flags = QDISC_PKT_L4;
	p.sport = 40000;
	p.dport = 4789;
	p.udp_len = 1408;
	strcpy(p.devname, "eth0");
	times(&p, 10, 2000010);
	qdisc_print_event(f, &p, "08:15:00.250");
	p.l4proto = IPPROTO_ICMPV6;
	p.icmp_type = 128;
	p.icmp_id = 1;
	p.icmp_seq = 2;
	qdisc_print_event(f, &p, "08:15:00.251");

	/* A GSO packet the qdisc (tbf) split: timed to its first segment. */
	p = pkt4("10.0.0.1", "10.0.0.2", IPPROTO_TCP, "eth0");
	p.sport = 51188;
	p.dport = 7000;
	p.tcp_seq = 1531877086;
	p.len = 65226;
	p.flags |= QDISC_PKT_GSO_SPLIT;
	times(&p, 2000000000ULL, 2056000500ULL);
	qdisc_print_event(f, &p, "10:10:03.868");
	ck_assert_int_eq(golden_check(f, &buf, &len, "qdisc_lateny_details_events.txt"), 0);
}
END_TEST

START_TEST(qdisc_record_json)
{
	FILE *f = golden_open(&buf, &len);
	struct qdisc_pkt p = pkt4("10.0.0.1", "10.0.0.2", IPPROTO_TCP, "eth0");

	p.sport = 45678;
	p.dport = 80;
	p.tcp_seq = 1234567890;
	p.ip_id = 1;
	p.len = 1514;
	times(&p, 1579019845123456789ULL, 1579019845123459789ULL);
	qdisc_print_event_json(f, &p, "14:30:15.123");
	p = pkt4("10.1.1.1", "10.1.1.2", IPPROTO_ICMP, "br-int");
	p.icmp_type = 8;
	p.icmp_id = 4242;
	p.icmp_seq = 7;
	p.len = 98;
	times(&p, 5000, 7500);
	qdisc_print_event_json(f, &p, "23:59:59.999");
	ck_assert_int_eq(golden_check(f, &buf, &len, "qdisc_lateny_details_events.json"), 0);
}
END_TEST

START_TEST(qdisc_accounting)
{
	FILE *f = golden_open(&buf, &len);
	struct qdisc_summary s = { .enqueued = 1000,
				   .dequeued = 950,
				   .still_queued = 12,
				   .dropped = 30,
				   .expired = 3,
				   .lost_events = 2 };

	qdisc_summary_finish(&s);
	ck_assert_uint_eq(s.evicted, 5);
	qdisc_print_summary(f, &s, false);
	s.batch_unseen = 17;
	qdisc_print_summary(f, &s, false);
	qdisc_print_summary(f, &s, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "qdisc_lateny_details_summary.txt"), 0);

	/* Counters read at different instants never make "evicted" negative. */
	struct qdisc_summary t = { .enqueued = 10, .dequeued = 11 };

	qdisc_summary_finish(&t);
	ck_assert_uint_eq(t.evicted, 0);
}
END_TEST

START_TEST(qdisc_identifiers)
{
	char b[64];
	struct qdisc_pkt p = pkt4("1.1.1.1", "2.2.2.2", IPPROTO_TCP, "x");

	/* Without a readable L4 header only the protocol is shown. */
	p.flags = 0;
	ck_assert_str_eq(qdisc_pkt_ident(&p, b, sizeof(b)), "TCP");
	p.flags = QDISC_PKT_L4;
	p.sport = 65535;
	p.dport = 1;
	p.tcp_seq = 4294967295u;
	ck_assert_str_eq(qdisc_pkt_ident(&p, b, sizeof(b)), "TCP 65535->1 seq=4294967295");
	p.l4proto = 132;
	ck_assert_str_eq(qdisc_pkt_ident(&p, b, sizeof(b)), "Proto132");
}
END_TEST

/* Python's to_str() of the original, value by value. */
START_TEST(netstat_units)
{
	static const struct {
		double v;
		bool is_float;
		const char *want;
	} cases[] = {
		{ 0, false, "0" }, /* a count */
		{ 0, true, "0.0" }, /* a rate */
		{ 66, true, "66.0" },
		{ 12.345, true, "12.35" }, /* 12.345 is stored above the tie */
		{ 2.675, true, "2.67" }, /* ... and 2.675 below it, as Python rounds */
		{ 0.125, true, "0.12" }, /* exact tie: to even */
		{ 999.999, true, "1000.0" },
		{ 1000, false, "1000" }, /* the K threshold is "> 1000" */
		{ 1001, false, "0.98K" },
		{ 1200, false, "1.17K" },
		{ 1536, false, "1.5K" }, /* shortest form, not 1.50K */
		{ 2048, true, "2.0K" },
		{ 1000000, false, "976.56K" }, /* the M threshold is "> 1000000" */
		{ 1000001, false, "0.95M" },
		{ 1811940, true, "1.73M" },
		{ 1048576.0 * 1024, true, "1024.0M" },
		{ 1e12, true, "953674.32M" },
	};
	char b[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_msg(
			!strcmp(netstat_num(cases[i].v, cases[i].is_float, b, sizeof(b)), cases[i].want),
			"netstat_num(%g, %d) = '%s', want '%s'", cases[i].v, cases[i].is_float, b,
			cases[i].want);
}
END_TEST

static struct queue_stats qstats(__u64 packets, __u64 bytes, __u64 s0, __u64 s1, __u64 s2, __u64 s3, __u64 s4)
{
	struct queue_stats q = { .bytes = bytes, .packets = packets, .size = { s0, s1, s2, s3, s4 } };

	return q;
}

/* The spec's sample interval: 1212 TX packets on queue 0, 500 RX packets of 66 bytes on queue 1. */
static void sample_tables(struct queue_table *tx, struct queue_table *rx)
{
	static struct queue_stats txq[2], rxq[2];

	txq[0] = qstats(1212, 1212 * 1495, 0, 12, 1200, 0, 0);
	txq[1] = qstats(0, 0, 0, 0, 0, 0, 0);
	rxq[0] = qstats(0, 0, 0, 0, 0, 0, 0);
	rxq[1] = qstats(500, 500 * 66, 0, 500, 0, 0, 0);
	memset(tx, 0, sizeof(*tx));
	memset(rx, 0, sizeof(*rx));
	tx->queues = txq;
	tx->n = 2;
	rx->queues = rxq;
	rx->n = 2;
}

START_TEST(netstat_throughput_table)
{
	FILE *f = golden_open(&buf, &len);
	struct queue_table tx, rx;

	sample_tables(&tx, &rx);
	netstat_print_report(f, "Mon Oct 20 14:30:15 2025", &tx, &rx, 1.0, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "iface_netstat_throughput.txt"), 0);
}
END_TEST

START_TEST(netstat_plain_table_and_other_queues)
{
	FILE *f = golden_open(&buf, &len);
	struct queue_table tx, rx;

	sample_tables(&tx, &rx);
	/* Queue ids the device did not report count in Total only; GSO packets >= 64K in no class. */
	tx.other = qstats(3, 3 * 65000 + 2 * 70000 - 65000, 0, 0, 0, 0, 1);
	netstat_print_report(f, "Tue Nov  4 09:05:01 2025", &tx, &rx, 2.0, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "iface_netstat_plain.txt"), 0);
}
END_TEST

START_TEST(netstat_json)
{
	FILE *f = golden_open(&buf, &len);
	struct queue_table tx, rx;

	sample_tables(&tx, &rx);
	netstat_print_json(f, "2025-10-20 14:30:15", &tx, &rx, 0.5);
	ck_assert_int_eq(golden_check(f, &buf, &len, "iface_netstat.json"), 0);
}
END_TEST

Suite *golden_qdisc_iface_suite(void)
{
	const TTest *layouts_tests[] = { qdisc_records,
					 qdisc_record_json,
					 qdisc_accounting,
					 qdisc_identifiers,
					 netstat_units,
					 netstat_throughput_table,
					 netstat_plain_table_and_other_queues,
					 netstat_json };

	return unit_suite("qdisc_iface", "layouts", layouts_tests, ARRAY_SIZE(layouts_tests));
}
