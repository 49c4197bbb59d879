/* SPDX-License-Identifier: GPL-2.0-only */
/* What argparse.c (parsing), argparse_help.c (usage and --help) and argparse_convert.c share. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "argparse.h"

/* The parser of the current args_parse() call, NULL before it. */
extern const struct arg_parser *argp_parser;

/* The i-th option in --help order (-h first, the tool's options, the other built-ins), NULL past the end. */
const struct arg_opt *argp_opt_at(int i);
/* Number of options, the built-ins included. */
int argp_opt_count_all(void);
/* Number of the tool's positional arguments. */
int argp_pos_count(void);
/* All spellings of an option, as argparse names it in errors: "-i/--interval". */
void argp_opt_label(const struct arg_opt *o, char *buf, size_t len);
/* Whether the option is followed by a value on the command line. */
bool argp_takes_value(const struct arg_opt *o);
/* Prints the "usage: ..." lines. */
void argp_print_usage(FILE *f);
/* Prints --help on stdout. */
void argp_print_help(void);
/* Converts and checks val by the option's kind into its destination; exits 2 naming label if bad. */
void argp_store_value(const struct arg_opt *o, const char *label, const char *val);
/* Prints the bash completion script of the current parser's options for command (argparse_complete.c). */
void argp_print_bash_completion(FILE *f, const char *command);
