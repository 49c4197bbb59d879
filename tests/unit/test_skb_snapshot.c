// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/skb_snapshot.h: the VLAN tag, the flow text. */
#include <check.h>
#include <string.h>

#include "filter.h"
#include "skb_snapshot.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_vlan_tag)
{
	struct skb_snapshot s = { 0 };

	ck_assert_int_eq(skb_snap_vlan_id(&s), -1);
	/* In the frame: TPID 0x8100, TCI 0x2064 (priority 1, VLAN 100). */
	s.data[12] = 0x81;
	s.data[14] = 0x20;
	s.data[15] = 0x64;
	ck_assert_int_eq(skb_snap_vlan_id(&s), 100);
	s.data[12] = 0x88;
	s.data[13] = 0xa8;
	ck_assert_int_eq(skb_snap_vlan_id(&s), 100);
	/* The accelerated tag wins over the bytes. */
	s.hw_vlan = 1;
	s.hw_vlan_tci = 0xe00a;
	ck_assert_int_eq(skb_snap_vlan_id(&s), 10);
	s.hw_vlan = 0;
	s.data[12] = 0x08;
	s.data[13] = 0x00;
	ck_assert_int_eq(skb_snap_vlan_id(&s), -1);
}
END_TEST

START_TEST(test_flow)
{
	struct skb_snapshot s = { 0 };
	char buf[64];

	s.saddr = htonl(0x0a000001);
	s.daddr = htonl(0x0a000002);
	s.sport = 40000;
	s.dport = 6081;
	ck_assert_str_eq(skb_snap_flow(&s, true, buf, sizeof(buf)), "10.0.0.1:40000 => 10.0.0.2:6081");
	ck_assert_str_eq(skb_snap_flow(&s, false, buf, sizeof(buf)), "10.0.0.1:0 => 10.0.0.2:0");
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_vlan_tag, test_flow };

	return unit_run(unit_suite("skb_snapshot", "core", tests, ARRAY_SIZE(tests)));
}
