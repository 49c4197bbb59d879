// SPDX-License-Identifier: GPL-2.0-only
/* trace_conntrack's --filters-file: a JSON array of rules, read into ct_file_rule. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "json_read.h"
#include "strbuf.h"
#include "trace_conntrack.h"

/* "" and "0.0.0.0" mean any address, as in the original. */
static bool ipv4_rule_value(const char *text, __u32 *out)
{
	struct in_addr a;

	*out = 0;
	if (!text || !*text)
		return true;
	if (inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = a.s_addr;
	return true;
}

static bool rule_port(const struct jv *v, __u16 *out)
{
	char *end;
	long p;

	if (v->kind == JV_NUMBER) {
		if (!v->is_int || v->integer < 0 || v->integer > 65535)
			return false;
		*out = (__u16)v->integer;
		return true;
	}
	if (v->kind != JV_STRING || !*v->text || strspn(v->text, "0123456789") != strlen(v->text))
		return false;
	p = strtol(v->text, &end, 10);
	if (p > 65535)
		return false;
	*out = (__u16)p;
	return true;
}

static bool rule_member(const char *key, const struct jv *v, struct pkt_filter *r, struct strbuf *err)
{
	if (!strcmp(key, "src_ip") || !strcmp(key, "dst_ip")) {
		__u32 *addr = key[0] == 's' ? &r->saddr[0] : &r->daddr[0];

		if (v->kind != JV_NULL && v->kind != JV_STRING) {
			sb_addf(err, "%s must be a string, not %s", key, jv_kind_name(v->kind));
			return false;
		}
		if (!ipv4_rule_value(v->kind == JV_STRING ? v->text : NULL, addr)) {
			sb_addf(err, "%s: invalid IPv4 address '%s'", key, v->text);
			return false;
		}
		return true;
	}
	if (!strcmp(key, "protocol")) {
		int p = v->kind == JV_NULL ? 0 : v->kind == JV_STRING ? ct_protocol_number(v->text) : -2;

		if (p == -2)
			sb_addf(err, "protocol must be a string, not %s", jv_kind_name(v->kind));
		else if (p < 0)
			sb_addf(err, "protocol: unknown protocol '%s' (use all, icmp, tcp or udp)", v->text);
		else
			r->l4proto = (__u8)p;
		return p >= 0;
	}
	if (!strcmp(key, "src_port") || !strcmp(key, "dst_port")) {
		if (!rule_port(v, key[0] == 's' ? &r->sport : &r->dport)) {
			sb_addf(err, "%s must be an integer from 0 to 65535", key);
			return false;
		}
		return true;
	}
	sb_addf(err, "unknown key '%s' (use src_ip, dst_ip, protocol, src_port, dst_port)", key);
	return false;
}

static bool parse_rule(const struct jv *obj, int index, struct ct_file_rule *out, struct strbuf *err)
{
	struct strbuf why = { 0 };
	struct strbuf repr = { 0 };

	memset(out, 0, sizeof(*out));
	if (obj->kind != JV_OBJECT) {
		sb_addf(err, "line %d, column %d: rule %d is %s, expected an object", obj->line, obj->col,
			index, jv_kind_name(obj->kind));
		return false;
	}
	for (size_t i = 0; i < obj->n; i++) {
		const struct jv *v = &obj->items[i];

		for (size_t k = 0; k < i; k++) {
			if (!strcmp(obj->keys[k], obj->keys[i])) {
				sb_addf(&why, "key '%s' appears twice", obj->keys[i]);
				break;
			}
		}
		if (why.len || !rule_member(obj->keys[i], v, &out->rule, &why)) {
			sb_addf(err, "line %d, column %d: rule %d: %s", v->line, v->col, index, why.buf);
			sb_free(&why);
			return false;
		}
	}
	out->rule = pkt_filter_ipv4(out->rule.saddr[0], out->rule.daddr[0], out->rule.sport, out->rule.dport,
				    out->rule.l4proto, CT_FILTER_FLAGS);
	jv_python_repr(&repr, obj);
	out->repr = repr.buf;
	return true;
}

int ct_filters_parse(const char *text, struct ct_file_rule *rules, int max, struct strbuf *err)
{
	char msg[256];
	struct jv *doc = jv_parse(text, msg, sizeof(msg));
	int n = 0;

	if (!doc) {
		sb_add(err, msg);
		return -1;
	}
	if (doc->kind != JV_ARRAY) {
		sb_addf(err, "the top level must be an array of rule objects, not %s",
			jv_kind_name(doc->kind));
	} else if (doc->n > (size_t)max) {
		sb_addf(err, "%zu rules; at most %d are supported", doc->n, max);
	} else {
		for (; n < (int)doc->n; n++) {
			if (!parse_rule(&doc->items[n], n + 1, &rules[n], err)) {
				ct_file_rules_free(rules, n);
				break;
			}
		}
	}
	if (err->len)
		n = -1;
	jv_free(doc);
	return n;
}

void ct_file_rules_free(struct ct_file_rule *rules, int n)
{
	for (int i = 0; i < n; i++) {
		free(rules[i].repr);
		rules[i].repr = NULL;
	}
}
