// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs_userspace_megaflow: the OVS_FLOW_CMD_NEW decoder on hand-built requests and on requests
 * recorded from ovs-vswitchd in the lab (tests/fixtures/ovs_flow/), the filters, and the event
 * layouts (text and JSON) against golden files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "ovs_flow_netlink.h"
#include "ovs_userspace_megaflow.h"
#include "unit_helpers.h"
#include "util.h"

#define FIXTURES GOLDEN_DIR "/../../fixtures/ovs_flow/"

static char *buf;
static size_t len;

/* A netlink message under construction, with nested attributes. */
struct msg {
	uint8_t b[1024];
	size_t n;
	size_t open[4];
	int depth;
};

static void put(struct msg *m, const void *data, size_t n)
{
	if (n)
		memcpy(m->b + m->n, data, n);
	m->n += n;
}

static void attr(struct msg *m, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { (uint16_t)(NLA_HDRLEN + n), type };

	put(m, &a, sizeof(a));
	put(m, data, n);
	while (m->n % NLA_ALIGNTO)
		m->b[m->n++] = 0;
}

static void nest(struct msg *m, uint16_t type)
{
	m->open[m->depth++] = m->n;
	attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void end(struct msg *m)
{
	size_t at = m->open[--m->depth];
	uint16_t n = (uint16_t)(m->n - at);

	memcpy(m->b + at, &n, 2);
}

static void u32_attr(struct msg *m, uint16_t type, uint32_t v)
{
	attr(m, type, &v, 4);
}

static void header(struct msg *m, uint8_t cmd)
{
	struct nlmsghdr nlh = { 0 };
	struct genlmsghdr g = { cmd, OVS_FLOW_VERSION, 0 };
	struct ovs_header oh = { 7 };

	memset(m, 0, sizeof(*m));
	put(m, &nlh, sizeof(nlh));
	put(m, &g, sizeof(g));
	put(m, &oh, sizeof(oh));
}

static void finish(struct msg *m)
{
	uint32_t n = (uint32_t)m->n;

	memcpy(m->b, &n, 4);
}

static void key_attrs(struct msg *m, bool mask)
{
	struct ovs_key_ethernet eth = { { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
					{ 0x52, 0x54, 0, 0xab, 0xcd, 0xef } };
	struct ovs_key_ipv4 ip = {
		inet_addr("10.0.0.1"), inet_addr("10.0.0.9"), 17, 0, 64, OVS_FRAG_TYPE_NONE
	};
	struct ovs_key_udp udp = { htons(1234), htons(5001) };
	uint16_t type = htons(0x0800);

	if (mask) {
		memset(&eth, 0, sizeof(eth));
		ip = (struct ovs_key_ipv4){ 0, inet_addr("255.255.255.0"), 0xff, 0xfc, 0, 0xff };
		udp = (struct ovs_key_udp){ 0, htons(0xfff0) };
		type = 0xffff;
	}
	u32_attr(m, OVS_KEY_ATTR_RECIRC_ID, mask ? UINT32_MAX : 0);
	u32_attr(m, OVS_KEY_ATTR_IN_PORT, mask ? UINT32_MAX : 2);
	u32_attr(m, OVS_KEY_ATTR_SKB_MARK, 0);
	attr(m, OVS_KEY_ATTR_ETHERNET, &eth, sizeof(eth));
	attr(m, OVS_KEY_ATTR_ETHERTYPE, &type, sizeof(type));
	attr(m, OVS_KEY_ATTR_IPV4, &ip, sizeof(ip));
	attr(m, OVS_KEY_ATTR_UDP, &udp, sizeof(udp));
}

/* A request with key, mask and one action of each kind the decoder names. */
static void sample_request(struct msg *m)
{
	struct ovs_key_ipv4 tos[2] = { { .ipv4_tos = 0x20 }, { .ipv4_tos = 0xfc } };
	struct ovs_action_push_vlan vlan = { htons(0x8100), htons(0x1000 | 10) };
	uint16_t zone = 5;

	header(m, OVS_FLOW_CMD_NEW);
	nest(m, OVS_FLOW_ATTR_KEY);
	key_attrs(m, false);
	end(m);
	nest(m, OVS_FLOW_ATTR_MASK);
	key_attrs(m, true);
	end(m);
	nest(m, OVS_FLOW_ATTR_ACTIONS);
	nest(m, OVS_ACTION_ATTR_SET_MASKED);
	attr(m, OVS_KEY_ATTR_IPV4, tos, sizeof(tos));
	end(m);
	attr(m, OVS_ACTION_ATTR_PUSH_VLAN, &vlan, sizeof(vlan));
	nest(m, OVS_ACTION_ATTR_CT);
	attr(m, OVS_CT_ATTR_COMMIT, NULL, 0);
	attr(m, OVS_CT_ATTR_ZONE, &zone, sizeof(zone));
	end(m);
	u32_attr(m, OVS_ACTION_ATTR_OUTPUT, 3);
	u32_attr(m, OVS_ACTION_ATTR_OUTPUT, 4);
	nest(m, OVS_ACTION_ATTR_USERSPACE);
	u32_attr(m, OVS_USERSPACE_ATTR_PID, 77);
	end(m);
	u32_attr(m, OVS_ACTION_ATTR_RECIRC, 1);
	end(m);
	finish(m);
}

/* "name=value name=value ... actions=..." of a decoded request. */
static const char *flat(const struct ovs_flow_msg *f, char *out, size_t n)
{
	size_t at = 0;

	for (int i = 0; i < f->nfields; i++)
		at += (size_t)snprintf(out + at, n - at, "%s=%s ", f->fields[i].name, f->fields[i].value);
	snprintf(out + at, n - at, "actions=%s", f->actions);
	return out;
}

START_TEST(decode_built)
{
	static struct ovs_flow_msg f;
	struct msg m;
	char err[128], text[1024];

	sample_request(&m);
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, m.n, &f, err, sizeof(err)), 0);
	ck_assert(f.has_key && f.has_mask && f.has_actions);
	ck_assert_uint_eq(f.dp_ifindex, 7);
	ck_assert_str_eq(
		flat(&f, text, sizeof(text)),
		"recirc_id=0 in_port=2 eth_type=0x0800 ip_dst=10.0.0.0/24 ip_proto=17 ip_tos=0/0xfc "
		"ip_frag=no udp_dst=4992/0xfff0 actions=set(ipv4(tos=0x20/0xfc)),push_vlan(vid=10,pcp=0),"
		"ct(commit,zone=5),output:3,output:4,userspace(pid=77),recirc(0x1)");
	/* Without a mask attribute every field of the key is exact. */
	header(&m, OVS_FLOW_CMD_NEW);
	nest(&m, OVS_FLOW_ATTR_KEY);
	key_attrs(&m, false);
	end(&m);
	finish(&m);
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, m.n, &f, err, sizeof(err)), 0);
	ck_assert(!f.has_mask && !f.has_actions);
	ck_assert_str_eq(
		flat(&f, text, sizeof(text)),
		"recirc_id=0 in_port=2 skb_mark=0x0 eth_src=52:54:00:12:34:56 eth_dst=52:54:00:ab:cd:ef "
		"eth_type=0x0800 ip_src=10.0.0.1/32 ip_dst=10.0.0.9/32 ip_proto=17 ip_tos=0 ip_ttl=64 "
		"ip_frag=no udp_src=1234 udp_dst=5001 actions=drop");
}
END_TEST

START_TEST(decode_errors)
{
	static struct ovs_flow_msg f;
	struct msg m;
	char err[128];

	sample_request(&m);
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, 20, &f, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "Data too short: 20 bytes");
	m.b[NLMSG_HDRLEN] = OVS_FLOW_CMD_DEL;
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, m.n, &f, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "not an OVS_FLOW_CMD_NEW request (command 2)");
	header(&m, OVS_FLOW_CMD_NEW);
	u32_attr(&m, OVS_FLOW_ATTR_UFID, 1);
	finish(&m);
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, m.n, &f, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "No flow key attribute in 32 bytes");
	/* A message cut inside an attribute: the attributes before it still count. */
	sample_request(&m);
	ck_assert_int_eq(ovs_flow_msg_decode(m.b, m.n - 6, &f, err, sizeof(err)), 0);
	ck_assert(f.has_key && f.has_mask);
}
END_TEST

/* An upcall of a TCP segment 172.21.153.113:45678 -> 172.21.153.114:80 (the manual's sample). */
static void sample_upcall(struct megaflow_event *ev)
{
	static const uint8_t frame[] = {
		0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0x08, 0x00, /* Ethernet */
		0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, /* IPv4 */
		172,  21,   153,  113,  172,  21,   153,  114, /* addresses */
		0xb2, 0x6e, 0x00, 0x50, 0,    0,    0,    1,    0,    0,    0,    0,
		0x50, 0x02, /* TCP */
		0xff, 0xff, 0,    0,    0,    0,
	};

	memset(ev, 0, sizeof(*ev));
	ev->kind = MEGAFLOW_UPCALL;
	ev->ts_ns = 1579021145610018ULL;
	ev->portid = 12345;
	ev->pid = 2345;
	ev->skb_len = 1500;
	ev->cmd = 1;
	strcpy(ev->comm, "handler12");
	strcpy(ev->ifname, "vnet0");
	memcpy(ev->snap.bytes, frame, sizeof(frame));
	ev->snap.len = sizeof(frame);
	ev->snap.at = PKT_AT_ETH;
}

static void sample_flow(struct megaflow_event *ev)
{
	struct msg m;

	sample_request(&m);
	memset(ev, 0, sizeof(*ev));
	ev->kind = MEGAFLOW_FLOW_NEW;
	ev->ts_ns = 1579021145692345ULL;
	ev->portid = 3166593769u;
	ev->pid = 1234;
	strcpy(ev->comm, "handler12");
	memcpy(ev->msg, m.b, m.n);
	ev->captured = (uint32_t)m.n;
	ev->skb_len = (uint32_t)m.n;
}

/* Every layout: banners, an upcall, a flow, a flow that failed to decode, debug mismatches, totals. */
static void print_all(FILE *f, bool json)
{
	static struct megaflow_event up, flow;
	static struct ovs_flow_msg msg;
	const char *probes[] = { "ovs_dp_upcall (tracepoint openvswitch:ovs_dp_upcall)",
				 "ovs_flow_cmd_new (kprobe ovs_flow_cmd_new)" };
	struct megaflow_filter none = { 0 }, flt = { .src_ip_set = true,
						     .dst_ip_set = true,
						     .proto_set = true,
						     .src_ip = golden_ipv4("172.21.153.113"),
						     .dst_ip = golden_ipv4("172.21.153.114"),
						     .proto = 6 };
	struct megaflow_totals totals = { 12, 12, 3, 2, 0 };
	char err[128];
	void (*event)(FILE *, const struct megaflow_view *) = json ? megaflow_print_event_json
								   : megaflow_print_event;

	sample_upcall(&up);
	sample_flow(&flow);
	ck_assert_int_eq(ovs_flow_msg_decode(flow.msg, flow.captured, &msg, err, sizeof(err)), 0);
	if (!json) {
		megaflow_print_banner(f, &none, false, probes, 2);
		megaflow_print_banner(f, &flt, false, probes, 2);
		megaflow_print_banner(f, &flt, true, probes, 2);
	}
	ck_assert_ptr_null(megaflow_upcall_mismatch(&flt, &up));
	event(f, &(struct megaflow_view){ "18:25:30.123", &up, NULL, NULL, NULL, false });
	event(f, &(struct megaflow_view){ "18:25:30.156", &flow, NULL, &msg, NULL, false });
	ck_assert_str_eq(megaflow_flow_mismatch(&flt, &msg), "ip_src_mismatch");
	event(f, &(struct megaflow_view){ "18:25:30.157", &flow, "ip_src_mismatch", &msg, NULL, json });
	flow.captured = 20;
	event(f, &(struct megaflow_view){ "18:25:30.158", &flow, "parse_failed_or_no_key", NULL,
					  "Data too short: 20 bytes", false });
	up.cmd = 2;
	up.snap.bytes[12] = 0x88; /* LLDP: no IPv4 header for the filter */
	up.snap.bytes[13] = 0xcc;
	ck_assert_str_eq(megaflow_upcall_mismatch(&flt, &up), "no_ipv4_field");
	event(f, &(struct megaflow_view){ "18:25:30.234", &up, "no_ipv4_field", NULL, NULL, false });
	if (json)
		megaflow_print_totals_json(f, &totals);
	else
		megaflow_print_totals(f, &totals);
}

/*
 * The requests recorded from ovs-vswitchd (one per kind of action), decoded: the lab compared
 * the same decode with ovs-dpctl dump-flows field by field (scenario ovs_tools_upcall).
 */
START_TEST(decode_recorded)
{
	static struct ovs_flow_msg f;
	static uint8_t bytes[MEGAFLOW_MSG_MAX];
	FILE *in = fopen(FIXTURES "flow_cmd_new.hex", "r"), *out = golden_open(&buf, &len);
	char line[2 * MEGAFLOW_MSG_MAX + 8], err[128], text[1024];
	int n = 0;

	ck_assert_ptr_nonnull(in);
	while (fgets(line, sizeof(line), in)) {
		size_t hex = strspn(line, "0123456789abcdef");

		if (line[0] == '#')
			continue;
		for (size_t i = 0; i + 1 < hex; i += 2)
			sscanf(line + i, "%2hhx", &bytes[i / 2]);
		ck_assert_int_eq(ovs_flow_msg_decode(bytes, hex / 2, &f, err, sizeof(err)), 0);
		fprintf(out, "%s\n", flat(&f, text, sizeof(text)));
		n++;
	}
	fclose(in);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(golden_check(out, &buf, &len, "ovs_userspace_megaflow_recorded.txt"), 0);
}
END_TEST

START_TEST(layouts_text)
{
	FILE *f = golden_open(&buf, &len);

	print_all(f, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_userspace_megaflow.txt"), 0);
}
END_TEST

START_TEST(layouts_json)
{
	FILE *f = golden_open(&buf, &len);

	print_all(f, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_userspace_megaflow.json"), 0);
}
END_TEST

Suite *golden_ovs_userspace_megaflow_suite(void)
{
	const TTest *tests[] = { decode_built, decode_errors, decode_recorded, layouts_text, layouts_json };

	return unit_suite("ovs_userspace_megaflow", "decoder", tests, ARRAY_SIZE(tests));
}
