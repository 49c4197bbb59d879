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

#include "argparse_internal.h"
#include "filter.h"
#include "strbuf.h"
#include "version.h"

struct common_options g_common;

static bool help_requested, version_requested, completion_requested;

static const struct arg_opt builtin_opts[] = {
	OPT_FLAG("help", 'h', &help_requested, "show this help message and exit"),
	OPT_FLAG("json", 0, &g_common.json, "print one JSON object per event or report instead of text"),
	OPT_STR("btf", 0, &g_common.btf_path,
		"BTF file describing the running kernel, for kernels without /sys/kernel/btf/vmlinux "
		"(also $BPFNET_BTF)",
		.metavar = "PATH"),
	/* Hidden: listing it would change every tool's usage line and --help. */
	OPT_FLAG("list-probes", 0, &g_common.list_probes,
		 "list the hooks this tool probes and the ones chosen on this kernel, then exit",
		 .flags = ARG_HIDDEN | ARG_COMPLETED),
	OPT_STR("ready-file", 0, &g_common.ready_file, "written once probes are attached", .metavar = "PATH",
		.flags = ARG_HIDDEN),
	OPT_FLAG("version", 0, &version_requested,
		 "print the suite version, git revision, libbpf version, build date and the embedded BPF "
		 "objects, then exit",
		 .flags = ARG_HIDDEN | ARG_COMPLETED),
	OPT_FLAG("bash-completion", 0, &completion_requested,
		 "print this tool's bash completion script (made from its options), then exit",
		 .flags = ARG_HIDDEN),
	{ 0 },
};

const struct arg_parser *argp_parser;

/* The tool's options follow -h/--help, as in argparse; the other built-ins come last. */
static int opt_count(const struct arg_opt *opts)
{
	int n = 0;

	while (opts && (opts[n].name || opts[n].shrt))
		n++;
	return n;
}

const struct arg_opt *argp_opt_at(int i)
{
	int ntool = opt_count(argp_parser->opts);

	if (i == 0)
		return &builtin_opts[0];
	if (i <= ntool)
		return &argp_parser->opts[i - 1];
	i -= ntool;
	return i < opt_count(builtin_opts) ? &builtin_opts[i] : NULL;
}

/* Number of options, the built-ins included. */
int argp_opt_count_all(void)
{
	int n = 0;

	while (argp_opt_at(n))
		n++;
	return n;
}

int argp_pos_count(void)
{
	int n = 0;

	while (argp_parser->positionals && argp_parser->positionals[n].name)
		n++;
	return n;
}

static noreturn void vfail(const char *fmt, va_list ap)
{
	fflush(stdout);
	if (argp_parser) {
		argp_print_usage(stderr);
		fprintf(stderr, "%s: error: ", argp_parser->prog);
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

	for (int i = 0; argp_parser && (o = argp_opt_at(i)); i++)
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
	argp_opt_label(o, label, sizeof(ring[0]));
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

/* Finds the long option named by "name" (text up to '=' or its end), exactly or by prefix. */
static const struct arg_opt *find_long(const char *arg, size_t namelen)
{
	const struct arg_opt *o, *match = NULL;
	int nmatch = 0;
	struct strbuf cands = { 0 };

	for (int i = 0; (o = argp_opt_at(i)); i++) {
		if (o->name && strlen(o->name) == namelen && !strncmp(o->name, arg + 2, namelen))
			return o;
	}
	for (int i = 0; (o = argp_opt_at(i)); i++) {
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

	for (int i = 0; (o = argp_opt_at(i)); i++)
		if (o->shrt == c)
			return o;
	return NULL;
}

/* Consumes the value(s) of o from argv[*i + 1 ...] unless an explicit "=value" was given. */
static void take_value(const struct arg_opt *o, const char *explicit_val, int argc, char **argv, int *i)
{
	char label[96];

	argp_opt_label(o, label, sizeof(label));
	if (o->kind == ARG_FLAG) {
		if (explicit_val)
			arg_fail("argument %s: ignored explicit argument '%s'", label,
				 arg_shown(explicit_val));
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
		argp_store_value(o, label, explicit_val);
		return;
	}
	if (*i + 1 >= argc || looks_like_option(argv[*i + 1]))
		arg_fail("argument %s: expected one argument", label);
	argp_store_value(o, label, argv[++*i]);
}

static void store_positional(const struct arg_positional *p, const char *val)
{
	const struct arg_opt o = { .kind = p->kind, .dest = p->dest, .min = INT_MIN, .max = INT_MAX };

	argp_store_value(&o, p->name, val);
}

static void check_required(const bool *seen, int npos_given)
{
	struct strbuf missing = { 0 };
	const struct arg_opt *o;

	for (int i = 0; (o = argp_opt_at(i)); i++) {
		if ((o->flags & ARG_REQUIRED) && !seen[i]) {
			char label[96];

			argp_opt_label(o, label, sizeof(label));
			sb_addf(&missing, "%s%s", missing.len ? ", " : "", label);
		}
	}
	for (int i = npos_given; i < argp_pos_count(); i++)
		if (argp_parser->positionals[i].required)
			sb_addf(&missing, "%s%s", missing.len ? ", " : "", argp_parser->positionals[i].name);
	if (missing.len)
		arg_fail("the following arguments are required: %s", missing.buf);
	sb_free(&missing);
}

static int opt_index(const struct arg_opt *target)
{
	const struct arg_opt *o;

	for (int i = 0; (o = argp_opt_at(i)); i++)
		if (o == target)
			return i;
	return -1;
}

void args_parse(const struct arg_parser *parser, int argc, char **argv)
{
	int nopts = 0, npos = 0;
	bool only_positional = false;
	struct strbuf unknown = { 0 };

	argp_parser = parser;
	while (argp_opt_at(nopts))
		nopts++;
	bool *seen = calloc((size_t)nopts + 1, sizeof(bool));

	if (!seen)
		arg_fail("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct arg_opt *o;

		if (only_positional || !looks_like_option(a)) {
			if (npos < argp_pos_count())
				store_positional(&argp_parser->positionals[npos++], a);
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
				argp_opt_label(prev, label, sizeof(label));
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
		argp_print_help();
		exit(0);
	}
	if (version_requested) {
		struct version_info v = version_current(argp_parser->prog);

		version_write(stdout, &v, g_common.json);
		exit(0);
	}
	if (completion_requested) {
		/* The command completed is the executable's name (an alias's too), not prog. */
		const char *slash = argc ? strrchr(argv[0], '/') : NULL;

		argp_print_bash_completion(stdout, slash ? slash + 1 : argc ? argv[0] : argp_parser->prog);
		exit(0);
	}
	if (unknown.len)
		arg_fail("unrecognized arguments: %s", unknown.buf);
	check_required(seen, npos);
	free(seen);
	const char *env_btf = getenv("BPFNET_BTF");

	if (!g_common.btf_path && env_btf && *env_btf) /* BPFNET_BTF= means "not set" */
		g_common.btf_path = env_btf;
}
