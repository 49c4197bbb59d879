/* SPDX-License-Identifier: GPL-2.0-only */
/* Splitting a command line into words the way Python's shlex.split() does (POSIX rules). */
#pragma once

struct shell_words {
	char **argv; /* argc words and a terminating NULL */
	int argc;
};

/*
 * Splits text into words: blanks separate words, '...' keeps everything literally, "..."
 * keeps everything but lets a backslash escape " and \, a backslash outside quotes escapes
 * the next character. Returns 0, or -1 with *error set to shlex's message ("No closing
 * quotation", "No escaped character").
 */
int shell_split(const char *text, struct shell_words *out, const char **error);
void shell_words_free(struct shell_words *w);
/* The words joined with single spaces, each quoted only if it needs to be (shlex.join). */
char *shell_join(char *const *argv);
