// SPDX-License-Identifier: GPL-2.0-only
/* trace_conntrack's output: names of conntrack states and flags, and each event as text or JSON. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "json.h"
#include "stack.h"
#include "trace_conntrack.h"
#include "util.h"

#define SEPARATOR "--------------------------------------------------------------------------------"
#define IPS_TEMPLATE (1ULL << 11)

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
		"EXPECTED",   "SEEN_REPLY",   "ASSURED",      "CONFIRMED",  "SRC_NAT",       "DST_NAT",
		"SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",      "FIXED_TIMEOUT", "TEMPLATE",
		"NAT_CLASH",  "HELPER",       "OFFLOAD",      "HW_OFFLOAD",
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
		NULL,
		"TCP_ESTABLISHED",
		"TCP_SYN_SENT",
		"TCP_SYN_RECV",
		"TCP_FIN_WAIT1",
		"TCP_FIN_WAIT2",
		"TCP_TIME_WAIT",
		"TCP_CLOSE",
		"TCP_CLOSE_WAIT",
		"TCP_LAST_ACK",
		"TCP_LISTEN",
		"TCP_CLOSING",
		"TCP_NEW_SYN_RECV",
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

static const char *probe_name(const struct ct_event *ev, const struct ct_print_opts *o, char *buf, size_t len)
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

void ct_print_json(FILE *f, const struct ct_event *ev, const char *time_text, const char *const *frames,
		   int nframes, const struct ct_print_opts *o)
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
	if (o->show_stack)
		json_str_array(&j, "stack", frames, nframes);
	json_end_obj(&j);
	json_finish(&j);
}
