// SPDX-License-Identifier: GPL-2.0-only
/* trace_conntrack: decoding of conntrack state, the per-event layout and the filters file. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "json_read.h"
#include "strbuf.h"
#include "trace_conntrack.h"
#include "util.h"
#include "unit_helpers.h"

#define FIXTURES GOLDEN_DIR "/../fixtures/trace_conntrack/"

static char *buf;
static size_t len;

/* An event as on_skb() starts it: every conntrack and OVS field at its "not read" value. */
static struct ct_event base_event(__u8 probe_id, const char *comm)
{
	struct ct_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.probe_id = probe_id;
	ev.ct_status = CT_STATUS_INIT;
	ev.ctinfo = CT_CTINFO_NA;
	ev.ovs_ct = CT_U64_INIT;
	ev.ovs_commit = CT_U8_INIT;
	ev.ovs_zone_id = CT_U16_INIT;
	ev.ovs_zone_dir = CT_U8_INIT;
	ev.zone_id = CT_U16_INIT;
	ev.zone_dir = CT_U8_INIT;
	ev.label[0] = ev.label[1] = ~0ULL;
	ev.sk_state = CT_SK_STATE_NONE;
	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	return ev;
}

static void udp_packet(struct ct_event *ev, const char *src, unsigned sport, const char *dst, unsigned dport)
{
	ev->pkt_source = CT_PKT_SKB;
	ev->saddr = golden_ipv4(src);
	ev->daddr = golden_ipv4(dst);
	ev->protocol = 17;
	ev->sport = (__u16)sport;
	ev->dport = (__u16)dport;
}

static void established_ct(struct ct_event *ev, __u64 nfct, __u64 status)
{
	ev->nfct = nfct;
	ev->ctinfo = nfct & 7;
	ev->ct_status = status;
	ev->zone_id = 0;
	ev->zone_dir = 3;
	ev->label[0] = ev->label[1] = 0;
}

START_TEST(manual_sample_refresh_with_plain_stack_frames)
{
	struct ct_event ev = base_event(CT_PROBE_REFRESH_ACCT, "swapper/19");
	const char *frames[] = { "__nf_ct_refresh_acct+0x1", "nf_conntrack_in+0x3cd",
				 "ipv4_conntrack_in+0x14" };
	struct ct_print_opts o = { .func_name = "nf_conntrack_tcp_packet", .show_stack = true };
	FILE *f = golden_open(&buf, &len);

	udp_packet(&ev, "10.132.114.12", 37323, "10.132.114.11", 5201);
	ev.ip_id = 0x5013;
	ev.ifindex = 18;
	strcpy(ev.ifname, "port-storage");
	established_ct(&ev, 0xffff88816bac30c0ULL, 0x18e);
	ev.stack_id = 7;
	ct_print_event(f, &ev, "2025-09-22 17:57:33.760", 0, frames, 3, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_conntrack_refresh.txt"), 0);
}
END_TEST

/* A SYN at nf_conntrack_in before conntrack attached anything, relative time, no stack. */
START_TEST(syn_before_conntrack_rel_time)
{
	struct ct_event ev = base_event(CT_PROBE_NF_CONNTRACK_IN, "curl");
	struct ct_print_opts o = { .func_name = "nf_conntrack_tcp_packet", .rel_time = true };
	FILE *f = golden_open(&buf, &len);

	udp_packet(&ev, "10.0.0.1", 41000, "10.0.0.2", 80);
	ev.protocol = 6;
	ev.ip_id = 0xbeef;
	ev.seq = 4000000000u;
	ev.ack = 0;
	ev.tcp_flags = 0x02;
	ev.sk_state = 2;
	ev.ifindex = 3;
	ev.ct_status = CT_STATUS_NFCT_ZERO;
	ct_print_event(f, &ev, "unused", 0.0123, NULL, 0, &o);
	/* The same packet at the TCP tracker: a new entry, not confirmed yet, no socket. */
	ev = base_event(CT_PROBE_TCP_PACKET, "ksoftirqd/1");
	udp_packet(&ev, "10.0.0.2", 80, "10.0.0.1", 41000);
	ev.protocol = 6;
	ev.tcp_flags = 0x12;
	ev.seq = 1;
	ev.ack = 4000000001u;
	established_ct(&ev, 0xffff888100001202ULL, 0x0);
	ev.ctinfo = 2;
	ct_print_event(f, &ev, "unused", 1.5, NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_conntrack_tcp_rel.txt"), 0);
}
END_TEST

/* OVS ct(commit, zone=5) on an ICMP packet, an untracked packet, unreadable values. */
START_TEST(ovs_action_untracked_and_read_failures)
{
	struct ct_event ev = base_event(CT_PROBE_OVS_CT_EXECUTE, "handler12");
	const char *frames[] = { "ovs_ct_execute+0x5", "do_execute_actions+0x1c8" };
	struct ct_print_opts o = { .show_stack = true };
	FILE *f = golden_open(&buf, &len);

	ev.pkt_source = CT_PKT_SKB;
	ev.saddr = golden_ipv4("192.168.1.10");
	ev.daddr = golden_ipv4("192.168.1.20");
	ev.protocol = 1;
	ev.ip_id = 0x1;
	ev.ifindex = 9;
	ev.ovs_ct = 0xffff888104a2c000ULL;
	ev.ovs_commit = 1;
	ev.ovs_zone_id = 5;
	ev.ovs_zone_dir = 3;
	established_ct(&ev, 0xffff88810a0b0c00ULL, 0x1ba | (1ULL << 11));
	ev.zone_id = 5;
	ev.label[0] = 0x1;
	ev.label[1] = 0x8000000000000000ULL;
	ev.stack_id = 3;
	ct_print_event(f, &ev, "2025-01-02 03:04:05.006", 0, frames, 2, &o);

	ev = base_event(CT_PROBE_OVS_CT_LOOKUP, "handler12");
	ev.ovs_ct = CT_U64_READ_FAIL;
	ev.ovs_commit = CT_U8_READ_FAIL;
	ev.ovs_zone_id = CT_U16_READ_FAIL;
	ev.ovs_zone_dir = CT_U8_READ_FAIL;
	ev.nfct = 7;
	ev.ctinfo = 7;
	ev.ct_status = CT_STATUS_MASKED_NULL;
	ev.stack_id = -14;
	ct_print_event(f, &ev, "2025-01-02 03:04:05.007", 0, NULL, 0, &o);

	ev = base_event(CT_PROBE_NF_CONNTRACK_IN, "ping");
	ev.ct_status = CT_STATUS_FIELD_FAIL;
	ev.zone_id = CT_U16_READ_FAIL;
	ev.zone_dir = CT_U8_NO_CFG;
	ev.stack_id = 11;
	ct_print_event(f, &ev, "2025-01-02 03:04:05.008", 0, NULL, -ENOENT, &o);
	ct_print_event(f, &ev, "2025-01-02 03:04:05.009", 0, NULL, -EFAULT, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_conntrack_ovs.txt"), 0);
}
END_TEST

/* Probe points without a packet: tcp_packet's return (4.19) and nf_ct_delete's tuple. */
START_TEST(return_and_delete_events)
{
	struct ct_event ev = base_event(CT_PROBE_TCP_PACKET_RET, "ksoftirqd/3");
	struct ct_print_opts o = { .func_name = "tcp_packet", .show_stack = false };
	FILE *f = golden_open(&buf, &len);

	ev.is_return = 1;
	ev.retval = -1;
	ev.ifindex = 4; /* not shown for return events */
	ct_print_event(f, &ev, "2025-01-02 03:04:05.010", 0, NULL, 0, &o);

	ev = base_event(CT_PROBE_TCP_PACKET, "ksoftirqd/3");
	ct_print_event(f, &ev, "2025-01-02 03:04:05.011", 0, NULL, 0, &o);

	ev = base_event(CT_PROBE_NF_CT_DELETE, "kworker/0:1");
	ev.pkt_source = CT_PKT_TUPLE;
	ev.saddr = golden_ipv4("10.9.0.1");
	ev.daddr = golden_ipv4("10.9.0.2");
	ev.protocol = 17;
	ev.sport = 5000;
	ev.dport = 6000;
	established_ct(&ev, 0xffff888100002000ULL, 0x18e | (1ULL << 9));
	ev.ctinfo = CT_CTINFO_NA; /* an entry, not a packet: no ctinfo */
	ct_print_event(f, &ev, "2025-01-02 03:04:05.012", 0, NULL, 0, &o);

	ev.probe_id = 42;
	ct_print_event(f, &ev, "2025-01-02 03:04:05.013", 0, NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_conntrack_return_delete.txt"), 0);
}
END_TEST

START_TEST(json_event)
{
	struct ct_event ev = base_event(CT_PROBE_REFRESH_ACCT, "iperf3");
	const char *frames[] = { "__nf_ct_refresh_acct+0x1", "nf_conntrack_udp_packet+0x1a0" };
	struct ct_print_opts o = { .show_stack = true };
	FILE *f = golden_open(&buf, &len);

	udp_packet(&ev, "10.0.0.1", 5000, "10.0.0.2", 6000);
	ev.ip_id = 7;
	ev.ifindex = 2;
	strcpy(ev.ifname, "veth0");
	established_ct(&ev, 0xffff888100003003ULL, 0x18e);
	ct_print_json(f, &ev, "2025-01-02 03:04:05.014", frames, 2, &o);
	ev = base_event(CT_PROBE_NF_CONNTRACK_IN, "a\"b");
	ev.ct_status = CT_STATUS_NFCT_ZERO;
	ct_print_json(f, &ev, "2025-01-02 03:04:05.015", NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_conntrack.json"), 0);
}
END_TEST

START_TEST(ctinfo_status_and_zone_names)
{
	char b[256];

	ck_assert_str_eq(ct_ctinfo_name(0), "IP_CT_ESTABLISHED");
	ck_assert_str_eq(ct_ctinfo_name(1), "IP_CT_RELATED");
	ck_assert_str_eq(ct_ctinfo_name(2), "IP_CT_NEW");
	ck_assert_str_eq(ct_ctinfo_name(3), "IP_CT_ESTABLISHED_REPLY");
	/* The kernel's IP_CT_RELATED_REPLY is 4 (the original named 5). */
	ck_assert_str_eq(ct_ctinfo_name(4), "IP_CT_RELATED_REPLY");
	ck_assert_ptr_null(ct_ctinfo_name(5));
	ck_assert_ptr_null(ct_ctinfo_name(6));
	ck_assert_str_eq(ct_ctinfo_name(7), "IP_CT_UNTRACKED");

	ck_assert_str_eq(ct_status_flags(0, b, sizeof(b)), "");
	ck_assert_str_eq(ct_status_flags(0x18e, b, sizeof(b)),
			 "SEEN_REPLY|ASSURED|CONFIRMED|SRC_NAT_DONE|DST_NAT_DONE");
	ck_assert_str_eq(ct_status_flags(0x1ULL | 1ULL << 11 | 1ULL << 15 | 1ULL << 20, b, sizeof(b)),
			 "EXPECTED|TEMPLATE|HW_OFFLOAD|BIT20");
	ck_assert_str_eq(ct_status_flags(1ULL << 9 | 1ULL << 12, b, sizeof(b)), "DYING|NAT_CLASH");

	ck_assert_str_eq(ct_zone_dir_text(0, b, sizeof(b)), "0(NONE)");
	ck_assert_str_eq(ct_zone_dir_text(1, b, sizeof(b)), "1(ORIG)");
	ck_assert_str_eq(ct_zone_dir_text(2, b, sizeof(b)), "2(REPLY)");
	ck_assert_str_eq(ct_zone_dir_text(3, b, sizeof(b)), "3(ORIG|REPLY)");
	ck_assert_str_eq(ct_zone_dir_text(9, b, sizeof(b)), "9");
	ck_assert_str_eq(ct_zone_dir_text(CT_U8_INIT, b, sizeof(b)), "N/A(Init)");
	ck_assert_str_eq(ct_zone_dir_text(CT_U8_READ_FAIL, b, sizeof(b)), "N/A(ReadFail)");
	ck_assert_str_eq(ct_zone_dir_text(CT_U8_NO_CFG, b, sizeof(b)), "N/A(NoCfg)");
}
END_TEST

static char *slurp(const char *name)
{
	char path[512];
	FILE *f;
	long n;
	char *text;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(text, 1, (size_t)n, f), n);
	fclose(f);
	return text;
}

/* Parses a fixture; returns the rule count or -1, with the error text in err. */
static int parse_fixture(const char *name, struct ct_file_rule *rules, struct strbuf *err)
{
	char *text = slurp(name);
	int n = ct_filters_parse(text, rules, CT_MAX_RULES, err);

	free(text);
	return n;
}

START_TEST(filters_file_good)
{
	struct ct_file_rule r[CT_MAX_RULES];
	struct strbuf err = { 0 };
	int n = parse_fixture("good_manual_example.json", r, &err);

	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(r[0].repr, "{'src_ip': '10.200.0.243', 'dst_ip': '10.200.0.245', 'protocol': "
				    "'tcp', 'src_port': 9900, 'dst_port': 0}");
	ck_assert_uint_eq(r[0].rule.saddr[0], golden_ipv4("10.200.0.243"));
	ck_assert_uint_eq(r[0].rule.daddr[0], golden_ipv4("10.200.0.245"));
	ck_assert_uint_eq(r[0].rule.l4proto, 6);
	ck_assert_uint_eq(r[0].rule.sport, 9900);
	ck_assert_uint_eq(r[0].rule.dport, 0);
	ck_assert_uint_eq(r[1].rule.saddr[0], golden_ipv4("10.200.0.245"));
	ck_assert_uint_eq(r[1].rule.dport, 9900);
	ct_file_rules_free(r, n);

	n = parse_fixture("good_mixed.json", r, &err);
	ck_assert_msg(n == 4, "%d rules: %s", n, err.buf ? err.buf : "");
	ck_assert_str_eq(r[0].repr, "{'protocol': 'UDP', 'dst_port': '53', 'dst_ip': '10.0.0.53'}");
	ck_assert_uint_eq(r[0].rule.l4proto, 17);
	ck_assert_uint_eq(r[0].rule.dport, 53);
	ck_assert_uint_eq(r[0].rule.daddr[0], golden_ipv4("10.0.0.53"));
	ck_assert_str_eq(r[1].repr, "{'src_ip': None, 'dst_ip': '', 'protocol': 'icmp'}");
	ck_assert_uint_eq(r[1].rule.saddr[0], 0);
	ck_assert_uint_eq(r[1].rule.daddr[0], 0);
	ck_assert_uint_eq(r[1].rule.l4proto, 1);
	ck_assert_str_eq(r[2].repr, "{'protocol': 'tcp', 'src_port': 80}");
	ck_assert_uint_eq(r[2].rule.l4proto, 6);
	ck_assert_uint_eq(r[3].rule.saddr[0], 0);
	ck_assert_uint_eq(r[3].rule.sport, 65535);
	ct_file_rules_free(r, n);

	ck_assert_int_eq(parse_fixture("good_empty.json", r, &err), 0);
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

static const struct {
	const char *file, *error;
} bad_files[] = {
	{ "bad_trailing_comma.json",
	  "line 2, column 46: expected a member name in double quotes, found '}'" },
	{ "bad_unknown_key.json", "line 3, column 15: rule 2: unknown key 'srcip' (use src_ip, dst_ip, "
				  "protocol, src_port, dst_port)" },
	{ "bad_ip.json", "line 1, column 13: rule 1: src_ip: invalid IPv4 address '10.0.0.300'" },
	{ "bad_protocol.json", "line 1, column 37: rule 1: protocol: unknown protocol 'sctp' (use all, "
			       "icmp, tcp or udp)" },
	{ "bad_port.json", "line 1, column 15: rule 1: dst_port must be an integer from 0 to 65535" },
	{ "bad_port_type.json", "line 1, column 15: rule 1: dst_port must be an integer from 0 to 65535" },
	{ "bad_top_level.json", "the top level must be an array of rule objects, not an object" },
	{ "bad_not_object.json", "line 1, column 26: rule 2 is a string, expected an object" },
	{ "bad_duplicate_key.json", "line 1, column 35: rule 1: key 'src_ip' appears twice" },
	{ "bad_unterminated.json", "line 1, column 22: control character 0x0a in a string (write it as "
				   "an escape)" },
	{ "bad_trailing_garbage.json", "line 1, column 4: expected the end of the file after the "
				       "top-level value, found '['" },
	{ "bad_comment.json", "line 1, column 1: expected a value (object, array, string, number, true, "
			      "false or null), found '/'" },
	{ "bad_too_many.json", "17 rules; at most 16 are supported" },
};

START_TEST(filters_file_bad)
{
	struct ct_file_rule r[CT_MAX_RULES];
	struct strbuf err = { 0 };

	ck_assert_int_eq(parse_fixture(bad_files[_i].file, r, &err), -1);
	ck_assert_msg(err.buf && !strcmp(err.buf, bad_files[_i].error), "%s: got '%s'", bad_files[_i].file,
		      err.buf ? err.buf : "(no error)");
	sb_free(&err);
}
END_TEST

START_TEST(json_reader_edge_cases)
{
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "", "line 1, column 1: expected a value (object, array, string, number, true, false or "
		      "null), found the end of the file" },
		{ "[01]", "line 1, column 3: numbers must not have leading zeros" },
		{ "[1.]", "line 1, column 4: expected a digit after the decimal point, found ']'" },
		{ "[\"\\ud800\"]", "line 1, column 9: unpaired UTF-16 surrogate \\uD800" },
		{ "[\"\\x\"]", "line 1, column 4: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
			       "\\uXXXX), found 'x'" },
		{ "[tru]", "line 1, column 2: expected a value (object, array, string, number, true, false "
			   "or null), found 't'" },
		{ "[{\"a\" 1}]", "line 1, column 7: expected ':' after the member name, found '1'" },
		{ "\xef\xbb\xbf[]", "line 1, column 1: the file starts with a UTF-8 byte order mark" },
		{ "[{\"src_ip\": \"\\u0031\\u0030.0.0.1\", \"protocol\": \"\\u00e9\"}]",
		  "line 1, column 47: rule 1: protocol: unknown protocol '\xc3\xa9' (use all, icmp, tcp or "
		  "udp)" },
	};
	struct ct_file_rule r[CT_MAX_RULES];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strbuf err = { 0 };

		ck_assert_int_eq(ct_filters_parse(cases[i].text, r, CT_MAX_RULES, &err), -1);
		ck_assert_msg(err.buf && !strcmp(err.buf, cases[i].error), "case %zu: got '%s'", i,
			      err.buf ? err.buf : "(no error)");
		sb_free(&err);
	}
}
END_TEST

START_TEST(python_repr_of_json_values)
{
	char err[128];
	struct strbuf sb = { 0 };
	struct jv *v = jv_parse("{\"a\": \"it's\", \"b\": [1, -2.5e3, true, false, null, \"x\\\"y\"],"
				" \"c\": \"tab\\t\\u0001\", \"d\": \"both'\\\"\", \"e\": {}}",
				err, sizeof(err));

	ck_assert_msg(v != NULL, "%s", err);
	jv_python_repr(&sb, v);
	ck_assert_str_eq(sb.buf, "{'a': \"it's\", 'b': [1, -2.5e3, True, False, None, 'x\"y'], "
				 "'c': 'tab\\t\\x01', 'd': 'both\\'\"', 'e': {}}");
	sb_free(&sb);
	jv_free(v);
}
END_TEST

Suite *golden_trace_conntrack_suite(void)
{
	const TTest *layout_tests[] = { manual_sample_refresh_with_plain_stack_frames,
					syn_before_conntrack_rel_time,
					ovs_action_untracked_and_read_failures,
					return_and_delete_events,
					json_event,
					ctinfo_status_and_zone_names,
					filters_file_good,
					json_reader_edge_cases,
					python_repr_of_json_values };
	Suite *s = suite_create("trace_conntrack");
	TCase *tc;

	tc = unit_tcase(s, "layout", layout_tests, ARRAY_SIZE(layout_tests));
	tcase_add_loop_test(tc, filters_file_bad, 0, ARRAY_SIZE(bad_files));
	return s;
}
