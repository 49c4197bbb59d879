// SPDX-License-Identifier: GPL-2.0-only
/* trace_ip_defrag: the layout of every event type, text and JSON. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "trace_ip_defrag.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static struct defrag_event event(__u8 type, __u32 pid, const char *comm, const char *dev)
{
	struct defrag_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.pid = pid;
	ev.stack_id = -1;
	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	snprintf(ev.pkt.dev, sizeof(ev.pkt.dev), "%s", dev);
	ev.pkt.saddr = golden_ipv4("10.0.0.1");
	ev.pkt.daddr = golden_ipv4("10.0.0.2");
	ev.pkt.protocol = 17;
	ev.pkt.ip_id = 4660;
	return ev;
}

/* The fragment of ev, bytes offset to end, meets the reassembly queue of its datagram. */
static void in_queue(struct defrag_event *ev, __s32 offset, __s32 end)
{
	ev->q.saddr = ev->pkt.saddr;
	ev->q.daddr = ev->pkt.daddr;
	ev->q.id = 4660;
	ev->q.protocol = 17;
	ev->offset = offset;
	ev->end = end;
}

/* A UDP datagram in three fragments (offsets 0, 1480, 2960): queued, a duplicate, done. */
static void reassembly(FILE *f)
{
	struct defrag_event ev = event(DEFRAG_EV_IP_DEFRAG, 0, "swapper/3", "eth0");

	ev.pkt.l4_hdr_set = 1;
	ev.pkt.sport = 5000;
	ev.pkt.dport = 6000;
	ev.pkt.frag_off = DEFRAG_IP_MF;
	defrag_print_event(f, &ev, "14:02:11", NULL, 0, NULL);

	ev = event(DEFRAG_EV_IP_DEFRAG, 0, "swapper/3", "eth0");
	ev.pkt.frag_off = DEFRAG_IP_MF | 185; /* 1480 bytes: no L4 header here */
	ev.user = 1;
	defrag_print_event(f, &ev, "14:02:11", NULL, 0, NULL);

	ev = event(DEFRAG_EV_DUP_INSERT, 0, "swapper/3", "eth0");
	ev.pkt.frag_off = DEFRAG_IP_MF | 185;
	in_queue(&ev, 1480, 2960);
	defrag_print_event(f, &ev, "14:02:11", NULL, 0, NULL);
	ev.type = DEFRAG_EV_OVERLAP_INSERT;
	ev.offset = 1400;
	defrag_print_event(f, &ev, "14:02:11", NULL, 0, NULL);

	ev = event(DEFRAG_EV_REASSEMBLED, 4242, "a-very-long-comm", "");
	ev.pkt.l4_hdr_set = 1;
	ev.pkt.sport = 5000;
	ev.pkt.dport = 6000;
	ev.skb_len = 4028;
	defrag_print_event(f, &ev, "14:02:12", NULL, 0, NULL);

	ev = event(DEFRAG_EV_FAILED, 0, "swapper/0", "veth1");
	ev.pkt.frag_off = 370;
	ev.retval = -ENOMEM;
	defrag_print_event(f, &ev, "14:02:13", NULL, 0, NULL);
}

START_TEST(queue_duplicate_overlap_reassembled_failed)
{
	FILE *f = golden_open(&buf, &len);

	reassembly(f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ip_defrag_reassembly.txt"), 0);
}
END_TEST

START_TEST(timeouts_and_frees)
{
	const char *frames[] = { "kfree_skb_reason+0x9c", "inet_frag_rbtree_purge+0x4d",
				 "inet_frag_destroy+0x4f", "ip_expire+0x1ab" };
	struct defrag_event ev = event(DEFRAG_EV_TIMEOUT, 0, "swapper/1", "");
	FILE *f = golden_open(&buf, &len);

	ev.q.saddr = golden_ipv4("10.0.0.1");
	ev.q.daddr = golden_ipv4("10.0.0.2");
	ev.q.id = 77;
	ev.q.protocol = 17;
	ev.q.meat = 2960;
	ev.q.flags = DEFRAG_Q_FIRST_IN;
	ev.q.iif = 5;
	defrag_print_event(f, &ev, "14:03:00", NULL, 0, NULL);
	ev.q.flags = DEFRAG_Q_FIRST_IN | DEFRAG_Q_LAST_IN;
	ev.q.len = 4028;
	defrag_print_event(f, &ev, "14:03:00", NULL, 0, NULL);
	ev.q.flags = DEFRAG_Q_LAST_IN;
	defrag_print_event(f, &ev, "14:03:00", NULL, 0, NULL);
	ev.q.flags = 0;
	defrag_print_event(f, &ev, "14:03:00", NULL, 0, NULL);

	ev = event(DEFRAG_EV_KFREE, 0, "swapper/1", "eth0");
	ev.pkt.frag_off = DEFRAG_IP_MF;
	ev.pkt.l4_hdr_set = 1;
	ev.pkt.sport = 5000;
	ev.pkt.dport = 6000;
	ev.stack_id = 17;
	defrag_print_event(f, &ev, "14:03:00", frames, 4, "FRAG_REASM_TIMEOUT");
	ev = event(DEFRAG_EV_KFREE, 0, "ping", "");
	ev.pkt.protocol = 1;
	ev.pkt.l4_hdr_set = 1;
	ev.stack_id = -14;
	defrag_print_event(f, &ev, "14:03:01", NULL, 0, "CONSUMED");
	ev.stack_id = 5;
	defrag_print_event(f, &ev, "14:03:01", NULL, -ENOENT, NULL);
	defrag_print_event(f, &ev, "14:03:01", NULL, -EFAULT, NULL);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ip_defrag_timeout_free.txt"), 0);
}
END_TEST

START_TEST(json_events)
{
	const char *frames[] = { "kfree_skb_reason+0x9c", "ip_frag_queue+0x1c5" };
	struct defrag_event ev = event(DEFRAG_EV_IP_DEFRAG, 0, "swapper/3", "eth0");
	FILE *f = golden_open(&buf, &len);

	ev.pkt.frag_off = DEFRAG_IP_MF | 185;
	defrag_print_json(f, &ev, "14:02:11", NULL, 0, NULL);
	ev.type = DEFRAG_EV_DUP_INSERT;
	in_queue(&ev, 1480, 2960);
	defrag_print_json(f, &ev, "14:02:11", NULL, 0, NULL);
	ev.type = DEFRAG_EV_KFREE;
	ev.stack_id = 2;
	defrag_print_json(f, &ev, "14:02:11", frames, 2, "DUP_FRAG");
	ev.type = DEFRAG_EV_REASSEMBLED;
	ev.pkt.frag_off = 0;
	ev.pkt.l4_hdr_set = 1;
	ev.pkt.sport = 1;
	ev.pkt.dport = 2;
	ev.skb_len = 4028;
	defrag_print_json(f, &ev, "14:02:12", NULL, 0, NULL);
	ev.type = DEFRAG_EV_FAILED;
	ev.retval = -22;
	defrag_print_json(f, &ev, "14:02:12", NULL, 0, NULL);
	ev.type = DEFRAG_EV_TIMEOUT;
	ev.q.meat = 1480;
	ev.q.flags = DEFRAG_Q_FIRST_IN;
	ev.q.iif = 3;
	defrag_print_json(f, &ev, "14:02:42", NULL, 0, NULL);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_ip_defrag.json"), 0);
}
END_TEST

Suite *golden_trace_ip_defrag_suite(void)
{
	const TTest *layout_tests[] = { queue_duplicate_overlap_reassembled_failed, timeouts_and_frees,
					json_events };

	return unit_suite("trace_ip_defrag", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
