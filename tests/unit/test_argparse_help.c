// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/argparse.h: --help text and the wrapping of the usage lines.
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

/* ---- help ---- */

#define TOOL_HELP                                                                                            \
	TOOL_USAGE                                                                                           \
	"\n"                                                                                                 \
	"Trace things.\n"                                                                                    \
	"\n"                                                                                                 \
	"options:\n"                                                                                         \
	"  -h, --help            show this help message and exit\n"                                          \
	"  -i INTERVAL, --interval INTERVAL\n"                                                               \
	"                        output interval in seconds (default: 10)\n"                                 \
	"  --offset N            offset added to every value (default: 0)\n"                                 \
	"  -v, --verbose         print more\n"                                                               \
	"  -x                    extra output\n"                                                             \
	"  -n NAME, --name NAME  device name\n"                                                              \
	"  --src-ip SRC_IP       source IP address\n"                                                        \
	"  --src-port SRC_PORT   source port (default: 0)\n"                                                 \
	"  --l4-protocol {all,icmp,tcp,udp}\n"                                                               \
	"                        L4 protocol filter (default: all)\n"                                        \
	"  -p PORT [PORT ...], --ports PORT [PORT ...]\n"                                                    \
	"                        ports to watch\n"                                                           \
	"  --json                print one JSON object per event or report instead of\n"                     \
	"                        text\n"                                                                     \
	"  --btf PATH            BTF file describing the running kernel, for kernels\n"                      \
	"                        without /sys/kernel/btf/vmlinux (also $BPFNET_BTF)\n"                       \
	"\n"                                                                                                 \
	"examples:\n"                                                                                        \
	"  tool -i 5\n"

START_TEST(test_help_text)
{
	struct captured r;

	RUN(&tool, "tool", "--help");
	expect_printed(&r, TOOL_HELP);
	/* -h, a prefix of --help, and --help after other options give the same text. */
	RUN(&tool, "tool", "-h");
	expect_printed(&r, TOOL_HELP);
	RUN(&tool, "tool", "--he");
	expect_printed(&r, TOOL_HELP);
	RUN(&tool, "tool", "-v", "--help", "--bogus");
	expect_printed(&r, TOOL_HELP);
}
END_TEST

START_TEST(test_help_lists_options_not_hidden)
{
	struct captured r;

	RUN(&tool, "tool", "--help");
	ck_assert_int_eq(r.status, 0);
	for (const struct arg_opt *o = tool.opts; o->name || o->shrt; o++) {
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
	ck_assert_str_eq(r.out, POS_USAGE
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
	OPT_INT("report-interval-seconds", 'r', &w_vals[1], 0, 1000, "seconds between reports",
		.metavar = "SECONDS"),
	OPT_INT("top-entries-per-report", 't', &w_vals[2], 0, 1000, "entries per report", .metavar = "N"),
	OPT_FLAG("include-stack-traces", 0, &w_flag, "print stacks"),
	OPT_STR("source-address", 0, &w_strs[0], "source address filter"),
	OPT_STR("destination-address", 0, &w_strs[1], "destination address filter", .metavar = "ADDR"),
	OPT_STR("network-namespace-path", 0, &w_strs[2], "namespace", .metavar = "PATH"),
	OPT_STR("cgroup-path", 'c', &w_strs[3], "cgroup", .metavar = "CGROUP_PATH"),
	{ 0 },
};

static const struct arg_parser wide = { .prog = "kernel_drop_stack_stats_summary_all", .opts = wide_opts };

/* The option-less, positional-only parser of kernel_drop_stack_stats. */
static const char *k_device = "";
static int k_interval = 10;

static const struct arg_positional kds_pos_args[] = {
	POS_STR("device_name", &k_device, "only count drops on this device (\"\" = all devices)", false),
	POS_INT("interval", &k_interval, "reporting period in seconds (default 10; <= 0 means 10)", false),
	{ 0 },
};

static const struct arg_opt kds_opts[] = { { 0 } };

static const struct arg_parser kds = { .prog = "kernel_drop_stack_stats",
				       .opts = kds_opts,
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
	ck_assert_int_ge(lines, 4); /* at least three usage lines and the error */
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

int main(void)
{
	const TTest *help_tests[] = { test_help_text,
				      test_help_lists_options_not_hidden,
				      test_help_shows_current_defaults,
				      test_help_positionals,
				      test_usage_wrapping,
				      test_usage_wrapping_with_positionals };

	return argparse_unit_run(unit_suite("argparse_help", "help", help_tests, ARRAY_SIZE(help_tests)));
}
