// SPDX-License-Identifier: GPL-2.0-only
/* vhost_queue_correlation_simple: banner, signal and notify blocks, --debug block, JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "unit_helpers.h"
#include "util.h"
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

Suite *golden_vhost_queue_correlation_suite(void)
{
	const TTest *tests[] = { test_simple_text, test_json };

	return unit_suite("vhost_queue_correlation", "layout", tests, ARRAY_SIZE(tests));
}
