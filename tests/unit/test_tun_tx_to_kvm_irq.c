// SPDX-License-Identifier: GPL-2.0-only
/* tun_tx_to_kvm_irq's logic: queue keys, the chain classification, statistics, latencies. */
#include <check.h>
#include <string.h>

#include "tun_tx_to_kvm_irq.h"
#include "unit_helpers.h"
#include "util.h"

static struct ttk_event event(unsigned stage, const char *dev, __u32 queue, __u64 delay_ns, __u8 protocol)
{
	struct ttk_event ev = { .stage = stage, .queue = queue, .delay_ns = delay_ns, .protocol = protocol };

	snprintf(ev.dev, sizeof(ev.dev), "%s", dev);
	return ev;
}

START_TEST(test_queue_key)
{
	struct ttk_event ev = event(1, "vnet0", 3, 0, 0);
	char buf[TTK_QUEUE_KEY_LEN];

	ck_assert_str_eq(ttk_queue_key(&ev, buf, sizeof(buf)), "vnet0:q3");
	ev.queue = 256; /* as the original: not a queue of a tap */
	ck_assert_str_eq(ttk_queue_key(&ev, buf, sizeof(buf)), "unknown");
	ev = event(2, "", 0, 0, 0);
	ck_assert_str_eq(ttk_queue_key(&ev, buf, sizeof(buf)), "unknown");
	/* A full 16-byte name has no NUL. */
	memcpy(ev.dev, "abcdefghijklmnop", 16);
	ck_assert_str_eq(ttk_queue_key(&ev, buf, sizeof(buf)), "abcdefghijklmnop:q0");
	ck_assert_str_eq(ttk_stage_name(5), "posted_int");
	ck_assert_str_eq(ttk_stage_name(9), "unknown");
}
END_TEST

START_TEST(test_chain_class)
{
	static const struct {
		unsigned long long st[6];
		const char *starts;
	} cases[] = {
		{ { 0, 1, 1, 1, 1, 1 }, "  COMPLETE CHAIN" },
		{ { 0, 9, 3, 2, 2, 0 },
		  "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal -> eventfd_signal -> irqfd_wakeup (" },
		{ { 0, 9, 3, 2, 0, 1 }, "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal -> eventfd_signal (" },
		{ { 0, 1, 1, 0, 1, 1 }, "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal (" },
		{ { 0, 4, 0, 1, 1, 1 }, "  INCOMPLETE: only tun_net_xmit" },
		{ { 0, 0, 4, 1, 1, 1 }, "  INCOMPLETE: only vhost_signal" },
		{ { 0, 0, 0, 1, 1, 1 }, "  NO PROPER CHAIN" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *c = ttk_chain_class(cases[i].st);

		ck_assert_msg(!strncmp(c, cases[i].starts, strlen(cases[i].starts)), "case %zu: %s", i, c);
	}
}
END_TEST

START_TEST(test_stats)
{
	struct ttk_stats s = { 0 };
	struct ttk_event ev;
	struct ttk_latency l;

	ck_assert(!ttk_latency(&s, &l));
	ev = event(1, "vnet0", 0, 0, 1);
	ttk_stats_add(&s, &ev);
	ev = event(1, "vnet1", 0, 0, 0); /* no IPv4: not a packet type */
	ttk_stats_add(&s, &ev);
	ev = event(2, "vnet0", 0, 5000, 0);
	ttk_stats_add(&s, &ev);
	ev = event(0, "vnet0", 0, 5000, 0); /* not a stage: ignored */
	ttk_stats_add(&s, &ev);
	ck_assert_uint_eq(s.stage[1], 2);
	ck_assert_uint_eq(s.stage[2], 1);
	ck_assert_int_eq(s.n_queues, 2);
	ck_assert_str_eq(s.queues[0].key, "vnet0:q0");
	ck_assert_uint_eq(s.queues[0].stage[1], 1);
	ck_assert_uint_eq(s.queues[0].stage[2], 1);
	ck_assert_str_eq(s.queues[1].key, "vnet1:q0");
	ck_assert_uint_eq(s.protocols[1], 1);
	ck_assert_uint_eq(s.protocols[0], 0);
	ck_assert_uint_eq(s.n_delays, 1); /* delays of 0 are left out */
	ttk_stats_free(&s);
}
END_TEST

START_TEST(test_latency)
{
	struct ttk_stats s = { 0 };
	struct ttk_latency l;

	/* 1..100 µs in reverse order; 2000 delays go through the table's growth. */
	for (int i = 100; i >= 1; i--) {
		struct ttk_event ev = event(3, "vnet0", 0, i * 1000ULL, 0);

		ttk_stats_add(&s, &ev);
	}
	ck_assert(ttk_latency(&s, &l));
	ck_assert_uint_eq(l.n, 100);
	ck_assert_double_eq_tol(l.avg_us, 50.5, 1e-9);
	ck_assert_double_eq_tol(l.p50_us, 51, 1e-9); /* sorted[50] */
	ck_assert_double_eq_tol(l.p90_us, 91, 1e-9);
	ck_assert_double_eq_tol(l.p99_us, 100, 1e-9);
	for (int i = 0; i < 1900; i++) {
		struct ttk_event ev = event(4, "vnet0", 0, 1000000, 0);

		ttk_stats_add(&s, &ev);
	}
	ck_assert(ttk_latency(&s, &l));
	ck_assert_uint_eq(l.n, 2000);
	ck_assert_double_eq_tol(l.p50_us, 1000, 1e-9);
	ck_assert_uint_eq(s.queues[0].stage[4], 1900);
	ttk_stats_free(&s);
}
END_TEST

START_TEST(test_queue_table_full)
{
	struct ttk_stats s = { 0 };
	char dev[16];

	for (int i = 0; i < TTK_MAX_STAT_QUEUES + 3; i++) {
		struct ttk_event ev;

		snprintf(dev, sizeof(dev), "tap%d", i);
		ev = event(1, dev, 0, 0, 0);
		ttk_stats_add(&s, &ev);
	}
	ck_assert_int_eq(s.n_queues, TTK_MAX_STAT_QUEUES);
	ck_assert_uint_eq(s.queues_dropped, 3);
	ck_assert_uint_eq(s.stage[1], TTK_MAX_STAT_QUEUES + 3);
	ttk_stats_free(&s);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_queue_key, test_chain_class, test_stats, test_latency,
				 test_queue_table_full };

	return unit_run(unit_suite("tun_tx_to_kvm_irq", "logic", tests, ARRAY_SIZE(tests)));
}
