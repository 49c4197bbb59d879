// SPDX-License-Identifier: GPL-2.0-only
/* tun-tx-ring-stas: the bpftrace lines with both stacks, an empty user stack, a queue without a ring; JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "tun-tx-ring-stas.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static void frames(struct stack_frames *sf, const char *const *names, int n)
{
	sf->n = n;
	for (int i = 0; i < n; i++) {
		strcpy(sf->text[i], names[i]);
		sf->frame[i] = sf->text[i];
	}
}

static void events(FILE *f, bool json)
{
	static const char *const kernel[] = { "tun_net_xmit+1", "dev_hard_start_xmit+164",
					      "sch_direct_xmit+159", "__dev_queue_xmit+2313",
					      "ip_finish_output2+651" };
	static const char *const user[] = { "__libc_sendto+22", "main+398" };
	static struct stack_frames kstack, ustack, none;
	struct ttrs_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = 1000;
	ev.pid = 4330;
	ev.tid = 4330;
	strcpy(ev.comm, "iperf3");
	strcpy(ev.dev, "vnet11");
	strcpy(ev.tun_dev, "vnet11");
	ev.queue = 1;
	ev.queue_mapping = 1;
	ev.ring = (struct tun_ring_state){ .tun = 0xffff8c2a0f6c0a00ULL,
					   .tfile = 0xffff8c2a11220000ULL,
					   .queue = 0xffff880012345000ULL,
					   .producer = 217,
					   .consumer_head = 214,
					   .consumer_tail = 212,
					   .size = 1024,
					   .numqueues = 2,
					   .queue_index = 1 };
	frames(&kstack, kernel, 5);
	frames(&ustack, user, 2);
	if (json)
		ttrs_print_json(f, &ev, "08:15:42.117", &kstack, &ustack);
	else
		ttrs_print_event(f, &ev, &kstack, &ustack);
	strcpy(ev.comm, "vhost-4312");
	ev.ring.producer = 218;
	if (json)
		ttrs_print_json(f, &ev, "08:15:42.118", &kstack, &none);
	else
		ttrs_print_event(f, &ev, &kstack, &none);
	ev.queue_mapping = 0;
	memset(&ev.ring, 0, sizeof(ev.ring));
	if (json)
		ttrs_print_json(f, &ev, "08:15:42.119", &kstack, &none);
	else
		ttrs_print_event(f, &ev, &kstack, &none);
}

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);

	fprintf(f, "Attaching 1 probe...\n");
	events(f, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun-tx-ring-stas.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	events(f, true);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun-tx-ring-stas.json"), 0);
}
END_TEST

Suite *golden_tun_tx_ring_stas_suite(void)
{
	const TTest *tests[] = { test_text, test_json };

	return unit_suite("tun_tx_ring_stas", "layout", tests, ARRAY_SIZE(tests));
}
