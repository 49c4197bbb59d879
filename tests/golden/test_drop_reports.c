// SPDX-License-Identifier: GPL-2.0-only
/* The drop summary tools' report layouts, against golden files. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "kernel_drop_stack_stats.h"
#include "kernel_drop_stack_stats_summary.h"
#include "kernel_drop_stack_stats_summary_all.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static char *frames_a[] = { "kfree_skb+0x1 [kernel]",
			    "ip_protocol_deliver_rcu+0x1a9 [kernel]",
			    "ip_local_deliver_finish+0x48 [kernel]",
			    "ip_local_deliver+0xcd [kernel]",
			    "ip_rcv_finish+0x84 [kernel]",
			    "ip_rcv+0x3c [kernel]",
			    "__netif_receive_skb_one_core+0x8b [kernel]" };
static char *frames_b[] = { "kfree_skb+0x1 [kernel]", "ovs_vport_send+0x9d [openvswitch]" };

static struct drop_entry entry(uint64_t count, int stack_id, const char *dev, char **frames, int n)
{
	struct drop_entry e;

	memset(&e, 0, sizeof(e));
	e.count = count;
	e.key.stack_id = stack_id;
	strcpy(e.key.devname, dev);
	e.frames = frames;
	e.nframes = n;
	return e;
}

static void tuple(struct drop_entry *e, const char *s, const char *d, unsigned sp, unsigned dp, int proto)
{
	inet_pton(AF_INET, s, &e->key.tuple.saddr);
	inet_pton(AF_INET, d, &e->key.tuple.daddr);
	e->key.tuple.sport = (__u16)sp;
	e->key.tuple.dport = (__u16)dp;
	e->key.tuple.protocol = (__u8)proto;
}

/* Two stacks (76 and 3 drops) on port-storage, one failed stack walk. */
static void sample(struct drop_table *drops, struct drop_table *failed)
{
	static struct drop_entry d[2], fl[1];

	d[0] = entry(76, 2, "port-storage", frames_a, 7);
	d[1] = entry(3, 344, "port-storage", frames_b, 2);
	tuple(&d[0], "10.132.114.12", "10.132.114.11", 0, 0, 1);
	tuple(&d[1], "10.132.114.12", "10.132.114.11", 40000, 22, 6);
	fl[0] = entry(1, DROP_STACK_NONE, "port-storage", NULL, 0);
	*drops = (struct drop_table){ d, 2, 79 };
	*failed = (struct drop_table){ fl, 1, 1 };
}

START_TEST(summary_cycle_and_final)
{
	struct drop_table drops, failed, none = { 0 };
	FILE *f = golden_open(&buf, &len);

	sample(&drops, &failed);
	kdss_print_cycle(f, "2025-09-22 17:50:10", 1, 5, &drops, &failed, 0);
	kdss_print_cycle(f, "2025-09-22 17:50:20", 2, 1, &none, &none, 12);
	kdss_print_final(f, "2025-09-22 17:51:00", 5, &drops, &failed);
	kdss_print_final(f, "2025-09-22 17:51:00", 5, &none, &none);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kernel_drop_stack_stats_summary.txt"), 0);
}
END_TEST

START_TEST(summary_all_groupings_and_final)
{
	struct drop_table drops, failed, none = { 0 };
	FILE *f = golden_open(&buf, &len);

	sample(&drops, &failed);
	kdssa_print_cycle(f, "2025-09-22 17:50:10", 1, 5, GROUP_ALL, &drops, &failed, 0);
	kdssa_print_cycle(f, "2025-09-22 17:50:20", 2, 1, GROUP_STACK, &drops, &none, 0);
	kdssa_print_cycle(f, "2025-09-22 17:50:30", 3, 5, GROUP_FIVETUPLE, &drops, &none, 0);
	kdssa_print_cycle(f, "2025-09-22 17:50:40", 4, 5, GROUP_FIVETUPLE, &none, &none, 0);
	kdssa_print_final(f, "2025-09-22 17:51:00", 5, &drops, &failed);
	kdssa_print_final(f, "2025-09-22 17:51:00", 5, &none, &none);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kernel_drop_stack_stats_summary_all.txt"), 0);
}
END_TEST

START_TEST(bpftrace_style_maps)
{
	static char *dec_a[] = { "kfree_skb+0", "tcp_v4_rcv+564" };
	static char *dec_b[] = { "kfree_skb+0", "ip_rcv_core.isra.20+740", "ip_rcv+52" };
	struct drop_entry d[3] = {
		entry(16, 1, "eth0", dec_a, 2),
		entry(4, 2, "eth0", dec_b, 3),
		entry(5, 3, "br-int", dec_a, 2),
	};
	struct drop_entry fl[1] = { entry(2, DROP_STACK_NONE, "eth1", NULL, 0) };
	struct drop_table stacks = { d, 3, 25 }, failed = { fl, 1, 2 }, totals;
	FILE *f = golden_open(&buf, &len);

	drop_table_sort(&stacks);
	kds_device_totals(&stacks, &failed, &totals);
	ck_assert_uint_eq(totals.total, 27);
	kds_print_device_totals(f, &totals, 3);
	kds_print_stack_counts(f, &stacks, &failed, 3);
	fputs("--- all ---\n", f);
	kds_print_device_totals(f, &totals, 0);
	kds_print_stack_counts(f, &stacks, &failed, 0);
	free(totals.entries);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kernel_drop_stack_stats.txt"), 0);
}
END_TEST

Suite *golden_drop_reports_suite(void)
{
	const TTest *layout_tests[] = { summary_cycle_and_final, summary_all_groupings_and_final,
					bpftrace_style_maps };

	return unit_suite("drop_reports", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
