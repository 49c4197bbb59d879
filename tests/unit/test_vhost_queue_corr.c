// SPDX-License-Identifier: GPL-2.0-only
/* vhost_queue_correlation_details' logic: reading either event size, the flow text. */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "unit_helpers.h"
#include "util.h"
#include "vhost_queue_correlation_details.h"

START_TEST(test_event_read_sizes)
{
	struct vqcd_event full, ev;
	struct vqc_event base;

	memset(&full, 0xab, sizeof(full));
	full.base.type = VQC_HANDLE_RX;
	ck_assert(vqcd_event_read(&ev, &full, sizeof(full)));
	ck_assert_int_eq(memcmp(&ev, &full, sizeof(ev)), 0);

	/* The shared signal/notify event: what lies beyond it reads as zero, not as the last event's. */
	memset(&base, 0, sizeof(base));
	base.type = VQC_NOTIFY;
	base.vq = 0xffffa1b2c00000c8ULL;
	ck_assert(vqcd_event_read(&ev, &base, sizeof(base)));
	ck_assert_int_eq(ev.base.type, VQC_NOTIFY);
	ck_assert_uint_eq(ev.base.vq, 0xffffa1b2c00000c8ULL);
	ck_assert_uint_eq(ev.skb, 0);
	ck_assert_int_eq(ev.ring.size, 0);
	ck_assert_uint_eq(ev.saddr, 0);

	ck_assert(!vqcd_event_read(&ev, &base, sizeof(base) - 1));
}
END_TEST

START_TEST(test_flow_text)
{
	struct vqcd_event ev;
	char text[64];

	memset(&ev, 0, sizeof(ev));
	ev.saddr = htonl(0x0a000005);
	ev.daddr = htonl(0xc0a80109);
	ev.sport = 443;
	ev.dport = 51234;
	ev.protocol = 6;
	vqcd_format_flow(&ev, text, sizeof(text));
	ck_assert_str_eq(text, "10.0.0.5:443 -> 192.168.1.9:51234 (TCP)");
	ev.protocol = 17;
	vqcd_format_flow(&ev, text, sizeof(text));
	ck_assert_str_eq(text, "10.0.0.5:443 -> 192.168.1.9:51234 (UDP)");
	ev.protocol = 1; /* the original names only TCP and UDP */
	ev.sport = ev.dport = 0;
	vqcd_format_flow(&ev, text, sizeof(text));
	ck_assert_str_eq(text, "10.0.0.5:0 -> 192.168.1.9:0 (1)");
	ev.protocol = 132;
	vqcd_format_flow(&ev, text, sizeof(text));
	ck_assert_str_eq(text, "10.0.0.5:0 -> 192.168.1.9:0 (132)");
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_event_read_sizes, test_flow_text };

	return unit_run(unit_suite("vhost_queue_corr", "details", tests, ARRAY_SIZE(tests)));
}
