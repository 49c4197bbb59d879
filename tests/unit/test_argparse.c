// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/argparse.h: long and short options, positionals, required options, the
 * common options, arg_fail, and exits in Check's own fork.
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

/* ---- long options ---- */

START_TEST(test_defaults)
{
	struct captured r;

	RUN(&tool, "tool");
	EXPECT_OK("interval=10", "offset=0", "verbose=0", "extra=0", "name=(none)", "l4=all", "nports=0",
		  "secret=0", "json=0", "btf=(none)", "ready=(none)");
	captured_free(&r);
}
END_TEST

START_TEST(test_long_separate_and_equals)
{
	struct captured r;

	RUN(&tool, "tool", "--interval", "5", "--name", "eth0");
	EXPECT_OK("interval=5", "name=eth0", "verbose=0");
	captured_free(&r);
	RUN(&tool, "tool", "--interval=7", "--name=eth1", "--src-ip=10.0.0.1", "--l4-protocol=tcp");
	EXPECT_OK("interval=7", "name=eth1", "src_ip=10.0.0.1", "l4=tcp");
	captured_free(&r);
	/* Only the first '=' separates; an empty value is a value. */
	RUN(&tool, "tool", "--name=a=b", "--src-ip=");
	EXPECT_OK("name=a=b", "src_ip=");
	captured_free(&r);
	/* The last occurrence wins. */
	RUN(&tool, "tool", "-i", "5", "--interval", "6");
	EXPECT_OK("interval=6");
	captured_free(&r);
}
END_TEST

START_TEST(test_long_prefix)
{
	struct captured r;

	RUN(&tool, "tool", "--inter", "5");
	EXPECT_OK("interval=5");
	captured_free(&r);
	RUN(&tool, "tool", "--i=9", "--verb", "--l4", "udp", "--src-i", "1.2.3.4", "--src-p", "80");
	EXPECT_OK("interval=9", "verbose=1", "l4=udp", "src_ip=1.2.3.4", "src_port=80");
	captured_free(&r);
	/* Built-in options too. */
	RUN(&tool, "tool", "--js", "--bt", "/x");
	EXPECT_OK("json=1", "btf=/x");
	captured_free(&r);
}
END_TEST

START_TEST(test_ambiguous_prefix)
{
	struct captured r;

	RUN(&tool, "tool", "--src", "1.2.3.4");
	TOOL_ERROR("ambiguous option: --src could match --src-ip, --src-port");
	captured_free(&r);
	/* As argparse: the whole argument is quoted. */
	RUN(&tool, "tool", "--src=1");
	TOOL_ERROR("ambiguous option: --src=1 could match --src-ip, --src-port");
	captured_free(&r);
}
END_TEST

START_TEST(test_hidden_option)
{
	struct captured r;

	RUN(&tool, "tool", "--secret", "--ready-file", "/tmp/ready");
	EXPECT_OK("secret=1", "ready=/tmp/ready");
	captured_free(&r);
}
END_TEST

/* ---- short options ---- */

START_TEST(test_short_forms)
{
	struct captured r;

	RUN(&tool, "tool", "-i5");
	EXPECT_OK("interval=5");
	captured_free(&r);
	RUN(&tool, "tool", "-i", "6");
	EXPECT_OK("interval=6");
	captured_free(&r);
	RUN(&tool, "tool", "-i=7");
	EXPECT_OK("interval=7");
	captured_free(&r);
	RUN(&tool, "tool", "-neth0");
	EXPECT_OK("name=eth0");
	captured_free(&r);
}
END_TEST

START_TEST(test_short_clusters)
{
	struct captured r;

	RUN(&tool, "tool", "-vx");
	EXPECT_OK("verbose=1", "extra=1");
	captured_free(&r);
	RUN(&tool, "tool", "-xv", "-i", "3");
	EXPECT_OK("verbose=1", "extra=1", "interval=3");
	captured_free(&r);
	/* A value-taking option ends the cluster: its value is the rest or the next argument. */
	RUN(&tool, "tool", "-vxi42");
	EXPECT_OK("verbose=1", "extra=1", "interval=42");
	captured_free(&r);
	RUN(&tool, "tool", "-vn", "eth3");
	EXPECT_OK("verbose=1", "name=eth3");
	captured_free(&r);
	RUN(&tool, "tool", "-x");
	EXPECT_OK("verbose=0", "extra=1");
	captured_free(&r);
}
END_TEST

START_TEST(test_short_cluster_unknown_letter)
{
	struct captured r;

	/*
	 * BUG (common/argparse.c, args_parse): Python's argparse names the flag by all its
	 * spellings here ("argument -v/--verbose: ..."), like every other message of this parser;
	 * args_parse prints only "argument -v: ignored explicit argument 'q'".
	 */
	RUN(&tool, "tool", "-vq");
	TOOL_ERROR("argument -v/--verbose: ignored explicit argument 'q'");
	captured_free(&r);
}
END_TEST

START_TEST(test_short_only_cluster_unknown_letter)
{
	struct captured r;

	/* -x has no long name: "-x" is its only spelling. */
	RUN(&tool, "tool", "-xq");
	TOOL_ERROR("argument -x: ignored explicit argument 'q'");
	captured_free(&r);
}
END_TEST

/* ---- positionals and "--" ---- */

START_TEST(test_positionals)
{
	struct captured r;

	RUN(&pos, "pos", "host");
	EXPECT_OK("target=host", "count=-1", "verbose=0");
	captured_free(&r);
	RUN(&pos, "pos", "host", "3");
	EXPECT_OK("target=host", "count=3");
	captured_free(&r);
	/* Options may come before, between and after positionals. */
	RUN(&pos, "pos", "-v", "host", "--json", "4");
	EXPECT_OK("target=host", "count=4", "verbose=1", "json=1");
	captured_free(&r);
	RUN(&pos, "pos", "host", "-5");
	EXPECT_OK("target=host", "count=-5");
	captured_free(&r);
}
END_TEST

START_TEST(test_positional_errors)
{
	struct captured r;

	RUN(&pos, "pos");
	expect_error(&r, POS_USAGE, "pos", "the following arguments are required: target");
	captured_free(&r);
	RUN(&pos, "pos", "-v");
	expect_error(&r, POS_USAGE, "pos", "the following arguments are required: target");
	captured_free(&r);
	RUN(&pos, "pos", "host", "x");
	expect_error(&r, POS_USAGE, "pos", "argument count: invalid int value: 'x'");
	captured_free(&r);
	RUN(&pos, "pos", "host", "1", "extra", "more");
	expect_error(&r, POS_USAGE, "pos", "unrecognized arguments: extra more");
	captured_free(&r);
}
END_TEST

START_TEST(test_double_dash)
{
	struct captured r;

	RUN(&pos, "pos", "--", "-v");
	EXPECT_OK("target=-v", "verbose=0");
	captured_free(&r);
	RUN(&pos, "pos", "-v", "--", "--json", "2");
	EXPECT_OK("target=--json", "count=2", "verbose=1", "json=0");
	captured_free(&r);
	/* A second "--" is an ordinary argument. */
	RUN(&pos, "pos", "--", "--", "7");
	EXPECT_OK("target=--", "count=7");
	captured_free(&r);
	/* Without positionals, what follows "--" is unrecognized. */
	RUN(&tool, "tool", "--", "-v");
	TOOL_ERROR("unrecognized arguments: -v");
	captured_free(&r);
}
END_TEST

START_TEST(test_required)
{
	struct captured r;

	RUN(&req, "req");
	expect_error(&r, REQ_USAGE, "req", "the following arguments are required: -d/--dev, --mode, target");
	captured_free(&r);
	RUN(&req, "req", "--mode", "fast");
	expect_error(&r, REQ_USAGE, "req", "the following arguments are required: -d/--dev, target");
	captured_free(&r);
	RUN(&req, "req", "-d", "eth0", "--mode=slow");
	expect_error(&r, REQ_USAGE, "req", "the following arguments are required: target");
	captured_free(&r);
	RUN(&req, "req", "-deth0", "--mo", "slow", "host");
	EXPECT_OK("dev=eth0", "mode=slow", "target=host");
	captured_free(&r);
}
END_TEST

/* ---- common options ---- */

START_TEST(test_common_options)
{
	struct captured r;

	RUN(&tool, "tool", "--json", "--btf", "/boot/vmlinux.btf", "--ready-file", "/run/ready");
	EXPECT_OK("json=1", "btf=/boot/vmlinux.btf", "ready=/run/ready");
	captured_free(&r);
	RUN(&tool, "tool", "--btf=/b", "--ready-file=/r");
	EXPECT_OK("json=0", "btf=/b", "ready=/r");
	captured_free(&r);
}
END_TEST

START_TEST(test_common_options_in_process)
{
	/* This test runs in its own fork: g_common starts zeroed. */
	char *argv[] = { "tool", "--json", "--btf", "/b.btf", "--ready-file", "/tmp/r", "-i", "3", NULL };

	unsetenv("BPFNET_BTF");
	ck_assert(!g_common.json);
	args_parse(&tool, 8, argv);
	ck_assert(g_common.json);
	ck_assert_str_eq(g_common.btf_path, "/b.btf");
	ck_assert_str_eq(g_common.ready_file, "/tmp/r");
	ck_assert_int_eq(o_interval, 3);
}
END_TEST

START_TEST(test_btf_env)
{
	struct captured r;

	ck_assert_int_eq(setenv("BPFNET_BTF", "/env/vmlinux.btf", 1), 0);
	RUN(&tool, "tool");
	EXPECT_OK("btf=/env/vmlinux.btf");
	captured_free(&r);
	/* --btf wins over the environment. */
	RUN(&tool, "tool", "--btf", "/cli.btf");
	EXPECT_OK("btf=/cli.btf");
	captured_free(&r);
	ck_assert_int_eq(unsetenv("BPFNET_BTF"), 0);
	RUN(&tool, "tool");
	EXPECT_OK("btf=(none)");
	captured_free(&r);
}
END_TEST

/* ---- arg_fail / args_print_usage ---- */

static void parse_then_arg_fail(void *arg)
{
	char *argv[] = { "tool", "-v", NULL };

	(void)arg;
	args_parse(&tool, 2, argv);
	printf("parsed\n");
	arg_fail("argument %s: invalid thing: '%s'", "--src-ip", "zzz");
}

static void parse_then_print_usage(void *arg)
{
	char *argv[] = { "pos", "h", NULL };

	(void)arg;
	args_parse(&pos, 2, argv);
	args_print_usage();
}

static void fail_without_parser(void *arg)
{
	(void)arg;
	args_print_usage();
	arg_fail("bad %d", 42);
}

START_TEST(test_arg_fail)
{
	struct captured r;

	capture_run(parse_then_arg_fail, NULL, &r);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "parsed\n");
	ck_assert_str_eq(r.err, TOOL_USAGE "tool: error: argument --src-ip: invalid thing: 'zzz'\n");
	captured_free(&r);
	capture_run(parse_then_print_usage, NULL, &r);
	ck_assert_int_eq(r.status, CAPTURE_RETURNED);
	ck_assert_str_eq(r.err, POS_USAGE);
	captured_free(&r);
	capture_run(fail_without_parser, NULL, &r);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "error: bad 42\n");
	captured_free(&r);
}
END_TEST

/* ---- exit tests in Check's own fork ---- */

static void quiet(void)
{
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
}

START_TEST(test_exit_help)
{
	char *argv[] = { "tool", "--help", NULL };

	quiet();
	args_parse(&tool, 2, argv);
	ck_abort_msg("args_parse returned after --help");
}
END_TEST

START_TEST(test_exit_invalid_int)
{
	char *argv[] = { "tool", "-i", "x", NULL };

	quiet();
	args_parse(&tool, 3, argv);
	ck_abort_msg("args_parse returned after an invalid int");
}
END_TEST

START_TEST(test_exit_ambiguous)
{
	char *argv[] = { "tool", "--src", "1", NULL };

	quiet();
	args_parse(&tool, 3, argv);
	ck_abort_msg("args_parse returned after an ambiguous option");
}
END_TEST

START_TEST(test_exit_unrecognized)
{
	char *argv[] = { "tool", "extra", NULL };

	quiet();
	args_parse(&tool, 2, argv);
	ck_abort_msg("args_parse returned after an unrecognized argument");
}
END_TEST

START_TEST(test_exit_required)
{
	char *argv[] = { "req", NULL };

	quiet();
	args_parse(&req, 1, argv);
	ck_abort_msg("args_parse returned without required arguments");
}
END_TEST

static Suite *argparse_suite(void)
{
	const TTest *long_tests[] = { test_defaults, test_long_separate_and_equals, test_long_prefix,
				      test_ambiguous_prefix, test_hidden_option };
	const TTest *short_tests[] = { test_short_forms, test_short_clusters,
				       test_short_cluster_unknown_letter,
				       test_short_only_cluster_unknown_letter };
	const TTest *positionals_tests[] = { test_positionals, test_positional_errors, test_double_dash,
					     test_required };
	const TTest *common_tests[] = { test_common_options, test_common_options_in_process, test_btf_env,
					test_arg_fail };
	Suite *s = suite_create("argparse");
	TCase *exits;

	unit_tcase(s, "long", long_tests, ARRAY_SIZE(long_tests));
	unit_tcase(s, "short", short_tests, ARRAY_SIZE(short_tests));
	unit_tcase(s, "positionals", positionals_tests, ARRAY_SIZE(positionals_tests));
	unit_tcase(s, "common", common_tests, ARRAY_SIZE(common_tests));
	exits = tcase_create("exit");
	suite_add_tcase(s, exits);
	tcase_add_exit_test(exits, test_exit_help, 0);
	tcase_add_exit_test(exits, test_exit_invalid_int, 2);
	tcase_add_exit_test(exits, test_exit_ambiguous, 2);
	tcase_add_exit_test(exits, test_exit_unrecognized, 2);
	tcase_add_exit_test(exits, test_exit_required, 2);
	return s;
}

int main(void)
{
	return argparse_unit_run(argparse_suite());
}
