/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command-line parsing with the Python argparse behaviour the original scripts' users rely on:
 * long options with "=value" or a separate value, unambiguous prefixes, short options (also
 * clustered and "-i5"), positionals, "--", --help listing defaults, and on bad input the usage
 * line plus "prog: error: ..." on stderr with exit status 2.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define EXIT_USAGE 2

struct ip_addr;

/* What an option's text is converted to; each kind has one destination type (union arg_dest). */
enum arg_kind {
	ARG_FLAG = 1, /* bool, set to true */
	ARG_INT, /* int, base 10, within [min, max] */
	ARG_FLOAT, /* double, Python float() syntax, finite, within [min, max] */
	ARG_SECONDS, /* double, a time in seconds within ARG_SECONDS_MIN..ARG_SECONDS_MAX */
	ARG_STR, /* const char * */
	ARG_ENUM, /* int or an enum of int's size: the index in choices of the value given */
	ARG_STR_LIST, /* struct arg_list, one or more values (argparse nargs='+') */
	ARG_IPV4, /* uint32_t in network order, strict dotted quad; 0.0.0.0 = no filter */
	ARG_IP, /* struct ip_addr, IPv4 dotted quad or IPv6 */
	ARG_PORT, /* uint16_t, 0-65535 */
	ARG_IFNAME, /* const char *, an interface name of 1 to IFNAMSIZ - 1 characters */
	ARG_PROTO, /* uint8_t, L4 protocol by name (all = 0, tcp, ...) or number 0-255; or one of choices */
};

union arg_dest {
	bool *flag;
	int *i;
	double *f;
	const char **s;
	struct arg_list *list;
	uint32_t *ipv4;
	struct ip_addr *ip;
	uint16_t *port;
	uint8_t *proto;
};

#define ARG_REQUIRED 0x1u
#define ARG_HIDDEN 0x2u /* parsed but not shown by --help (test switches) */
#define ARG_WHOLE 0x4u /* ARG_SECONDS: integer syntax only, as the original's type=int */
#define ARG_ZERO_OFF 0x8u /* ARG_SECONDS: 0 is accepted and means "no limit" */
#define ARG_COMPLETED 0x10u /* with ARG_HIDDEN: not in --help, but offered by the bash completion */

/* The one range of every interval, duration and timeout of the suite, in seconds. */
#define ARG_SECONDS_MIN 0.1
#define ARG_SECONDS_MAX 31536000.0 /* 365 days */

/* Values echoed in error messages are cut to this many characters and "...". */
#define ARG_SHOWN_MAX 80

struct arg_list {
	const char **items;
	int count;
};

struct arg_opt {
	const char *name; /* long name without the leading "--"; NULL if short only */
	char shrt; /* short letter or 0 */
	enum arg_kind kind;
	union arg_dest dest;
	const char *metavar; /* NULL: derived from the name as argparse does */
	const char *help;
	const char *const *choices; /* ARG_ENUM, ARG_PROTO: NULL-terminated */
	double min, max; /* ARG_INT, ARG_FLOAT: accepted range */
	unsigned flags;
};

/*
 * p as ARG_ENUM's int destination; does not compile unless *p is an integer (an enum) of
 * int's size.
 */
/* clang-format off */
#define ARG_ENUM_DEST(p)                                                                           \
	((int *)(p) + 0 * sizeof(*(p) << 0) +                                                      \
	 0 * sizeof(struct { _Static_assert(sizeof(*(p)) == sizeof(int), "OPT_ENUM needs an int-sized enum"); int x; }))
/* clang-format on */

/*
 * Option table entries, one macro per kind: the destination pointer must have the kind's type
 * (a mismatch does not compile). Trailing arguments are further designated initializers
 * (.metavar, .flags, .choices).
 */
/* clang-format off */
#define OPT_FLAG(name, shrt, p, text, ...) { name, shrt, ARG_FLAG, { .flag = (p) }, .help = text, __VA_ARGS__ }
#define OPT_INT(name, shrt, p, lo, hi, text, ...)                                                  \
	{ name, shrt, ARG_INT, { .i = (p) }, .help = text, .min = (lo), .max = (hi), __VA_ARGS__ }
#define OPT_FLOAT(name, shrt, p, lo, hi, text, ...)                                                \
	{ name, shrt, ARG_FLOAT, { .f = (p) }, .help = text, .min = (lo), .max = (hi), __VA_ARGS__ }
/* kflags: 0, ARG_WHOLE and/or ARG_ZERO_OFF (with ARG_REQUIRED or ARG_HIDDEN if needed). */
#define OPT_SECONDS(name, shrt, p, kflags, text, ...)                                               \
	{ name, shrt, ARG_SECONDS, { .f = (p) }, .help = text, .flags = (kflags), __VA_ARGS__ }
#define OPT_STR(name, shrt, p, text, ...) { name, shrt, ARG_STR, { .s = (p) }, .help = text, __VA_ARGS__ }
/* list[i] is the word of value i of p's enum, in the enum's order. */
#define OPT_ENUM(name, shrt, p, list, text, ...)                                                   \
	{ name, shrt, ARG_ENUM, { .i = ARG_ENUM_DEST(p) }, .help = text, .choices = (list), __VA_ARGS__ }
#define OPT_STR_LIST(name, shrt, p, text, ...) { name, shrt, ARG_STR_LIST, { .list = (p) }, .help = text, __VA_ARGS__ }
#define OPT_IPV4(name, shrt, p, text, ...) { name, shrt, ARG_IPV4, { .ipv4 = (p) }, .help = text, __VA_ARGS__ }
#define OPT_IP(name, shrt, p, text, ...) { name, shrt, ARG_IP, { .ip = (p) }, .help = text, __VA_ARGS__ }
#define OPT_PORT(name, shrt, p, text, ...) { name, shrt, ARG_PORT, { .port = (p) }, .help = text, __VA_ARGS__ }
#define OPT_IFNAME(name, shrt, p, text, ...) { name, shrt, ARG_IFNAME, { .s = (p) }, .help = text, __VA_ARGS__ }
#define OPT_PROTO(name, shrt, p, text, ...) { name, shrt, ARG_PROTO, { .proto = (p) }, .help = text, __VA_ARGS__ }
/* clang-format on */

struct arg_positional {
	const char *name;
	enum arg_kind kind; /* ARG_INT (whole int range) or ARG_STR */
	union arg_dest dest;
	const char *help;
	bool required;
};

/* clang-format off */
#define POS_INT(name, p, help, req) { name, ARG_INT, { .i = (p) }, help, req }
#define POS_STR(name, p, help, req) { name, ARG_STR, { .s = (p) }, help, req }
/* clang-format on */

struct arg_parser {
	const char *prog;
	const char *description;
	const char *epilog; /* examples, printed verbatim after the options */
	const struct arg_opt *opts; /* terminated by an all-zero entry */
	const struct arg_positional *positionals; /* NULL or terminated by an all-zero entry */
};

/* Options every tool accepts in addition to its own. */
struct common_options {
	bool json; /* --json: one JSON object per event or report */
	const char *btf_path; /* --btf PATH (or $BPFNET_BTF): BTF for kernels without one */
	bool list_probes; /* --list-probes: print the tool's hooks and this kernel's choices, exit 0 */
	const char *ready_file; /* hidden --ready-file PATH: written once every probe is attached */
};
extern struct common_options g_common;

/*
 * Parse argv into the destinations; prints help and exits 0 on -h/--help, exits 2 on errors.
 * The hidden built-ins --version (common/version.h) and --bash-completion (the tool's bash
 * completion script, from its option table) print and exit 0 too.
 */
void args_parse(const struct arg_parser *parser, int argc, char **argv);

/* Report a bad argument found after parsing: usage + error, exit 2. */
noreturn void arg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Report a bad value of the option whose destination is dest, found after parsing:
 * "argument <its flags>: <message>", exit 2. The flag name comes from the option table.
 */
noreturn void arg_fail_opt(const void *dest, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The option's flags as errors name them ("-i/--interval"), found by its destination (a few results live at once). */
const char *arg_flag_of(const void *dest);
/* text for an error message, cut to ARG_SHOWN_MAX characters and "..." (a few calls' results live at once). */
const char *arg_shown(const char *text);

/* Print the usage line of the last parsed parser to stderr. */
void args_print_usage(void);
