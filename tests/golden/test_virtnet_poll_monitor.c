// SPDX-License-Identifier: GPL-2.0-only
/* virtnet_poll_monitor: banners and every event type, text and JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "unit_helpers.h"
#include "util.h"
#include "virtnet_poll_monitor.h"

static char *buf;
static size_t len;

/* An interrupt on queue 1 of eth0, the poll it schedules (3 packets of 64), and a full poll. */
static void events(FILE *f, void (*print)(FILE *, const struct virtnet_poll_event *, const char *))
{
	struct virtnet_poll_event ev;

	memset(&ev, 0, sizeof(ev));
	strcpy(ev.comm, "swapper/1");
	strcpy(ev.dev_name, "eth0");
	ev.ts_ns = 5000000000ULL;
	ev.queue_index = 1;
	ev.vq_index = 2;
	ev.vq_ptr = 0xffff9e0c41f2a000ULL;
	ev.netdev_ptr = 0xffff9e0c4a3b0000ULL;
	ev.type = VPOLL_RECV_DONE;
	print(f, &ev, "10:21:07.512");
	ev.type = VPOLL_ENTRY;
	ev.budget = 64;
	ev.napi_ptr = 0xffff9e0c4a3b8008ULL;
	ev.rq_ptr = 0xffff9e0c4a3b8000ULL;
	print(f, &ev, "10:21:07.512");
	ev.type = VPOLL_EXIT;
	ev.processed = 3;
	print(f, &ev, "10:21:07.513");
	ev.pid = 1234;
	ev.tid = 1240;
	strcpy(ev.comm, "iperf3");
	ev.processed = 64;
	print(f, &ev, "10:21:08.000");
	ev.budget = 0; /* netpoll's zero budget */
	ev.processed = 0;
	print(f, &ev, "10:21:08.001");
}

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);

	virtnet_poll_print_banner(f, NULL, -1);
	virtnet_poll_print_banner(f, "eth0", 0);
	events(f, virtnet_poll_print_event);
	fprintf(f, "\nMonitoring stopped.\n");
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtnet_poll_monitor.txt"), 0);
}
END_TEST

static const struct vpoll_tally tallies[] = {
	{ "eth0", 0, 12, 14, 40 },
	{ "eth1", 3, 1, 0, 0 },
};

START_TEST(test_interval)
{
	FILE *f = golden_open(&buf, &len);

	virtnet_poll_print_interval(f, tallies, 2, "10:21:09", 2);
	virtnet_poll_print_interval(f, tallies, 0, "10:21:11", 2);
	virtnet_poll_print_interval_json(f, tallies, 2, "10:21:09");
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtnet_poll_monitor_interval.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	events(f, virtnet_poll_print_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtnet_poll_monitor.json"), 0);
}
END_TEST

Suite *golden_virtnet_poll_monitor_suite(void)
{
	const TTest *tests[] = { test_text, test_interval, test_json };

	return unit_suite("virtnet_poll_monitor", "layout", tests, ARRAY_SIZE(tests));
}
