// SPDX-License-Identifier: GPL-2.0-only
#include "shellwords.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"

static void push_word(struct shell_words *w, struct strbuf *word)
{
	char **argv = realloc(w->argv, (size_t)(w->argc + 2) * sizeof(*argv));

	if (!argv)
		die("out of memory");
	w->argv = argv;
	w->argv[w->argc++] = word->buf; /* never NULL: every way into a word allocates it */
	w->argv[w->argc] = NULL;
	*word = (struct strbuf){ 0 };
}

static void add_char(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

int shell_split(const char *text, struct shell_words *out, const char **error)
{
	struct strbuf word = { 0 };
	bool in_word = false;
	const char *p = text;

	*out = (struct shell_words){ 0 };
	while (*p) {
		char c = *p++;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				push_word(out, &word);
			in_word = false;
			continue;
		}
		in_word = true;
		if (c == '\\') {
			if (!*p) {
				*error = "No escaped character";
				goto fail;
			}
			add_char(&word, *p++);
		} else if (c == '\'') {
			const char *end = strchr(p, '\'');

			if (!end) {
				*error = "No closing quotation";
				goto fail;
			}
			sb_addf(&word, "%.*s", (int)(end - p), p);
			p = end + 1;
		} else if (c == '"') {
			if (!word.buf)
				sb_add(&word, "");
			for (;; p++) {
				if (!*p) {
					*error = "No closing quotation";
					goto fail;
				}
				if (*p == '"')
					break;
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				add_char(&word, *p);
			}
			p++;
		} else {
			add_char(&word, c);
		}
	}
	if (in_word)
		push_word(out, &word);
	if (!out->argv) {
		out->argv = calloc(1, sizeof(*out->argv));
		if (!out->argv)
			die("out of memory");
	}
	return 0;
fail:
	sb_free(&word);
	shell_words_free(out);
	return -1;
}

void shell_words_free(struct shell_words *w)
{
	for (int i = 0; i < w->argc; i++)
		free(w->argv[i]);
	free(w->argv);
	*w = (struct shell_words){ 0 };
}

static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_", *s))
			return true;
	return false;
}

char *shell_join(char *const *argv)
{
	struct strbuf sb = { 0 };

	for (int i = 0; argv[i]; i++) {
		if (i)
			sb_add(&sb, " ");
		if (!needs_quotes(argv[i])) {
			sb_add(&sb, argv[i]);
			continue;
		}
		sb_add(&sb, "'");
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'')
				sb_add(&sb, "'\"'\"'");
			else
				add_char(&sb, *c);
		}
		sb_add(&sb, "'");
	}
	if (!sb.buf)
		sb_add(&sb, "");
	return sb.buf;
}
