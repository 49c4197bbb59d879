// SPDX-License-Identifier: GPL-2.0-only
#include "argparse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "strbuf.h"

struct common_options g_common;

static bool help_requested;

static const struct arg_opt builtin_opts[] = {
	OPT_FLAG("help", 'h', &help_requested, "show this help message and exit"),
	OPT_FLAG("json", 0, &g_common.json, "print one JSON object per event or report instead of text"),
	OPT_STR("btf", 0, &g_common.btf_path,
		"BTF file describing the running kernel, for kernels without /sys/kernel/btf/vmlinux "
		"(also $BPFNET_BTF)",
		.metavar = "PATH"),
	/* Hidden: listing it would change every tool's usage line and --help. */
	OPT_FLAG("list-probes", 0, &g_common.list_probes,
		 "list the hooks this tool probes and the ones chosen on this kernel, then exit", .flags = ARG_HIDDEN),
	OPT_STR("ready-file", 0, &g_common.ready_file, "written once probes are attached", .metavar = "PATH",
		.flags = ARG_HIDDEN),
	{ 0 },
};

static const struct arg_parser *cur;

/* The tool's options follow -h/--help, as in argparse; the other built-ins come last. */
static int opt_count(const struct arg_opt *opts)
{
	int n = 0;

	while (opts && (opts[n].name || opts[n].shrt))
		n++;
	return n;
}

static const struct arg_opt *opt_at(int i)
{
	int ntool = opt_count(cur->opts);

	if (i == 0)
		return &builtin_opts[0];
	if (i <= ntool)
		return &cur->opts[i - 1];
	i -= ntool;
	return i < opt_count(builtin_opts) ? &builtin_opts[i] : NULL;
}

/* Number of options, the built-ins included. */
static int opt_count_all(void)
{
	int n = 0;

	while (opt_at(n))
		n++;
	return n;
}

static int pos_count(void)
{
	int n = 0;

	while (cur->positionals && cur->positionals[n].name)
		n++;
	return n;
}

/* argparse names an option in errors by all its spellings: "-i/--interval". */
static void opt_label(const struct arg_opt *o, char *buf, size_t len)
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

static bool takes_value(const struct arg_opt *o)
{
	return o->kind != ARG_FLAG;
}

/* " METAVAR" after an option in --help; " M [M ...]" for lists, as argparse. */
static void opt_value_help(const struct arg_opt *o, struct strbuf *sb)
{
	if (!takes_value(o))
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

static void print_usage(FILE *f)
{
	struct strbuf line = { 0 };
	int indent = (int)strlen("usage: ") + (int)strlen(cur->prog) + 1;
	const struct arg_opt *o;

	sb_addf(&line, "usage: %s", cur->prog);
	int linelen = (int)line.len;

	for (int i = 0; (o = opt_at(i)) || i - opt_count_all() < pos_count(); i++) {
		struct strbuf item = { 0 };

		if (o && (o->flags & ARG_HIDDEN))
			continue;
		if (o) {
			opt_usage_item(o, &item);
		} else {
			const struct arg_positional *p = &cur->positionals[i - opt_count_all()];

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
	if (cur)
		print_usage(stderr);
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
	case ARG_PROTO:
		for (int i = 0; o->choices && o->choices[i]; i++)
			if (l4proto_parse(o->choices[i]) == *o->dest.proto)
				sb_addf(sb, " (default: %s)", o->choices[i]);
		break;
	case ARG_STR:
	case ARG_IFNAME:
	case ARG_CHOICE: {
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

static void print_help(void)
{
	const struct arg_opt *o;
	bool times = false;

	print_usage(stdout);
	if (cur->description) {
		fputc('\n', stdout);
		print_wrapped(stdout, cur->description, 0, 0, 78);
	}
	if (pos_count()) {
		printf("\npositional arguments:\n");
		for (int i = 0; i < pos_count(); i++)
			print_help_entry(stdout, cur->positionals[i].name, cur->positionals[i].help);
	}
	printf("\noptions:\n");
	for (int i = 0; (o = opt_at(i)); i++) {
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
		printf("\nintervals, durations and timeouts: seconds from %g to %.0f (365 days)\n", ARG_SECONDS_MIN,
		       ARG_SECONDS_MAX);
	if (cur->epilog)
		printf("\n%s\n", cur->epilog);
}

static noreturn void vfail(const char *fmt, va_list ap)
{
	fflush(stdout);
	if (cur) {
		print_usage(stderr);
		fprintf(stderr, "%s: error: ", cur->prog);
	} else {
		fprintf(stderr, "error: ");
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

void arg_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
}

const char *arg_shown(const char *text)
{
	static char ring[4][ARG_SHOWN_MAX + 4];
	static int next;
	char *buf = ring[next++ % 4];

	if (strlen(text) <= ARG_SHOWN_MAX)
		return text;
	snprintf(buf, sizeof(ring[0]), "%.*s...", ARG_SHOWN_MAX, text);
	return buf;
}

static const struct arg_opt *opt_by_dest(const void *dest)
{
	const struct arg_opt *o;

	for (int i = 0; cur && (o = opt_at(i)); i++)
		if ((const void *)o->dest.flag == dest)
			return o;
	return NULL;
}

const char *arg_flag_of(const void *dest)
{
	static char ring[4][96];
	static int next;
	char *label = ring[next++ % 4];
	const struct arg_opt *o = opt_by_dest(dest);

	if (!o)
		return "?";
	opt_label(o, label, sizeof(ring[0]));
	return label;
}

void arg_fail_opt(const void *dest, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	arg_fail("argument %s: %s", arg_flag_of(dest), msg);
}

/* argparse treats "-5" and "-.5" as values, not options, when no option looks like a number. */
static bool is_negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	s++;
	bool digits = false, dot = false;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits = true;
		else if (*s == '.' && !dot)
			dot = true;
		else
			return false;
	}
	return digits;
}

static bool looks_like_option(const char *s)
{
	return s[0] == '-' && s[1] && !is_negative_number(s);
}

/*
 * Copies the text of a Python number literal without surrounding whitespace and without the
 * underscores allowed between digits; false if it does not fit.
 */
static bool number_text(const char *text, char *clean, size_t size)
{
	size_t n = 0;
	const char *s = text;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s; s++) {
		if (*s == '_' && n && isdigit((unsigned char)clean[n - 1]) && isdigit((unsigned char)s[1]))
			continue;
		if (n == size - 1)
			return false;
		clean[n++] = *s;
	}
	clean[n] = 0;
	while (n && isspace((unsigned char)clean[n - 1]))
		clean[--n] = 0;
	return n > 0;
}

/* Python's int(): optional surrounding whitespace, sign, digits and single underscores. */
static bool parse_int(const char *text, long *out)
{
	char clean[64], *end;

	if (!number_text(text, clean, sizeof(clean)))
		return false;
	if (!(isdigit((unsigned char)clean[0]) ||
	      ((clean[0] == '-' || clean[0] == '+') && isdigit((unsigned char)clean[1]))))
		return false;
	errno = 0;
	*out = strtol(clean, &end, 10);
	return !*end && errno != ERANGE;
}

/* Python's float(): decimal or exponent notation, inf and nan; no hexadecimal. */
static bool parse_float(const char *text, double *out)
{
	char clean[64], *end;

	if (!number_text(text, clean, sizeof(clean)) || strpbrk(clean, "xX"))
		return false;
	*out = strtod(clean, &end);
	return !*end;
}

static void store_seconds(const struct arg_opt *o, const char *label, const char *val)
{
	double v;
	long whole;

	if (o->flags & ARG_WHOLE) {
		if (!parse_int(val, &whole))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		v = (double)whole;
	} else if (!parse_float(val, &v) || !isfinite(v)) {
		arg_fail("argument %s: invalid float value: '%s'", label, arg_shown(val));
	}
	if ((v < ARG_SECONDS_MIN || v > ARG_SECONDS_MAX) && !(v == 0 && (o->flags & ARG_ZERO_OFF)))
		arg_fail("argument %s: invalid value: %s (must be %sbetween %g and %.0f seconds)", label,
			 arg_shown(val), o->flags & ARG_ZERO_OFF ? "0 for no limit or " : "", ARG_SECONDS_MIN,
			 ARG_SECONDS_MAX);
	*o->dest.f = v;
}

static void store_ipv4(const struct arg_opt *o, const char *label, const char *val)
{
	struct ip_addr a;

	/* inet_pton takes only the dotted quad: "10.1" and "1.2.3" are errors, not 10.0.0.1 or 1.2.0.3. */
	if (!ip_parse(val, &a))
		arg_fail("argument %s: invalid IPv4 address: '%s'", label, arg_shown(val));
	if (a.family != 4)
		arg_fail("argument %s: expected an IPv4 address: '%s'", label, arg_shown(val));
	memcpy(o->dest.ipv4, a.bytes, 4);
}

/* Whether val is one of the option's choices (else exits 2 listing them). */
static void check_choice(const struct arg_opt *o, const char *label, const char *val)
{
	struct strbuf sb = { 0 };

	for (int i = 0; o->choices[i]; i++)
		if (!strcmp(o->choices[i], val))
			return;
	for (int i = 0; o->choices[i]; i++)
		sb_addf(&sb, "%s'%s'", i ? ", " : "", o->choices[i]);
	arg_fail("argument %s: invalid choice: '%s' (choose from %s)", label, arg_shown(val), sb.buf);
}

/* Converts and checks val by the option's kind into its destination; exits 2 naming label if bad. */
static void store_value(const struct arg_opt *o, const char *label, const char *val)
{
	long v;
	double d;

	switch (o->kind) {
	case ARG_INT:
		if (!parse_int(val, &v))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		if (v < o->min || v > o->max || v < INT_MIN || v > INT_MAX)
			arg_fail("argument %s: invalid value: %ld (must be between %.0f and %.0f)", label, v,
				 o->min, o->max);
		*o->dest.i = (int)v;
		break;
	case ARG_FLOAT:
		if (!parse_float(val, &d) || !isfinite(d))
			arg_fail("argument %s: invalid float value: '%s'", label, arg_shown(val));
		if (d < o->min || d > o->max)
			arg_fail("argument %s: invalid value: %s (must be between %g and %g)", label,
				 arg_shown(val), o->min, o->max);
		*o->dest.f = d;
		break;
	case ARG_SECONDS:
		store_seconds(o, label, val);
		break;
	case ARG_CHOICE:
		check_choice(o, label, val);
		*o->dest.s = val;
		break;
	case ARG_IPV4:
		store_ipv4(o, label, val);
		break;
	case ARG_IP:
		if (!ip_parse(val, o->dest.ip))
			arg_fail("argument %s: invalid IP address: '%s'", label, arg_shown(val));
		break;
	case ARG_PORT:
		if (!parse_int(val, &v))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		if (v < 0 || v > 65535)
			arg_fail("argument %s: invalid port: %ld (must be between 0 and 65535)", label, v);
		*o->dest.port = (uint16_t)v;
		break;
	case ARG_IFNAME:
		if (!*val)
			arg_fail("argument %s: empty interface name", label);
		if (strlen(val) >= IFNAMSIZ)
			arg_fail("argument %s: interface name '%s' too long (max %d characters)", label,
				 arg_shown(val), IFNAMSIZ - 1);
		*o->dest.s = val;
		break;
	case ARG_PROTO: {
		int p;

		if (o->choices)
			check_choice(o, label, val);
		p = l4proto_parse(val);
		if (p < 0)
			arg_fail("argument %s: invalid protocol: '%s' (use tcp, udp, icmp or a number 0-255)",
				 label, arg_shown(val));
		*o->dest.proto = (uint8_t)p;
		break;
	}
	default:
		*o->dest.s = val;
		break;
	}
}

/* Finds the long option named by "name" (text up to '=' or its end), exactly or by prefix. */
static const struct arg_opt *find_long(const char *arg, size_t namelen)
{
	const struct arg_opt *o, *match = NULL;
	int nmatch = 0;
	struct strbuf cands = { 0 };

	for (int i = 0; (o = opt_at(i)); i++) {
		if (o->name && strlen(o->name) == namelen && !strncmp(o->name, arg + 2, namelen))
			return o;
	}
	for (int i = 0; (o = opt_at(i)); i++) {
		if (!o->name || (o->flags & ARG_HIDDEN) || strncmp(o->name, arg + 2, namelen))
			continue;
		sb_addf(&cands, "%s--%s", nmatch ? ", " : "", o->name);
		match = o;
		nmatch++;
	}
	if (nmatch > 1)
		arg_fail("ambiguous option: %s could match %s", arg_shown(arg), cands.buf);
	sb_free(&cands);
	return match;
}

static const struct arg_opt *find_short(char c)
{
	const struct arg_opt *o;

	for (int i = 0; (o = opt_at(i)); i++)
		if (o->shrt == c)
			return o;
	return NULL;
}

/* Consumes the value(s) of o from argv[*i + 1 ...] unless an explicit "=value" was given. */
static void take_value(const struct arg_opt *o, const char *explicit_val, int argc, char **argv,
		       int *i)
{
	char label[96];

	opt_label(o, label, sizeof(label));
	if (o->kind == ARG_FLAG) {
		if (explicit_val)
			arg_fail("argument %s: ignored explicit argument '%s'", label, arg_shown(explicit_val));
		*o->dest.flag = true;
		return;
	}
	if (o->kind == ARG_STR_LIST) {
		struct arg_list *l = o->dest.list;

		l->count = 0;
		free(l->items);
		l->items = calloc((size_t)argc + 1, sizeof(*l->items));
		if (!l->items)
			arg_fail("out of memory");
		if (explicit_val)
			l->items[l->count++] = explicit_val;
		while (*i + 1 < argc && !looks_like_option(argv[*i + 1]) && strcmp(argv[*i + 1], "--"))
			l->items[l->count++] = argv[++*i];
		if (!l->count)
			arg_fail("argument %s: expected at least one argument", label);
		return;
	}
	if (explicit_val) {
		store_value(o, label, explicit_val);
		return;
	}
	if (*i + 1 >= argc || looks_like_option(argv[*i + 1]))
		arg_fail("argument %s: expected one argument", label);
	store_value(o, label, argv[++*i]);
}

static void store_positional(const struct arg_positional *p, const char *val)
{
	const struct arg_opt o = { .kind = p->kind, .dest = p->dest, .min = INT_MIN, .max = INT_MAX };

	store_value(&o, p->name, val);
}

static void check_required(const bool *seen, int npos_given)
{
	struct strbuf missing = { 0 };
	const struct arg_opt *o;

	for (int i = 0; (o = opt_at(i)); i++) {
		if ((o->flags & ARG_REQUIRED) && !seen[i]) {
			char label[96];

			opt_label(o, label, sizeof(label));
			sb_addf(&missing, "%s%s", missing.len ? ", " : "", label);
		}
	}
	for (int i = npos_given; i < pos_count(); i++)
		if (cur->positionals[i].required)
			sb_addf(&missing, "%s%s", missing.len ? ", " : "", cur->positionals[i].name);
	if (missing.len)
		arg_fail("the following arguments are required: %s", missing.buf);
	sb_free(&missing);
}

static int opt_index(const struct arg_opt *target)
{
	const struct arg_opt *o;

	for (int i = 0; (o = opt_at(i)); i++)
		if (o == target)
			return i;
	return -1;
}

void args_parse(const struct arg_parser *parser, int argc, char **argv)
{
	int nopts = 0, npos = 0;
	bool only_positional = false;
	struct strbuf unknown = { 0 };

	cur = parser;
	while (opt_at(nopts))
		nopts++;
	bool *seen = calloc((size_t)nopts + 1, sizeof(bool));

	if (!seen)
		arg_fail("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct arg_opt *o;

		if (only_positional || !looks_like_option(a)) {
			if (npos < pos_count())
				store_positional(&cur->positionals[npos++], a);
			else
				sb_addf(&unknown, "%s%s", unknown.len ? " " : "", arg_shown(a));
			continue;
		}
		if (!strcmp(a, "--")) {
			only_positional = true;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a, '=');
			size_t namelen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_long(a, namelen);
			if (!o) {
				sb_addf(&unknown, "%s%s", unknown.len ? " " : "", arg_shown(a));
				continue;
			}
			seen[opt_index(o)] = true;
			take_value(o, eq ? eq + 1 : NULL, argc, argv, &i);
			continue;
		}
		/* Short options: "-v", "-vx" (flags), "-i5", "-i=5", "-i 5". */
		const struct arg_opt *prev = NULL;

		for (const char *p = a + 1; *p; p++) {
			o = find_short(*p);
			if (!o) {
				char label[96];

				if (!prev) {
					sb_addf(&unknown, "%s%s", unknown.len ? " " : "", arg_shown(a));
					break;
				}
				opt_label(prev, label, sizeof(label));
				arg_fail("argument %s: ignored explicit argument '%s'", label, arg_shown(p));
			}
			prev = o;
			seen[opt_index(o)] = true;
			if (o->kind == ARG_FLAG) {
				take_value(o, NULL, argc, argv, &i);
				continue;
			}
			const char *rest = p[1] == '=' ? p + 2 : p + 1;

			take_value(o, *rest ? rest : NULL, argc, argv, &i);
			break;
		}
	}
	if (help_requested) {
		print_help();
		exit(0);
	}
	if (unknown.len)
		arg_fail("unrecognized arguments: %s", unknown.buf);
	check_required(seen, npos);
	free(seen);
	const char *env_btf = getenv("BPFNET_BTF");

	if (!g_common.btf_path && env_btf && *env_btf)	/* BPFNET_BTF= means "not set" */
		g_common.btf_path = env_btf;
}
