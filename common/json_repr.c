// SPDX-License-Identifier: GPL-2.0-only
/* Parsed JSON values as Python shows them: kind names and repr(). */
#include "json_read.h"

#include <string.h>

#include "strbuf.h"

const char *jv_kind_name(enum jv_kind kind)
{
	static const char *const names[] = { "null",     "a boolean", "a number",
					     "a string", "an array",  "an object" };

	return names[kind];
}

static void py_repr_str(struct strbuf *sb, const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';

	sb_addf(sb, "%c", q);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == (unsigned char)q)
			sb_addf(sb, "\\%c", c);
		else if (c == '\n')
			sb_add(sb, "\\n");
		else if (c == '\r')
			sb_add(sb, "\\r");
		else if (c == '\t')
			sb_add(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addf(sb, "%c", c);
	}
	sb_addf(sb, "%c", q);
}

void jv_python_repr(struct strbuf *sb, const struct jv *v)
{
	switch (v->kind) {
	case JV_NULL:
		sb_add(sb, "None");
		break;
	case JV_BOOL:
		sb_add(sb, v->boolean ? "True" : "False");
		break;
	case JV_NUMBER:
		sb_add(sb, v->text);
		break;
	case JV_STRING:
		py_repr_str(sb, v->text);
		break;
	case JV_ARRAY:
	case JV_OBJECT:
		sb_add(sb, v->kind == JV_ARRAY ? "[" : "{");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_add(sb, ", ");
			if (v->kind == JV_OBJECT) {
				py_repr_str(sb, v->keys[i]);
				sb_add(sb, ": ");
			}
			jv_python_repr(sb, &v->items[i]);
		}
		sb_add(sb, v->kind == JV_ARRAY ? "]" : "}");
		break;
	}
}
