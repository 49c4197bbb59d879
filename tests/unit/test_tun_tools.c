// SPDX-License-Identifier: GPL-2.0-only
/* The host-side tun tools' logic: ring fill levels, per-interval queue counts, tap detection. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev_names.h"
#include "tun-abnormal-gso-type.h"
#include "tun_dev.h"
#include "tun_ring_fill.h"
#include "tun_ring_monitor.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_used_pct)
{
	struct tun_ring_state r = { .size = 1000 };

	r.producer = 500, r.consumer_tail = 100;
	ck_assert_int_eq(tun_ring_used_pct(&r), 40);
	r.producer = 9, r.consumer_tail = 10; /* wrapped: 999 of 1000 in use */
	ck_assert_int_eq(tun_ring_used_pct(&r), 99);
	r.producer = r.consumer_tail = 10;
	ck_assert_int_eq(tun_ring_used_pct(&r), 0);
	r.size = 16, r.producer = 15, r.consumer_tail = 0;
	ck_assert_int_eq(tun_ring_used_pct(&r), 93);
	r.size = 0; /* an unsized ring (no queue yet) */
	ck_assert_int_eq(tun_ring_used_pct(&r), 0);
}
END_TEST

static struct trm_queue_row row(__u32 ifindex, __u32 queue, __u64 xmits, __u64 full, const char *dev)
{
	struct trm_queue_row r = { { ifindex, queue }, { xmits, full, "" } };

	strcpy(r.count.dev, dev);
	return r;
}

START_TEST(test_rows_since)
{
	struct trm_queue_row prev[] = { row(3, 0, 10, 1, "tap0"), row(7, 1, 5, 0, "vnet12") };
	struct trm_queue_row cur[] = { row(7, 1, 5, 0, "vnet12"), row(3, 0, 25, 4, "tap0"),
				       row(7, 0, 2, 2, "vnet12") };
	int n = trm_rows_since(cur, 3, prev, 2);

	/* vnet12 queue 1 did not grow: left out; tap0 grew by 15 (3 full); vnet12 queue 0 is new */
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(cur[0].key.ifindex, 3);
	ck_assert_uint_eq(cur[0].count.xmits, 15);
	ck_assert_uint_eq(cur[0].count.full, 3);
	ck_assert_str_eq(cur[0].count.dev, "tap0");
	ck_assert_uint_eq(cur[1].key.queue, 0);
	ck_assert_uint_eq(cur[1].count.xmits, 2);
	ck_assert_uint_eq(cur[1].count.full, 2);
	/* the first report: totals are the interval's */
	cur[0] = row(3, 0, 25, 4, "tap0");
	ck_assert_int_eq(trm_rows_since(cur, 1, prev, 0), 1);
	ck_assert_uint_eq(cur[0].count.xmits, 25);
}
END_TEST

START_TEST(test_device_is_tun)
{
	char root[] = "/tmp/unit_tun_sysfs.XXXXXX", path[256];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/class", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/class/net", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/class/net/tap0", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/class/net/eth0", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/class/net/tap0/tun_flags", root);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("0x1002\n", f);
	fclose(f);
	ck_assert(tun_device_is_tun(root, "tap0"));
	ck_assert(!tun_device_is_tun(root, "eth0"));
	ck_assert(!tun_device_is_tun(root, "nothere"));
	unlink(path);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

static void expect_names(const struct dev_name_set *set, const char *const *names, unsigned n)
{
	ck_assert_uint_eq(set->count, n);
	for (unsigned i = 0; i < n; i++)
		ck_assert_str_eq(dev_name_set_name(set, i), names[i]);
}

/* tun-abnormal-gso-type: tun_net_xmit watches --device, validate_xmit_skb both options' devices. */
START_TEST(test_gso_devices)
{
	const char *device = "vnet3,vnet4", *extra = "port-storage";
	const char *const listed[] = { "vnet3", "vnet4" };
	const char *const validated[] = { "vnet3", "vnet4", "port-storage" };
	struct gso_config cfg;

	tagt_build_config(&cfg, &device, &extra);
	expect_names(&cfg.devices, listed, ARRAY_SIZE(listed));
	expect_names(&cfg.devices2, validated, ARRAY_SIZE(validated));
	ck_assert_uint_eq(cfg.gso_type_ignore, 0);
}
END_TEST

START_TEST(test_print_filters)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	tun_print_filters(f, "vnet0", 0, " (enforced at tun_net_xmit)");
	tun_print_filters(f, NULL, -1, " (never shown)");
	fclose(f);
	ck_assert_str_eq(text, "Device filter: vnet0\nQueue filter: 0 (enforced at tun_net_xmit)\n"
			       "Device filter: All TUN devices\nQueue filter: All queues\n");
	free(text);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_used_pct, test_rows_since, test_device_is_tun, test_gso_devices,
				 test_print_filters };

	return unit_run(unit_suite("tun_tools", "logic", tests, ARRAY_SIZE(tests)));
}
