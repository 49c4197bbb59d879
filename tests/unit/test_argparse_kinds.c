// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/argparse.h: the typed kinds, converted and checked at parse time.
 * Each parse runs in a child process (argparse_fixture.h).
 */
#include <arpa/inet.h>
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "argparse_fixture.h"
#include "filter.h"
#include "strbuf.h"
#include "util.h"
#include "unit_helpers.h"

/* ---- typed kinds: conversion and checks at parse time ---- */

static uint32_t k_v4;
static struct ip_addr k_ip;
static uint16_t k_port;
static const char *k_dev;
static uint8_t k_proto, k_l4;
static double k_ival = 1, k_duration, k_whole = 10, k_latency;

enum way { WAY_TX, WAY_RX, WAY_BOTH };
static const char *const way_words[] = { [WAY_TX] = "tx", [WAY_RX] = "rx", [WAY_BOTH] = "both", NULL };
static enum way k_way = WAY_BOTH;

static const struct arg_opt kind_opts[] = {
	OPT_IPV4("v4", 0, &k_v4, "an IPv4 address"),
	OPT_IP("ip", 0, &k_ip, "an IPv4 or IPv6 address"),
	OPT_PORT("port", 'p', &k_port, "a port"),
	OPT_IFNAME("dev", 0, &k_dev, "an interface"),
	OPT_PROTO("proto", 0, &k_proto, "a protocol"),
	OPT_PROTO("l4", 0, &k_l4, "a protocol among choices", .choices = l4_choices),
	OPT_SECONDS("interval", 'i', &k_ival, 0, "an interval"),
	OPT_SECONDS("duration", 'd', &k_duration, ARG_WHOLE | ARG_ZERO_OFF, "a duration"),
	OPT_SECONDS("whole", 0, &k_whole, ARG_WHOLE, "an interval in whole seconds"),
	OPT_FLOAT("latency", 0, &k_latency, 0, 1e7, "a latency"),
	OPT_ENUM("way", 0, &k_way, way_words, "a direction"),
	{ 0 },
};

static const struct arg_parser kinds = { .prog = "kinds", .opts = kind_opts };

static void parse_kinds_child(void *arg)
{
	const char *const *argv = arg;
	char ip[64];
	int argc = 0;

	while (argv[argc])
		argc++;
	args_parse(&kinds, argc, (char **)argv);
	printf("v4=%08x ip=%d:%s port=%u dev=%s proto=%u l4=%u interval=%.17g duration=%.17g whole=%.17g "
	       "way=%d latency=%.17g\n",
	       ntohl(k_v4), k_ip.family, k_ip.family ? ip_format(&k_ip, ip, sizeof(ip)) : "-", k_port,
	       str_or_none(k_dev), k_proto, k_l4, k_ival, k_duration, k_whole, k_way, k_latency);
}

/* kinds FLAG VALUE: accepted, and stdout has want; or exit 2 and stderr has want. */
static void expect_kind(const char *flag, const char *value, int status, const char *want)
{
	struct captured r;

	capture_run(parse_kinds_child, (void *)(const char *const[]){ "kinds", flag, value, NULL }, &r);
	ck_assert_msg(r.status == status, "%s '%s': status %d, expected %d (%s)", flag, value, r.status,
		      status, r.err);
	if (status == CAPTURE_RETURNED) {
		ck_assert_str_eq(r.err, "");
		ck_assert_msg(strstr(r.out, want), "%s '%s': '%s' not in %s", flag, value, want, r.out);
	} else {
		ck_assert_str_eq(r.out, "");
		ck_assert_msg(strstr(r.err, want), "%s '%s': '%s' not in %s", flag, value, want, r.err);
	}
	captured_free(&r);
}

#define KIND_OK(flag, value, want) expect_kind(flag, value, CAPTURE_RETURNED, want)
#define KIND_BAD(flag, value, want) expect_kind(flag, value, 2, "kinds: error: " want "\n")

START_TEST(test_kind_ipv4)
{
	KIND_OK("--v4", "10.0.0.1", "v4=0a000001 ");
	KIND_OK("--v4", "255.255.255.255", "v4=ffffffff ");
	KIND_OK("--v4", "0.0.0.0", "v4=00000000 ");
	/* One rule for the suite: a strict dotted quad, no inet_aton short forms. */
	KIND_BAD("--v4", "1.2.3", "argument --v4: invalid IPv4 address: '1.2.3'");
	KIND_BAD("--v4", "10.1", "argument --v4: invalid IPv4 address: '10.1'");
	KIND_BAD("--v4", "0x0a000001", "argument --v4: invalid IPv4 address: '0x0a000001'");
	KIND_BAD("--v4", "010.0.0.1", "argument --v4: invalid IPv4 address: '010.0.0.1'");
	KIND_BAD("--v4", "300.1.1.1", "argument --v4: invalid IPv4 address: '300.1.1.1'");
	KIND_BAD("--v4", "", "argument --v4: invalid IPv4 address: ''");
	KIND_BAD("--v4", " 10.0.0.1", "argument --v4: invalid IPv4 address: ' 10.0.0.1'");
	KIND_BAD("--v4", "fd00::1", "argument --v4: expected an IPv4 address: 'fd00::1'");
}
END_TEST

START_TEST(test_kind_ip)
{
	KIND_OK("--ip", "10.0.0.1", "ip=4:10.0.0.1 ");
	KIND_OK("--ip", "2001:db8::1", "ip=6:2001:db8::1 ");
	KIND_OK("--v4", "10.0.0.1", "ip=0:- "); /* not given: family 0, no filter */
	KIND_BAD("--ip", "1.2.3", "argument --ip: invalid IP address: '1.2.3'");
	KIND_BAD("--ip", "", "argument --ip: invalid IP address: ''");
	KIND_BAD("--ip", "2001:db8::1::2", "argument --ip: invalid IP address: '2001:db8::1::2'");
}
END_TEST

START_TEST(test_kind_port)
{
	KIND_OK("--port", "0", "port=0 ");
	KIND_OK("-p", "65535", "port=65535 ");
	KIND_OK("--port", " 8_0 ", "port=80 ");
	KIND_BAD("--port", "65536", "argument -p/--port: invalid port: 65536 (must be between 0 and 65535)");
	KIND_BAD("--port", "-1", "argument -p/--port: invalid port: -1 (must be between 0 and 65535)");
	KIND_BAD("--port", "http", "argument -p/--port: invalid int value: 'http'");
	KIND_BAD("--port", "99999999999999999999",
		 "argument -p/--port: invalid int value: '99999999999999999999'");
	KIND_BAD("--port", "1.5", "argument -p/--port: invalid int value: '1.5'");
}
END_TEST

START_TEST(test_kind_ifname)
{
	KIND_OK("--dev", "eth0", "dev=eth0 ");
	KIND_OK("--dev", "abcdefghijklmno", "dev=abcdefghijklmno "); /* 15 characters: fits */
	KIND_BAD("--dev", "abcdefghijklmnop",
		 "argument --dev: interface name 'abcdefghijklmnop' too long (max 15 characters)");
	KIND_BAD("--dev", "", "argument --dev: empty interface name");
}
END_TEST

START_TEST(test_kind_proto)
{
	KIND_OK("--proto", "tcp", "proto=6 ");
	KIND_OK("--proto", "UDP", "proto=17 ");
	KIND_OK("--proto", "all", "proto=0 ");
	KIND_OK("--proto", "200", "proto=200 ");
	KIND_OK("--l4", "icmp", "l4=1 ");
	KIND_BAD("--proto", "x",
		 "argument --proto: invalid protocol: 'x' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--proto", "256",
		 "argument --proto: invalid protocol: '256' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--proto", "",
		 "argument --proto: invalid protocol: '' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--l4", "sctp",
		 "argument --l4: invalid choice: 'sctp' (choose from 'all', 'icmp', 'tcp', 'udp')");
	KIND_BAD("--l4", "6", "argument --l4: invalid choice: '6' (choose from 'all', 'icmp', 'tcp', 'udp')");
}
END_TEST

#define WAYS "(choose from 'tx', 'rx', 'both')"

/* An enum option stores the index of its word: exact words only, no prefixes, case-sensitive. */
START_TEST(test_kind_enum)
{
	KIND_OK("--dev", "eth0", "way=2 "); /* not given: the default */
	KIND_OK("--way", "tx", "way=0 ");
	KIND_OK("--way", "rx", "way=1 ");
	KIND_OK("--way", "both", "way=2 ");
	KIND_OK("--way=rx", "--dev=eth0", "way=1 ");
	KIND_BAD("--way", "b", "argument --way: invalid choice: 'b' " WAYS);
	KIND_BAD("--way", "bot", "argument --way: invalid choice: 'bot' " WAYS);
	KIND_BAD("--way", "TX", "argument --way: invalid choice: 'TX' " WAYS);
	KIND_BAD("--way", "1", "argument --way: invalid choice: '1' " WAYS);
	KIND_BAD("--way", "", "argument --way: invalid choice: '' " WAYS);
	KIND_BAD("--way", "tx ", "argument --way: invalid choice: 'tx ' " WAYS);
}
END_TEST

static enum way k_must = WAY_RX;

static const struct arg_opt must_opts[] = {
	OPT_ENUM("way", 'w', &k_must, way_words, "a required direction", .flags = ARG_REQUIRED),
	{ 0 },
};

static const struct arg_parser must = { .prog = "must", .opts = must_opts };

static void parse_must_child(void *arg)
{
	const char *const *argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	args_parse(&must, argc, (char **)argv);
	printf("way=%d\n", k_must);
}

/* A required enum option: its value is always given, so --help shows no default. */
START_TEST(test_kind_enum_required)
{
	struct captured r;

	capture_run(parse_must_child, (void *)(const char *const[]){ "must", "-w", "tx", NULL }, &r);
	ck_assert_int_eq(r.status, CAPTURE_RETURNED);
	ck_assert_str_eq(r.out, "way=0\n");
	captured_free(&r);
	capture_run(parse_must_child, (void *)(const char *const[]){ "must", "--way", "x", NULL }, &r);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "usage: must [-h] -w {tx,rx,both} [--json] [--btf PATH]\n"
				"must: error: argument -w/--way: invalid choice: 'x' " WAYS "\n");
	captured_free(&r);
	capture_run(parse_must_child, (void *)(const char *const[]){ "must", "--help", NULL }, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "  -w {tx,rx,both}, --way {tx,rx,both}\n"
					    "                        a required direction\n"));
	captured_free(&r);
}
END_TEST

#define RANGE "(must be between 0.1 and 31536000 seconds)"
#define RANGE_OFF "(must be 0 for no limit or between 0.1 and 31536000 seconds)"

START_TEST(test_kind_seconds)
{
	KIND_OK("-i", "0.1", "interval=0.10000000000000001 ");
	KIND_OK("-i", "2.5", "interval=2.5 ");
	KIND_OK("-i", "31536000", "interval=31536000 ");
	KIND_OK("--interval", " 1_0 ", "interval=10 ");
	KIND_BAD("-i", "0", "argument -i/--interval: invalid value: 0 " RANGE);
	KIND_BAD("-i", "-2", "argument -i/--interval: invalid value: -2 " RANGE);
	KIND_BAD("-i", "1e-9", "argument -i/--interval: invalid value: 1e-9 " RANGE);
	KIND_BAD("-i", "0.0001", "argument -i/--interval: invalid value: 0.0001 " RANGE);
	KIND_BAD("-i", "1e300", "argument -i/--interval: invalid value: 1e300 " RANGE);
	KIND_BAD("-i", "99999999999999999999",
		 "argument -i/--interval: invalid value: 99999999999999999999 " RANGE);
	KIND_BAD("-i", "31536000.5", "argument -i/--interval: invalid value: 31536000.5 " RANGE);
	KIND_BAD("-i", "nan", "argument -i/--interval: invalid float value: 'nan'");
	KIND_BAD("-i", "inf", "argument -i/--interval: invalid float value: 'inf'");
	KIND_BAD("-i", "1e400", "argument -i/--interval: invalid float value: '1e400'");
	KIND_BAD("-i", "fast", "argument -i/--interval: invalid float value: 'fast'");
	/* Whole seconds: integer syntax; 0 only where it means no limit. */
	KIND_OK("-d", "0", "duration=0 ");
	KIND_OK("-d", "60", "duration=60 ");
	KIND_OK("--whole", "1", "whole=1 ");
	KIND_BAD("-d", "-1", "argument -d/--duration: invalid value: -1 " RANGE_OFF);
	KIND_BAD("-d", "31536001", "argument -d/--duration: invalid value: 31536001 " RANGE_OFF);
	KIND_BAD("-d", "1.5", "argument -d/--duration: invalid int value: '1.5'");
	KIND_BAD("-d", "1e3", "argument -d/--duration: invalid int value: '1e3'");
	KIND_BAD("-d", "99999999999999999999",
		 "argument -d/--duration: invalid int value: '99999999999999999999'");
	KIND_BAD("--whole", "0", "argument --whole: invalid value: 0 " RANGE);
}
END_TEST

START_TEST(test_kind_float_range)
{
	KIND_OK("--latency", "0", "latency=0\n");
	KIND_OK("--latency", "10000000", "latency=10000000\n");
	KIND_BAD("--latency", "-5", "argument --latency: invalid value: -5 (must be between 0 and 1e+07)");
	KIND_BAD("--latency", "1e9", "argument --latency: invalid value: 1e9 (must be between 0 and 1e+07)");
	KIND_BAD("--latency", "1e20",
		 "argument --latency: invalid value: 1e20 (must be between 0 and 1e+07)");
	KIND_BAD("--latency", "nan", "argument --latency: invalid float value: 'nan'");
	KIND_BAD("--latency", "-inf", "argument --latency: expected one argument");
	KIND_BAD("--latency=-inf", NULL, "argument --latency: invalid float value: '-inf'");
}
END_TEST

START_TEST(test_kind_values_cut)
{
	char huge[100001], want[200];

	memset(huge, '7', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = 0;
	snprintf(want, sizeof(want), "argument --v4: invalid IPv4 address: '%.80s...'", huge);
	expect_kind("--v4", huge, 2, want);
	snprintf(want, sizeof(want), "argument --dev: interface name '%.80s...' too long", huge);
	expect_kind("--dev", huge, 2, want);
	snprintf(want, sizeof(want), "argument -i/--interval: invalid float value: '%.80s...'", huge);
	huge[0] = 'x';
	want[strlen("argument -i/--interval: invalid float value: '")] = 'x';
	expect_kind("-i", huge, 2, want);
	ck_assert_str_eq(arg_shown("short"), "short");
}
END_TEST

START_TEST(test_kind_help)
{
	struct captured r;

	capture_run(parse_kinds_child, (void *)(const char *const[]){ "kinds", "--help", NULL }, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "  --l4 {all,icmp,tcp,udp}\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "a protocol among choices (default: all)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  --way {tx,rx,both}    a direction (default: both)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  -p PORT, --port PORT"));
	ck_assert_ptr_nonnull(strstr(r.out, "a port (default: 0)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "an interval (default: 1)\n"));
	ck_assert_ptr_null(strstr(r.out, "an IPv4 address (default"));
	ck_assert_ptr_nonnull(strstr(r.out,
				     "\n\nintervals, durations and timeouts: seconds from 0.1 to 31536000 "
				     "(365 days)\n"));
	captured_free(&r);
	/* No time option, no such line. */
	RUN(&tool, "tool", "--help");
	ck_assert_ptr_null(strstr(r.out, "intervals, durations"));
	captured_free(&r);
}
END_TEST

static void fail_opt_child(void *arg)
{
	char *argv[] = { "kinds", NULL };

	(void)arg;
	args_parse(&kinds, 1, argv);
	printf("%s %s %s\n", arg_flag_of(&k_port), arg_flag_of(&k_v4), arg_flag_of(&k_whole));
	fflush(stdout);
	arg_fail_opt(&k_v4, "0.0.0.0 matches no packet: %s", "give one");
}

START_TEST(test_arg_fail_opt)
{
	struct captured r;

	capture_run(fail_opt_child, NULL, &r);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "-p/--port --v4 --whole\n");
	ck_assert_ptr_nonnull(
		strstr(r.err, "\nkinds: error: argument --v4: 0.0.0.0 matches no packet: give one\n"));
	captured_free(&r);
}
END_TEST

int main(void)
{
	const TTest *values_tests[] = { test_kind_ipv4,          test_kind_ip,      test_kind_port,
					test_kind_ifname,        test_kind_proto,   test_kind_enum,
					test_kind_enum_required, test_kind_seconds, test_kind_float_range,
					test_kind_values_cut,    test_kind_help,    test_arg_fail_opt };

	return argparse_unit_run(
		unit_suite("argparse_kinds", "values", values_tests, ARRAY_SIZE(values_tests)));
}
