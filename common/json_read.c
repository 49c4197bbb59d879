// SPDX-License-Identifier: GPL-2.0-only
#include "json_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"

#define JV_MAX_DEPTH 64

struct reader {
	const char *p;
	int line, col;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "line %d, column %d: %s", r->line, r->col, msg);
}

static void advance(struct reader *r)
{
	if (*r->p == '\n') {
		r->line++;
		r->col = 1;
	} else {
		r->col++;
	}
	r->p++;
}

static void skip_space(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		advance(r);
}

/* What is at the cursor, for messages: "'x'" or "the end of the file". */
static const char *here(const struct reader *r, char *buf, size_t len)
{
	unsigned char c = (unsigned char)*r->p;

	if (!c)
		return "the end of the file";
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, len, "byte 0x%02x", c);
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

static void expected(struct reader *r, const char *what)
{
	char buf[16];

	fail(r, "expected %s, found %s", what, here(r, buf, sizeof(buf)));
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory");
	return q;
}

static void put_utf8(struct strbuf *out, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		sb_addn(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		sb_addn(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		sb_addn(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		sb_addn(out, b, 4);
	}
}

static bool hex4(struct reader *r, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = *r->p;
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (d < 0) {
			expected(r, "4 hex digits after \\u");
			return false;
		}
		*v = *v << 4 | (uint32_t)d;
		advance(r);
	}
	return true;
}

static bool escape(struct reader *r, uint32_t *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = *r->p ? strchr(from, *r->p) : NULL;
	uint32_t lo;

	if (k) {
		*cp = (unsigned char)to[k - from];
		advance(r);
		return true;
	}
	if (*r->p != 'u') {
		expected(r, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
		return false;
	}
	advance(r);
	if (!hex4(r, cp))
		return false;
	if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
		fail(r, "unpaired UTF-16 surrogate \\u%04X", *cp);
		return false;
	}
	if (*cp < 0xD800 || *cp > 0xDBFF)
		return true;
	if (r->p[0] != '\\' || r->p[1] != 'u') {
		fail(r, "unpaired UTF-16 surrogate \\u%04X", *cp);
		return false;
	}
	advance(r);
	advance(r);
	if (!hex4(r, &lo))
		return false;
	if (lo < 0xDC00 || lo > 0xDFFF) {
		fail(r, "unpaired UTF-16 surrogate \\u%04X", *cp);
		return false;
	}
	*cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
	return true;
}

static char *parse_string(struct reader *r)
{
	struct strbuf out = { 0 };

	sb_add(&out, ""); /* "" is a string too */
	advance(r); /* the opening quote */
	while (*r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		uint32_t cp;

		if (!c) {
			fail(r, "unterminated string");
			break;
		}
		if (c < 0x20) {
			fail(r, "control character 0x%02x in a string (write it as an escape)", c);
			break;
		}
		if (c == '\\') {
			advance(r);
			if (!escape(r, &cp))
				break;
			if (!cp) {
				fail(r, "\\u0000 is not allowed in a string");
				break;
			}
			put_utf8(&out, cp);
			continue;
		}
		sb_addn(&out, r->p, 1); /* UTF-8 passes through as it is */
		advance(r);
	}
	if (r->failed) {
		sb_free(&out);
		return NULL;
	}
	advance(r); /* the closing quote */
	return out.buf;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Consumes one or more digits; false (after reporting what was expecting) if there is none. */
static bool digits(struct reader *r, const char *expecting)
{
	if (!is_digit(*r->p)) {
		expected(r, expecting);
		return false;
	}
	while (is_digit(*r->p))
		advance(r);
	return true;
}

static void parse_number(struct reader *r, struct jv *v)
{
	const char *start = r->p;
	bool integral = true;

	if (*r->p == '-')
		advance(r);
	if (*r->p == '0') {
		advance(r);
		if (is_digit(*r->p)) {
			fail(r, "numbers must not have leading zeros");
			return;
		}
	} else if (is_digit(*r->p)) {
		while (is_digit(*r->p))
			advance(r);
	} else {
		expected(r, "a digit");
		return;
	}
	if (*r->p == '.') {
		integral = false;
		advance(r);
		if (!digits(r, "a digit after the decimal point"))
			return;
	}
	if (*r->p == 'e' || *r->p == 'E') {
		integral = false;
		advance(r);
		if (*r->p == '+' || *r->p == '-')
			advance(r);
		if (!digits(r, "a digit in the exponent"))
			return;
	}
	v->kind = JV_NUMBER;
	v->text = strndup(start, (size_t)(r->p - start));
	if (!v->text)
		abort();
	v->number = strtod(v->text, NULL);
	if (integral) {
		errno = 0;
		v->integer = strtoll(v->text, NULL, 10);
		v->is_int = errno == 0;
	}
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(r->p, word, n))
		return false;
	for (size_t i = 0; i < n; i++)
		advance(r);
	return true;
}

static void parse_value(struct reader *r, struct jv *v, int depth);

/* At an opening bracket: consumes it, and the closing one if the container is empty (then true). */
static bool open_container(struct reader *r, char close)
{
	advance(r);
	skip_space(r);
	if (*r->p != close)
		return false;
	advance(r);
	return true;
}

/* After an item: consumes ',' (true: another item follows) or the closing bracket (false). */
static bool next_item(struct reader *r, char close, const char *expecting)
{
	if (r->failed)
		return false;
	skip_space(r);
	if (*r->p == close) {
		advance(r);
		return false;
	}
	if (*r->p != ',') {
		expected(r, expecting);
		return false;
	}
	advance(r);
	return true;
}

/* Appends a null item to the container v. */
static struct jv *add_item(struct jv *v)
{
	v->items = xrealloc(v->items, (v->n + 1) * sizeof(*v->items));
	memset(&v->items[v->n], 0, sizeof(*v->items));
	return &v->items[v->n++];
}

static void parse_array(struct reader *r, struct jv *v, int depth)
{
	v->kind = JV_ARRAY;
	if (open_container(r, ']'))
		return;
	do
		parse_value(r, add_item(v), depth + 1);
	while (next_item(r, ']', "',' or ']'"));
}

static void parse_object(struct reader *r, struct jv *v, int depth)
{
	v->kind = JV_OBJECT;
	if (open_container(r, '}'))
		return;
	do {
		struct jv *item;
		char *key;

		skip_space(r);
		if (*r->p != '"') {
			expected(r, "a member name in double quotes");
			return;
		}
		key = parse_string(r);
		if (!key)
			return;
		v->keys = xrealloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		v->keys[v->n] = key;
		item = add_item(v);
		skip_space(r);
		if (*r->p != ':') {
			expected(r, "':' after the member name");
			return;
		}
		advance(r);
		parse_value(r, item, depth + 1);
	} while (next_item(r, '}', "',' or '}'"));
}

static void parse_value(struct reader *r, struct jv *v, int depth)
{
	const char *start;

	skip_space(r);
	start = r->p;
	v->line = r->line;
	v->col = r->col;
	if (depth > JV_MAX_DEPTH) {
		fail(r, "nested deeper than %d levels", JV_MAX_DEPTH);
		return;
	}
	switch (*r->p) {
	case '{':
		parse_object(r, v, depth);
		return;
	case '[':
		parse_array(r, v, depth);
		return;
	case '"':
		v->kind = JV_STRING;
		v->text = parse_string(r);
		return;
	case 't':
	case 'f':
	case 'n':
		if (literal(r, "true") || literal(r, "false")) {
			v->kind = JV_BOOL;
			v->boolean = *start == 't';
			return;
		}
		if (literal(r, "null")) {
			v->kind = JV_NULL;
			return;
		}
		break;
	default:
		if (*r->p == '-' || is_digit(*r->p)) {
			parse_number(r, v);
			return;
		}
	}
	expected(r, "a value (object, array, string, number, true, false or null)");
}

struct jv *jv_parse(const char *text, char *err, size_t errlen)
{
	struct reader r = { .p = text, .line = 1, .col = 1, .err = err, .errlen = errlen };
	struct jv *v = calloc(1, sizeof(*v));

	if (!v)
		abort();
	if (errlen)
		err[0] = 0;
	if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
	    (unsigned char)text[2] == 0xBF)
		fail(&r, "the file starts with a UTF-8 byte order mark");
	else
		parse_value(&r, v, 0);
	if (!r.failed) {
		skip_space(&r);
		if (*r.p)
			expected(&r, "the end of the file after the top-level value");
	}
	if (r.failed) {
		jv_free(v);
		return NULL;
	}
	return v;
}

static void jv_clear(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jv_clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	jv_clear(v);
	free(v);
}

char *jv_read_text(const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;

	if (!f) {
		sb_addf(err, "%s", strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
		buf[n] = 0;
		if (strlen(buf) != n) {
			sb_add(err, "the file contains a NUL byte (not a JSON text file)");
			break;
		}
		sb_add(&sb, buf);
	}
	if (ferror(f) && !err->len)
		sb_addf(err, "%s", strerror(errno));
	fclose(f);
	if (err->len) {
		sb_free(&sb);
		return NULL;
	}
	return sb.buf ? sb.buf : strdup("");
}
