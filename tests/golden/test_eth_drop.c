// SPDX-License-Identifier: GPL-2.0-only
/* eth_drop: --type parsing and the per-event layout, against golden files. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "eth_drop.h"
#include "golden.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static void put16(__u8 *p, unsigned v)
{
	p[0] = (__u8)(v >> 8);
	p[1] = (__u8)v;
}

static struct eth_drop_event base_event(__u32 pid, __u32 tgid, const char *comm, __u32 cpu,
					const char *ifname)
{
	struct eth_drop_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.pid = pid;
	ev.tgid = tgid;
	ev.cpu = cpu;
	strcpy(ev.comm, comm);
	strcpy(ev.ifname, ifname);
	ev.snap.at = PKT_AT_ETH;
	ev.snap.len = PKT_SNAP_LEN;
	return ev;
}

START_TEST(arp_sample_from_the_manual)
{
	static const __u8 frame[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x9a, 0xb9, 0x0a, 0xb6, 0xd2, 0x7a, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x9a, 0xb9, 0x0a, 0xb6, 0xd2, 0x7a,
		10,   42,   213,  89,   0,    0,    0,    0,    0,    0,    10,   42,   213,  91,
	};
	struct eth_drop_event ev = base_event(0, 0, "swapper/0", 0, "ovsbr-bbfi49amm");
	const char *frames[] = { "kfree_skb+0x1", "ovs_vport_send+0x9d", "do_output+0x57" };
	struct eth_drop_print_opts o = { .show_stack = true };
	FILE *f = golden_open(&buf, &len);

	memcpy(ev.snap.bytes, frame, sizeof(frame));
	ev.stack_id = 2;
	eth_drop_print_event(f, &ev, "17:46:56", frames, 3, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "eth_drop_arp.txt"), 0);
}
END_TEST

START_TEST(vlan_tagged_tcp_verbose_without_stack)
{
	struct eth_drop_event ev = base_event(4242, 4240, "iperf3", 3, "eth0.100");
	struct eth_drop_print_opts o = { .verbose = true, .show_stack = false };
	__u8 *p = ev.snap.bytes;
	FILE *f = golden_open(&buf, &len);

	memcpy(p, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
	put16(p + 12, 0x8100);
	put16(p + 14, (5u << 13) | 100);
	put16(p + 16, 0x0800);
	p += 18;
	p[0] = 0x45;
	p[1] = 0x10;
	put16(p + 2, 60);
	put16(p + 4, 0x1234);
	p[8] = 63;
	p[9] = 6;
	memcpy(p + 12, "\xc0\xa8\x01\x64\xc0\xa8\x01\xc8", 8);
	put16(p + 20, 40000);
	put16(p + 22, 80);
	ev.len = 74;
	ev.mac_header = 64;
	ev.network_header = 82;
	ev.transport_header = 102;
	eth_drop_print_event(f, &ev, "08:00:01", NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "eth_drop_vlan_tcp_verbose.txt"), 0);
}
END_TEST

START_TEST(ipv6_without_link_layer_header)
{
	struct eth_drop_event ev = base_event(7, 7, "ksoftirqd/0", 0, "");
	struct eth_drop_print_opts o = { .show_stack = true };
	__u8 *p = ev.snap.bytes;
	FILE *f = golden_open(&buf, &len);

	ev.snap.at = PKT_AT_NET;
	ev.snap.skb_protocol = 0x86DD;
	p[0] = 0x60;
	put16(p + 4, 12);
	p[6] = 17;
	p[7] = 64;
	memcpy(p + 8, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(p + 24, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	put16(p + 40, 5353);
	put16(p + 42, 9999);
	ev.stack_id = -17;
	eth_drop_print_event(f, &ev, "23:59:59", NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "eth_drop_no_l2_ipv6.txt"), 0);
}
END_TEST

START_TEST(other_protocol_payload_in_verbose_mode)
{
	struct eth_drop_event ev = base_event(1, 1, "init", 1, "eth1");
	struct eth_drop_print_opts o = { .verbose = true, .show_stack = true };
	__u8 *p = ev.snap.bytes;
	FILE *f = golden_open(&buf, &len);

	memcpy(p, "\x01\x80\xc2\0\0\x0e\0\x11\x22\x33\x44\x55", 12);
	put16(p + 12, 0x88CC);
	for (int i = 0; i < 40; i++)
		p[14 + i] = (__u8)i;
	ev.len = 60;
	ev.mac_header = 2;
	ev.network_header = 16;
	ev.transport_header = 0xFFFF;
	ev.stack_id = -14;
	eth_drop_print_event(f, &ev, "12:00:00", NULL, 0, &o);
	ck_assert_int_eq(golden_check(f, &buf, &len, "eth_drop_other_verbose.txt"), 0);
}
END_TEST

START_TEST(json_event_is_one_line_with_the_decoded_flow)
{
	struct eth_drop_event ev = base_event(9, 9, "a\"b", 0, "vb");
	const char *frames[] = { "sk_skb_reason_drop+0x90", "__udp4_lib_rcv+0x4bc" };
	__u8 *p = ev.snap.bytes;
	FILE *f = golden_open(&buf, &len);

	memcpy(p, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
	put16(p + 12, 0x0800);
	p[14] = 0x45;
	p[14 + 9] = 17;
	memcpy(p + 14 + 12, "\x0a\0\0\x01\x0a\0\0\x02", 8);
	put16(p + 34, 1234);
	put16(p + 36, 9999);
	eth_drop_print_json(f, &ev, "10:00:00", frames, 2);
	fclose(f);
	ck_assert_str_eq(buf,
			 "{\"time\":\"10:00:00\",\"ktime_ns\":0,\"pid\":9,\"tgid\":9,\"comm\":\"a\\\"b\","
			 "\"cpu\":0,\"interface\":\"vb\",\"reason\":null,\"len\":0,"
			 "\"src_mac\":\"02:00:00:00:00:01\",\"dst_mac\":\"02:00:00:00:00:02\","
			 "\"ethertype\":2048,\"protocol\":\"ipv4\",\"src_ip\":\"10.0.0.1\","
			 "\"dst_ip\":\"10.0.0.2\",\"l4_protocol\":17,\"src_port\":1234,\"dst_port\":9999,"
			 "\"stack\":[\"sk_skb_reason_drop+0x90\",\"__udp4_lib_rcv+0x4bc\"]}\n");
	free(buf);
}
END_TEST

START_TEST(type_names_and_hex_values)
{
	__u16 v = 1;

	ck_assert(eth_drop_parse_type("all", &v) && v == 0);
	ck_assert(eth_drop_parse_type("arp", &v) && v == 0x0806);
	ck_assert(eth_drop_parse_type("rarp", &v) && v == 0x8035);
	ck_assert(eth_drop_parse_type("ipv6", &v) && v == 0x86DD);
	ck_assert(eth_drop_parse_type("lldp", &v) && v == 0x88CC);
	ck_assert(eth_drop_parse_type("flow_control", &v) && v == 0x8808);
	ck_assert(eth_drop_parse_type("other", &v) && v == 0xFFFF);
	ck_assert(eth_drop_parse_type("0x88a8", &v) && v == 0x88A8);
	ck_assert(!eth_drop_parse_type("IPV4", &v)); /* case-sensitive, as the original */
	ck_assert(!eth_drop_parse_type("0x", &v));
	ck_assert(!eth_drop_parse_type("0x1ffff", &v));
	ck_assert(!eth_drop_parse_type("0xzz", &v));
	ck_assert(!eth_drop_parse_type("ipx", &v));
}
END_TEST

Suite *golden_eth_drop_suite(void)
{
	const TTest *layout_tests[] = { arp_sample_from_the_manual,
					vlan_tagged_tcp_verbose_without_stack,
					ipv6_without_link_layer_header,
					other_protocol_payload_in_verbose_mode,
					json_event_is_one_line_with_the_decoded_flow,
					type_names_and_hex_values };

	return unit_suite("eth_drop", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
