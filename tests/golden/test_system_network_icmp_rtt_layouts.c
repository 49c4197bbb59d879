// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt: the text and JSON layouts of round trips recorded in the kernel lab,
 * banners and totals, against golden files.
 */
#include <check.h>

#include "golden.h"
#include "icmp_rtt_replay.h"
#include "system_network_icmp_rtt.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* A round trip recorded in the lab: who sent what, from where to where. */
struct recording {
	int direction;
	const char *src, *dst;
	struct path_who who[2];
	const struct recorded_stage *rec;
	size_t nrec;
	__u16 id;
};

enum { TX_FAST_PATH, RX_UPCALL };

// clang-format off
static const struct recording trips[] = {
	[TX_FAST_PATH] = { RTT_TX, "10.71.0.254", "10.71.0.1", { { 243, "ping", "int0" }, { 243, "ping", "phys0" } },
			   tx_fast_path, ARRAY_SIZE(tx_fast_path), 4242 },
	/* Through userspace: every packet is an upcall. */
	[RX_UPCALL] = { RTT_RX, "10.71.0.1", "10.71.0.254", { { 280, "ping", "phys0" }, { 258, "python3", "int0" } },
			rx_upcall, ARRAY_SIZE(rx_upcall), 4343 },
};
// clang-format on

/* The recorded round trips, replayed and printed in a layout. */
static const struct recorded_layout {
	const struct recording *trip;
	void (*print)(FILE *f, const struct rtt_report *r);
	const char *golden;
} recorded_layouts[] = {
	{ &trips[TX_FAST_PATH], rtt_print_event, "system_network_icmp_rtt_tx.txt" },
	{ &trips[TX_FAST_PATH], rtt_print_json, "system_network_icmp_rtt_tx.json" },
	{ &trips[RX_UPCALL], rtt_print_event, "system_network_icmp_rtt_rx_upcall.txt" },
};

START_TEST(recorded_round_trips)
{
	const struct recorded_layout *l = &recorded_layouts[_i];
	const struct recording *t = l->trip;
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, t->direction, t->src, t->dst);
	r.who[0] = t->who[0];
	r.who[1] = t->who[1];
	replay_recorded(&r, t->rec, t->nrec, t->id, 2, 0);
	ck_assert_int_eq(r.nreported, 1);
	rep = report_of(&r.reported[0], t->rec, t->nrec, t->direction, t->src, t->dst, true);
	l->print(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, l->golden), 0);
}
END_TEST

/*
 * Upcalls nobody read (no key extraction) on path 1, the reply's netdev_frame_hook stage
 * missed, a stack the kernel could not store (-EEXIST) and one that reads back empty.
 */
START_TEST(partial_stages_and_stack_failures)
{
	struct replay r;
	struct rtt_report rep;
	FILE *f = golden_open(&buf, &len);

	replay_init(&r, RTT_TX, "10.71.0.254", "10.71.0.1");
	replay_who(&r, 243, "ping", "int0", 0, "swapper/1", "phys0");
	for (size_t i = 0; i < ARRAY_SIZE(tx_fast_path); i++) {
		int st = tx_fast_path[i].stage;

		if (st == 8)
			continue;
		if (st == 5)
			hit(&r, RTT_HOOK_OVS_UPCALL, 0, 4242, 9, tx_fast_path[i].ktime_ns - 20000,
			    tx_fast_path[i].skb);
		hit(&r, hook_of(st, RTT_TX), st >= 7, 4242, 9, tx_fast_path[i].ktime_ns, tx_fast_path[i].skb);
	}
	ck_assert_int_eq(r.nreported, 1);
	rep = report_of(&r.reported[0], tx_fast_path, ARRAY_SIZE(tx_fast_path), RTT_TX, "10.71.0.254",
			"10.71.0.1", true);
	r.reported[0].stack_id[3] = -17;
	rep.nframes[3] = 0;
	rep.nframes[9] = 0;
	rtt_print_event(f, &rep);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_partial.txt"), 0);
}
END_TEST

START_TEST(banners)
{
	/* One NIC fills both of the original's slots (netstage_phy_opt). */
	const struct iface_set one = { .ifindex = { 3, 3 } }, two = { .ifindex = { 4, 7 } };
	FILE *f = golden_open(&buf, &len);

	rtt_print_banner(f, "192.168.1.10", "192.168.1.20", "eth0", &one, RTT_TX, 0);
	fputs("--\n", f);
	rtt_print_banner(f, "192.168.1.20", "192.168.1.10", "eth0,eth1", &two, RTT_RX, 10);
	fputs("--\n", f);
	/* int(0.0000001 * 1e6) == 0 in the original: no threshold line. */
	rtt_print_banner(f, "10.1", "10.0.0.2", "eth0", &one, RTT_TX, 0.0000001);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_banner.txt"), 0);
}
END_TEST

/* The totals at exit, text then JSON: the JSON stream ends with the same figures. */
START_TEST(totals)
{
	FILE *f = golden_open(&buf, &len);

	rtt_print_totals(f, false, 12, 3, 1, 0);
	rtt_print_totals(f, false, 0, 0, 0, 1710099);
	rtt_print_totals(f, true, 12, 3, 1, 0);
	rtt_print_totals(f, true, 0, 0, 0, 1710099);
	ck_assert_int_eq(golden_check(f, &buf, &len, "system_network_icmp_rtt_totals.txt"), 0);
}
END_TEST

Suite *golden_system_network_icmp_rtt_layouts_suite(void)
{
	const TTest *layouts_tests[] = { partial_stages_and_stack_failures, banners, totals };
	Suite *s = suite_create("system_network_icmp_rtt_layouts");

	tcase_add_loop_test(unit_tcase(s, "layouts", layouts_tests, ARRAY_SIZE(layouts_tests)),
			    recorded_round_trips, 0, ARRAY_SIZE(recorded_layouts));
	return s;
}
