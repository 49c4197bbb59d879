// SPDX-License-Identifier: GPL-2.0-only
/* The usage line and --help of a tool's options, laid out as Python's argparse does. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "argparse_internal.h"
#include "filter.h"
#include "strbuf.h"

/* argparse names an option in errors by all its spellings: "-i/--interval". */
void argp_opt_label(const struct arg_opt *o, char *buf, size_t len)
{
	if (o->shrt && o->name)
		snprintf(buf, len, "-%c/--%s", o->shrt, o->name);
	else if (o->name)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->shrt);
}

static void opt_metavar(const struct arg_opt *o, struct strbuf *sb)
{
	if (o->metavar) {
		sb_add(sb, o->metavar);
	} else if (o->choices) {
		sb_add(sb, "{");
		for (int i = 0; o->choices[i]; i++)
			sb_addf(sb, "%s%s", i ? "," : "", o->choices[i]);
		sb_add(sb, "}");
	} else {
		const char *n = o->name ? o->name : "";

		for (; *n; n++)
			sb_addf(sb, "%c", *n == '-' ? '_' : toupper((unsigned char)*n));
	}
}

bool argp_takes_value(const struct arg_opt *o)
{
	return o->kind != ARG_FLAG;
}

/* " METAVAR" after an option in --help; " M [M ...]" for lists, as argparse. */
static void opt_value_help(const struct arg_opt *o, struct strbuf *sb)
{
	if (!argp_takes_value(o))
		return;
	sb_add(sb, " ");
	opt_metavar(o, sb);
	if (o->kind == ARG_STR_LIST) {
		sb_add(sb, " [");
		opt_metavar(o, sb);
		sb_add(sb, " ...]");
	}
}

static void opt_usage_item(const struct arg_opt *o, struct strbuf *sb)
{
	bool req = o->flags & ARG_REQUIRED;

	if (!req)
		sb_add(sb, "[");
	if (o->shrt)
		sb_addf(sb, "-%c", o->shrt);
	else
		sb_addf(sb, "--%s", o->name);
	opt_value_help(o, sb);
	if (!req)
		sb_add(sb, "]");
}

void argp_print_usage(FILE *f)
{
	struct strbuf line = { 0 };
	int indent = (int)strlen("usage: ") + (int)strlen(argp_parser->prog) + 1;
	const struct arg_opt *o;

	sb_addf(&line, "usage: %s", argp_parser->prog);
	int linelen = (int)line.len;

	for (int i = 0; (o = argp_opt_at(i)) || i - argp_opt_count_all() < argp_pos_count(); i++) {
		struct strbuf item = { 0 };

		if (o && (o->flags & ARG_HIDDEN))
			continue;
		if (o) {
			opt_usage_item(o, &item);
		} else {
			const struct arg_positional *p = &argp_parser->positionals[i - argp_opt_count_all()];

			sb_addf(&item, p->required ? "%s" : "[%s]", p->name);
		}
		if (linelen + 1 + (int)item.len > 78 && linelen > indent) {
			sb_addf(&line, "\n%*s", indent, "");
			linelen = indent;
		} else {
			sb_add(&line, " ");
			linelen++;
		}
		sb_add(&line, item.buf);
		linelen += (int)item.len;
		sb_free(&item);
	}
	fprintf(f, "%s\n", line.buf);
	sb_free(&line);
}

void args_print_usage(void)
{
	if (argp_parser)
		argp_print_usage(stderr);
}

/* Word-wrap text into lines of at most width columns, each prefixed by indent spaces. */
static void print_wrapped(FILE *f, const char *text, int first_col, int indent, int width)
{
	int col = first_col;
	const char *p = text;

	while (*p) {
		while (*p == ' ')
			p++;
		size_t wl = strcspn(p, " ");

		if (!wl)
			break;
		if (col > indent && col + 1 + (int)wl > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)wl, p);
		col += (int)wl;
		p += wl;
	}
	fputc('\n', f);
}

static void opt_default_text(const struct arg_opt *o, struct strbuf *sb)
{
	if (o->help && strstr(o->help, "default"))
		return;
	switch (o->kind) {
	case ARG_INT:
		sb_addf(sb, " (default: %d)", *o->dest.i);
		break;
	case ARG_FLOAT:
	case ARG_SECONDS:
		sb_addf(sb, " (default: %g)", *o->dest.f);
		break;
	case ARG_PORT:
		sb_addf(sb, " (default: %u)", *o->dest.port);
		break;
	case ARG_PROTO: {
		const char *v = l4proto_choice(o->choices, *o->dest.proto);

		if (v)
			sb_addf(sb, " (default: %s)", v);
		break;
	}
	case ARG_ENUM:
		/* A required option's value is always given: its enum's 0 is no default. */
		if (!(o->flags & ARG_REQUIRED))
			sb_addf(sb, " (default: %s)", o->choices[*o->dest.i]);
		break;
	case ARG_STR:
	case ARG_IFNAME: {
		const char *v = *o->dest.s;

		if (v && *v)
			sb_addf(sb, " (default: %s)", v);
		break;
	}
	default:
		break;
	}
}

static void print_help_entry(FILE *f, const char *invocation, const char *help)
{
	enum { HELP_COL = 24, WIDTH = 78 };
	int len = 2 + (int)strlen(invocation);

	fprintf(f, "  %s", invocation);
	if (!help || !*help) {
		fputc('\n', f);
		return;
	}
	if (len <= HELP_COL - 2) {
		fprintf(f, "%*s", HELP_COL - len, "");
		print_wrapped(f, help, HELP_COL, HELP_COL, WIDTH);
	} else {
		fprintf(f, "\n%*s", HELP_COL, "");
		print_wrapped(f, help, HELP_COL, HELP_COL, WIDTH);
	}
}

void argp_print_help(void)
{
	const struct arg_opt *o;
	bool times = false;

	argp_print_usage(stdout);
	if (argp_parser->description) {
		fputc('\n', stdout);
		print_wrapped(stdout, argp_parser->description, 0, 0, 78);
	}
	if (argp_pos_count()) {
		printf("\npositional arguments:\n");
		for (int i = 0; i < argp_pos_count(); i++)
			print_help_entry(stdout, argp_parser->positionals[i].name,
					 argp_parser->positionals[i].help);
	}
	printf("\noptions:\n");
	for (int i = 0; (o = argp_opt_at(i)); i++) {
		struct strbuf inv = { 0 }, help = { 0 };

		if (o->flags & ARG_HIDDEN)
			continue;
		if (o->shrt) {
			sb_addf(&inv, "-%c", o->shrt);
			opt_value_help(o, &inv);
		}
		if (o->name) {
			sb_addf(&inv, "%s--%s", o->shrt ? ", " : "", o->name);
			opt_value_help(o, &inv);
		}
		sb_add(&help, o->help ? o->help : "");
		opt_default_text(o, &help);
		print_help_entry(stdout, inv.buf, help.buf);
		sb_free(&inv);
		sb_free(&help);
		times |= o->kind == ARG_SECONDS;
	}
	if (times)
		printf("\nintervals, durations and timeouts: seconds from %g to %.0f (365 days)\n",
		       ARG_SECONDS_MIN, ARG_SECONDS_MAX);
	if (argp_parser->epilog)
		printf("\n%s\n", argp_parser->epilog);
}
