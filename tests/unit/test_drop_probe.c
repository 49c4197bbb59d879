// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the frame heuristics of common/drop_probe.h. */
#include <check.h>

#include "drop_probe.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_normal_pattern_true)
{
	static const char *const tcp[] = { "kfree_skb+0x1", "tcp_v4_rcv+0x5a",
					   "ip_protocol_deliver_rcu+0x30" };
	static const char *const icmp[] = { "sk_skb_reason_drop+0x90", "icmp_rcv+0x2fd" };
	static const char *const reason[] = { "kfree_skb_reason+0x12", "tcp_v4_do_rcv+0x1" };
	static const char *const mm[] = { "kfree_skb_reason+0x12", "skb_release_data+0x9", "x+0x1" };
	static const char *const teardown[] = { "kfree_skb+0x4", "sk_stream_kill_queues+0x50" };
	static const char *const recvmsg[] = { "kfree_skb+0x4", "tcp_recvmsg+0x77" };
	static const char *const kfree[] = { "kfree_skb+0x4", "__kfree_skb+0x11" };

	ck_assert(drop_is_normal_pattern(tcp, ARRAY_SIZE(tcp)));
	ck_assert(drop_is_normal_pattern(icmp, ARRAY_SIZE(icmp)));
	ck_assert(drop_is_normal_pattern(reason, ARRAY_SIZE(reason)));
	ck_assert(drop_is_normal_pattern(mm, ARRAY_SIZE(mm)));
	ck_assert(drop_is_normal_pattern(teardown, ARRAY_SIZE(teardown)));
	ck_assert(drop_is_normal_pattern(recvmsg, ARRAY_SIZE(recvmsg)));
	ck_assert(drop_is_normal_pattern(kfree, ARRAY_SIZE(kfree)));
}
END_TEST

START_TEST(test_normal_pattern_false)
{
	static const char *const core[] = { "kfree_skb+0x1", "ip_rcv_core+0x1" };
	static const char *const deeper[] = { "kfree_skb+0x1", "ip_rcv_core+0x1", "tcp_v4_rcv+0x5a" };
	/* The first frame must be the free function. */
	static const char *const not_free[] = { "ip_rcv_core+0x1", "tcp_v4_rcv+0x5a" };
	static const char *const swapped[] = { "tcp_v4_rcv+0x5a", "kfree_skb+0x1" };

	ck_assert(!drop_is_normal_pattern(core, ARRAY_SIZE(core)));
	ck_assert(!drop_is_normal_pattern(deeper, ARRAY_SIZE(deeper)));
	ck_assert(!drop_is_normal_pattern(not_free, ARRAY_SIZE(not_free)));
	ck_assert(!drop_is_normal_pattern(swapped, ARRAY_SIZE(swapped)));
}
END_TEST

START_TEST(test_normal_pattern_too_few_frames)
{
	static const char *const one[] = { "kfree_skb+0x1" };
	static const char *const tcp[] = { "kfree_skb+0x1", "tcp_v4_rcv+0x5a" };

	ck_assert(!drop_is_normal_pattern(one, 1));
	ck_assert(!drop_is_normal_pattern(tcp, 1));
	ck_assert(!drop_is_normal_pattern(tcp, 0));
	ck_assert(!drop_is_normal_pattern(NULL, 0));
}
END_TEST

int main(void)
{
	const TTest *frames_tests[] = { test_normal_pattern_true, test_normal_pattern_false,
					test_normal_pattern_too_few_frames };

	return unit_run(unit_suite("drop_probe", "frames", frames_tests, ARRAY_SIZE(frames_tests)));
}
