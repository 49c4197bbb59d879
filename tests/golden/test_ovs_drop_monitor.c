// SPDX-License-Identifier: GPL-2.0-only
/* ovs-kernel-module-drop-monitor: the event's text layout (with and without stacks) and JSON. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "ovs-kernel-module-drop-monitor.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const char *const kframes[] = { "sk_skb_reason_drop+0x5e", "do_execute_actions+0x1054",
				       "ovs_execute_actions+0x48", "ovs_dp_process_packet+0xa9" };
static const char *const uframes[] = { "__libc_sendto+0x1a", "main+0x2c" };

/* A UDP datagram dropped by a flow's last action, with its flow key. */
static struct ovsdrop_event udp_drop(void)
{
	struct ovsdrop_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = OVSDROP_FREED;
	ev.pid = 308;
	snprintf(ev.comm, sizeof(ev.comm), "bash");
	snprintf(ev.ifname, sizeof(ev.ifname), "od0");
	ev.saddr = golden_ipv4("10.64.0.1");
	ev.daddr = golden_ipv4("10.64.0.2");
	ev.protocol = 17;
	ev.sport = 41186;
	ev.dport = 9999;
	ev.reason = 0x30000;
	ev.flow.known = 1;
	ev.flow.in_port = 4;
	ev.kstack_id = ev.ustack_id = OVSDROP_NO_STACK;
	return ev;
}

/* Every kind: freed with a reason, an empty action list, no reason, ICMP, other protocol, no flow key. */
static void each_kind(FILE *f, bool json)
{
	struct ovsdrop_view v = { .hms = "07:54:43",
				  .reason = "OVS_DROP_LAST_ACTION",
				  .location = "do_execute_actions+0x1054" };
	void (*print)(FILE *, const struct ovsdrop_event *, const struct ovsdrop_view *) =
		json ? ovsdrop_print_json : ovsdrop_print_event;
	struct ovsdrop_event ev = udp_drop();

	print(f, &ev, &v);

	ev.kind = OVSDROP_EMPTY_ACTIONS;
	ev.reason = 0;
	ev.protocol = 6;
	ev.sport = 40000;
	ev.dport = 7000;
	ev.flow.recirc_id = 0x1a;
	ev.flow.ct_zone = 5;
	ev.flow.ct_state = 0x30;
	v.reason = NULL;
	v.location = "do_execute_actions";
	print(f, &ev, &v);

	ev = udp_drop();
	ev.reason = 0;
	ev.daddr = golden_ipv4("10.64.0.3");
	ev.flow.ct_state = 0x22;
	v.location = "do_output+0x9b";
	print(f, &ev, &v);

	ev.protocol = 1;
	ev.icmp_type = 8;
	ev.reason = 70;
	v.reason = "DEV_READY";
	print(f, &ev, &v);

	ev.protocol = 47;
	ev.flow.known = 0;
	ev.reason = 0x30005;
	ev.pid = 0;
	snprintf(ev.comm, sizeof(ev.comm), "swapper/1");
	v.reason = "196613";
	v.location = "ovs_vport_receive+0x7e";
	print(f, &ev, &v);
}

START_TEST(text_events)
{
	FILE *f = golden_open(&buf, &len);

	each_kind(f, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_drop_monitor.txt"), 0);
}
END_TEST

/* --stack: both stacks, stacks that could not be taken or read, no user frames. */
START_TEST(text_stacks)
{
	struct ovsdrop_view v = { .hms = "07:54:43",
				  .reason = "OVS_DROP_LAST_ACTION",
				  .location = "do_execute_actions+0x1054",
				  .stacks = true,
				  .kframes = kframes,
				  .nk = 4,
				  .uframes = uframes,
				  .nu = 2 };
	struct ovsdrop_event ev = udp_drop();
	FILE *f = golden_open(&buf, &len);

	ev.kstack_id = 3;
	ev.ustack_id = 4;
	ovsdrop_print_event(f, &ev, &v);
	ev.ustack_id = -EFAULT;
	ovsdrop_print_event(f, &ev, &v);
	ev.kstack_id = -EEXIST;
	v.nk = 0;
	ev.ustack_id = -EBUSY;
	ovsdrop_print_event(f, &ev, &v);
	ev.kstack_id = 3;
	v.nk = -ENOENT;
	ev.ustack_id = 9;
	v.nu = -ENOENT;
	ovsdrop_print_event(f, &ev, &v);
	v.nu = 0;
	ev.ustack_id = -E2BIG;
	ovsdrop_print_event(f, &ev, &v);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_drop_monitor_stacks.txt"), 0);
}
END_TEST

START_TEST(json_events)
{
	struct ovsdrop_view v = { .hms = "07:54:43",
				  .reason = "OVS_DROP_LAST_ACTION",
				  .location = "do_execute_actions+0x1054",
				  .stacks = true,
				  .kframes = kframes,
				  .nk = 4,
				  .uframes = uframes,
				  .nu = 2 };
	struct ovsdrop_event ev = udp_drop();
	FILE *f = golden_open(&buf, &len);

	each_kind(f, true);
	ev.kstack_id = 3;
	ev.ustack_id = -EFAULT;
	ovsdrop_print_json(f, &ev, &v);
	ck_assert_int_eq(golden_check(f, &buf, &len, "ovs_drop_monitor.json"), 0);
}
END_TEST

START_TEST(ct_state_names)
{
	char text[96];

	ck_assert_str_eq(ovsdrop_ct_state_text(0, text, sizeof(text)), "NONE");
	ck_assert_str_eq(ovsdrop_ct_state_text(0x22, text, sizeof(text)), "ESTABLISHED, TRACKED");
	ck_assert_str_eq(ovsdrop_ct_state_text(0xff, text, sizeof(text)),
			 "NEW, ESTABLISHED, RELATED, REPLY_DIR, INVALID, TRACKED, SRC_NAT, DST_NAT");
	ck_assert_str_eq(ovsdrop_ct_state_text(0x30, text, 10), "INVALID, ");
}
END_TEST

Suite *golden_ovs_drop_monitor_suite(void)
{
	const TTest *layout_tests[] = { text_events, text_stacks, json_events, ct_state_names };

	return unit_suite("ovs_drop_monitor", "layout", layout_tests, ARRAY_SIZE(layout_tests));
}
