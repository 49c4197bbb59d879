// SPDX-License-Identifier: GPL-2.0-only
/* common/vm_pair: --ports values as Python's int() reads them, and the errors that name the flag. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "util.h"
#include "unit_helpers.h"
#include "vm_pair.h"

static struct arg_list ports;

static const struct arg_opt options[] = {
	OPT_STR_LIST("ports", 0, &ports, "UDP ports", .metavar = "PORTS"),
	{ 0 },
};

static const struct arg_parser parser = { .prog = "vm_pair_test", .opts = options };

/*
 * argv: a NULL-terminated list after the program name; prints the ports read, comma-separated
 * (the two defaults 7,8 without --ports).
 */
static void parse(void *arg)
{
	const char **args = arg;
	static char *argv[VM_PAIR_MAX_PORTS + 8] = { "vm_pair_test" };
	static uint16_t out[VM_PAIR_MAX_PORTS] = { 7, 8 };
	int argc = 1, n;

	while (*args)
		argv[argc++] = (char *)*args++;
	args_parse(&parser, argc, argv);
	n = vm_pair_parse_ports(&ports, out, 2);
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", out[i]);
	exit(0);
}

static void run(const char **args, int status, const char *out, const char *err)
{
	struct captured c;

	capture_run(parse, args, &c);
	ck_assert_int_eq(c.status, status);
	ck_assert_str_eq(c.out, out);
	if (err)
		ck_assert_msg(strstr(c.err, err), "stderr: %s", c.err);
	captured_free(&c);
}

START_TEST(python_int_syntax)
{
	const char *args[] = { "--ports", "62109", " +5 ", "1_000", NULL };

	run(args, 0, "62109,5,1000", NULL);
}
END_TEST

START_TEST(bounds)
{
	const char *low[] = { "--ports", "0", "65535", NULL };
	const char *high[] = { "--ports", "65536", NULL };
	const char *neg[] = { "--ports", "-1", NULL };

	run(low, 0, "0,65535", NULL);
	run(high, 2, "",
	    "vm_pair_test: error: argument --ports: invalid port: 65536 (must be between 0 and 65535)");
	run(neg, 2, "", "argument --ports: invalid port: -1 (must be between 0 and 65535)");
}
END_TEST

START_TEST(not_ints)
{
	const char *word[] = { "--ports", "80", "http", NULL };
	const char *dec[] = { "--ports", "5.5", NULL };
	const char *under[] = { "--ports", "1__0", NULL };
	const char *lead[] = { "--ports", "_10", NULL };

	run(word, 2, "", "argument --ports: invalid int value: 'http'");
	run(dec, 2, "", "argument --ports: invalid int value: '5.5'");
	run(under, 2, "", "invalid int value: '1__0'");
	run(lead, 2, "", "invalid int value: '_10'");
}
END_TEST

START_TEST(defaults_without_the_option)
{
	const char *args[] = { NULL };

	run(args, 0, "7,8", NULL);
}
END_TEST

START_TEST(too_many)
{
	static const char *args[VM_PAIR_MAX_PORTS + 3] = { "--ports" };

	for (int i = 1; i <= VM_PAIR_MAX_PORTS + 1; i++)
		args[i] = "80";
	run(args, 2, "", "argument --ports: at most 1024 ports");
}
END_TEST

int main(void)
{
	const TTest *tests[] = { python_int_syntax, bounds, not_ints, too_many, defaults_without_the_option };

	return unit_run(unit_suite("vm_pair", "ports", tests, ARRAY_SIZE(tests)));
}
