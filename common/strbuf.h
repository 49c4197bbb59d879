/* SPDX-License-Identifier: GPL-2.0-only */
/* A growable string: zero-initialise, append, read .buf, sb_free. */
#pragma once
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

/* Append a string. */
void sb_add(struct strbuf *sb, const char *s);
/* Append n bytes (no NUL among them). */
void sb_addn(struct strbuf *sb, const char *s, size_t n);
/* Append printf-formatted text. */
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Release the buffer and reset to empty. */
void sb_free(struct strbuf *sb);
