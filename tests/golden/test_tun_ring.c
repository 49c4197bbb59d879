// SPDX-License-Identifier: GPL-2.0-only
/* The host-side tun ring tools: banners, every event shape and the interval report, text and JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "tun_ring_monitor.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* A UDP packet from 10.0.0.9:5353 to 10.0.0.5:5000 into queue 1 of vnet12 (4 queues, ring of 1000). */
static struct trm_event udp_event(void)
{
	struct trm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = 1000;
	ev.skb = 0xffff8c2a1b3e4d00ULL;
	ev.pid = 4330;
	ev.tid = 4331;
	strcpy(ev.comm, "vhost-4312");
	strcpy(ev.dev, "vnet12");
	ev.saddr = golden_ipv4("10.0.0.9");
	ev.daddr = golden_ipv4("10.0.0.5");
	ev.sport = 5353;
	ev.dport = 5000;
	ev.protocol = 17;
	ev.queue_mapping = 1;
	ev.tfiles_size = 2048;
	ev.numqueues_offset = 2048;
	ev.ring.tun = 0xffff8c2a0f6c0a00ULL;
	ev.ring.numqueues = 4;
	ev.ring.tfile = 0xffff8c2a11220000ULL;
	ev.ring.queue_index = 1;
	ev.ring.queue = 0xffff8c2a3c000000ULL;
	ev.ring.size = 1000;
	ev.ring.batch = 16;
	return ev;
}

/* Full; available at 40% and wrapped at 99%; ICMP; unparsed; no tun_file; a layout mismatch. */
static void events(FILE *f, void (*print)(FILE *, const struct trm_event *, const char *))
{
	struct trm_event ev = udp_event();

	ev.ring.producer = 417;
	ev.ring.consumer_head = 418;
	ev.ring.consumer_tail = 418;
	ev.ring.slot = 0xffff8c2a3c1d2e00ULL;
	ev.ring.full = 1;
	print(f, &ev, "08:15:42.117");
	ev.ring.producer = 500;
	ev.ring.consumer_head = 100;
	ev.ring.consumer_tail = 100;
	ev.ring.slot = 0;
	ev.ring.full = 0;
	print(f, &ev, "08:15:42.118");
	ev.ring.producer = 9;
	ev.ring.consumer_tail = 10;
	ev.ring.consumer_head = 12;
	print(f, &ev, "08:15:42.119");
	ev.protocol = 1;
	ev.sport = ev.dport = 0;
	print(f, &ev, "08:15:42.120");
	ev.saddr = ev.daddr = 0;
	ev.protocol = 0;
	print(f, &ev, "08:15:42.121");
	ev = udp_event();
	memset(&ev.ring, 0, sizeof(ev.ring));
	ev.ring.tun = 0xffff8c2a0f6c0a00ULL;
	ev.queue_mapping = 0;
	print(f, &ev, "08:15:42.122");
	ev.tfiles_size = 2048;
	ev.numqueues_offset = 2056;
	print(f, &ev, "08:15:42.123");
}

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);
	struct trm_config cfg = { .saddr = golden_ipv4("192.168.1.100"), .dport = 80, .filter_enabled = 1 };

	trm_print_verbose(f, &cfg);
	trm_print_banner(f, &(struct trm_settings){ .device = "vnet12" });
	trm_print_banner(f, &(struct trm_settings){ .saddr = golden_ipv4("192.168.1.100"),
						    .daddr = golden_ipv4("10.0.0.1"),
						    .sport = 1234,
						    .dport = 80,
						    .protocol = 6,
						    .all = true });
	trm_print_banner(f, &(struct trm_settings){ .protocol = 17 });
	fputc('\n', f);
	events(f, trm_print_event);
	fprintf(f, "\nMonitoring stopped.\n");
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_ring_monitor.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	events(f, trm_print_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_ring_monitor.json"), 0);
}
END_TEST

START_TEST(test_interval)
{
	FILE *f = golden_open(&buf, &len);
	struct trm_queue_row rows[] = {
		{ { 7, 1 }, { 40, 2, "vnet12" } },
		{ { 3, 0 }, { 12, 0, "tap0" } },
		{ { 7, 0 }, { 5, 0, "vnet12" } },
	};

	trm_print_interval(f, rows, 3, 0, "08:15:43", 1);
	trm_print_interval(f, rows, 0, 0, "08:15:44", 1);
	trm_print_interval(f, rows, 1, 17, "08:15:45", 1);
	trm_print_interval_json(f, rows, 3, 0, "08:15:43");
	trm_print_interval_json(f, rows, 0, 17, "08:15:44");
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_ring_monitor_interval.txt"), 0);
}
END_TEST

Suite *golden_tun_ring_suite(void)
{
	const TTest *tests[] = { test_text, test_json, test_interval };

	return unit_suite("tun_ring", "layout", tests, ARRAY_SIZE(tests));
}
