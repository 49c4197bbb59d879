// SPDX-License-Identifier: GPL-2.0-only
/* The parsers the argparse unit tests share, and running a parse in a child process. */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse_fixture.h"
#include "strbuf.h"

const char *const l4_choices[] = {
	[L4_ALL] = "all", [L4_ICMP] = "icmp", [L4_TCP] = "tcp", [L4_UDP] = "udp", NULL
};

int o_interval = 10, o_offset, o_src_port;
bool o_verbose, o_extra, o_secret;
const char *o_name, *o_src_ip;
enum l4_word o_l4 = L4_ALL;
struct arg_list o_ports;

static const struct arg_opt tool_opts[] = {
	OPT_INT("interval", 'i', &o_interval, 1, 3600, "output interval in seconds"),
	OPT_INT("offset", 0, &o_offset, INT_MIN, INT_MAX, "offset added to every value", .metavar = "N"),
	OPT_FLAG("verbose", 'v', &o_verbose, "print more"),
	OPT_FLAG(NULL, 'x', &o_extra, "extra output"),
	OPT_STR("name", 'n', &o_name, "device name", .metavar = "NAME"),
	OPT_STR("src-ip", 0, &o_src_ip, "source IP address"),
	OPT_INT("src-port", 0, &o_src_port, 0, 65535, "source port"),
	OPT_ENUM("l4-protocol", 0, &o_l4, l4_choices, "L4 protocol filter"),
	OPT_STR_LIST("ports", 'p', &o_ports, "ports to watch", .metavar = "PORT"),
	OPT_FLAG("secret", 0, &o_secret, "test switch", .flags = ARG_HIDDEN),
	{ 0 },
};

const struct arg_parser tool = {
	.prog = "tool",
	.description = "Trace things.",
	.epilog = "examples:\n  tool -i 5",
	.opts = tool_opts,
};

const char *p_target;
int p_count = -1;

static const struct arg_opt pos_opts[] = {
	OPT_FLAG("verbose", 'v', &o_verbose, "print more"),
	{ 0 },
};

static const struct arg_positional pos_args[] = {
	POS_STR("target", &p_target, "host to probe", true),
	POS_INT("count", &p_count, "number of probes", false),
	{ 0 },
};

const struct arg_parser pos = { .prog = "pos", .opts = pos_opts, .positionals = pos_args };

const char *r_dev, *r_mode;

static const struct arg_opt req_opts[] = {
	OPT_STR("dev", 'd', &r_dev, "device", .flags = ARG_REQUIRED),
	OPT_STR("mode", 0, &r_mode, "mode", .flags = ARG_REQUIRED),
	{ 0 },
};

static const struct arg_positional req_args[] = {
	POS_STR("target", &p_target, "host", true),
	{ 0 },
};

const struct arg_parser req = { .prog = "req", .opts = req_opts, .positionals = req_args };

struct parse_call {
	const struct arg_parser *parser;
	const char *const *argv;
};

const char *str_or_none(const char *s)
{
	return s ? s : "(none)";
}

/* Prints every destination as " key=value" so that tests can check what was parsed. */
static void dump_state(void)
{
	printf(" interval=%d offset=%d verbose=%d extra=%d name=%s src_ip=%s src_port=%d l4=%s", o_interval,
	       o_offset, o_verbose, o_extra, str_or_none(o_name), str_or_none(o_src_ip), o_src_port,
	       l4_choices[o_l4]);
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

void run_parse(const struct arg_parser *p, const char *const *argv, struct captured *r)
{
	struct parse_call c = { p, argv };

	capture_run(parse_child, &c, r);
}

void expect_ok(const struct captured *r, ...)
{
	va_list ap;
	const char *kv;

	ck_assert_msg(r->status == CAPTURE_RETURNED, "parse failed with status %d: %s", r->status, r->err);
	ck_assert_str_eq(r->err, "");
	va_start(ap, r);
	while ((kv = va_arg(ap, const char *))) {
		char needle[256];

		snprintf(needle, sizeof(needle), " %s ", kv);
		ck_assert_msg(strstr(r->out, needle), "expected '%s' in:%s", kv, r->out);
	}
	va_end(ap);
}

void expect_printed(struct captured *r, const char *out)
{
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->err, "");
	ck_assert_str_eq(r->out, out);
	captured_free(r);
}

void expect_error(const struct captured *r, const char *usage, const char *prog, const char *msg)
{
	struct strbuf want = { 0 };

	sb_addf(&want, "%s%s: error: %s\n", usage, prog, msg);
	ck_assert_int_eq(r->status, 2);
	ck_assert_str_eq(r->out, "");
	ck_assert_str_eq(r->err, want.buf);
	sb_free(&want);
}

int argparse_unit_run(Suite *s)
{
	unsetenv("BPFNET_BTF");
	return unit_run(s);
}
