// SPDX-License-Identifier: GPL-2.0-only
#include "json.h"
#include "output.h"

#include <math.h>
#include <string.h>

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 with *bad set to the bytes of the ill-formed prefix that one
 * U+FFFD stands for (the "maximal subpart" of Unicode's recommended practice).
 */
static size_t utf8_sequence(const unsigned char *p, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		n = 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			break;
		lo = 0x80;
		hi = 0xbf;
	}
	if (n && i == n)
		return n;
	*bad = i;
	return 0;
}

static void put_ascii(FILE *f, unsigned char c)
{
	/* The characters JSON escapes with a letter, and those letters. */
	static const char escaped[] = "\"\\\n\t\r", letter[] = "\"\\ntr";
	const char *e = c ? strchr(escaped, c) : NULL;

	if (e)
		fprintf(f, "\\%c", letter[e - escaped]);
	else if (c < 0x20 || c == 0x7f)
		fprintf(f, "\\u%04x", c);
	else
		fputc(c, f);
}

/* Writes s quoted: control characters escaped, ill-formed UTF-8 replaced by U+FFFD. */
static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = 1, bad = 1;

		if (*p < 0x80) {
			put_ascii(f, *p);
		} else if ((n = utf8_sequence(p, &bad))) {
			fwrite(p, 1, n, f);
		} else {
			fputs("\\ufffd", f);
			n = bad;
		}
		p += n;
	}
	fputc('"', f);
}

static void member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		put_string(j->f, key);
		fputc(':', j->f);
	}
}

static void open_scope(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_scope(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_obj(struct json *j, const char *key)
{
	open_scope(j, key, '{');
}

void json_end_obj(struct json *j)
{
	close_scope(j, '}');
}

void json_arr(struct json *j, const char *key)
{
	open_scope(j, key, '[');
}

void json_end_arr(struct json *j)
{
	close_scope(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	put_string(j->f, val ? val : "");
}

void json_int(struct json *j, const char *key, int64_t val)
{
	member(j, key);
	fprintf(j->f, "%lld", (long long)val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

void json_double(struct json *j, const char *key, double val)
{
	member(j, key);
	if (isfinite(val))
		fprintf(j->f, "%.6g", val);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void json_str_array(struct json *j, const char *key, const char *const *items, int n)
{
	json_arr(j, key);
	for (int i = 0; i < n; i++)
		json_str(j, NULL, items[i]);
	json_end_arr(j);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
	if (j->f != stdout)
		fflush(j->f);
	else
		output_event_end();
	j->depth = 0;
	j->need_comma[0] = false;
}
