// SPDX-License-Identifier: GPL-2.0-only
/* qdisc_drop_trace: return-code names, event lines and interval statistics, against golden files. */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "golden.h"
#include "qdisc_drop_trace.h"
#include "util.h"
#include "unit_helpers.h"

static char *buf;
static size_t len;

START_TEST(return_code_names)
{
	static const struct {
		uint32_t code;
		const char *name;
	} cases[] = {
		{ 0, "NET_XMIT_SUCCESS" },
		{ 1, "NET_XMIT_DROP" },
		{ 2, "NET_XMIT_CN" },
		{ 3, "NET_XMIT_POLICED" },
		{ 0x10, "NETDEV_TX_BUSY" },
		{ 4, "UNKNOWN" },
		{ 0x10000, "NET_XMIT_SUCCESS+__NET_XMIT_STOLEN" },
		{ 0x20002, "NET_XMIT_CN+__NET_XMIT_BYPASS" },
		{ 0x40000, "UNKNOWN" },
		{ (uint32_t)-100, "-ENETDOWN" },
		{ (uint32_t)-12, "-ENOMEM" },
		{ 0x7fffffff, "UNKNOWN" },
	};
	char name[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_str_eq(qdt_code_name(cases[i].code, name, sizeof(name)), cases[i].name);
	ck_assert_str_eq(qdt_hook_name(QDT_DEV_QUEUE_XMIT), "__dev_queue_xmit");
	ck_assert_str_eq(qdt_hook_name(QDT_QDISC_DROP), "qdisc_drop");
	ck_assert_str_eq(qdt_handle_format(0x80010000, name, sizeof(name)), "8001:");
	ck_assert_str_eq(qdt_handle_format(0x00010010, name, sizeof(name)), "1:10");
	ck_assert_str_eq(qdt_handle_format(0xFFFFFFFF, name, sizeof(name)), "root");
}
END_TEST

static struct qdt_event event(enum qdt_hook hook, const char *dev, uint32_t len_, bool ip)
{
	struct qdt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = QDT_EV_ENTRY;
	ev.hook = (__u8)hook;
	ev.pid = 1234;
	ev.len = len_;
	strcpy(ev.comm, "iperf3");
	strcpy(ev.ifname, dev);
	if (ip) {
		ev.has_ip = 1;
		ev.proto = 0x0800;
		inet_pton(AF_INET, "10.0.0.1", &ev.saddr);
		inet_pton(AF_INET, "10.0.0.2", &ev.daddr);
	}
	return ev;
}

static void qdisc(struct qdt_event *ev, const char *kind, uint32_t handle, uint32_t qlen, uint32_t backlog,
		  uint32_t drops)
{
	ev->has_qdisc = 1;
	strcpy(ev->qdisc.kind, kind);
	ev->qdisc.handle = handle;
	ev->qdisc.parent = 0xFFFFFFFF;
	ev->qdisc.flags = 0x10;
	ev->qdisc.qlen = qlen;
	ev->qdisc.backlog = backlog;
	ev->qdisc.drops = drops;
	ev->qdisc.overlimits = drops + 1;
}

/* Every kind of event line, in text and in JSON. */
START_TEST(event_lines)
{
	struct qdt_event ev[8];
	FILE *f = golden_open(&buf, &len);

	ev[0] = event(QDT_DEV_QUEUE_XMIT, "eth0", 1514, true);
	ev[1] = event(QDT_FQ_CODEL_ENQUEUE, "eth0", 1514, true);
	qdisc(&ev[1], "fq_codel", 0, 2, 3028, 0);
	ev[2] = event(QDT_HARD_START_XMIT, "eth0", 1514, true);
	ev[2].txq = 3;
	ev[3] = event(QDT_ERSPAN_XMIT, "erspan_sys", 98, false);
	ev[3].pid = 0;
	strcpy(ev[3].comm, "swapper/2");
	ev[4] = event(QDT_QDISC_ENQUEUE, "veth0", 1042, true);
	qdisc(&ev[4], "tbf", 0x80010000, 1, 1042, 0);
	ev[5] = event(QDT_QDISC_DEQUEUE, "veth0", 1042, true);
	ev[5].packets = 2;
	qdisc(&ev[5], "tbf", 0x80010000, 0, 0, 0);
	ev[6] = event(QDT_QDISC_DROP, "veth0", 1042, true);
	ev[6].type = QDT_EV_DROP;
	ev[6].code = 64;
	qdisc(&ev[6], "tbf", 0x80010000, 1, 1042, 7);
	ev[7] = event(QDT_QDISC_DROP, "veth0", 42, false); /* an ARP request: no IP line */
	ev[7].type = QDT_EV_DROP;
	ev[7].proto = 0x0806;
	ev[7].code = 1;

	for (int i = 0; i < 8; i++)
		qdt_print_event(f, &ev[i], "14:20:01", i == 7 ? "NET_XMIT_DROP" : "QDISC_DROP");
	for (int i = 0; i < 8; i++)
		qdt_print_event_json(f, &ev[i], "14:20:01", i == 7 ? "NET_XMIT_DROP" : "QDISC_DROP");
	ck_assert_int_eq(golden_check(f, &buf, &len, "qdisc_drop_trace_events.txt"), 0);
}
END_TEST

static struct qdt_row row(uint32_t hook, uint32_t code, uint64_t count, const char *name)
{
	struct qdt_row r = { .hook = hook, .code = code, .count = count };

	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

/* Deltas between two snapshots: grown counters only, new keys in full, order by hook and code. */
START_TEST(interval_deltas)
{
	struct qdt_row before[] = {
		row(QDT_DEV_QUEUE_XMIT, 0, 100, "NET_XMIT_SUCCESS"),
		row(QDT_DEV_QUEUE_XMIT, 1, 5, "NET_XMIT_DROP"),
		row(QDT_HARD_START_XMIT, 0, 90, "NET_XMIT_SUCCESS"),
	};
	struct qdt_row after[] = {
		row(QDT_QDISC_DROP, 64, 12, "QDISC_DROP"),
		row(QDT_DEV_QUEUE_XMIT, 1, 5, "NET_XMIT_DROP"),
		row(QDT_DEV_QUEUE_XMIT, 0, 160, "NET_XMIT_SUCCESS"),
		row(QDT_DEV_QUEUE_XMIT, 2, 3, "NET_XMIT_CN"),
		row(QDT_HARD_START_XMIT, 0, 150, "NET_XMIT_SUCCESS"),
		row(QDT_FQ_CODEL_ENQUEUE, 0x10000, 4, "NET_XMIT_SUCCESS+__NET_XMIT_STOLEN"),
	};
	struct qdt_snapshot prev = { before, 3, { 105, 90, 0, 0, 70, 60, 0 } };
	struct qdt_snapshot cur = { after, 6, { 175, 150, 0, 4, 130, 120, 0 } };
	struct qdt_row out[6];
	uint64_t entries[QDT_HOOKS];
	size_t n;

	qdt_rows_sort(after, 6);
	n = qdt_snapshot_delta(&prev, &cur, out, entries);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(out[0].hook, QDT_DEV_QUEUE_XMIT);
	ck_assert_uint_eq(out[0].code, 0);
	ck_assert_uint_eq(out[0].count, 60);
	ck_assert_uint_eq(out[1].code, 2);
	ck_assert_uint_eq(out[1].count, 3);
	ck_assert_uint_eq(out[2].hook, QDT_HARD_START_XMIT);
	ck_assert_uint_eq(out[2].count, 60);
	ck_assert_uint_eq(out[3].hook, QDT_FQ_CODEL_ENQUEUE);
	ck_assert_uint_eq(out[4].hook, QDT_QDISC_DROP);
	ck_assert_uint_eq(out[4].count, 12);
	ck_assert_uint_eq(entries[QDT_DEV_QUEUE_XMIT], 70);
	ck_assert_uint_eq(entries[QDT_FQ_CODEL_ENQUEUE], 4);
	ck_assert_uint_eq(entries[QDT_QDISC_DEQUEUE], 60);
	ck_assert_uint_eq(entries[QDT_ERSPAN_XMIT], 0);

	FILE *f = golden_open(&buf, &len);
	struct qdt_report kprobes = { .rows = out, .n = n, .entries = entries };
	uint64_t none[QDT_HOOKS] = { 0 };
	struct qdt_report quiet = { .entries = none, .not_counted = 2 };
	struct qdt_row tp_rows[2] = { out[2], out[4] };
	uint64_t tp_entries[QDT_HOOKS] = { 70, 60, 0, 0, 58, 60, 0 };
	struct qdt_report tracepoints = { .rows = tp_rows, .n = 2, .entries = tp_entries };

	/* kprobe paths: the four functions, fq_codel attached, erspan not, drops by reason */
	for (int h = 0; h < QDT_HOOKS; h++)
		kprobes.returns[h] = kprobes.attached[h] = h != QDT_ERSPAN_XMIT;
	qdt_print_report(f, &kprobes);
	/* an interval without traffic: headers of attached functions, nothing else */
	quiet.returns[QDT_DEV_QUEUE_XMIT] = quiet.returns[QDT_HARD_START_XMIT] = true;
	quiet.returns[QDT_QDISC_DROP] = true;
	qdt_print_report(f, &quiet);
	/* tracepoints only: __dev_queue_xmit has entries but no return codes */
	tracepoints.returns[QDT_HARD_START_XMIT] = tracepoints.returns[QDT_QDISC_DROP] = true;
	for (int h = 0; h < QDT_HOOKS; h++)
		tracepoints.attached[h] = h != QDT_ERSPAN_XMIT && h != QDT_FQ_CODEL_ENQUEUE;
	qdt_print_report(f, &tracepoints);
	qdt_print_report_json(f, &kprobes, "14:20:10", false, 0);
	qdt_print_report_json(f, &quiet, "14:20:20", true, 3);
	ck_assert_int_eq(golden_check(f, &buf, &len, "qdisc_drop_trace_report.txt"), 0);
}
END_TEST

Suite *golden_qdisc_drop_trace_suite(void)
{
	const TTest *layout_tests[] = { return_code_names, event_lines, interval_deltas };

	return unit_suite("qdisc_drop_trace", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
