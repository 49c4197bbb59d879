// SPDX-License-Identifier: GPL-2.0-only
/*
 * performance/vm-network/vm_pair_latency tools: their event lines (the first is the spec's
 * sample) and the shared end-of-run totals, text and JSON, against golden files.
 */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "util.h"
#include "unit_helpers.h"
#include "vm_pair.h"
#include "vm_pair_latency.h"
#include "vm_pair_gap.h"
#include "multi_port_gap.h"
#include "multi_vm_pair_multi_port_gap.h"
#include "multi_vm_pair_latency.h"
#include "multi_vm_pair_latency_pairid.h"

static char *buf;
static size_t len;

static struct vm_pair_event latency(__u64 ts, __u64 lat_ns)
{
	struct vm_pair_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = VM_PAIR_LATENCY;
	ev.at_xmit = 1;
	ev.ts_ns = ts;
	ev.latency_ns = lat_ns;
	ev.flow.saddr = golden_ipv4("192.168.10.11");
	ev.flow.daddr = golden_ipv4("192.168.10.12");
	ev.flow.sport = 40000;
	ev.flow.dport = 62109;
	strcpy(ev.rx_dev, "vnet48");
	strcpy(ev.tx_dev, "vnet45");
	return ev;
}

static struct vm_pair_event other(__u64 ts, int kind, bool at_xmit, __u16 protocol)
{
	struct vm_pair_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = (__u8)kind;
	ev.at_xmit = at_xmit;
	ev.ts_ns = ts;
	ev.protocol = protocol;
	strcpy(at_xmit ? ev.tx_dev : ev.rx_dev, at_xmit ? "vnet45" : "vnet48");
	return ev;
}

static void vpl_events(FILE *f, void (*print)(FILE *, const struct vm_pair_event *))
{
	struct vm_pair_event ev;

	/* The spec's samples; a latency under a microsecond; ARP and IPv6 by EtherType. */
	ev = latency(12345678901234ULL, 23456);
	print(f, &ev);
	ev = other(12345679001234ULL, VM_PAIR_NON_UDP, false, 6);
	print(f, &ev);
	ev = latency(1000000000ULL, 999);
	print(f, &ev);
	ev = other(1000000001ULL, VM_PAIR_NON_IP, true, 0x0806);
	print(f, &ev);
	ev = other(987654321012345678ULL, VM_PAIR_NON_IP, false, 0x86dd);
	print(f, &ev);
}

START_TEST(vm_pair_latency_text)
{
	FILE *f = golden_open(&buf, &len);

	vpl_events(f, vpl_print_event);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_latency.txt"), 0);
}
END_TEST

START_TEST(vm_pair_latency_json)
{
	FILE *f = golden_open(&buf, &len);

	vpl_events(f, vpl_print_event_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_latency.json"), 0);
}
END_TEST

START_TEST(vm_pair_totals)
{
	struct vm_pair_totals quiet = { .matched = 12, .started = 16, .pending = 4 };
	struct vm_pair_totals full = {
		.matched = 70000, .pending = 65536, .table_full = 321, .lost_events = 9
	};
	FILE *f = golden_open(&buf, &len);

	vm_pair_print_totals(f, &quiet, false);
	vm_pair_print_totals(f, &full, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_totals.txt"), 0);
	f = golden_open(&buf, &len);
	vm_pair_print_totals(f, &quiet, true);
	vm_pair_print_totals(f, &full, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_totals.json"), 0);
}
END_TEST

/* The MAC-keyed latency of multi_vm_pair_latency, its debug lines of other protocols. */
static void mvpl_events(FILE *f, void (*print)(FILE *, const struct vm_pair_event *))
{
	static const __u8 smac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
	static const __u8 dmac[6] = { 0x52, 0x54, 0x00, 0x0c, 0xd, 0xfe };
	struct vm_pair_event ev;

	ev = latency(12345699120456ULL, 21789);
	memcpy(ev.flow.smac, smac, 6);
	memcpy(ev.flow.dmac, dmac, 6);
	print(f, &ev);
	ev = other(12345700000000ULL, VM_PAIR_NON_IP, false, 0x0806);
	print(f, &ev);
	ev = other(12345700000999ULL, VM_PAIR_NON_UDP, false, 6);
	print(f, &ev);
	ev = other(12345700001000ULL, VM_PAIR_NON_UDP, true, 1);
	print(f, &ev);
}

/* Pair ids: the spec's sample, the largest id, a latency under a microsecond. */
static void mvpp_events(FILE *f, void (*print)(FILE *, const struct vm_pair_event *))
{
	struct vm_pair_event ev;

	ev = latency(12345678901234ULL, 23456);
	ev.flow.pair_id = 100;
	print(f, &ev);
	ev = latency(1000000000ULL, 999);
	ev.flow.pair_id = 4294967295U;
	print(f, &ev);
}

START_TEST(latency_layouts)
{
	FILE *f = golden_open(&buf, &len);

	mvpl_events(f, mvpl_print_event);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_vm_pair_latency.txt"), 0);
	f = golden_open(&buf, &len);
	mvpl_events(f, mvpl_print_event_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_vm_pair_latency.json"), 0);
	f = golden_open(&buf, &len);
	mvpp_events(f, mvpp_print_event);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_vm_pair_latency_pairid.txt"), 0);
	f = golden_open(&buf, &len);
	mvpp_events(f, mvpp_print_event_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_vm_pair_latency_pairid.json"), 0);
}
END_TEST

/* A gap of flow 10.0.0.1:40000 -> 10.0.0.2:port ending at ts, at receive or at transmit. */
static struct vm_pair_event gap(__u64 ts, __u64 gap_ns, bool at_xmit, __u16 dport)
{
	struct vm_pair_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = VM_PAIR_GAP;
	ev.at_xmit = at_xmit;
	ev.ts_ns = ts;
	ev.gap_ns = gap_ns;
	ev.flow.saddr = golden_ipv4("10.0.0.1");
	ev.flow.daddr = golden_ipv4("10.0.0.2");
	ev.flow.sport = 40000;
	ev.flow.dport = dport;
	strcpy(at_xmit ? ev.tx_dev : ev.rx_dev, at_xmit ? "vnet45" : "vnet48");
	return ev;
}

/* The spec's samples, a gap under a microsecond, one of hours. */
static void gap_events(FILE *f, void (*print)(FILE *, const struct vm_pair_event *, int), int ms)
{
	struct vm_pair_event ev;

	ev = gap(12345678901234ULL, 153021456, true, 62109);
	print(f, &ev, ms);
	ev = gap(12346001234567ULL, 101877001, false, 61968);
	print(f, &ev, ms);
	ev = gap(1000000000ULL, 999, true, 62109);
	print(f, &ev, ms);
	ev = gap(987654321012345678ULL, 7200000000000ULL, false, 5001);
	print(f, &ev, ms);
}

static void vpg_print(FILE *f, const struct vm_pair_event *ev, int ms)
{
	(void)ms;
	vpg_print_event(f, ev);
}

static void gap_json(FILE *f, const struct vm_pair_event *ev, int ms)
{
	(void)ms;
	vm_pair_print_gap_json(f, ev);
}

START_TEST(gap_layouts)
{
	FILE *f = golden_open(&buf, &len);

	gap_events(f, vpg_print, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_gap.txt"), 0);
	f = golden_open(&buf, &len);
	gap_events(f, mpg_print_event, 100);
	gap_events(f, mpg_print_event, 5);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_port_gap.txt"), 0);
	f = golden_open(&buf, &len);
	gap_events(f, mvpg_print_event, 100);
	ck_assert_int_eq(golden_check(f, &buf, &len, "multi_vm_pair_multi_port_gap.txt"), 0);
	f = golden_open(&buf, &len);
	gap_events(f, gap_json, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_gap.json"), 0);
}
END_TEST

START_TEST(gap_totals)
{
	struct vm_pair_totals quiet = { .matched = 2, .pending = 5 };
	struct vm_pair_totals full = {
		.matched = 70000, .pending = 65536, .table_full = 321, .lost_events = 9
	};
	FILE *f = golden_open(&buf, &len);

	vm_pair_print_gap_totals(f, &quiet, false);
	vm_pair_print_gap_totals(f, &full, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_gap_totals.txt"), 0);
	f = golden_open(&buf, &len);
	vm_pair_print_gap_totals(f, &quiet, true);
	vm_pair_print_gap_totals(f, &full, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vm_pair_gap_totals.json"), 0);
}
END_TEST

Suite *golden_vm_pair_suite(void)
{
	const TTest *tests[] = { vm_pair_latency_text, vm_pair_latency_json, vm_pair_totals,
				 gap_layouts,          gap_totals,           latency_layouts };

	return unit_suite("vm_pair", "layouts", tests, ARRAY_SIZE(tests));
}
