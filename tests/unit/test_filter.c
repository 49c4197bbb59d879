// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/filter.h. */
#include <arpa/inet.h>
#include <check.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argparse.h"
#include "filter.h"
#include "unit_helpers.h"
#include "util.h"

/* ---- ip_parse / ip_format ---- */

START_TEST(test_ip_parse_ipv4)
{
	struct ip_addr a;
	static const uint8_t zero[12];

	ck_assert(ip_parse("10.0.0.1", &a));
	ck_assert_int_eq(a.family, 4);
	ck_assert_mem_eq(a.bytes, "\x0a\x00\x00\x01", 4);
	ck_assert_mem_eq(a.bytes + 4, zero, 12);
	ck_assert(ip_parse("255.255.255.255", &a));
	ck_assert_mem_eq(a.bytes, "\xff\xff\xff\xff", 4);
	ck_assert(ip_parse("0.0.0.0", &a));
	ck_assert_int_eq(a.family, 4);
	ck_assert_mem_eq(a.bytes, "\x00\x00\x00\x00", 4);
}
END_TEST

START_TEST(test_ip_parse_ipv6)
{
	struct ip_addr a;
	static const uint8_t db8_1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 };
	static const uint8_t loop[16] = { [15] = 1 };

	ck_assert(ip_parse("2001:db8::1", &a));
	ck_assert_int_eq(a.family, 6);
	ck_assert_mem_eq(a.bytes, db8_1, 16);
	ck_assert(ip_parse("2001:0DB8:0000:0000:0000:0000:0000:0001", &a));
	ck_assert_mem_eq(a.bytes, db8_1, 16);
	ck_assert(ip_parse("::ffff:10.0.0.1", &a));
	ck_assert_int_eq(a.family, 6);
	ck_assert_mem_eq(a.bytes, mapped, 16);
	ck_assert(ip_parse("::1", &a));
	ck_assert_mem_eq(a.bytes, loop, 16);
}
END_TEST

START_TEST(test_ip_parse_invalid)
{
	static const char *const bad[] = {
		"",
		"1.2.3",
		"10.1",
		"010.0.0.1",
		"0x0a000001",
		"256.1.1.1",
		"1.2.3.4.5",
		"abc",
		"1.2.3.4 ",
		" 1.2.3.4",
		"1.2.3.-4",
		"2001:db8::1::2",
		"gg::1",
		"2001:db8:1:2:3:4:5:6:7",
		"12345::1",
		":",
		"10.0.0.1/24",
	};
	struct ip_addr a;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(!ip_parse(bad[i], &a), "'%s' was accepted", bad[i]);
	ck_assert(!ip_parse(NULL, &a));
}
END_TEST

static const char *roundtrip(const char *text, char *buf, size_t len)
{
	struct ip_addr a;

	ck_assert_msg(ip_parse(text, &a), "cannot parse '%s'", text);
	return ip_format(&a, buf, len);
}

START_TEST(test_ip_format)
{
	char buf[64];

	ck_assert_str_eq(roundtrip("10.0.0.1", buf, sizeof(buf)), "10.0.0.1");
	ck_assert_str_eq(roundtrip("2001:0db8:0000:0000:0000:0000:0000:0001", buf, sizeof(buf)),
			 "2001:db8::1");
	ck_assert_str_eq(roundtrip("2001:DB8::A", buf, sizeof(buf)), "2001:db8::a");
	ck_assert_str_eq(roundtrip("0:0:0:0:0:0:0:0", buf, sizeof(buf)), "::");
	ck_assert_str_eq(roundtrip("0:0:0:0:0:0:0:1", buf, sizeof(buf)), "::1");
	/* RFC 5952: the longest run of zeros, the first one on a tie, never a single 0. */
	ck_assert_str_eq(roundtrip("2001:db8:0:0:1:0:0:0", buf, sizeof(buf)), "2001:db8:0:0:1::");
	ck_assert_str_eq(roundtrip("2001:db8:0:0:1:0:0:1", buf, sizeof(buf)), "2001:db8::1:0:0:1");
	ck_assert_str_eq(roundtrip("2001:db8:0:1:1:1:1:1", buf, sizeof(buf)), "2001:db8:0:1:1:1:1:1");
	ck_assert_str_eq(roundtrip("fe80::0001:0000:0000:0001", buf, sizeof(buf)), "fe80::1:0:0:1");
	ck_assert_ptr_eq(roundtrip("10.0.0.1", buf, sizeof(buf)), buf);
}
END_TEST

START_TEST(test_ip_format_small_buffer)
{
	struct ip_addr a;
	char buf[4];

	ck_assert(ip_parse("10.0.0.1", &a));
	ck_assert_str_eq(ip_format(&a, buf, sizeof(buf)), "?");
}
END_TEST

START_TEST(test_ipv4_format)
{
	char buf[32];

	ck_assert_str_eq(ipv4_format(htonl(0x0a000001), buf, sizeof(buf)), "10.0.0.1");
	ck_assert_str_eq(ipv4_format(inet_addr("192.168.1.254"), buf, sizeof(buf)), "192.168.1.254");
	ck_assert_str_eq(ipv4_format(0, buf, sizeof(buf)), "0.0.0.0");
}
END_TEST

/* ---- protocols ---- */

START_TEST(test_l4proto_parse)
{
	ck_assert_int_eq(l4proto_parse("all"), 0);
	ck_assert_int_eq(l4proto_parse("icmp"), 1);
	ck_assert_int_eq(l4proto_parse("tcp"), 6);
	ck_assert_int_eq(l4proto_parse("udp"), 17);
	ck_assert_int_eq(l4proto_parse("icmpv6"), 58);
	ck_assert_int_eq(l4proto_parse("sctp"), 132);
	ck_assert_int_eq(l4proto_parse("TCP"), 6);
	ck_assert_int_eq(l4proto_parse("Udp"), 17);
	ck_assert_int_eq(l4proto_parse("0"), 0);
	ck_assert_int_eq(l4proto_parse("6"), 6);
	ck_assert_int_eq(l4proto_parse("47"), 47);
	ck_assert_int_eq(l4proto_parse("255"), 255);
	ck_assert_int_eq(l4proto_parse("256"), -1);
	ck_assert_int_eq(l4proto_parse("-1"), -1);
	ck_assert_int_eq(l4proto_parse("x"), -1);
	ck_assert_int_eq(l4proto_parse(""), -1);
	ck_assert_int_eq(l4proto_parse("6x"), -1);
	ck_assert_int_eq(l4proto_parse("0x6"), -1);
	ck_assert_int_eq(l4proto_parse("tcpx"), -1);
	ck_assert_int_eq(l4proto_parse("99999999999999999999"), -1);
	ck_assert_int_eq(l4proto_parse(NULL), -1);
}
END_TEST

START_TEST(test_l4proto_name)
{
	char buf[16];

	ck_assert_str_eq(l4proto_name(1, buf, sizeof(buf)), "ICMP");
	ck_assert_str_eq(l4proto_name(6, buf, sizeof(buf)), "TCP");
	ck_assert_str_eq(l4proto_name(17, buf, sizeof(buf)), "UDP");
	ck_assert_str_eq(l4proto_name(58, buf, sizeof(buf)), "ICMPv6");
	ck_assert_str_eq(l4proto_name(47, buf, sizeof(buf)), "47");
	ck_assert_str_eq(l4proto_name(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(l4proto_name(132, buf, sizeof(buf)), "132");
	ck_assert_ptr_eq(l4proto_name(47, buf, sizeof(buf)), buf);
}
END_TEST

START_TEST(test_l4proto_choice)
{
	static const char *const choices[] = { "tcp", "udp", "all", NULL };

	ck_assert_str_eq(l4proto_choice(choices, 0), "all");
	ck_assert_str_eq(l4proto_choice(choices, 17), "udp");
	ck_assert_ptr_null(l4proto_choice(choices, 1));
	ck_assert_ptr_null(l4proto_choice(NULL, 6));
}
END_TEST

/* ---- filling struct pkt_filter ---- */

START_TEST(test_filter_set_addr_ipv4)
{
	struct ip_addr src, dst;
	struct pkt_filter f;

	memset(&f, 0, sizeof(f));
	ck_assert(ip_parse("10.0.0.1", &src));
	filter_set_addr(&f, true, &src);
	ck_assert_uint_eq(f.sfamily, 4);
	ck_assert_uint_eq(f.dfamily, 0);
	ck_assert_mem_eq(f.saddr, "\x0a\x00\x00\x01", 4);
	ck_assert_uint_eq(f.saddr[0], htonl(0x0a000001));
	ck_assert_uint_eq(f.saddr[1] | f.saddr[2] | f.saddr[3], 0);
	ck_assert_uint_eq(f.daddr[0], 0);

	ck_assert(ip_parse("192.168.1.2", &dst));
	filter_set_addr(&f, false, &dst);
	ck_assert_uint_eq(f.dfamily, 4);
	ck_assert_uint_eq(f.daddr[0], htonl(0xc0a80102));
	/* the source side is untouched */
	ck_assert_uint_eq(f.saddr[0], htonl(0x0a000001));
	ck_assert_uint_eq(f.sfamily, 4);
}
END_TEST

START_TEST(test_filter_set_addr_ipv6)
{
	static const uint8_t db8_1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct pkt_filter f;
	struct ip_addr a;

	memset(&f, 0, sizeof(f));
	ck_assert(ip_parse("2001:db8::1", &a));
	filter_set_addr(&f, false, &a);
	ck_assert_uint_eq(f.dfamily, 6);
	ck_assert_uint_eq(f.sfamily, 0);
	ck_assert_mem_eq(f.daddr, db8_1, 16);
}
END_TEST

START_TEST(test_filter_set_none_is_no_filter)
{
	struct pkt_filter f, zero;
	struct ip_addr none = { 0 };

	memset(&f, 0, sizeof(f));
	memset(&zero, 0, sizeof(zero));
	filter_set_addr(&f, true, &none);
	filter_set_ipv4(&f, false, 0);
	ck_assert_mem_eq(&f, &zero, sizeof(f));
}
END_TEST

START_TEST(test_filter_set_ipv4)
{
	struct pkt_filter f;

	memset(&f, 0, sizeof(f));
	filter_set_ipv4(&f, false, htonl(0x0a000002));
	ck_assert_uint_eq(f.dfamily, 4);
	ck_assert_uint_eq(f.sfamily, 0);
	ck_assert_mem_eq(f.daddr, "\x0a\x00\x00\x02\0\0\0\0\0\0\0\0\0\0\0\0", 16);
}
END_TEST

/* ---- interfaces: run in a child with stderr captured ---- */

static void call_iface_index(void *arg)
{
	printf("%d\n", iface_index(arg));
}

START_TEST(test_iface_index)
{
	struct captured r;

	ck_assert_int_eq(iface_index("lo"), 1);
	capture_run(call_iface_index, "nope0", &r);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "Error: interface 'nope0' not found (see `ip link show`)\n");
	captured_free(&r);
}
END_TEST

START_TEST(test_iface_index_missing_exit)
{
	iface_index("nope0");
}
END_TEST

/* ---- interface sets ---- */

static uint32_t netns_of_this_process(void)
{
	struct stat st;

	ck_assert_int_eq(stat("/proc/self/ns/net", &st), 0);
	return (uint32_t)st.st_ino;
}

START_TEST(test_iface_set_add)
{
	struct iface_set set = { 0 };

	iface_set_add(&set, "lo");
	ck_assert_uint_eq(set.ifindex[0], 1);
	ck_assert_uint_eq(set.ifindex[1], 0);
	ck_assert_uint_ne(set.netns, 0);
	ck_assert_uint_eq(set.netns, netns_of_this_process());
	iface_set_add(&set, "lo");
	ck_assert_uint_eq(set.ifindex[1], 1);
	ck_assert_uint_eq(set.ifindex[2], 0);
	ck_assert_uint_eq(set.ifindex[3], 0);
}
END_TEST

/* In a new network namespace: prints the set's namespace and the process's, which must agree. */
static void add_lo_in_new_netns(void *arg)
{
	struct iface_set set = { 0 };

	(void)arg;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		perror("unshare");
		exit(2);
	}
	iface_set_add(&set, "lo");
	printf("%u %u %u\n", set.ifindex[0], set.netns, netns_of_this_process());
}

START_TEST(test_iface_set_add_records_the_namespace)
{
	unsigned ifindex, set_netns, child_netns;
	struct captured r;

	capture_run(add_lo_in_new_netns, NULL, &r);
	ck_assert_msg(r.status == CAPTURE_RETURNED, "child: %d %s", r.status, r.err);
	ck_assert_int_eq(sscanf(r.out, "%u %u %u", &ifindex, &set_netns, &child_netns), 3);
	ck_assert_uint_eq(ifindex, 1); /* lo again: ifindexes repeat across namespaces */
	ck_assert_uint_eq(set_netns, child_netns);
	ck_assert_uint_ne(set_netns, netns_of_this_process());
	captured_free(&r);
}
END_TEST

static void add_to_full_set(void *arg)
{
	struct iface_set set = { 0 };

	for (int i = 0; i < PKT_MAX_IFACES; i++)
		iface_set_add(&set, "lo");
	iface_set_add(&set, arg);
}

START_TEST(test_iface_set_add_full)
{
	struct captured r;

	capture_run(add_to_full_set, "nope0", &r);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "Error: cannot add interface 'nope0': at most 4 interfaces\n");
	captured_free(&r);
}
END_TEST

static void add_missing(void *arg)
{
	struct iface_set set = { 0 };

	iface_set_add(&set, arg);
}

START_TEST(test_iface_set_add_missing)
{
	struct captured r;

	capture_run(add_missing, "nope0", &r);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "Error: interface 'nope0' not found (see `ip link show`)\n");
	captured_free(&r);
}
END_TEST

static Suite *filter_suite(void)
{
	const TTest *ip_tests[] = { test_ip_parse_ipv4, test_ip_parse_ipv6,          test_ip_parse_invalid,
				    test_ip_format,     test_ip_format_small_buffer, test_ipv4_format };
	const TTest *proto_tests[] = { test_l4proto_parse, test_l4proto_name, test_l4proto_choice };
	const TTest *filter_tests[] = { test_filter_set_addr_ipv4, test_filter_set_addr_ipv6,
					test_filter_set_none_is_no_filter, test_filter_set_ipv4,
					test_iface_index };
	const TTest *iface_set_tests[] = { test_iface_set_add, test_iface_set_add_records_the_namespace,
					   test_iface_set_add_full, test_iface_set_add_missing };
	Suite *s = suite_create("filter");
	TCase *opts;

	unit_tcase(s, "ip", ip_tests, ARRAY_SIZE(ip_tests));
	unit_tcase(s, "proto", proto_tests, ARRAY_SIZE(proto_tests));
	opts = unit_tcase(s, "filter", filter_tests, ARRAY_SIZE(filter_tests));
	tcase_add_exit_test(opts, test_iface_index_missing_exit, 1);
	unit_tcase(s, "iface_set", iface_set_tests, ARRAY_SIZE(iface_set_tests));
	return s;
}

int main(void)
{
	return unit_run(filter_suite());
}
