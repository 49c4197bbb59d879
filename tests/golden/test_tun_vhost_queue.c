// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_to_vhost_queue_status_simple and tun_to_vhost_queue_stats_details: banners, reports
 * (queues with and without signals or packets, empty ones), JSON; the slot rule and labels
 * and the top-10 list of the signal index analysis.
 */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "tun_vhost_queue.h"

static char *buf;
static size_t len;

/* vnet33 queue 0 busy (ring depths 0-5, last_used_idx around 40000), queue 2 signals only. */
static void queues(struct tvq_queue_report *q)
{
	memset(q, 0, 2 * sizeof(*q));
	strcpy(q[0].dev, "vnet33");
	q[0].queue = 0;
	q[0].sock = 0xffff8c2a11220380ull;
	q[0].xmits = 5230;
	q[0].signals = 118;
	q[0].last_used_idx = 40312;
	q[0].hist[TVQH_RING_XMIT][tvq_slot(0)] = 5100;
	q[0].hist[TVQH_RING_XMIT][tvq_slot(1)] = 100;
	q[0].hist[TVQH_RING_XMIT][tvq_slot(3)] = 20;
	q[0].hist[TVQH_RING_XMIT][tvq_slot(5)] = 10;
	q[0].hist[TVQH_USED_SIGNAL][tvq_slot(40312)] = 118;
	q[0].hist[TVQH_RING_RECV][tvq_slot(1)] = 5200;
	q[0].hist[TVQH_RING_RECV][tvq_slot(2)] = 30;
	q[0].hist[TVQH_AVAIL_RX][tvq_slot(0)] = 6;
	q[0].hist[TVQH_AVAIL_RX][tvq_slot(200)] = 90;
	q[0].hist[TVQH_INFLIGHT_RX][tvq_slot(0)] = 96;
	q[0].hist[TVQH_USED_RX][tvq_slot(40300)] = 96;
	q[0].hist[TVQH_AVAIL_SIGNAL][tvq_slot(150)] = 118;
	q[0].hist[TVQH_INFLIGHT_SIGNAL][tvq_slot(1)] = 100;
	q[0].hist[TVQH_INFLIGHT_SIGNAL][tvq_slot(64)] = 18;
	strcpy(q[1].dev, "vnet33");
	q[1].queue = 2;
	q[1].signals = 3;
	q[1].last_used_idx = 1;
	q[1].hist[TVQH_USED_SIGNAL][tvq_slot(0)] = 1;
	q[1].hist[TVQH_USED_SIGNAL][tvq_slot(1)] = 2;
}

static const struct tvq_banner banner = {
	.release = "6.1",
	.distro = "debian",
	.vring_call_struct = true,
	.signal_fn = "vhost_add_used_and_signal_n",
	.handle_rx_fn = "handle_rx",
	.device = "vnet33",
	.queue = -1,
	.interval = 1,
	.outputs = 0,
};

START_TEST(test_simple_text)
{
	FILE *f = golden_open(&buf, &len);
	struct tvq_queue_report q[2];
	struct tvq_banner b = banner;
	struct tvq_report r = { "2025-09-22 16:30:15.123", true, q, 2 };

	queues(q);
	tvq_print_simple_banner(f, &b);
	tvq_print_simple_report(f, &r);
	/* Nothing happened; no -T. */
	r = (struct tvq_report){ "2025-09-22 16:30:16.123", false, q, 0 };
	tvq_print_simple_report(f, &r);
	/* No signal function (vhost not loaded), every device, queue 0, 12 reports of 5 s. */
	b = (struct tvq_banner){ "4.19", "openeuler", false, NULL, NULL, NULL, 0, 5, 12 };
	tvq_print_simple_banner(f, &b);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_to_vhost_queue_status_simple.txt"), 0);
}
END_TEST

START_TEST(test_simple_json)
{
	FILE *f = golden_open(&buf, &len);
	struct tvq_queue_report q[2];
	struct tvq_report r = { "2025-09-22 16:30:15.123", false, q, 2 };

	queues(q);
	tvq_print_json(f, &r, false);
	r.nqueues = 0;
	tvq_print_json(f, &r, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_to_vhost_queue_status_simple.json"), 0);
}
END_TEST

/* Queue 0 signalled 118 times, 6 of them with an index already signalled; a socket of no queue. */
static int freqs(struct tvq_signal_freq *fr, const struct tvq_queue_report *q)
{
	memset(fr, 0, 2 * sizeof(*fr));
	fr[0].sock = q[0].sock;
	fr[0].queue = &q[0];
	fr[0].verification = q[0].signals;
	for (uint32_t idx = 40200; idx < 40312; idx++) {
		fr[0].total++;
		fr[0].unique++;
		tvq_top_insert(&fr[0], idx, idx % 19 ? 1 : 2);
	}
	fr[0].total = 118;
	fr[1].sock = 0xffff8c2a11229000ull;
	fr[1].total = fr[1].unique = 1;
	tvq_top_insert(&fr[1], 7, 1);
	return 2;
}

START_TEST(test_details_text)
{
	static const uint64_t counters[TVQC_COUNTERS] = {
		[TVQC_RX_ENTRY] = 812,     [TVQC_RX_LOOKUP] = 812,    [TVQC_RX_FOUND] = 96,
		[TVQC_RX_NOT_FOUND] = 716, [TVQC_SIGNAL_ENTRY] = 905,
	};
	static const struct tvq_debug_entry targets[] = { { 0xffff8c2a11220380ull, 0, "vnet33:q0" } },
					    rx_vqs[] = { { 0xffffa1b2c00000c8ull, 0xffff8c2a11220380ull,
							   "vnet33:q0" },
							 { 0xffffa1b2c0100000ull, 0xffff8c2a11229000ull,
							   NULL } };
	struct tvq_debug_report debug = { counters, targets, 1, rx_vqs, 2 };
	FILE *f = golden_open(&buf, &len);
	struct tvq_queue_report q[2];
	struct tvq_signal_freq fr[2];
	struct tvq_report r = { "2025-09-22 16:30:15.123", true, q, 2, fr, 0, NULL };

	queues(q);
	r.nfreqs = freqs(fr, q);
	tvq_print_details_banner(f, &banner);
	tvq_print_details_report(f, &r);
	/* --debug; nothing counted. */
	r = (struct tvq_report){ "2025-09-22 16:30:16.123", false, q, 0, fr, 0, &debug };
	tvq_print_details_report(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_to_vhost_queue_stats_details.txt"), 0);
}
END_TEST

START_TEST(test_details_json)
{
	FILE *f = golden_open(&buf, &len);
	struct tvq_queue_report q[2];
	struct tvq_signal_freq fr[2];
	struct tvq_report r = { "2025-09-22 16:30:15.123", false, q, 2, fr, 0, NULL };

	queues(q);
	r.nfreqs = freqs(fr, q);
	tvq_print_json(f, &r, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_to_vhost_queue_stats_details.json"), 0);
}
END_TEST

/* The ten highest counts, highest first; equal counts by index. */
START_TEST(test_top)
{
	struct tvq_signal_freq fr = { 0 };
	static const uint32_t counts[] = { 1, 3, 1, 2, 5, 1, 1, 3, 1, 1, 1, 4, 1 };

	for (uint32_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		tvq_top_insert(&fr, 100 - i, counts[i]);
	ck_assert_int_eq(fr.ntop, TVQ_TOP);
	ck_assert_uint_eq(fr.top[0].idx, 96);
	ck_assert_uint_eq(fr.top[0].count, 5);
	ck_assert_uint_eq(fr.top[1].idx, 89);
	ck_assert_uint_eq(fr.top[2].idx, 93);
	ck_assert_uint_eq(fr.top[3].idx, 99);
	ck_assert_uint_eq(fr.top[4].idx, 97);
	ck_assert_uint_eq(fr.top[5].idx, 88);
	ck_assert_uint_eq(fr.top[5].count, 1);
	ck_assert_uint_eq(fr.top[9].idx, 94);
}
END_TEST

/* bpf_log2l's slots with labels that say what they hold: 0 | 1 | 2-3 | 4-7 ... */
START_TEST(test_slots)
{
	char label[48];

	ck_assert_uint_eq(tvq_slot(0), 0);
	ck_assert_uint_eq(tvq_slot(1), 1);
	ck_assert_uint_eq(tvq_slot(2), 2);
	ck_assert_uint_eq(tvq_slot(3), 2);
	ck_assert_uint_eq(tvq_slot(4), 3);
	ck_assert_uint_eq(tvq_slot(32767), 15);
	ck_assert_uint_eq(tvq_slot(32768), 16);
	ck_assert_uint_eq(tvq_slot(65535), 16);
	ck_assert_uint_eq(tvq_slot(0x7fffffffull), 31);
	ck_assert_uint_eq(tvq_slot(0xffffffffull), TVQ_SLOTS - 1);
	ck_assert_uint_eq(tvq_slot(~0ull), TVQ_SLOTS - 1);
	for (unsigned s = 1; s < TVQ_SLOTS; s++) {
		ck_assert_uint_eq(tvq_slot(tvq_slot_low(s)), s);
		ck_assert_uint_eq(tvq_slot(tvq_slot_high(s)), s);
		ck_assert_uint_eq(tvq_slot_low(s), tvq_slot_high(s - 1) + 1);
	}
	ck_assert_str_eq(tvq_slot_label(0, label, sizeof(label)), "0");
	ck_assert_str_eq(tvq_slot_label(1, label, sizeof(label)), "1");
	ck_assert_str_eq(tvq_slot_label(2, label, sizeof(label)), "2-3");
	ck_assert_str_eq(tvq_slot_label(16, label, sizeof(label)), "32768-65535");
}
END_TEST

/* The metrics (--prometheus-textfile) of both tools, the same queues read as counts since the start. */
START_TEST(test_prom)
{
	FILE *f = golden_open(&buf, &len);
	struct tvq_queue_report q[2];
	struct prom p = { 0 };

	queues(q);
	prom_begin(&p, "tun_to_vhost_queue_status_simple");
	tvq_prom_write(&p, q, 2, false);
	fputs(p.text.buf, f);
	prom_begin(&p, "tun_to_vhost_queue_stats_details");
	tvq_prom_write(&p, q, 2, true);
	fputs(p.text.buf, f);
	prom_free(&p);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_to_vhost_queue.prom"), 0);
}
END_TEST

Suite *golden_tun_vhost_queue_suite(void)
{
	Suite *s = suite_create("tun_vhost_queue");
	TCase *tc = tcase_create("layouts");

	tcase_add_test(tc, test_simple_text);
	tcase_add_test(tc, test_simple_json);
	tcase_add_test(tc, test_details_text);
	tcase_add_test(tc, test_details_json);
	tcase_add_test(tc, test_top);
	tcase_add_test(tc, test_slots);
	tcase_add_test(tc, test_prom);
	suite_add_tcase(s, tc);
	return s;
}
