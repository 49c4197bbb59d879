// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tool's bash completion script, written from its option table (the build runs every tool
 * with --bash-completion, cmake/Completion.cmake): every long option, an option's choices after
 * it, interface names (/sys/class/net) after an interface option, file names after a path
 * option, nothing after other options that take a value. "--opt=value" completes as "--opt value".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "argparse_internal.h"
#include "filter.h"
#include "strbuf.h"

enum value_class { VALUE_NONE, VALUE_WORDS, VALUE_IFNAME, VALUE_FILE, VALUE_OTHER };

/* Whether name is word, or ends with "-word" (phy-interface, send-dev). */
static bool name_is(const char *name, const char *word)
{
	size_t n = strlen(name), w = strlen(word);

	return n >= w && !strcmp(name + n - w, word) && (n == w || name[n - w - 1] == '-');
}

/*
 * Interface options: ARG_IFNAME, and the string options that take interface names (one or a
 * comma-separated list): --dev, --device(s), --interface(s), --iface, --phy-interface, ...
 */
static bool takes_ifnames(const struct arg_opt *o)
{
	static const char *const words[] = { "dev",        "devs",  "device", "devices", "interface",
					     "interfaces", "iface", "ifaces", "nic",     "bridge" };

	if (o->kind == ARG_IFNAME)
		return true;
	if ((o->kind != ARG_STR && o->kind != ARG_STR_LIST) || !o->name)
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (name_is(o->name, words[i]))
			return true;
	return false;
}

static bool takes_path(const struct arg_opt *o)
{
	static const char *const words[] = { "file", "path", "dir", "output", "textfile", "btf" };

	if (o->kind != ARG_STR || !o->name)
		return false;
	if (o->metavar &&
	    (strstr(o->metavar, "PATH") || strstr(o->metavar, "FILE") || strstr(o->metavar, "DIR")))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (name_is(o->name, words[i]))
			return true;
	return false;
}

static enum value_class value_class(const struct arg_opt *o)
{
	if (!argp_takes_value(o))
		return VALUE_NONE;
	if (o->choices || o->kind == ARG_PROTO)
		return VALUE_WORDS;
	if (takes_ifnames(o))
		return VALUE_IFNAME;
	if (takes_path(o))
		return VALUE_FILE;
	return VALUE_OTHER;
}

/* Not a hidden test switch. */
static bool offered(const struct arg_opt *o)
{
	return !(o->flags & ARG_HIDDEN) || (o->flags & ARG_COMPLETED);
}

/* Offered as a long option. */
static bool completed(const struct arg_opt *o)
{
	return o->name && offered(o);
}

/* s in single quotes for the shell. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	sb_add(sb, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_add(sb, "'\\''");
		else
			sb_addn(sb, s, 1);
	}
	sb_add(sb, "'");
}

/* The option's choices, space-separated; the protocol names for ARG_PROTO without choices. */
static void add_choices(struct strbuf *sb, const struct arg_opt *o)
{
	struct strbuf words = { 0 };

	if (o->choices) {
		for (int i = 0; o->choices[i]; i++)
			sb_addf(&words, "%s%s", i ? " " : "", o->choices[i]);
	} else {
		const char *w;

		for (size_t i = 0; (w = l4proto_word(i)); i++)
			sb_addf(&words, "%s%s", i ? " " : "", w);
	}
	add_quoted(sb, words.buf ? words.buf : "");
	sb_free(&words);
}

/* "-i|--interface" for a case pattern. */
static void add_spellings(struct strbuf *sb, const struct arg_opt *o)
{
	if (o->shrt)
		sb_addf(sb, "-%c%s", o->shrt, o->name ? "|" : "");
	if (o->name)
		sb_addf(sb, "--%s", o->name);
}

/* One case pattern of every option of class c (not VALUE_WORDS); false if there is none. */
static bool add_class_pattern(struct strbuf *sb, enum value_class c)
{
	const struct arg_opt *o;
	size_t start = sb->len;

	for (int i = 0; (o = argp_opt_at(i)); i++) {
		if (value_class(o) != c || !offered(o))
			continue;
		if (sb->len > start)
			sb_add(sb, "|");
		add_spellings(sb, o);
	}
	return sb->len > start;
}

/* A shell function name for the tool: "_bpfnet_" and its name with [^A-Za-z0-9_] as '_'. */
static void add_function_name(struct strbuf *sb, const char *prog)
{
	sb_add(sb, "_bpfnet_");
	for (; *prog; prog++)
		sb_addf(sb, "%c", isalnum((unsigned char)*prog) ? *prog : '_');
}

void argp_print_bash_completion(FILE *f, const char *command)
{
	struct strbuf sb = { 0 }, fn = { 0 }, longs = { 0 };
	const struct arg_opt *o;

	add_function_name(&fn, command);
	for (int i = 0; (o = argp_opt_at(i)); i++)
		if (completed(o))
			sb_addf(&longs, "%s--%s", longs.len ? " " : "", o->name);

	sb_addf(&sb, "# bash completion of %s, written by `%s --bash-completion` from its options\n", command,
		command);
	sb_addf(&sb, "%s()\n{\n", fn.buf);
	sb_add(&sb, "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
		    "\tCOMPREPLY=()\n"
		    "\t# bash splits \"--opt=value\" at '=' (COMP_WORDBREAKS)\n"
		    "\tif [[ $cur == = ]]; then\n"
		    "\t\tcur=\n"
		    "\telif [[ $prev == = && $COMP_CWORD -gt 1 ]]; then\n"
		    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
		    "\tfi\n"
		    "\tcase $prev in\n");
	for (int i = 0; (o = argp_opt_at(i)); i++) {
		if (value_class(o) != VALUE_WORDS || !offered(o))
			continue;
		sb_add(&sb, "\t");
		add_spellings(&sb, o);
		sb_add(&sb, ")\n\t\tCOMPREPLY=($(compgen -W ");
		add_choices(&sb, o);
		sb_add(&sb, " -- \"$cur\"))\n\t\treturn 0 ;;\n");
	}
	sb_add(&sb, "\t");
	if (add_class_pattern(&sb, VALUE_IFNAME))
		sb_add(&sb,
		       ")\n"
		       "\t\t# one name, or the next of a comma-separated list\n"
		       "\t\tlocal head=\n"
		       "\t\t[[ $cur == *,* ]] && head=${cur%,*},\n"
		       "\t\tCOMPREPLY=($(compgen -P \"$head\" -W \"$(ls /sys/class/net 2>/dev/null)\" -- "
		       "\"${cur##*,}\"))\n"
		       "\t\treturn 0 ;;\n\t");
	if (add_class_pattern(&sb, VALUE_FILE))
		sb_add(&sb, ")\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn 0 ;;\n\t");
	if (add_class_pattern(&sb, VALUE_OTHER))
		sb_add(&sb, ")\n\t\treturn 0 ;;\n\t");
	sb_add(&sb, "esac\n");
	sb_add(&sb, "\tif [[ -z $cur || $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W ");
	add_quoted(&sb, longs.buf ? longs.buf : "");
	sb_add(&sb, " -- \"$cur\"))\n\tfi\n\treturn 0\n}\n");
	sb_addf(&sb, "complete -F %s %s\n", fn.buf, command);
	fputs(sb.buf, f);
	fflush(f);
	sb_free(&sb);
	sb_free(&fn);
	sb_free(&longs);
}
