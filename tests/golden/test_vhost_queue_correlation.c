// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhost_queue_correlation_simple: banner, signal and notify blocks, --debug block, JSON;
 * vhost_queue_correlation_details: banner, every stage's block, --interval counts, JSON.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "golden.h"
#include "unit_helpers.h"
#include "util.h"
#include "vhost_queue_correlation_details.h"
#include "vhost_queue_correlation_simple.h"

static char *buf;
static size_t len;

static struct vqc_event signal_event(void)
{
	struct vqc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = 209467512031874ULL;
	ev.sock = 0xffff8c2a11220380ULL;
	ev.vq = 0xffffa1b2c00000c8ULL;
	ev.pid = 4312;
	ev.tid = 4330;
	ev.queue = 0;
	strcpy(ev.comm, "vhost-4312");
	strcpy(ev.dev, "vnet33");
	ev.st = (struct vqc_vq_state){ .acked_features = 0x130afffa3ULL,
				       .avail_idx = 40340,
				       .last_avail_idx = 40340,
				       .last_used_idx = 40312,
				       .signalled_used = 40300,
				       .signalled_used_valid = 1 };
	ev.type = VQC_SIGNAL;
	return ev;
}

/* A signal, one logging dirty pages, a notify with EVENT_IDX, one whose guest reads failed, one without. */
static void events(FILE *f, void (*print)(FILE *, const struct vqc_event *, const char *))
{
	struct vqc_event ev = signal_event();

	print(f, &ev, "10:21:07.512");
	ev.st.log_used = 1;
	ev.st.log_addr = 0x7f3a10000000ULL;
	print(f, &ev, "10:21:07.512");
	ev.st.log_used = 0;
	ev.type = VQC_NOTIFY;
	ev.ts_ns += 2227;
	ev.ret = 1;
	ev.has_event_idx = 1;
	ev.guest_flags_valid = 1;
	ev.guest_event_valid = 1;
	ev.used_event = 40305;
	print(f, &ev, "10:21:07.512");
	ev.ret = 0;
	ev.guest_flags_valid = 0;
	ev.guest_event_valid = 0;
	print(f, &ev, "10:21:07.513");
	ev.st.acked_features &= ~(1ULL << VIRTIO_RING_F_EVENT_IDX);
	ev.has_event_idx = 0;
	ev.guest_flags_valid = 1;
	ev.avail_flags = 1;
	print(f, &ev, "10:21:07.514");
}

static void print_text(FILE *f, const struct vqc_event *ev, const char *hms_ms)
{
	vqc_print_event(f, ev, hms_ms, true);
}

START_TEST(test_simple_text)
{
	FILE *f = golden_open(&buf, &len);
	__u64 d[VQC_DBG_SLOTS] = {
		[VQC_DBG_TUN_CALLS] = 1520,
		[VQC_DBG_TUN_TRACKED] = 1520,
		[VQC_DBG_SIGNAL_CALLS] = 2301,
		[VQC_DBG_SIGNAL_MATCHED] = 118,
		[VQC_DBG_NOTIFY_CALLS] = 2301,
		[VQC_DBG_NOTIFY_MATCHED] = 118,
		[VQC_DBG_LAST_TUN_SOCK] = 0xffff8c2a11220380ULL,
		[VQC_DBG_LAST_SIGNAL_SOCK] = 0xffff8c2a11220380ULL,
		[VQC_DBG_LAST_NOTIFY_SOCK] = 0xffff8c2a11220380ULL,
		[VQC_DBG_LAST_NOTIFY_VQ] = 0xffffa1b2c00000c8ULL,
		[VQC_DBG_PRIVATE_DATA_OFFSET] = 17704,
	};

	vqc_simple_print_banner(f, NULL, -1);
	vqc_print_missing(f, true, true);
	vqc_simple_print_banner(f, "vnet33", 0);
	events(f, print_text);
	vqc_simple_print_debug(f, d);
	d[VQC_DBG_NOTIFY_MATCHED] = 0; /* the original's sock_ptr mismatch diagnosis */
	d[VQC_DBG_LAST_NOTIFY_SOCK] = 0xffff8c2a11220000ULL;
	vqc_simple_print_debug(f, d);
	fprintf(f, "\nMonitoring stopped.\n");
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_queue_correlation_simple.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);

	events(f, vqc_print_event_json);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_queue_correlation.json"), 0);
}
END_TEST

/* The details tool's stages of one packet, and the corner cases of each layout. */
static void details_events(FILE *f, void (*print)(FILE *, const struct vqcd_event *, const char *))
{
	struct vqcd_event ev;
	struct vqc_event base = signal_event();

	memset(&ev, 0, sizeof(ev));
	ev.base = base;
	ev.base.type = VQC_TUN_XMIT;
	ev.base.vq = 0;
	memset(&ev.base.st, 0, sizeof(ev.base.st));
	strcpy(ev.base.comm, "iperf3");
	ev.base.pid = 9120;
	ev.base.tid = 9121;
	ev.skb = 0xffff8c2a1b3e4d00ULL;
	ev.tx_ring = 0xffff8c2a11220640ULL;
	ev.ring = (struct tun_ring_state){ .tfile = 0xffff8c2a11220000ULL,
					   .producer = 417,
					   .consumer_head = 416,
					   .consumer_tail = 416,
					   .size = 1000 };
	ev.saddr = htonl(0x0a000005);
	ev.daddr = htonl(0x0a000009);
	ev.sport = 443;
	ev.dport = 51234;
	ev.protocol = 6;
	print(f, &ev, "10:21:07.510");
	ev.protocol = 1; /* ICMP: the protocol's number, ports 0 */
	ev.sport = ev.dport = 0;
	ev.ring.producer = 5; /* wrapped around: 589 of 1000 in use */
	ev.ring.full = 1;
	print(f, &ev, "10:21:07.510");
	ev.saddr = ev.daddr = 0; /* not IPv4: no Flow line */
	ev.ring.full = 0;
	ev.ring.producer = 417;
	print(f, &ev, "10:21:07.511");

	memset(&ev, 0, sizeof(ev));
	ev.base = base;
	ev.base.type = VQC_HANDLE_RX;
	ev.base.st.avail_idx = 40340;
	ev.base.st.last_avail_idx = 40312;
	ev.nvq = ev.base.vq;
	ev.tx_nvq = 0xffffa1b2c0004b30ULL;
	ev.rx_busyloop_timeout = 50;
	ev.rx_ring = 0xffff8c2a11220640ULL;
	ev.upend_idx = 3;
	ev.done_idx = 1;
	ev.sock_hlen = 12;
	ev.rxq_head = 0;
	ev.rxq_tail = 64;
	print(f, &ev, "10:21:07.511");
	ev.rx_ring = 0; /* a kernel without rx_ring: no RX Ring line */
	ev.rxq_tail = 0;
	print(f, &ev, "10:21:07.511");

	memset(&ev, 0, sizeof(ev));
	ev.base = base;
	ev.base.type = VQC_TUN_RECVMSG;
	ev.base.vq = 0;
	memset(&ev.base.st, 0, sizeof(ev.base.st));
	ev.tx_ring = 0xffff8c2a11220640ULL;
	ev.ring = (struct tun_ring_state){ .tfile = 0xffff8c2a11220000ULL,
					   .producer = 417,
					   .consumer_head = 417,
					   .consumer_tail = 416,
					   .size = 1000 };
	print(f, &ev, "10:21:07.512");

	/* The shared stages, read as the BPF side sends them: a struct vqc_event alone. */
	base.ts_ns += 2227;
	vqcd_event_read(&ev, &base, sizeof(base));
	print(f, &ev, "10:21:07.512");
	base.type = VQC_NOTIFY;
	base.ret = 1;
	base.has_event_idx = 1;
	base.guest_flags_valid = 1;
	base.guest_event_valid = 1;
	base.used_event = 40305;
	vqcd_event_read(&ev, &base, sizeof(base));
	print(f, &ev, "10:21:07.512");
}

static const struct vqcd_counts interval_counts = {
	{ [VQC_TUN_XMIT] = 12, [VQC_HANDLE_RX] = 5, [VQC_TUN_RECVMSG] = 12, [VQC_SIGNAL] = 5, [VQC_NOTIFY] = 5 }
};

START_TEST(test_details_text)
{
	FILE *f = golden_open(&buf, &len);

	vqcd_print_banner(f, NULL, -1);
	vqc_print_missing(f, true, true);
	vqcd_print_banner(f, "vnet33", 0);
	details_events(f, vqcd_print_event);
	vqcd_print_counts(f, &interval_counts, "10:21:08", 1);
	fprintf(f, "\nMonitoring stopped.\n");
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_queue_correlation_details.txt"), 0);
}
END_TEST

START_TEST(test_details_json)
{
	FILE *f = golden_open(&buf, &len);

	details_events(f, vqcd_print_event_json);
	vqcd_print_counts_json(f, &interval_counts, "10:21:08");
	ck_assert_int_eq(golden_check(f, &buf, &len, "vhost_queue_correlation_details.json"), 0);
}
END_TEST

Suite *golden_vhost_queue_correlation_suite(void)
{
	const TTest *tests[] = { test_simple_text, test_json, test_details_text, test_details_json };

	return unit_suite("vhost_queue_correlation", "layout", tests, ARRAY_SIZE(tests));
}
