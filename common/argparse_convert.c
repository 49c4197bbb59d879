// SPDX-License-Identifier: GPL-2.0-only
/* Option values: Python's number literals, seconds, addresses and choices, checked and stored. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "argparse_internal.h"
#include "filter.h"
#include "strbuf.h"

/*
 * Copies the text of a Python number literal without surrounding whitespace and without the
 * underscores allowed between digits; false if it does not fit.
 */
static bool number_text(const char *text, char *clean, size_t size)
{
	size_t n = 0;
	const char *s = text;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s; s++) {
		if (*s == '_' && n && isdigit((unsigned char)clean[n - 1]) && isdigit((unsigned char)s[1]))
			continue;
		if (n == size - 1)
			return false;
		clean[n++] = *s;
	}
	clean[n] = 0;
	while (n && isspace((unsigned char)clean[n - 1]))
		clean[--n] = 0;
	return n > 0;
}

/* Python's int(): optional surrounding whitespace, sign, digits and single underscores. */
static bool parse_int(const char *text, long *out)
{
	char clean[64], *end;

	if (!number_text(text, clean, sizeof(clean)))
		return false;
	if (!(isdigit((unsigned char)clean[0]) ||
	      ((clean[0] == '-' || clean[0] == '+') && isdigit((unsigned char)clean[1]))))
		return false;
	errno = 0;
	*out = strtol(clean, &end, 10);
	return !*end && errno != ERANGE;
}

/* Python's float(): decimal or exponent notation, inf and nan; no hexadecimal. */
static bool parse_float(const char *text, double *out)
{
	char clean[64], *end;

	if (!number_text(text, clean, sizeof(clean)) || strpbrk(clean, "xX"))
		return false;
	*out = strtod(clean, &end);
	return !*end;
}

static void store_seconds(const struct arg_opt *o, const char *label, const char *val)
{
	double v;
	long whole;

	if (o->flags & ARG_WHOLE) {
		if (!parse_int(val, &whole))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		v = (double)whole;
	} else if (!parse_float(val, &v) || !isfinite(v)) {
		arg_fail("argument %s: invalid float value: '%s'", label, arg_shown(val));
	}
	if ((v < ARG_SECONDS_MIN || v > ARG_SECONDS_MAX) && !(v == 0 && (o->flags & ARG_ZERO_OFF)))
		arg_fail("argument %s: invalid value: %s (must be %sbetween %g and %.0f seconds)", label,
			 arg_shown(val), o->flags & ARG_ZERO_OFF ? "0 for no limit or " : "", ARG_SECONDS_MIN,
			 ARG_SECONDS_MAX);
	*o->dest.f = v;
}

static void store_ipv4(const struct arg_opt *o, const char *label, const char *val)
{
	struct ip_addr a;

	/* inet_pton takes only the dotted quad: "10.1" and "1.2.3" are errors, not 10.0.0.1 or 1.2.0.3. */
	if (!ip_parse(val, &a))
		arg_fail("argument %s: invalid IPv4 address: '%s'", label, arg_shown(val));
	if (a.family != 4)
		arg_fail("argument %s: expected an IPv4 address: '%s'", label, arg_shown(val));
	memcpy(o->dest.ipv4, a.bytes, 4);
}

/* The index of val among the option's choices (exact words only); exits 2 listing them if none. */
static int choice_index(const struct arg_opt *o, const char *label, const char *val)
{
	struct strbuf sb = { 0 };

	for (int i = 0; o->choices[i]; i++)
		if (!strcmp(o->choices[i], val))
			return i;
	for (int i = 0; o->choices[i]; i++)
		sb_addf(&sb, "%s'%s'", i ? ", " : "", o->choices[i]);
	arg_fail("argument %s: invalid choice: '%s' (choose from %s)", label, arg_shown(val), sb.buf);
}

/* Converts and checks val by the option's kind into its destination; exits 2 naming label if bad. */
void argp_store_value(const struct arg_opt *o, const char *label, const char *val)
{
	long v;
	double d;

	switch (o->kind) {
	case ARG_INT:
		if (!parse_int(val, &v))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		if (v < o->min || v > o->max || v < INT_MIN || v > INT_MAX)
			arg_fail("argument %s: invalid value: %ld (must be between %.0f and %.0f)", label, v,
				 o->min, o->max);
		*o->dest.i = (int)v;
		break;
	case ARG_FLOAT:
		if (!parse_float(val, &d) || !isfinite(d))
			arg_fail("argument %s: invalid float value: '%s'", label, arg_shown(val));
		if (d < o->min || d > o->max)
			arg_fail("argument %s: invalid value: %s (must be between %g and %g)", label,
				 arg_shown(val), o->min, o->max);
		*o->dest.f = d;
		break;
	case ARG_SECONDS:
		store_seconds(o, label, val);
		break;
	case ARG_ENUM:
		*o->dest.i = choice_index(o, label, val);
		break;
	case ARG_IPV4:
		store_ipv4(o, label, val);
		break;
	case ARG_IP:
		if (!ip_parse(val, o->dest.ip))
			arg_fail("argument %s: invalid IP address: '%s'", label, arg_shown(val));
		break;
	case ARG_PORT:
		if (!parse_int(val, &v))
			arg_fail("argument %s: invalid int value: '%s'", label, arg_shown(val));
		if (v < 0 || v > 65535)
			arg_fail("argument %s: invalid port: %ld (must be between 0 and 65535)", label, v);
		*o->dest.port = (uint16_t)v;
		break;
	case ARG_IFNAME:
		if (!*val)
			arg_fail("argument %s: empty interface name", label);
		if (strlen(val) >= IFNAMSIZ)
			arg_fail("argument %s: interface name '%s' too long (max %d characters)", label,
				 arg_shown(val), IFNAMSIZ - 1);
		*o->dest.s = val;
		break;
	case ARG_PROTO: {
		int p;

		if (o->choices)
			choice_index(o, label, val);
		p = l4proto_parse(val);
		if (p < 0)
			arg_fail("argument %s: invalid protocol: '%s' (use tcp, udp, icmp or a number 0-255)",
				 label, arg_shown(val));
		*o->dest.proto = (uint8_t)p;
		break;
	}
	default:
		*o->dest.s = val;
		break;
	}
}
