/*
 * Command-line parsing with the Python argparse behaviour the original scripts' users rely on:
 * long options with "=value" or a separate value, unambiguous prefixes, short options (also
 * clustered and "-i5"), positionals, "--", --help listing defaults, and on bad input the usage
 * line plus "prog: error: ..." on stderr with exit status 2.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

#define EXIT_USAGE 2

enum arg_kind {
	ARG_FLAG = 1,	/* dest: bool *, set to true */
	ARG_INT,	/* dest: long *, base-10 integer */
	ARG_FLOAT,	/* dest: double *, Python float() syntax */
	ARG_STR,	/* dest: const char ** */
	ARG_CHOICE,	/* dest: const char **, one of choices */
	ARG_STR_LIST,	/* dest: struct arg_list *, one or more values (argparse nargs='+') */
};

#define ARG_REQUIRED 0x1u
#define ARG_HIDDEN 0x2u	/* parsed but not shown by --help (test switches) */

struct arg_list {
	const char **items;
	int count;
};

struct arg_opt {
	const char *name;	/* long name without the leading "--"; NULL if short only */
	char shrt;		/* short letter or 0 */
	enum arg_kind kind;
	void *dest;
	const char *metavar;	/* NULL: derived from the name as argparse does */
	const char *help;
	const char *const *choices;	/* ARG_CHOICE: NULL-terminated */
	long min, max;		/* ARG_INT: accepted range, checked when min < max */
	unsigned flags;
};

struct arg_positional {
	const char *name;
	enum arg_kind kind;	/* ARG_INT or ARG_STR */
	void *dest;
	const char *help;
	bool required;
};

struct arg_parser {
	const char *prog;
	const char *description;
	const char *epilog;	/* examples, printed verbatim after the options */
	const struct arg_opt *opts;	/* terminated by an all-zero entry */
	const struct arg_positional *positionals;	/* NULL or terminated by an all-zero entry */
};

/* Options every tool accepts in addition to its own. */
struct common_options {
	bool json;		/* --json: one JSON object per event or report */
	const char *btf_path;	/* --btf PATH (or $BPFNET_BTF): BTF for kernels without one */
	bool list_probes;	/* --list-probes: print the tool's hooks and this kernel's choices, exit 0 */
	const char *ready_file;	/* hidden --ready-file PATH: written once every probe is attached */
};
extern struct common_options g_common;

/* Parse argv into the destinations; prints help and exits 0 on -h/--help, exits 2 on errors. */
void args_parse(const struct arg_parser *parser, int argc, char **argv);

/* Report a bad argument found after parsing (e.g. an invalid address): usage + error, exit 2. */
noreturn void arg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the usage line of the last parsed parser to stderr. */
void args_print_usage(void);
