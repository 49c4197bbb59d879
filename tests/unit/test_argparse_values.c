// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/argparse.h: numbers, choices, missing and unexpected values, lists.
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

/* ---- float options ---- */

static double f_rate = 1.5;

static const struct arg_opt float_opts[] = {
	OPT_FLOAT("rate", 'r', &f_rate, 0, 1e6, "samples per second"),
	{ 0 },
};

static const struct arg_parser float_tool = { .prog = "ftool", .opts = float_opts };

static void parse_float_child(void *arg)
{
	const char *const *argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	args_parse(&float_tool, argc, (char **)argv);
	printf("rate=%.17g\n", f_rate);
}

/* Parses argv with float_tool in a child; returns its output, exit status in *status. */
static void run_float(struct captured *r, const char *const *argv)
{
	capture_run(parse_float_child, (void *)argv, r);
}

START_TEST(test_float_values)
{
	struct captured r;
	static const struct {
		const char *arg, *out;
	} ok[] = {
		{ "0.25", "rate=0.25\n" },      { " 2 ", "rate=2\n" },
		{ "1_000.5", "rate=1000.5\n" }, { "3e-2", "rate=0.029999999999999999\n" },
		{ "+.5", "rate=0.5\n" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		run_float(&r, (const char *const[]){ "ftool", "--rate", ok[i].arg, NULL });
		ck_assert_int_eq(r.status, CAPTURE_RETURNED);
		ck_assert_str_eq(r.out, ok[i].out);
		captured_free(&r);
	}
	run_float(&r, (const char *const[]){ "ftool", NULL });
	ck_assert_str_eq(r.out, "rate=1.5\n");
	captured_free(&r);
	run_float(&r, (const char *const[]){ "ftool", "--help", NULL });
	ck_assert_ptr_nonnull(strstr(r.out, "samples per second (default: 1.5)"));
	captured_free(&r);
	for (const char *const *bad = (const char *const[]){ "0x10", "1.2.3", "", "fast", NULL }; *bad;
	     bad++) {
		char want[96];

		run_float(&r, (const char *const[]){ "ftool", "-r", *bad, NULL });
		ck_assert_int_eq(r.status, 2);
		snprintf(want, sizeof(want), "ftool: error: argument -r/--rate: invalid float value: '%s'\n",
			 *bad);
		ck_assert_ptr_nonnull(strstr(r.err, want));
		captured_free(&r);
	}
}
END_TEST

/* ---- values ---- */

START_TEST(test_negative_number_value)
{
	struct captured r;

	RUN(&tool, "tool", "--offset", "-5");
	EXPECT_OK("offset=-5");
	captured_free(&r);
	RUN(&tool, "tool", "--offset=-6", "--name", "-1");
	EXPECT_OK("offset=-6", "name=-1");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "-2.5");
	TOOL_ERROR("argument --offset: invalid int value: '-2.5'");
	captured_free(&r);
	/* A negative number where an option is expected is not an option. */
	RUN(&tool, "tool", "-5");
	TOOL_ERROR("unrecognized arguments: -5");
	captured_free(&r);
}
END_TEST

START_TEST(test_int_syntax)
{
	struct captured r;

	/* Python's int(): sign, surrounding blanks, single underscores between digits. */
	RUN(&tool, "tool", "--offset", "+5");
	EXPECT_OK("offset=5");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", " 7 ");
	EXPECT_OK("offset=7");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "1_000");
	EXPECT_OK("offset=1000");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "007");
	EXPECT_OK("offset=7");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "1__0");
	TOOL_ERROR("argument --offset: invalid int value: '1__0'");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "_1");
	TOOL_ERROR("argument --offset: invalid int value: '_1'");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "0x10");
	TOOL_ERROR("argument --offset: invalid int value: '0x10'");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "99999999999999999999999");
	TOOL_ERROR("argument --offset: invalid int value: '99999999999999999999999'");
	captured_free(&r);
}
END_TEST

START_TEST(test_int_errors)
{
	struct captured r;

	RUN(&tool, "tool", "-i", "x");
	TOOL_ERROR("argument -i/--interval: invalid int value: 'x'");
	captured_free(&r);
	RUN(&tool, "tool", "--interval=1.5");
	TOOL_ERROR("argument -i/--interval: invalid int value: '1.5'");
	captured_free(&r);
	RUN(&tool, "tool", "-i5x");
	TOOL_ERROR("argument -i/--interval: invalid int value: '5x'");
	captured_free(&r);
	RUN(&tool, "tool", "--offset", "");
	TOOL_ERROR("argument --offset: invalid int value: ''");
	captured_free(&r);
}
END_TEST

START_TEST(test_int_range)
{
	struct captured r;

	RUN(&tool, "tool", "-i", "1", "--src-port", "65535");
	EXPECT_OK("interval=1", "src_port=65535");
	captured_free(&r);
	RUN(&tool, "tool", "-i", "3600", "--src-port", "0");
	EXPECT_OK("interval=3600", "src_port=0");
	captured_free(&r);
	RUN(&tool, "tool", "-i", "0");
	TOOL_ERROR("argument -i/--interval: invalid value: 0 (must be between 1 and 3600)");
	captured_free(&r);
	RUN(&tool, "tool", "--interval", "3601");
	TOOL_ERROR("argument -i/--interval: invalid value: 3601 (must be between 1 and 3600)");
	captured_free(&r);
	RUN(&tool, "tool", "-i", "-5");
	TOOL_ERROR("argument -i/--interval: invalid value: -5 (must be between 1 and 3600)");
	captured_free(&r);
	RUN(&tool, "tool", "--src-port", "65536");
	TOOL_ERROR("argument --src-port: invalid value: 65536 (must be between 0 and 65535)");
	captured_free(&r);
	/* No range (min == max): anything goes. */
	RUN(&tool, "tool", "--offset", "-99999");
	EXPECT_OK("offset=-99999");
	captured_free(&r);
}
END_TEST

START_TEST(test_choice)
{
	struct captured r;

	RUN(&tool, "tool", "--l4-protocol", "icmp");
	EXPECT_OK("l4=icmp");
	captured_free(&r);
	RUN(&tool, "tool", "--l4-protocol", "x");
	TOOL_ERROR("argument --l4-protocol: invalid choice: 'x' (choose from 'all', 'icmp', 'tcp', "
		   "'udp')");
	captured_free(&r);
	/* Choices are case-sensitive, as in argparse. */
	RUN(&tool, "tool", "--l4-protocol=TCP");
	TOOL_ERROR("argument --l4-protocol: invalid choice: 'TCP' (choose from 'all', 'icmp', "
		   "'tcp', 'udp')");
	captured_free(&r);
}
END_TEST

START_TEST(test_missing_value)
{
	struct captured r;

	RUN(&tool, "tool", "--src-ip");
	TOOL_ERROR("argument --src-ip: expected one argument");
	captured_free(&r);
	RUN(&tool, "tool", "--src-ip", "-v");
	TOOL_ERROR("argument --src-ip: expected one argument");
	captured_free(&r);
	RUN(&tool, "tool", "--src-ip", "--json");
	TOOL_ERROR("argument --src-ip: expected one argument");
	captured_free(&r);
	RUN(&tool, "tool", "-v", "-i");
	TOOL_ERROR("argument -i/--interval: expected one argument");
	captured_free(&r);
	RUN(&tool, "tool", "--btf");
	TOOL_ERROR("argument --btf: expected one argument");
	captured_free(&r);
}
END_TEST

START_TEST(test_unrecognized)
{
	struct captured r;

	RUN(&tool, "tool", "--bogus", "-v", "extra", "-q", "--no=1");
	TOOL_ERROR("unrecognized arguments: --bogus extra -q --no=1");
	captured_free(&r);
	/* Hidden options are not matched by prefix. */
	RUN(&tool, "tool", "--secr");
	TOOL_ERROR("unrecognized arguments: --secr");
	captured_free(&r);
	/* A valid option after an unknown one is still parsed (and checked). */
	RUN(&tool, "tool", "--bogus", "-i", "x");
	TOOL_ERROR("argument -i/--interval: invalid int value: 'x'");
	captured_free(&r);
}
END_TEST

START_TEST(test_flag_with_value)
{
	struct captured r;

	RUN(&tool, "tool", "--json=1");
	TOOL_ERROR("argument --json: ignored explicit argument '1'");
	captured_free(&r);
	RUN(&tool, "tool", "--verbose=yes");
	TOOL_ERROR("argument -v/--verbose: ignored explicit argument 'yes'");
	captured_free(&r);
	RUN(&tool, "tool", "--verb=");
	TOOL_ERROR("argument -v/--verbose: ignored explicit argument ''");
	captured_free(&r);
}
END_TEST

/* ---- lists ---- */

START_TEST(test_str_list)
{
	struct captured r;

	RUN(&tool, "tool", "-p", "80", "443", "--json");
	EXPECT_OK("ports=80,443", "nports=2", "json=1");
	captured_free(&r);
	RUN(&tool, "tool", "--ports", "1", "2", "3");
	EXPECT_OK("ports=1,2,3", "nports=3");
	captured_free(&r);
	RUN(&tool, "tool", "--ports=22", "23", "-v");
	EXPECT_OK("ports=22,23", "nports=2", "verbose=1");
	captured_free(&r);
	RUN(&tool, "tool", "-p8080");
	EXPECT_OK("ports=8080", "nports=1");
	captured_free(&r);
	/* Negative numbers are values; the last occurrence wins. */
	RUN(&tool, "tool", "-p", "1", "-p", "-2", "3");
	EXPECT_OK("ports=-2,3", "nports=2");
	captured_free(&r);
	RUN(&tool, "tool", "-p", "--json");
	TOOL_ERROR("argument -p/--ports: expected at least one argument");
	captured_free(&r);
	RUN(&tool, "tool", "--ports");
	TOOL_ERROR("argument -p/--ports: expected at least one argument");
	captured_free(&r);
}
END_TEST

static Suite *argparse_values_suite(void)
{
	const TTest *long_tests[] = { test_unrecognized, test_flag_with_value };
	const TTest *values_tests[] = { test_negative_number_value,
					test_int_syntax,
					test_float_values,
					test_int_errors,
					test_int_range,
					test_choice,
					test_missing_value,
					test_str_list };
	Suite *s = suite_create("argparse_values");

	unit_tcase(s, "long", long_tests, ARRAY_SIZE(long_tests));
	unit_tcase(s, "values", values_tests, ARRAY_SIZE(values_tests));
	return s;
}

int main(void)
{
	return argparse_unit_run(argparse_values_suite());
}
