// SPDX-License-Identifier: GPL-2.0-only
/* trace_conntrack: per-packet view of skb->_nfct and the conntrack entry behind it. */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "json_read.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "stack.h"
#include "strbuf.h"
#include "timefmt.h"
#include "trace_conntrack.h"
#include "trace_conntrack.skel.h"
#include "util.h"

#define SEPARATOR "--------------------------------------------------------------------------------"
#define IPS_TEMPLATE (1ULL << 11)

static struct {
	uint32_t src_ip, dst_ip;	/* network order; 0 = any */
	uint16_t src_port, dst_port;
	const char *protocol, *filters_file, *stack;
	double duration;
	bool rel_time;
} opt = { .protocol = "all", .stack = "true" };

static const char *const proto_choices[] = { "all", "icmp", "tcp", "udp", NULL };

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip, "source IPv4 address filter (the connection's other direction is shown too)"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "destination IPv4 address filter"),
	OPT_CHOICE("protocol", 0, &opt.protocol, proto_choices, "L4 protocol filter"),
	OPT_PORT("src-port", 0, &opt.src_port, "TCP/UDP source port filter (0 = any)"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "TCP/UDP destination port filter (0 = any)"),
	OPT_FLAG("rel-time", 0, &opt.rel_time, "print seconds since the first event instead of the date and time"),
	OPT_STR("filters-file", 0, &opt.filters_file,
		"JSON array of filter rules (src_ip, dst_ip, protocol, src_port, dst_port); an event is "
		"shown if any rule matches it; the other filter options are then ignored",
		.metavar = "FILTERS_FILE"),
	OPT_STR("stack", 0, &opt.stack, "'true' prints the kernel stack of every event; any other value turns it off",
		.metavar = "STACK"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_conntrack",
	.description = "Trace skb->_nfct pointer value, filtering by network properties (adaptive "
		       "kernel version).",
	.epilog = "examples:\n"
		  "  trace_conntrack --src-ip 10.132.114.11 --dst-ip 10.132.114.12 --protocol tcp\n"
		  "  trace_conntrack --src-ip 192.168.1.100 --protocol tcp --rel-time\n"
		  "  trace_conntrack --filters-file /path/to/filters.json --stack true",
	.opts = options,
};

/* ---- filters file ---- */

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

static int protocol_number(const char *name)
{
	static const int numbers[] = { 0, 1, 6, 17 };	/* in the order of proto_choices */

	for (int i = 0; proto_choices[i]; i++)
		if (!strcasecmp(name, proto_choices[i]))
			return numbers[i];
	return -1;
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
		int p = v->kind == JV_NULL ? 0 : v->kind == JV_STRING ? protocol_number(v->text) : -2;

		if (p == -2)
			sb_addf(err, "protocol must be a string, not %s", jv_kind_name(v->kind));
		else if (p < 0)
			sb_addf(err, "protocol: unknown protocol '%s' (use all, icmp, tcp or udp)",
				v->text);
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

/* ---- names ---- */

const char *ct_ctinfo_name(unsigned ctinfo)
{
	switch (ctinfo) {
	case 0:
		return "IP_CT_ESTABLISHED";
	case 1:
		return "IP_CT_RELATED";
	case 2:
		return "IP_CT_NEW";
	case 3:
		return "IP_CT_ESTABLISHED_REPLY";
	case 4:
		return "IP_CT_RELATED_REPLY";
	case 7:
		return "IP_CT_UNTRACKED";
	}
	return NULL;
}

const char *ct_status_flags(__u64 status, char *buf, size_t len)
{
	static const char *const bits[] = {
		"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", "SEQ_ADJUST",
		"SRC_NAT_DONE", "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT", "TEMPLATE", "NAT_CLASH",
		"HELPER", "OFFLOAD", "HW_OFFLOAD",
	};
	size_t used = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < 64 && used < len; i++) {
		char other[16];
		const char *name = other;

		if (!(status & (1ULL << i)))
			continue;
		if (i < ARRAY_SIZE(bits))
			name = bits[i];
		else
			snprintf(other, sizeof(other), "BIT%u", i);
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "", name);
	}
	return buf;
}

static const char *u8_sentinel(__u8 v)
{
	switch (v) {
	case CT_U8_INIT:
		return "N/A(Init)";
	case CT_U8_READ_FAIL:
		return "N/A(ReadFail)";
	case CT_U8_NO_CFG:
		return "N/A(NoCfg)";
	}
	return NULL;
}

const char *ct_zone_dir_text(__u8 dir, char *buf, size_t len)
{
	static const char *const names[] = { "NONE", "ORIG", "REPLY", "ORIG|REPLY" };
	const char *na = u8_sentinel(dir);

	if (na)
		snprintf(buf, len, "%s", na);
	else if (dir < 4)
		snprintf(buf, len, "%u(%s)", dir, names[dir]);
	else
		snprintf(buf, len, "%u", dir);
	return buf;
}

static const char *zone_id_text(__u16 id, bool skb, char *buf, size_t len)
{
	if (id == CT_U16_INIT)
		return "N/A(Init)";
	if (id == CT_U16_READ_FAIL)
		return "N/A(ReadFail)";
	if (skb && id == 0)
		return "0(KernelDefaultZone)";
	snprintf(buf, len, "%u", id);
	return buf;
}

static const char *tcp_state_name(__u8 s, char *buf, size_t len)
{
	static const char *const names[] = {
		NULL, "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
		"TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
		"TCP_LISTEN", "TCP_CLOSING", "TCP_NEW_SYN_RECV",
	};

	if (s < ARRAY_SIZE(names) && names[s])
		return names[s];
	snprintf(buf, len, "UNKNOWN_STATE(%u)", s);
	return buf;
}

static const char *tcp_flags_text(__u8 flags, char *buf, size_t len)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; i < 8; i++)
		if (flags & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "", names[i]);
	return buf;
}

static const char *probe_name(const struct ct_event *ev, const struct ct_print_opts *o, char *buf,
			      size_t len)
{
	switch (ev->probe_id) {
	case CT_PROBE_NF_CONNTRACK_IN:
		return "nf_conntrack_in";
	case CT_PROBE_OVS_CT_LOOKUP:
		return "__ovs_ct_lookup";
	case CT_PROBE_OVS_CT_UPDATE_KEY:
		return "ovs_ct_update_key";
	case CT_PROBE_REFRESH_ACCT:
		return "__nf_ct_refresh_acct";
	case CT_PROBE_TCP_PACKET:
		return o->func_name ? o->func_name : "nf_conntrack_tcp_packet";
	case CT_PROBE_TCP_PACKET_RET:
		return "tcp_packet_ret";
	case CT_PROBE_TCP_ERROR:
		return "tcp_error";
	case CT_PROBE_OVS_CT_EXECUTE:
		return "ovs_ct_execute";
	case CT_PROBE_NF_CT_DELETE:
		return "nf_ct_delete";
	}
	snprintf(buf, len, "Unknown Probe (%u)", ev->probe_id);
	return buf;
}

/* Why a status sentinel has no value ("Init/NULL", ...), or NULL for a real status. */
static const char *ct_status_missing(__u64 status)
{
	if (status == CT_STATUS_INIT)
		return "Init/NULL";
	if (status == CT_STATUS_READ_FAIL || status == CT_STATUS_FIELD_FAIL)
		return "ReadFail";
	if (status == CT_STATUS_MASKED_NULL)
		return "MaskedPtrNULL";
	if (status == CT_STATUS_NFCT_ZERO)
		return "_nfct=0";
	return NULL;
}

static const char *ct_status_text(__u64 status, char *buf, size_t len)
{
	const char *missing = ct_status_missing(status);

	if (missing)
		snprintf(buf, len, "N/A(%s)", missing);
	else
		snprintf(buf, len, "0x%llx(%s)", (unsigned long long)status,
			 status & IPS_TEMPLATE ? "TEMPLATE" : "NOT_TEMPLATE");
	return buf;
}

/* ---- event layout ---- */

static void print_packet(FILE *f, const struct ct_event *ev)
{
	char src[32], dst[32], pbuf[8], fl[48], st[32];
	const char *proto = l4proto_name(ev->protocol, pbuf, sizeof(pbuf));
	bool tcp = ev->protocol == 6;

	if (ev->is_return || ev->pkt_source == CT_PKT_NONE) {
		fprintf(f, "PKTINFO: (Pkt N/A)\n");
		return;
	}
	ipv4_format(ev->saddr, src, sizeof(src));
	ipv4_format(ev->daddr, dst, sizeof(dst));
	if ((tcp || ev->protocol == 17) && ev->sport)
		fprintf(f, "PKTINFO: %s:%u -> %s:%u (%s)", src, ev->sport, dst, ev->dport, proto);
	else
		fprintf(f, "PKTINFO: %s -> %s (%s)", src, dst, proto);
	if (ev->pkt_source == CT_PKT_TUPLE) {
		/* No packet at this probe point: the direction's tuple of the conntrack entry. */
		fprintf(f, " [conntrack tuple]\n");
		return;
	}
	fprintf(f, " IP_ID:0x%x", ev->ip_id);
	if (tcp)
		fprintf(f, " SEQ:%u ACK:%u FLAGS:[%s] [%s]", ev->seq, ev->ack,
			tcp_flags_text(ev->tcp_flags, fl, sizeof(fl)),
			tcp_state_name(ev->sk_state, st, sizeof(st)));
	fputc('\n', f);
}

static void print_ovs(FILE *f, const struct ct_event *ev)
{
	char dir[24], id[16];
	const char *commit = u8_sentinel(ev->ovs_commit);

	fprintf(f, "OVS_CT_INFO: OvsConInfoNFCT:");
	if (ev->ovs_ct == CT_U64_INIT)
		fprintf(f, "N/A(Init)");
	else if (ev->ovs_ct == CT_U64_READ_FAIL)
		fprintf(f, "N/A(ReadFail)");
	else
		fprintf(f, "0x%llx", (unsigned long long)ev->ovs_ct);
	if (commit)
		fprintf(f, " OvsCommit:%s", commit);
	else
		fprintf(f, " OvsCommit:%u", ev->ovs_commit);
	fprintf(f, " OvsZoneID:%s OvsZoneDir:%s\n", zone_id_text(ev->ovs_zone_id, false, id, sizeof(id)),
		ct_zone_dir_text(ev->ovs_zone_dir, dir, sizeof(dir)));
}

static void print_skb_ct(FILE *f, const struct ct_event *ev)
{
	char status[48], dir[24], id[24];
	const char *info = ct_ctinfo_name(ev->ctinfo);

	fprintf(f, "SKB_CT_INFO: CT_STATUS:%s", ct_status_text(ev->ct_status, status, sizeof(status)));
	if (ev->ctinfo == CT_CTINFO_NA)
		fprintf(f, " CTINFO:N/A");
	else
		fprintf(f, " CTINFO:%u(%s)", ev->ctinfo, info ? info : "UNKNOWN_VALUE");
	if (ev->nfct)
		fprintf(f, " NFCT_PTR:0x%llx", (unsigned long long)ev->nfct);
	else
		fprintf(f, " NFCT_PTR:NULL");
	fprintf(f, " SKBZoneID:%s SKBZoneDir:%s", zone_id_text(ev->zone_id, true, id, sizeof(id)),
		ct_zone_dir_text(ev->zone_dir, dir, sizeof(dir)));
	if (ev->label[0] == ~0ULL && ev->label[1] == ~0ULL)
		fprintf(f, " CT_LABEL:N/A\n");
	else
		fprintf(f, " CT_LABEL:0x%016llx%016llx\n", (unsigned long long)ev->label[0],
			(unsigned long long)ev->label[1]);
}

static void print_stack(FILE *f, const struct ct_event *ev, const char *const *frames, int n)
{
	if (ev->stack_id < 0) {
		fprintf(f, "  [Kernel Stack Trace Error: %d]\n", ev->stack_id);
		return;
	}
	if (n == -ENOENT) {
		fprintf(f, "  [WARN: Stack ID %d not found in stack_traces table]\n", ev->stack_id);
		return;
	}
	if (n < 0) {
		fprintf(f, "  [WARN: Error walking/resolving stack trace for stack_id %d: %s]\n",
			ev->stack_id, strerror(-n));
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "  %s\n", frames[i]);
}

void ct_print_event(FILE *f, const struct ct_event *ev, const char *time_text, double rel_s,
		    const char *const *frames, int nframes, const struct ct_print_opts *o)
{
	char name[32];

	if (o->rel_time)
		fprintf(f, "TIME(s): %-9.4f", rel_s);
	else
		fprintf(f, "DATETIME: %s", time_text);
	fprintf(f, " COMM: %-16s FUNC: %-25s", ev->comm, probe_name(ev, o, name, sizeof(name)));
	if (!ev->is_return && ev->ifindex) {
		if (ev->ifname[0])
			fprintf(f, " DEV: %.16s[%d]", ev->ifname, ev->ifindex);
		else
			fprintf(f, " DEV: ifidx=%d", ev->ifindex);
	}
	fputc('\n', f);
	print_packet(f, ev);
	if (ev->is_return)
		fprintf(f, "RET: %d\n", ev->retval);
	print_ovs(f, ev);
	print_skb_ct(f, ev);
	if (o->show_stack)
		print_stack(f, ev, frames, nframes);
	fprintf(f, "%s\n", SEPARATOR);
}

/* ---- JSON ---- */

static void json_u8_field(struct json *j, const char *key, __u8 v)
{
	if (u8_sentinel(v))
		json_null(j, key);
	else
		json_uint(j, key, v);
}

static void json_u16_field(struct json *j, const char *key, __u16 v)
{
	if (v == CT_U16_INIT || v == CT_U16_READ_FAIL)
		json_null(j, key);
	else
		json_uint(j, key, v);
}

static void json_hex(struct json *j, const char *key, __u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

static void json_packet(struct json *j, const struct ct_event *ev)
{
	char a[32], fl[48], st[32];

	if (ev->is_return || ev->pkt_source == CT_PKT_NONE) {
		json_null(j, "packet");
		return;
	}
	json_obj(j, "packet");
	json_str(j, "source", ev->pkt_source == CT_PKT_SKB ? "skb" : "conntrack");
	json_str(j, "src_ip", ipv4_format(ev->saddr, a, sizeof(a)));
	json_str(j, "dst_ip", ipv4_format(ev->daddr, a, sizeof(a)));
	json_uint(j, "protocol", ev->protocol);
	if (ev->protocol == 6 || ev->protocol == 17) {
		json_uint(j, "src_port", ev->sport);
		json_uint(j, "dst_port", ev->dport);
	}
	if (ev->pkt_source == CT_PKT_SKB) {
		json_uint(j, "ip_id", ev->ip_id);
		if (ev->protocol == 6) {
			json_uint(j, "seq", ev->seq);
			json_uint(j, "ack", ev->ack);
			json_str(j, "tcp_flags", tcp_flags_text(ev->tcp_flags, fl, sizeof(fl)));
			if (ev->sk_state == CT_SK_STATE_NONE)
				json_null(j, "sk_state");
			else
				json_str(j, "sk_state", tcp_state_name(ev->sk_state, st, sizeof(st)));
		}
	}
	json_end_obj(j);
}

static void json_ovs(struct json *j, const struct ct_event *ev)
{
	if (ev->ovs_ct == CT_U64_INIT) {
		json_null(j, "ovs");
		return;
	}
	json_obj(j, "ovs");
	if (ev->ovs_ct == CT_U64_READ_FAIL)
		json_null(j, "template_ct");
	else
		json_hex(j, "template_ct", ev->ovs_ct);
	json_u8_field(j, "commit", ev->ovs_commit);
	json_u16_field(j, "zone_id", ev->ovs_zone_id);
	json_u8_field(j, "zone_dir", ev->ovs_zone_dir);
	json_end_obj(j);
}

static void json_ct(struct json *j, const struct ct_event *ev)
{
	char buf[160];
	const char *info = ct_ctinfo_name(ev->ctinfo);

	const char *missing = ct_status_missing(ev->ct_status);

	json_obj(j, "ct");
	if (missing) {
		json_null(j, "status");
		json_null(j, "status_flags");
		json_str(j, "unavailable", missing);
	} else {
		json_uint(j, "status", ev->ct_status);
		json_str(j, "status_flags", ct_status_flags(ev->ct_status, buf, sizeof(buf)));
		json_null(j, "unavailable");
	}
	if (ev->ctinfo == CT_CTINFO_NA) {
		json_null(j, "ctinfo");
		json_null(j, "ctinfo_name");
	} else {
		json_uint(j, "ctinfo", ev->ctinfo);
		json_str(j, "ctinfo_name", info ? info : "UNKNOWN_VALUE");
	}
	json_hex(j, "nfct", ev->nfct);
	json_u16_field(j, "zone_id", ev->zone_id);
	json_u8_field(j, "zone_dir", ev->zone_dir);
	if (ev->label[0] == ~0ULL && ev->label[1] == ~0ULL) {
		json_null(j, "label");
	} else {
		snprintf(buf, sizeof(buf), "0x%016llx%016llx", (unsigned long long)ev->label[0],
			 (unsigned long long)ev->label[1]);
		json_str(j, "label", buf);
	}
	json_end_obj(j);
}

void ct_print_json(FILE *f, const struct ct_event *ev, const char *time_text,
		   const char *const *frames, int nframes, const struct ct_print_opts *o)
{
	struct json j;
	char name[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", time_text);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "func", probe_name(ev, o, name, sizeof(name)));
	if (ev->is_return)
		json_int(&j, "retval", ev->retval);
	if (!ev->is_return && ev->ifindex) {
		json_str(&j, "dev", ev->ifname);
		json_int(&j, "ifindex", ev->ifindex);
	} else {
		json_null(&j, "dev");
	}
	json_packet(&j, ev);
	json_ovs(&j, ev);
	json_ct(&j, ev);
	if (o->show_stack) {
		json_arr(&j, "stack");
		for (int i = 0; i < nframes; i++)
			json_str(&j, NULL, frames[i]);
		json_end_arr(&j);
	}
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- configuration and banner ---- */

static struct ct_file_rule file_rules[CT_MAX_RULES];
static int n_file_rules;

static void cli_rule(struct pkt_filter *r)
{
	*r = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, opt.src_port, opt.dst_port,
			     (__u8)protocol_number(opt.protocol), CT_FILTER_FLAGS);
}

static bool rule_is_empty(const struct pkt_filter *r)
{
	return !r->sfamily && !r->dfamily && !r->l4proto && !r->sport && !r->dport;
}

static void build_config(struct ct_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->want_stack = !strcasecmp(opt.stack, "true");
	if (!opt.filters_file) {
		cli_rule(&cfg->rules[0]);
		cfg->nrules = !rule_is_empty(&cfg->rules[0]);
		return;
	}
	struct strbuf err = { 0 };
	char *text = jv_read_text(opt.filters_file, &err);

	if (text)
		n_file_rules = ct_filters_parse(text, file_rules, CT_MAX_RULES, &err);
	free(text);
	if (err.len)
		arg_fail_opt(&opt.filters_file, "%s: %s", arg_shown(opt.filters_file), err.buf);
	for (int i = 0; i < n_file_rules; i++) {
		/* A rule without any condition matches every event. */
		if (rule_is_empty(&file_rules[i].rule)) {
			cfg->nrules = 0;
			return;
		}
		cfg->rules[cfg->nrules++] = file_rules[i].rule;
	}
}

static void print_kernel_version(void)
{
	int v[3] = { 0, 0, 0 };

	sscanf(kernel_release(), "%d.%d.%d", &v[0], &v[1], &v[2]);
	printf("Detected kernel version: %d.%d.%d\n", v[0], v[1], v[2]);
}

/* The banner's filters: the file's rules, or the command line's (cfg->rules[0]). */
static void print_filters(const struct ct_config *cfg)
{
	static const char *const help =
		"For multiple connection filters, create a JSON file with this structure:\n\n"
		"[\n    {\n        \"src_ip\": \"10.200.0.243\",\n        \"dst_ip\": \"10.200.0.245\",\n"
		"        \"protocol\": \"tcp\",\n        \"src_port\": 9900,\n        \"dst_port\": 0\n    },\n"
		"    {\n        \"src_ip\": \"10.200.0.245\",\n        \"dst_ip\": \"10.200.0.243\",\n"
		"        \"protocol\": \"tcp\",\n        \"src_port\": 0,\n        \"dst_port\": 9900\n    }\n"
		"]\n\nAnd use it with: --filters-file /path/to/filters.json\n";
	const struct pkt_filter *r = &cfg->rules[0];
	char a[32];

	if (opt.filters_file) {
		for (int i = 0; i < n_file_rules; i++)
			printf("Added filter rule: %s\n", file_rules[i].repr);
		if (!n_file_rules) {
			fflush(stdout);
			fprintf(stderr, "WARNING: No filter rules found in %s\n", opt.filters_file);
		}
	} else {
		printf("--- Filters ---\n");
		printf("Src IP: %s (Network Order Int: 0x%x)\n",
		       r->saddr[0] ? ipv4_format(r->saddr[0], a, sizeof(a)) : "Any", r->saddr[0]);
		printf("Dst IP: %s (Network Order Int: 0x%x)\n",
		       r->daddr[0] ? ipv4_format(r->daddr[0], a, sizeof(a)) : "Any", r->daddr[0]);
		printf("Protocol: %s (%u)\n", opt.protocol, r->l4proto);
		if (r->l4proto == 6 || r->l4proto == 17) {
			if (r->sport)
				printf("Src Port: %u (Host Order)\n", r->sport);
			else
				printf("Src Port: Any (Host Order)\n");
			if (r->dport)
				printf("Dst Port: %u (Host Order)\n", r->dport);
			else
				printf("Dst Port: Any (Host Order)\n");
		}
		printf("---------------\n");
	}
	printf("%s---------------\n", help);
}

/* ---- probes ---- */

enum {
	CT_IN, CT_OVS_LOOKUP, CT_OVS_UPDATE_KEY, CT_REFRESH, CT_OVS_EXECUTE, CT_TCP, CT_TCP_RET, CT_TCP_ERROR,
	CT_DELETE, CT_HOOKS,
};

/* Where the sk_buff argument is, from the kernel's BTF, else by version. */
static int skb_arg(const char *func, int fallback)
{
	int pos = kfunc_struct_arg(func, "nf_conntrack", "sk_buff");

	return pos < 0 ? fallback : pos;
}

/* 5.0 moved the skb of nf_conntrack_in from the 4th argument to the 1st. */
static bool conntrack_in_old(const struct hook_set *plan)
{
	static int arg;

	(void)plan;
	if (!arg)
		arg = skb_arg("nf_conntrack_in", kernel_version_below(5, 0) ? 4 : 1);
	return arg == 4;
}

static bool conntrack_in_new(const struct hook_set *plan)
{
	return !conntrack_in_old(plan);
}

static bool refresh_noskb(const struct hook_set *plan)
{
	static int arg = -2;

	(void)plan;
	if (arg == -2)
		arg = skb_arg("__nf_ct_refresh_acct", -1);
	return arg == 0;
}

static bool refresh_skb(const struct hook_set *plan)
{
	return !refresh_noskb(plan);
}

/* Kernels before 5.4 track TCP in tcp_packet, whose result and tcp_error are probed too. */
static bool old_tcp_chosen(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, CT_TCP);

	return c && !strcmp(c->target, "tcp_packet");
}

#define CT_KPROBE(prog, func, ...) { { HOOK_KPROBE, prog, func, __VA_ARGS__ } }, "nf_conntrack", true
#define OVS_KPROBE(prog, func) { { HOOK_KPROBE, prog, func } }, "openvswitch", true

/* Every hook is optional, as in the original: a probe that cannot attach is a warning. */
static const struct hook_def hook_defs[CT_HOOKS] = {
	[CT_IN] = { "nf_conntrack_in",
		    { { HOOK_KPROBE, "ct_nf_conntrack_in_old", "nf_conntrack_in", conntrack_in_old },
		      { HOOK_KPROBE, "ct_nf_conntrack_in", "nf_conntrack_in", conntrack_in_new } },
		    "nf_conntrack", true },
	[CT_OVS_LOOKUP] = { "__ovs_ct_lookup", OVS_KPROBE("ct_ovs_ct_lookup", "__ovs_ct_lookup") },
	[CT_OVS_UPDATE_KEY] = { "ovs_ct_update_key", OVS_KPROBE("ct_ovs_ct_update_key", "ovs_ct_update_key") },
	[CT_REFRESH] = { "__nf_ct_refresh_acct",
			 { { HOOK_KPROBE, "ct_refresh_acct_noskb", "__nf_ct_refresh_acct", refresh_noskb },
			   { HOOK_KPROBE, "ct_refresh_acct", "__nf_ct_refresh_acct", refresh_skb } },
			 "nf_conntrack", true },
	[CT_OVS_EXECUTE] = { "ovs_ct_execute", OVS_KPROBE("ct_ovs_ct_execute", "ovs_ct_execute") },
	[CT_TCP] = { "TCP packet tracking",
		     { { HOOK_KPROBE, "ct_tcp_packet", "nf_conntrack_tcp_packet" },
		       { HOOK_KPROBE, "ct_tcp_packet", "tcp_packet" } },
		     "nf_conntrack", true },
	[CT_TCP_RET] = { "tcp_packet", { { HOOK_KRETPROBE, "ct_tcp_packet_ret", "tcp_packet", old_tcp_chosen } },
			 "nf_conntrack", true },
	[CT_TCP_ERROR] = { "tcp_error", CT_KPROBE("ct_tcp_error", "tcp_error", old_tcp_chosen) },
	[CT_DELETE] = { "nf_ct_delete", CT_KPROBE("ct_nf_ct_delete", "nf_ct_delete") },
};

/* Why this variant, printed after "Attached kprobe to ...". */
static const char *variant_note(const struct hook_candidate *c)
{
	if (!strcmp(c->prog, "ct_nf_conntrack_in_old"))
		return " (skb = 4th argument, pre-5.0 signature)";
	if (!strcmp(c->prog, "ct_refresh_acct_noskb"))
		return " (no skb argument on this kernel: addresses from the conntrack tuple)";
	return "";
}

static const char *tcp_func(const struct hook_set *hooks)
{
	const struct hook_candidate *c = hook_chosen(hooks, CT_TCP);

	return c ? c->target : NULL;
}

static void print_tcp_choice(const struct hook_set *hooks)
{
	const char *func = tcp_func(hooks);

	if (!func) {
		printf("WARNING: No suitable TCP packet tracking function found\n");
		printf("Will continue without TCP-specific probes\n");
	} else if (!strcmp(func, "tcp_packet")) {
		printf("Using tcp_packet (kernel 4.19- style)\n");
		if (hook_chosen(hooks, CT_TCP_ERROR))
			printf("tcp_error function found\n");
	} else {
		printf("Using nf_conntrack_tcp_packet (kernel 5.4+ style)\n");
	}
}

/* Attaches every planned probe; a probe that cannot attach is a warning, as in the original. */
static int attach_hooks(struct hook_set *hooks)
{
	bool ovs_loaded = module_loaded("openvswitch"), ovs_reported = false;
	int attached = 0;

	for (int k = 0; k < CT_HOOKS; k++) {
		const struct hook_def *d = &hook_defs[k];
		const struct hook_candidate *c = hook_chosen(hooks, k);
		bool ret = d->cand[0].kind == HOOK_KRETPROBE;
		const char *kind = ret ? "kretprobe" : "kprobe";

		if (hooks->c[k].inapplicable || ((k == CT_TCP || k == CT_TCP_ERROR) && !c))
			continue;
		if (d->module && !strcmp(d->module, "openvswitch") && !ovs_loaded) {
			if (!ovs_reported && !g_common.json)
				printf("OVS probes (__ovs_ct_lookup, ovs_ct_update_key, "
				       "ovs_ct_execute): not attached, the openvswitch module is not "
				       "loaded\n");
			ovs_reported = true;
			continue;
		}
		if (!hook_attach_one(hooks, k)) {
			fflush(stdout);
			fprintf(stderr, "WARN: Failed to attach %s to %s: %s\n", kind, c ? c->target : d->cand[0].target,
				c ? strerror(errno) : "no such function in /proc/kallsyms");
			fprintf(stderr, "      Check if the function exists in your kernel version%s.\n",
				ret ? "" : " and modules (e.g., nf_conntrack, openvswitch) are loaded");
			continue;
		}
		attached++;
		if (!g_common.json)
			printf("Attached %s to %s%s\n", kind, hooks->c[k].symbol, variant_note(c));
	}
	return attached;
}

/* ---- events ---- */

struct printer {
	struct trace_conntrack_bpf *skel;
	struct ct_print_opts opts;
	__u64 first_ts;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct printer *p = ctx;
	const struct ct_event *ev = data;
	static struct stack_frames stack;
	char when[48];
	int n = 0;

	if (size < sizeof(*ev))
		return;
	if (!p->first_ts)
		p->first_ts = ev->ts_ns;
	if (p->opts.show_stack && ev->stack_id >= 0)
		n = stack_frames_read(&stack, p->skel->maps.stacks, ev->stack_id);
	fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
	if (g_common.json)
		ct_print_json(stdout, ev, when, stack.frame, n < 0 ? 0 : n, &p->opts);
	else
		ct_print_event(stdout, ev, when, (double)(ev->ts_ns - p->first_ts) / 1e9, stack.frame, n,
			       &p->opts);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct trace_conntrack_bpf *skel;
	struct printer printer = { 0 };
	struct event_channel *ch;
	struct hook_set hooks = { .quiet = true };
	struct ct_config cfg;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("trace_conntrack");
	hook_set_init(&hooks, hook_defs, CT_HOOKS, 0);
	require_module("nf_conntrack", "trace_conntrack probes its functions");
	if (!kernel_has_kprobes())
		die("kernel %s cannot attach kprobes (no kprobe PMU and no kprobe_events: "
		    "CONFIG_KPROBE_EVENTS is off); trace_conntrack has no other probe points",
		    kernel_release());

	skel = BPFNET_OPEN(trace_conntrack_bpf);
	hook_prepare(&hooks, skel->obj);
	cfg.track_tcp_ret = hook_chosen(&hooks, CT_TCP_RET) != NULL;
	if (!g_common.json) {
		print_kernel_version();
		print_tcp_choice(&hooks);
		print_filters(&cfg);
	}
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	printer.opts.func_name = tcp_func(&hooks);
	printer.opts.rel_time = opt.rel_time;
	printer.opts.show_stack = cfg.want_stack;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	if (!attach_hooks(&hooks))
		die("no conntrack probe point could be attached on kernel %s", kernel_release());
	if (!g_common.json)
		printf("\nTracing skb->_nfct pointer changes (filtered)... Press Ctrl-C to stop.\n");
	tool_ready();

	events_run(ch, opt.duration);

	hook_detach(&hooks);
	events_drain(ch);
	if (!g_common.json)
		printf("\nDetaching probes and exiting...\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	trace_conntrack_bpf__destroy(skel);
	ct_file_rules_free(file_rules, n_file_rules);
	return 0;
}
