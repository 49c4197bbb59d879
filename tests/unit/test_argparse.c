// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/argparse.h. args_parse keeps static state and exits on errors and on
 * --help, so each parse runs in a child process (capture_run) whose exit status, stdout and
 * stderr are compared; a few tests also run in Check's own fork as exit tests.
 */
#include <arpa/inet.h>
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "filter.h"
#include "strbuf.h"
#include "unit_helpers.h"
#include "util.h"

/* ---- the parsers under test ---- */

static const char *const l4_choices[] = { "all", "icmp", "tcp", "udp", NULL };

static int o_interval = 10, o_offset, o_src_port;
static bool o_verbose, o_extra, o_secret;
static const char *o_name, *o_src_ip, *o_l4 = "all";
static struct arg_list o_ports;

static const struct arg_opt tool_opts[] = {
	OPT_INT("interval", 'i', &o_interval, 1, 3600, "output interval in seconds"),
	OPT_INT("offset", 0, &o_offset, INT_MIN, INT_MAX, "offset added to every value", .metavar = "N"),
	OPT_FLAG("verbose", 'v', &o_verbose, "print more"),
	OPT_FLAG(NULL, 'x', &o_extra, "extra output"),
	OPT_STR("name", 'n', &o_name, "device name", .metavar = "NAME"),
	OPT_STR("src-ip", 0, &o_src_ip, "source IP address"),
	OPT_INT("src-port", 0, &o_src_port, 0, 65535, "source port"),
	OPT_CHOICE("l4-protocol", 0, &o_l4, l4_choices, "L4 protocol filter"),
	OPT_STR_LIST("ports", 'p', &o_ports, "ports to watch", .metavar = "PORT"),
	OPT_FLAG("secret", 0, &o_secret, "test switch", .flags = ARG_HIDDEN),
	{ 0 },
};

static const struct arg_parser tool = {
	.prog = "tool",
	.description = "Trace things.",
	.epilog = "examples:\n  tool -i 5",
	.opts = tool_opts,
};

#define TOOL_USAGE                                                                 \
	"usage: tool [-h] [-i INTERVAL] [--offset N] [-v] [-x] [-n NAME]\n"         \
	"            [--src-ip SRC_IP] [--src-port SRC_PORT]\n"                     \
	"            [--l4-protocol {all,icmp,tcp,udp}] [-p PORT [PORT ...]] [--json]\n" \
	"            [--btf PATH]\n"

static const char *p_target;
static int p_count = -1;

static const struct arg_opt pos_opts[] = {
	OPT_FLAG("verbose", 'v', &o_verbose, "print more"),
	{ 0 },
};

static const struct arg_positional pos_args[] = {
	POS_STR("target", &p_target, "host to probe", true),
	POS_INT("count", &p_count, "number of probes", false),
	{ 0 },
};

static const struct arg_parser pos = { .prog = "pos", .opts = pos_opts, .positionals = pos_args };

#define POS_USAGE "usage: pos [-h] [-v] [--json] [--btf PATH] target [count]\n"

static const char *r_dev, *r_mode;

static const struct arg_opt req_opts[] = {
	OPT_STR("dev", 'd', &r_dev, "device", .flags = ARG_REQUIRED),
	OPT_STR("mode", 0, &r_mode, "mode", .flags = ARG_REQUIRED),
	{ 0 },
};

static const struct arg_positional req_args[] = {
	POS_STR("target", &p_target, "host", true),
	{ 0 },
};

static const struct arg_parser req = { .prog = "req", .opts = req_opts, .positionals = req_args };

#define REQ_USAGE "usage: req [-h] -d DEV --mode MODE [--json] [--btf PATH] target\n"

/* ---- running a parse in a child ---- */

struct parse_call {
	const struct arg_parser *parser;
	const char *const *argv;
};

static const char *str_or_none(const char *s)
{
	return s ? s : "(none)";
}

/* Prints every destination as " key=value" so that tests can check what was parsed. */
static void dump_state(void)
{
	printf(" interval=%d offset=%d verbose=%d extra=%d name=%s src_ip=%s src_port=%d l4=%s",
	       o_interval, o_offset, o_verbose, o_extra, str_or_none(o_name), str_or_none(o_src_ip),
	       o_src_port, str_or_none(o_l4));
	printf(" ports=");
	for (int i = 0; i < o_ports.count; i++)
		printf("%s%s", i ? "," : "", o_ports.items[i]);
	printf(" nports=%d secret=%d target=%s count=%d dev=%s mode=%s", o_ports.count, o_secret,
	       str_or_none(p_target), p_count, str_or_none(r_dev), str_or_none(r_mode));
	printf(" json=%d btf=%s ready=%s \n", g_common.json, str_or_none(g_common.btf_path),
	       str_or_none(g_common.ready_file));
}

static void parse_child(void *arg)
{
	const struct parse_call *c = arg;
	int argc = 0;

	while (c->argv[argc])
		argc++;
	args_parse(c->parser, argc, (char **)c->argv);
	dump_state();
}

static void run_parse(const struct arg_parser *p, const char *const *argv, struct captured *r)
{
	struct parse_call c = { p, argv };

	capture_run(parse_child, &c, r);
}

/* RUN(&parser, "prog", args...): parse in a child, result in r. */
#define RUN(p, ...) run_parse((p), (const char *const[]){ __VA_ARGS__, NULL }, &r)

/* The parse succeeded and printed " key=value " for each expected pair. */
static void expect_ok(const struct captured *r, ...)
{
	va_list ap;
	const char *kv;

	ck_assert_msg(r->status == CAPTURE_RETURNED, "parse failed with status %d: %s", r->status,
		      r->err);
	ck_assert_str_eq(r->err, "");
	va_start(ap, r);
	while ((kv = va_arg(ap, const char *))) {
		char needle[256];

		snprintf(needle, sizeof(needle), " %s ", kv);
		ck_assert_msg(strstr(r->out, needle), "expected '%s' in:%s", kv, r->out);
	}
	va_end(ap);
}

#define EXPECT_OK(...) expect_ok(&r, __VA_ARGS__, NULL)

/* The parse failed with status 2, printing exactly the usage and "prog: error: msg". */
static void expect_error(const struct captured *r, const char *usage, const char *prog,
			 const char *msg)
{
	struct strbuf want = { 0 };

	sb_addf(&want, "%s%s: error: %s\n", usage, prog, msg);
	ck_assert_int_eq(r->status, 2);
	ck_assert_str_eq(r->out, "");
	ck_assert_str_eq(r->err, want.buf);
	sb_free(&want);
}

#define TOOL_ERROR(msg) expect_error(&r, TOOL_USAGE, "tool", (msg))

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
		{ "0.25", "rate=0.25\n" }, { " 2 ", "rate=2\n" }, { "1_000.5", "rate=1000.5\n" },
		{ "3e-2", "rate=0.029999999999999999\n" }, { "+.5", "rate=0.5\n" },
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
	for (const char *const *bad = (const char *const[]){ "0x10", "1.2.3", "", "fast", NULL }; *bad; bad++) {
		char want[96];

		run_float(&r, (const char *const[]){ "ftool", "-r", *bad, NULL });
		ck_assert_int_eq(r.status, 2);
		snprintf(want, sizeof(want), "ftool: error: argument -r/--rate: invalid float value: '%s'\n", *bad);
		ck_assert_ptr_nonnull(strstr(r.err, want));
		captured_free(&r);
	}
}
END_TEST

/* ---- long options ---- */

START_TEST(test_defaults)
{
	struct captured r;

	RUN(&tool, "tool");
	EXPECT_OK("interval=10", "offset=0", "verbose=0", "extra=0", "name=(none)", "l4=all",
		  "nports=0", "secret=0", "json=0", "btf=(none)", "ready=(none)");
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
	expect_error(&r, REQ_USAGE, "req",
		     "the following arguments are required: -d/--dev, --mode, target");
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

/* ---- help ---- */

#define TOOL_HELP                                                                           \
	TOOL_USAGE                                                                          \
	"\n"                                                                                \
	"Trace things.\n"                                                                   \
	"\n"                                                                                \
	"options:\n"                                                                        \
	"  -h, --help            show this help message and exit\n"                         \
	"  -i INTERVAL, --interval INTERVAL\n"                                              \
	"                        output interval in seconds (default: 10)\n"                \
	"  --offset N            offset added to every value (default: 0)\n"                \
	"  -v, --verbose         print more\n"                                              \
	"  -x                    extra output\n"                                            \
	"  -n NAME, --name NAME  device name\n"                                             \
	"  --src-ip SRC_IP       source IP address\n"                                       \
	"  --src-port SRC_PORT   source port (default: 0)\n"                                \
	"  --l4-protocol {all,icmp,tcp,udp}\n"                                              \
	"                        L4 protocol filter (default: all)\n"                       \
	"  -p PORT [PORT ...], --ports PORT [PORT ...]\n"                                   \
	"                        ports to watch\n"                                          \
	"  --json                print one JSON object per event or report instead of\n"    \
	"                        text\n"                                                    \
	"  --btf PATH            BTF file describing the running kernel, for kernels\n"     \
	"                        without /sys/kernel/btf/vmlinux (also $BPFNET_BTF)\n"      \
	"\n"                                                                                \
	"examples:\n"                                                                       \
	"  tool -i 5\n"

START_TEST(test_help_text)
{
	struct captured r;

	RUN(&tool, "tool", "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_str_eq(r.out, TOOL_HELP);
	captured_free(&r);
	/* -h, a prefix of --help, and --help after other options give the same text. */
	RUN(&tool, "tool", "-h");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, TOOL_HELP);
	captured_free(&r);
	RUN(&tool, "tool", "--he");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, TOOL_HELP);
	captured_free(&r);
	RUN(&tool, "tool", "-v", "--help", "--bogus");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, TOOL_HELP);
	captured_free(&r);
}
END_TEST

START_TEST(test_help_lists_options_not_hidden)
{
	struct captured r;

	RUN(&tool, "tool", "--help");
	ck_assert_int_eq(r.status, 0);
	for (const struct arg_opt *o = tool_opts; o->name || o->shrt; o++) {
		char spelling[64];

		if (o->name)
			snprintf(spelling, sizeof(spelling), "--%s", o->name);
		else
			snprintf(spelling, sizeof(spelling), "-%c", o->shrt);
		if (o->flags & ARG_HIDDEN)
			ck_assert_msg(!strstr(r.out, spelling), "hidden %s listed", spelling);
		else
			ck_assert_msg(strstr(r.out, spelling), "%s not listed", spelling);
	}
	ck_assert_ptr_nonnull(strstr(r.out, "  --json "));
	ck_assert_ptr_nonnull(strstr(r.out, "  --btf PATH "));
	ck_assert_ptr_null(strstr(r.out, "ready-file"));
	ck_assert_ptr_null(strstr(r.out, "--secret"));
	ck_assert_ptr_nonnull(strstr(r.out, "(default: 10)"));
	captured_free(&r);
}
END_TEST

/* The default shown is the destination's value at parse time. */
static void help_with_changed_default(void *arg)
{
	char *argv[] = { "tool", "--help", NULL };

	(void)arg;
	o_interval = 30;
	o_name = "eth9";
	args_parse(&tool, 2, argv);
}

START_TEST(test_help_shows_current_defaults)
{
	struct captured r;

	capture_run(help_with_changed_default, NULL, &r);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "output interval in seconds (default: 30)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  -n NAME, --name NAME  device name (default: eth9)\n"));
	captured_free(&r);
}
END_TEST

START_TEST(test_help_positionals)
{
	struct captured r;

	RUN(&pos, "pos", "-h");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_str_eq(r.out,
			 POS_USAGE
			 "\n"
			 "positional arguments:\n"
			 "  target                host to probe\n"
			 "  count                 number of probes\n"
			 "\n"
			 "options:\n"
			 "  -h, --help            show this help message and exit\n"
			 "  -v, --verbose         print more\n"
			 "  --json                print one JSON object per event or report instead of\n"
			 "                        text\n"
			 "  --btf PATH            BTF file describing the running kernel, for kernels\n"
			 "                        without /sys/kernel/btf/vmlinux (also $BPFNET_BTF)\n");
	captured_free(&r);
	/* Help does not require the required arguments. */
	RUN(&req, "req", "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, REQ_USAGE), r.out);
	captured_free(&r);
}
END_TEST

/* ---- usage wrapping ---- */

static int w_vals[8];
static const char *w_strs[4];
static bool w_flag;

/*
 * The longest tool name with many options. Every usage item fits in the 78 - 43 columns after
 * the indent: a single longer item cannot be wrapped (argparse overflows there too).
 */
static const struct arg_opt wide_opts[] = {
	OPT_INT("maximum-number-of-entries", 'm', &w_vals[0], 0, 1000,
		"the maximum number of entries kept in the kernel table before old entries are "
		"evicted, which should be raised on busy hosts with many flows",
		.metavar = "ENTRIES"),
	OPT_INT("report-interval-seconds", 'r', &w_vals[1], 0, 1000, "seconds between reports", .metavar = "SECONDS"),
	OPT_INT("top-entries-per-report", 't', &w_vals[2], 0, 1000, "entries per report", .metavar = "N"),
	OPT_FLAG("include-stack-traces", 0, &w_flag, "print stacks"),
	OPT_STR("source-address", 0, &w_strs[0], "source address filter"),
	OPT_STR("destination-address", 0, &w_strs[1], "destination address filter", .metavar = "ADDR"),
	OPT_STR("network-namespace-path", 0, &w_strs[2], "namespace", .metavar = "PATH"),
	OPT_STR("cgroup-path", 'c', &w_strs[3], "cgroup", .metavar = "CGROUP_PATH"),
	{ 0 },
};

static const struct arg_parser wide = { .prog = "kernel_drop_stack_stats_summary_all",
					 .opts = wide_opts };

/* The option-less, positional-only parser of kernel_drop_stack_stats. */
static const char *k_device = "";
static int k_interval = 10;

static const struct arg_positional kds_pos_args[] = {
	POS_STR("device_name", &k_device, "only count drops on this device (\"\" = all devices)", false),
	POS_INT("interval", &k_interval, "reporting period in seconds (default 10; <= 0 means 10)", false),
	{ 0 },
};

static const struct arg_opt kds_opts[] = { { 0 } };

static const struct arg_parser kds = { .prog = "kernel_drop_stack_stats", .opts = kds_opts,
				       .positionals = kds_pos_args };

static void check_lines(const char *text, const char *what)
{
	ck_assert_msg(longest_line(text) <= 80, "%s has a line of %d characters:\n%s", what,
		      longest_line(text), text);
}

START_TEST(test_usage_wrapping)
{
	struct captured r;

	RUN(&wide, "x", "--bogus");
	ck_assert_int_eq(r.status, 2);
	check_lines(r.err, "usage");
	/* Wrapped: several usage lines, continuation lines indented under the first item. */
	ck_assert_ptr_eq(strstr(r.err, "usage: kernel_drop_stack_stats_summary_all [-h]"), r.err);
	char indent[64];

	snprintf(indent, sizeof(indent), "\n%*s[-", (int)strlen("usage: ") + (int)strlen(wide.prog) + 1, "");
	ck_assert_ptr_nonnull(strstr(r.err, indent));
	int lines = 0;

	for (const char *p = r.err; (p = strchr(p, '\n')); p++)
		lines++;
	ck_assert_int_ge(lines, 4);	/* at least three usage lines and the error */
	captured_free(&r);
	RUN(&wide, "x", "--help");
	ck_assert_int_eq(r.status, 0);
	check_lines(r.out, "help");
	captured_free(&r);
	RUN(&tool, "tool", "--help");
	check_lines(r.out, "tool help");
	captured_free(&r);
}
END_TEST

START_TEST(test_usage_wrapping_with_positionals)
{
	struct captured r;

	/*
	 * BUG (common/argparse.c, print_usage): positionals are appended to the last usage line
	 * without the wrapping check the options get. kernel_drop_stack_stats' usage is one line
	 * of 82 characters; argparse prints
	 *   usage: kernel_drop_stack_stats [-h] [--json] [--btf PATH]
	 *                                  [device_name] [interval]
	 */
	RUN(&kds, "kernel_drop_stack_stats", "eth0", "x");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "[device_name]"));
	ck_assert_ptr_nonnull(strstr(r.err, "[interval]\n"));
	check_lines(r.err, "usage with positionals");
	captured_free(&r);
	RUN(&kds, "kernel_drop_stack_stats", "-h");
	ck_assert_int_eq(r.status, 0);
	check_lines(r.out, "help with positionals");
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

/* ---- typed kinds: conversion and checks at parse time ---- */

static uint32_t k_v4;
static struct ip_addr k_ip;
static uint16_t k_port;
static const char *k_dev;
static uint8_t k_proto, k_l4;
static double k_ival = 1, k_duration, k_whole = 10, k_latency;

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
	       "latency=%.17g\n",
	       ntohl(k_v4), k_ip.family, k_ip.family ? ip_format(&k_ip, ip, sizeof(ip)) : "-", k_port,
	       str_or_none(k_dev), k_proto, k_l4, k_ival, k_duration, k_whole, k_latency);
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
	KIND_OK("--v4", "10.0.0.1", "ip=0:- ");	/* not given: family 0, no filter */
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
	KIND_BAD("--port", "99999999999999999999", "argument -p/--port: invalid int value: '99999999999999999999'");
	KIND_BAD("--port", "1.5", "argument -p/--port: invalid int value: '1.5'");
}
END_TEST

START_TEST(test_kind_ifname)
{
	KIND_OK("--dev", "eth0", "dev=eth0 ");
	KIND_OK("--dev", "abcdefghijklmno", "dev=abcdefghijklmno ");	/* 15 characters: fits */
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
	KIND_BAD("--proto", "x", "argument --proto: invalid protocol: 'x' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--proto", "256", "argument --proto: invalid protocol: '256' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--proto", "", "argument --proto: invalid protocol: '' (use tcp, udp, icmp or a number 0-255)");
	KIND_BAD("--l4", "sctp", "argument --l4: invalid choice: 'sctp' (choose from 'all', 'icmp', 'tcp', 'udp')");
	KIND_BAD("--l4", "6", "argument --l4: invalid choice: '6' (choose from 'all', 'icmp', 'tcp', 'udp')");
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
	KIND_BAD("-i", "99999999999999999999", "argument -i/--interval: invalid value: 99999999999999999999 " RANGE);
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
	KIND_BAD("-d", "99999999999999999999", "argument -d/--duration: invalid int value: '99999999999999999999'");
	KIND_BAD("--whole", "0", "argument --whole: invalid value: 0 " RANGE);
}
END_TEST

START_TEST(test_kind_float_range)
{
	KIND_OK("--latency", "0", "latency=0\n");
	KIND_OK("--latency", "10000000", "latency=10000000\n");
	KIND_BAD("--latency", "-5", "argument --latency: invalid value: -5 (must be between 0 and 1e+07)");
	KIND_BAD("--latency", "1e9", "argument --latency: invalid value: 1e9 (must be between 0 and 1e+07)");
	KIND_BAD("--latency", "1e20", "argument --latency: invalid value: 1e20 (must be between 0 and 1e+07)");
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
	ck_assert_ptr_nonnull(strstr(r.out, "  -p PORT, --port PORT"));
	ck_assert_ptr_nonnull(strstr(r.out, "a port (default: 0)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "an interval (default: 1)\n"));
	ck_assert_ptr_null(strstr(r.out, "an IPv4 address (default"));
	ck_assert_ptr_nonnull(strstr(r.out, "\n\nintervals, durations and timeouts: seconds from 0.1 to 31536000 "
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
	ck_assert_ptr_nonnull(strstr(r.err, "\nkinds: error: argument --v4: 0.0.0.0 matches no packet: give one\n"));
	captured_free(&r);
}
END_TEST

static Suite *argparse_suite(void)
{
	Suite *s = suite_create("argparse");
	TCase *lng = tcase_create("long");
	TCase *shrt = tcase_create("short");
	TCase *val = tcase_create("values");
	TCase *posc = tcase_create("positionals");
	TCase *help = tcase_create("help");
	TCase *common = tcase_create("common");
	TCase *exits = tcase_create("exit");

	tcase_add_test(lng, test_defaults);
	tcase_add_test(lng, test_long_separate_and_equals);
	tcase_add_test(lng, test_long_prefix);
	tcase_add_test(lng, test_ambiguous_prefix);
	tcase_add_test(lng, test_hidden_option);
	tcase_add_test(lng, test_unrecognized);
	tcase_add_test(lng, test_flag_with_value);
	tcase_add_test(shrt, test_short_forms);
	tcase_add_test(shrt, test_short_clusters);
	tcase_add_test(shrt, test_short_cluster_unknown_letter);
	tcase_add_test(shrt, test_short_only_cluster_unknown_letter);
	tcase_add_test(val, test_negative_number_value);
	tcase_add_test(val, test_int_syntax);
	tcase_add_test(val, test_float_values);
	tcase_add_test(val, test_int_errors);
	tcase_add_test(val, test_int_range);
	tcase_add_test(val, test_choice);
	tcase_add_test(val, test_missing_value);
	tcase_add_test(val, test_str_list);
	tcase_add_test(val, test_kind_ipv4);
	tcase_add_test(val, test_kind_ip);
	tcase_add_test(val, test_kind_port);
	tcase_add_test(val, test_kind_ifname);
	tcase_add_test(val, test_kind_proto);
	tcase_add_test(val, test_kind_seconds);
	tcase_add_test(val, test_kind_float_range);
	tcase_add_test(val, test_kind_values_cut);
	tcase_add_test(val, test_kind_help);
	tcase_add_test(val, test_arg_fail_opt);
	tcase_add_test(posc, test_positionals);
	tcase_add_test(posc, test_positional_errors);
	tcase_add_test(posc, test_double_dash);
	tcase_add_test(posc, test_required);
	tcase_add_test(help, test_help_text);
	tcase_add_test(help, test_help_lists_options_not_hidden);
	tcase_add_test(help, test_help_shows_current_defaults);
	tcase_add_test(help, test_help_positionals);
	tcase_add_test(help, test_usage_wrapping);
	tcase_add_test(help, test_usage_wrapping_with_positionals);
	tcase_add_test(common, test_common_options);
	tcase_add_test(common, test_common_options_in_process);
	tcase_add_test(common, test_btf_env);
	tcase_add_test(common, test_arg_fail);
	tcase_add_exit_test(exits, test_exit_help, 0);
	tcase_add_exit_test(exits, test_exit_invalid_int, 2);
	tcase_add_exit_test(exits, test_exit_ambiguous, 2);
	tcase_add_exit_test(exits, test_exit_unrecognized, 2);
	tcase_add_exit_test(exits, test_exit_required, 2);
	suite_add_tcase(s, lng);
	suite_add_tcase(s, shrt);
	suite_add_tcase(s, val);
	suite_add_tcase(s, posc);
	suite_add_tcase(s, help);
	suite_add_tcase(s, common);
	suite_add_tcase(s, exits);
	return s;
}

int main(void)
{
	/* The tests set BPFNET_BTF themselves. */
	unsetenv("BPFNET_BTF");
	return unit_run(argparse_suite());
}
