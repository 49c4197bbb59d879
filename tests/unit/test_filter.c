/* Unit tests of common/filter.h. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "filter.h"
#include "unit_helpers.h"

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
		"", "1.2.3", "256.1.1.1", "1.2.3.4.5", "abc", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
		"2001:db8::1::2", "gg::1", "2001:db8:1:2:3:4:5:6:7", "12345::1", ":", "10.0.0.1/24",
	};
	struct ip_addr a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
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

START_TEST(test_l4proto_opt)
{
	ck_assert_uint_eq(l4proto_opt("--protocol", "tcp"), 6);
	ck_assert_uint_eq(l4proto_opt("--protocol", "all"), 0);
	ck_assert_uint_eq(l4proto_opt("--protocol", "200"), 200);
}
END_TEST

/* ---- options that exit: run in a child with stderr captured ---- */

struct call {
	const char *flag, *text;
	long value;
	bool source, ipv4_only;
};

static void call_l4proto_opt(void *arg)
{
	const struct call *c = arg;

	l4proto_opt(c->flag, c->text);
}

static void call_port_opt(void *arg)
{
	const struct call *c = arg;

	printf("%u\n", port_opt(c->flag, c->value));
}

static void call_vlan_opt(void *arg)
{
	const struct call *c = arg;

	printf("%u\n", vlan_opt(c->flag, c->value));
}

static void call_direction_opt(void *arg)
{
	const struct call *c = arg;

	printf("%d\n", (int)direction_opt(c->flag, c->text));
}

static void call_filter_addr_opt(void *arg)
{
	const struct call *c = arg;
	struct flow_filter f;

	memset(&f, 0, sizeof(f));
	filter_addr_opt(&f, c->source, c->flag, c->text, c->ipv4_only);
	printf("%u %u\n", f.sfamily, f.dfamily);
}

static void call_iface_index(void *arg)
{
	const struct call *c = arg;

	printf("%d\n", iface_index(c->text));
}

static void call_iface_name_opt(void *arg)
{
	const struct call *c = arg;

	iface_name_opt(c->flag, c->text);
}

static void expect_run(void (*fn)(void *), struct call c, int status, const char *out,
		       const char *err)
{
	struct captured r;

	capture_run(fn, &c, &r);
	ck_assert_int_eq(r.status, status);
	ck_assert_str_eq(r.out, out);
	ck_assert_str_eq(r.err, err);
	captured_free(&r);
}

START_TEST(test_l4proto_opt_invalid)
{
	/* Outside args_parse there is no usage line: just "error: ...". */
	expect_run(call_l4proto_opt, (struct call){ .flag = "--protocol", .text = "x" }, 2, "",
		   "error: argument --protocol: invalid protocol: 'x' (use tcp, udp, icmp, all or a "
		   "number)\n");
	expect_run(call_l4proto_opt, (struct call){ .flag = "--protocol", .text = "256" }, 2, "",
		   "error: argument --protocol: invalid protocol: '256' (use tcp, udp, icmp, all or "
		   "a number)\n");
}
END_TEST

START_TEST(test_filter_addr_opt_ipv4)
{
	struct flow_filter f;

	memset(&f, 0, sizeof(f));
	filter_addr_opt(&f, true, "--src-ip", "10.0.0.1", true);
	ck_assert_uint_eq(f.sfamily, 4);
	ck_assert_uint_eq(f.dfamily, 0);
	ck_assert_mem_eq(f.saddr, "\x0a\x00\x00\x01", 4);
	ck_assert_uint_eq(f.saddr[0], htonl(0x0a000001));
	ck_assert_uint_eq(f.saddr[1] | f.saddr[2] | f.saddr[3], 0);
	ck_assert_uint_eq(f.daddr[0], 0);

	filter_addr_opt(&f, false, "--dst-ip", "192.168.1.2", false);
	ck_assert_uint_eq(f.dfamily, 4);
	ck_assert_uint_eq(f.daddr[0], htonl(0xc0a80102));
	/* the source side is untouched */
	ck_assert_uint_eq(f.saddr[0], htonl(0x0a000001));
	ck_assert_uint_eq(f.sfamily, 4);
}
END_TEST

START_TEST(test_filter_addr_opt_ipv6)
{
	static const uint8_t db8_1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct flow_filter f;

	memset(&f, 0, sizeof(f));
	filter_addr_opt(&f, false, "--dst-ip", "2001:db8::1", false);
	ck_assert_uint_eq(f.dfamily, 6);
	ck_assert_uint_eq(f.sfamily, 0);
	ck_assert_mem_eq(f.daddr, db8_1, 16);
}
END_TEST

START_TEST(test_filter_addr_opt_null_is_no_filter)
{
	struct flow_filter f, zero;

	memset(&f, 0, sizeof(f));
	memset(&zero, 0, sizeof(zero));
	filter_addr_opt(&f, true, "--src-ip", NULL, true);
	filter_addr_opt(&f, false, "--dst-ip", NULL, false);
	ck_assert_mem_eq(&f, &zero, sizeof(f));
}
END_TEST

START_TEST(test_filter_addr_opt_errors)
{
	expect_run(call_filter_addr_opt,
		   (struct call){ .flag = "--src-ip", .text = "2001:db8::1", .source = true,
				  .ipv4_only = true },
		   2, "", "error: argument --src-ip: expected an IPv4 address: '2001:db8::1'\n");
	expect_run(call_filter_addr_opt,
		   (struct call){ .flag = "--dst-ip", .text = "10.0.0.300", .ipv4_only = false }, 2,
		   "", "error: argument --dst-ip: invalid IP address: '10.0.0.300'\n");
	expect_run(call_filter_addr_opt,
		   (struct call){ .flag = "--dst-ip", .text = "2001:db8::1", .ipv4_only = false },
		   CAPTURE_RETURNED, "0 6\n", "");
}
END_TEST

/* After args_parse, bad values print the tool's usage line and "prog: error: ...". */
static void parse_then_fail(void *arg)
{
	static const struct arg_opt opts[] = { { 0 } };
	static const struct arg_parser p = { .prog = "tool", .opts = opts };
	char *argv[] = { "tool", NULL };
	struct flow_filter f;

	(void)arg;
	args_parse(&p, 1, argv);
	filter_addr_opt(&f, true, "--src-ip", "::1", true);
}

START_TEST(test_filter_addr_opt_error_after_parse)
{
	expect_run(parse_then_fail, (struct call){ 0 }, 2, "",
		   "usage: tool [-h] [--json] [--btf PATH]\n"
		   "tool: error: argument --src-ip: expected an IPv4 address: '::1'\n");
}
END_TEST

START_TEST(test_filter_addr_opt_ipv6_rejected_exit)
{
	struct flow_filter f;

	memset(&f, 0, sizeof(f));
	filter_addr_opt(&f, true, "--src-ip", "fe80::1", true);
}
END_TEST

START_TEST(test_port_opt)
{
	ck_assert_uint_eq(port_opt("--dst-port", 0), 0);
	ck_assert_uint_eq(port_opt("--dst-port", 80), 80);
	ck_assert_uint_eq(port_opt("--dst-port", 65535), 65535);
	expect_run(call_port_opt, (struct call){ .flag = "--dst-port", .value = 65536 }, 2, "",
		   "error: argument --dst-port: invalid port: 65536 (must be between 0 and 65535)\n");
	expect_run(call_port_opt, (struct call){ .flag = "--src-port", .value = -1 }, 2, "",
		   "error: argument --src-port: invalid port: -1 (must be between 0 and 65535)\n");
}
END_TEST

START_TEST(test_port_opt_exit)
{
	port_opt("--dst-port", 70000);
}
END_TEST

START_TEST(test_vlan_opt)
{
	ck_assert_uint_eq(vlan_opt("--vlan", 0), 0);
	ck_assert_uint_eq(vlan_opt("--vlan", 100), 100);
	ck_assert_uint_eq(vlan_opt("--vlan", 4095), 4095);
	expect_run(call_vlan_opt, (struct call){ .flag = "--vlan", .value = 4096 }, 2, "",
		   "error: argument --vlan: invalid VLAN id: 4096 (must be between 0 and 4095)\n");
	expect_run(call_vlan_opt, (struct call){ .flag = "--vlan", .value = -5 }, 2, "",
		   "error: argument --vlan: invalid VLAN id: -5 (must be between 0 and 4095)\n");
}
END_TEST

START_TEST(test_vlan_opt_exit)
{
	vlan_opt("--vlan", 4096);
}
END_TEST

START_TEST(test_direction_opt)
{
	ck_assert_int_eq(direction_opt("--direction", NULL), DIR_BOTH);
	ck_assert_int_eq(direction_opt("--direction", "both"), DIR_BOTH);
	ck_assert_int_eq(direction_opt("--direction", "BOTH"), DIR_BOTH);
	ck_assert_int_eq(direction_opt("--direction", "rx"), DIR_RX);
	ck_assert_int_eq(direction_opt("--direction", "RX"), DIR_RX);
	ck_assert_int_eq(direction_opt("--direction", "ingress"), DIR_RX);
	ck_assert_int_eq(direction_opt("--direction", "tx"), DIR_TX);
	ck_assert_int_eq(direction_opt("--direction", "egress"), DIR_TX);
	ck_assert_int_eq(direction_opt("--direction", "Egress"), DIR_TX);
	expect_run(call_direction_opt, (struct call){ .flag = "--direction", .text = "up" }, 2, "",
		   "error: argument --direction: invalid direction: 'up' (choose from 'rx', 'tx', "
		   "'both')\n");
	expect_run(call_direction_opt, (struct call){ .flag = "-d", .text = "" }, 2, "",
		   "error: argument -d: invalid direction: '' (choose from 'rx', 'tx', 'both')\n");
}
END_TEST

START_TEST(test_direction_opt_exit)
{
	direction_opt("--direction", "sideways");
}
END_TEST

START_TEST(test_iface_index)
{
	ck_assert_int_eq(iface_index("lo"), 1);
	expect_run(call_iface_index, (struct call){ .text = "nope0" }, 1, "",
		   "Error: interface 'nope0' not found (see `ip link show`)\n");
}
END_TEST

START_TEST(test_iface_index_missing_exit)
{
	iface_index("nope0");
}
END_TEST

START_TEST(test_iface_name_opt)
{
	iface_name_opt("--interface", "eth0");
	iface_name_opt("--interface", NULL);
	iface_name_opt("--interface", "abcdefghijklmno");	/* 15 characters: fits */
	expect_run(call_iface_name_opt, (struct call){ .flag = "--interface", .text = "abcdefghijklmnop" },
		   2, "",
		   "error: argument --interface: interface name 'abcdefghijklmnop' too long (max 15 "
		   "characters)\n");
}
END_TEST

static Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *ip = tcase_create("ip");
	TCase *proto = tcase_create("proto");
	TCase *opts = tcase_create("options");

	tcase_add_test(ip, test_ip_parse_ipv4);
	tcase_add_test(ip, test_ip_parse_ipv6);
	tcase_add_test(ip, test_ip_parse_invalid);
	tcase_add_test(ip, test_ip_format);
	tcase_add_test(ip, test_ip_format_small_buffer);
	tcase_add_test(ip, test_ipv4_format);
	tcase_add_test(proto, test_l4proto_parse);
	tcase_add_test(proto, test_l4proto_name);
	tcase_add_test(proto, test_l4proto_opt);
	tcase_add_test(proto, test_l4proto_opt_invalid);
	tcase_add_test(opts, test_filter_addr_opt_ipv4);
	tcase_add_test(opts, test_filter_addr_opt_ipv6);
	tcase_add_test(opts, test_filter_addr_opt_null_is_no_filter);
	tcase_add_test(opts, test_filter_addr_opt_errors);
	tcase_add_test(opts, test_filter_addr_opt_error_after_parse);
	tcase_add_exit_test(opts, test_filter_addr_opt_ipv6_rejected_exit, 2);
	tcase_add_test(opts, test_port_opt);
	tcase_add_exit_test(opts, test_port_opt_exit, 2);
	tcase_add_test(opts, test_vlan_opt);
	tcase_add_exit_test(opts, test_vlan_opt_exit, 2);
	tcase_add_test(opts, test_direction_opt);
	tcase_add_exit_test(opts, test_direction_opt_exit, 2);
	tcase_add_test(opts, test_iface_index);
	tcase_add_exit_test(opts, test_iface_index_missing_exit, 1);
	tcase_add_test(opts, test_iface_name_opt);
	suite_add_tcase(s, ip);
	suite_add_tcase(s, proto);
	suite_add_tcase(s, opts);
	return s;
}

int main(void)
{
	return unit_run(filter_suite());
}
