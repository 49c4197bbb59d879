/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the argparse unit tests share: the parsers under test with their destinations, and
 * running a parse in a child process (args_parse keeps static state and exits on errors and
 * on --help) whose exit status, stdout and stderr are compared.
 */
#pragma once
#include <stdbool.h>

#include "argparse.h"
#include "unit_helpers.h"

/* The words of enum l4_word. */
extern const char *const l4_choices[];
enum l4_word { L4_ALL, L4_ICMP, L4_TCP, L4_UDP };

/* "tool": the options of every kind; "pos": positionals; "req": required options. */
extern int o_interval, o_offset, o_src_port;
extern bool o_verbose, o_extra, o_secret;
extern const char *o_name, *o_src_ip;
extern enum l4_word o_l4;
extern struct arg_list o_ports;
extern const struct arg_parser tool;

#define TOOL_USAGE                                                                                           \
	"usage: tool [-h] [-i INTERVAL] [--offset N] [-v] [-x] [-n NAME]\n"                                  \
	"            [--src-ip SRC_IP] [--src-port SRC_PORT]\n"                                              \
	"            [--l4-protocol {all,icmp,tcp,udp}] [-p PORT [PORT ...]] [--json]\n"                     \
	"            [--btf PATH]\n"

extern const char *p_target;
extern int p_count;
extern const struct arg_parser pos;

#define POS_USAGE "usage: pos [-h] [-v] [--json] [--btf PATH] target [count]\n"

extern const char *r_dev, *r_mode;
extern const struct arg_parser req;

#define REQ_USAGE "usage: req [-h] -d DEV --mode MODE [--json] [--btf PATH] target\n"

/* s, or "(none)" for NULL. */
const char *str_or_none(const char *s);
/* Parses argv with p in a child, result in r. */
void run_parse(const struct arg_parser *p, const char *const *argv, struct captured *r);

/* RUN(&parser, "prog", args...): parse in a child, result in r. */
#define RUN(p, ...) run_parse((p), (const char *const[]){ __VA_ARGS__, NULL }, &r)

/* The parse succeeded and printed " key=value " for each expected pair (NULL-terminated). */
void expect_ok(const struct captured *r, ...);

#define EXPECT_OK(...) expect_ok(&r, __VA_ARGS__, NULL)

/* The parse exited 0 printing exactly out on stdout and nothing on stderr; frees r. */
void expect_printed(struct captured *r, const char *out);

/* The parse failed with status 2, printing exactly the usage and "prog: error: msg". */
void expect_error(const struct captured *r, const char *usage, const char *prog, const char *msg);

#define TOOL_ERROR(msg) expect_error(&r, TOOL_USAGE, "tool", (msg))

/* Runs suite s with BPFNET_BTF unset (the tests set it themselves); the process exit status. */
int argparse_unit_run(Suite *s);
