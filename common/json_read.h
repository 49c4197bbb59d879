/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small strict JSON reader (RFC 8259: no comments, no trailing commas, one value per
 * document) that parses a whole text into a tree, for configuration files the tools accept.
 * Errors name the line and column and what was expected there.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

enum jv_kind { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_kind kind;
	int line, col; /* where the value starts, 1-based */
	bool boolean;
	bool is_int; /* JV_NUMBER written without fraction or exponent, fits long long */
	long long integer;
	double number;
	char *text; /* JV_STRING: the decoded UTF-8; JV_NUMBER: the literal */
	size_t n; /* JV_ARRAY elements, JV_OBJECT members */
	struct jv *items; /* elements, or member values */
	char **keys; /* JV_OBJECT member names, in document order */
};

/* Parses text; NULL on error with "line L, column C: <problem>" in err. */
struct jv *jv_parse(const char *text, char *err, size_t errlen);
void jv_free(struct jv *v);
/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *jv_kind_name(enum jv_kind kind);

struct strbuf;
/*
 * Appends v as Python prints it: dicts in document order, 'strings', None, True, False
 * (numbers as written).
 */
void jv_python_repr(struct strbuf *sb, const struct jv *v);
/* Reads a whole text file (malloc'ed); NULL with the reason in err (unreadable, NUL bytes). */
char *jv_read_text(const char *path, struct strbuf *err);
