/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON writer: every --json line is built through it, so output is always valid.
 * Usage: json_begin(&j, stdout); json_obj(&j, NULL); json_str(&j, "k", "v"); json_end_obj(&j);
 * json_finish(&j) writes the newline that ends one record.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_begin(struct json *j, FILE *f);
/* Opens an object; key is NULL at top level and inside arrays. */
void json_obj(struct json *j, const char *key);
void json_end_obj(struct json *j);
void json_arr(struct json *j, const char *key);
void json_end_arr(struct json *j);
/* Writes a string (NULL: ""); ill-formed UTF-8 becomes U+FFFD, so the record stays valid JSON. */
void json_str(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* An array of the n strings items (empty if n <= 0), e.g. a stack's frames. */
void json_str_array(struct json *j, const char *key, const char *const *items, int n);
/* Ends the record with a newline and flushes. */
void json_finish(struct json *j);
