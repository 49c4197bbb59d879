// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-side virtio-net RX tools' layouts against golden files: virtionet-rx-path-monitor's
 * lines, running summary and final report (bpftrace histograms), trace_virtio_net_rcvbuf's
 * lines; text and JSON.
 */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "trace_virtio_net_rcvbuf.h"
#include "unit_helpers.h"
#include "util.h"
#include "virtionet-rx-path-monitor.h"

static char *buf;
static size_t len;

static struct rxmon_event rxmon_ev(enum rxmon_fn fn, uint64_t ret, const char *comm, uint32_t tgid)
{
	struct rxmon_event ev = { .ts_ns = 1000000000ULL, .ret = ret, .tgid = tgid, .fn = fn };

	strncpy(ev.comm, comm, sizeof(ev.comm) - 1);
	return ev;
}

/* The spec's sample: 63 s, 1630 polls, 10400 packets, a histogram with an empty bucket. */
static void sample_totals(struct rxmon_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->elapsed_s = 63;
	t->count[RXMON_POLL_CALLS] = 1630;
	t->count[RXMON_POLL_PACKETS] = 10400;
	t->count[RXMON_POLL_PRODUCTIVE] = 1578;
	t->count[RXMON_ENABLE_CB_CALLS] = 1622;
	t->count[RXMON_ENABLE_CB_DATA] = 1622;
	t->count[RXMON_COMPLETE_CALLS] = 1610;
	t->count[RXMON_COMPLETE_SUCCESS] = 1600;
	t->count[RXMON_VQ_POLL_CALLS] = 1600;
	t->count[RXMON_VQ_POLL_DATA] = 5;
	t->count[RXMON_POLL_TO_ENABLE_CB] = 1500;
	t->count[RXMON_ENABLE_CB_TO_COMPLETE] = 1480;
	t->hist[RXMON_POLL][0] = 52;
	t->hist[RXMON_POLL][1] = 610;
	t->hist[RXMON_POLL][2] = 400;
	t->hist[RXMON_POLL][3] = 300;
	t->hist[RXMON_POLL][4] = 200;
	t->hist[RXMON_POLL][5] = 50;
	t->hist[RXMON_POLL][7] = 18;
	t->hist[RXMON_ENABLE_CB][16] = 1622; /* tokens in [32K, 64K) */
	t->hist[RXMON_COMPLETE][0] = 10;
	t->hist[RXMON_COMPLETE][1] = 1600;
	t->hist[RXMON_VQ_POLL][0] = 1595;
	t->hist[RXMON_VQ_POLL][1] = 5;
}

START_TEST(rxmon_text)
{
	FILE *f = golden_open(&buf, &len);
	struct rxmon_event evs[] = {
		rxmon_ev(RXMON_POLL, 12, "swapper/2", 0),    rxmon_ev(RXMON_ENABLE_CB, 40312, "swapper/2", 0),
		rxmon_ev(RXMON_COMPLETE, 1, "swapper/2", 0), rxmon_ev(RXMON_COMPLETE, 0, "ksoftirqd/2", 24),
		rxmon_ev(RXMON_VQ_POLL, 1, "iperf3", 3051),
	};
	struct rxmon_totals t;

	fputs("Probe: kprobe virtnet_poll\nAttaching 11 probes...\n", f);
	rxmon_print_banner(f);
	for (size_t i = 0; i < ARRAY_SIZE(evs); i++)
		rxmon_print_event(f, &evs[i]);
	sample_totals(&t);
	t.elapsed_s = 20;
	rxmon_print_summary(f, &t);
	sample_totals(&t);
	rxmon_print_final(f, &t);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtionet-rx-path-monitor.txt"), 0);
}
END_TEST

/* Nothing received: no per-function lines, empty histograms, no rates, no insights. */
START_TEST(rxmon_text_idle)
{
	FILE *f = golden_open(&buf, &len);
	struct rxmon_totals t = { .elapsed_s = 3, .lost_events = 2 };

	rxmon_print_summary(f, &t);
	rxmon_print_final(f, &t);
	/* Polls without packets: the low-rate insights; under a second: no packet rate. */
	t.elapsed_s = 0;
	t.count[RXMON_POLL_CALLS] = 4;
	t.count[RXMON_POLL_PACKETS] = 1;
	t.count[RXMON_POLL_PRODUCTIVE] = 1;
	t.hist[RXMON_POLL][0] = 3;
	t.hist[RXMON_POLL][1] = 1;
	rxmon_print_final(f, &t);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtionet-rx-path-monitor-idle.txt"), 0);
}
END_TEST

START_TEST(rxmon_json)
{
	FILE *f = golden_open(&buf, &len);
	struct rxmon_event ev = rxmon_ev(RXMON_POLL, 12, "swapper/2", 0);
	struct rxmon_totals t;

	rxmon_print_event_json(f, &ev, "10:21:07");
	sample_totals(&t);
	t.elapsed_s = 20;
	rxmon_print_summary_json(f, &t, "10:21:17");
	sample_totals(&t);
	rxmon_print_final_json(f, &t);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtionet-rx-path-monitor.json"), 0);
}
END_TEST

static const struct rcvbuf_ring rx_ring = { "input.1", 256, 0, 40340, 0, 40340, 0, 40313, 40312, 0, 0 };
static const struct rcvbuf_ring tx_ring = { "output.1", 256, 1, 5120, 1, 5120, 1, 5119, 5119, 0, 0 };

/* The spec's sample run: interrupt, poll, a TCP segment, the ACK's kick, the TX interrupt. */
static void rcvbuf_sample(struct rcvbuf_event *evs)
{
	memset(evs, 0, 7 * sizeof(*evs));
	evs[0] = (struct rcvbuf_event){ .cpu = 2, .kind = RCVBUF_RECV_DONE };
	evs[1] = (struct rcvbuf_event){ .cpu = 2, .kind = RCVBUF_POLL, .budget = 64 };
	evs[2] = (struct rcvbuf_event){ .cpu = 2,
					.kind = RCVBUF_RX,
					.proto = RCVBUF_TCP,
					.num = 1,
					.delay_ns = 2380,
					.seq = 3649330686U,
					.ack_seq = 1200331,
					.saddr = golden_ipv4("10.77.0.1"),
					.daddr = golden_ipv4("10.77.0.2"),
					.sport = 40212,
					.dport = 5001,
					.ring = rx_ring };
	evs[3] = (struct rcvbuf_event){ .cpu = 2,
					.kind = RCVBUF_TX,
					.proto = RCVBUF_TCP,
					.seq = 1200331,
					.ack_seq = 3649332134U,
					.saddr = golden_ipv4("10.77.0.2"),
					.daddr = golden_ipv4("10.77.0.1"),
					.sport = 5001,
					.dport = 40212,
					.ring = tx_ring };
	/* An ICMP echo (the id as seq), an ARP (unknown), a transmit whose headers were not read. */
	evs[4] = (struct rcvbuf_event){ .cpu = 0,
					.kind = RCVBUF_RX,
					.proto = RCVBUF_ICMP,
					.num = 2,
					.delay_ns = 51234,
					.seq = 4660,
					.saddr = golden_ipv4("10.77.0.1"),
					.daddr = golden_ipv4("10.77.0.2"),
					.ring = rx_ring };
	evs[5] = (struct rcvbuf_event){
		.cpu = 0, .kind = RCVBUF_RX, .num = 3, .delay_ns = 800, .ring = rx_ring
	};
	evs[6] = (struct rcvbuf_event){ .cpu = 0, .kind = RCVBUF_TX, .ring = tx_ring };
}

START_TEST(rcvbuf_text)
{
	FILE *f = golden_open(&buf, &len);
	struct rcvbuf_event evs[7], done = { .cpu = 2, .kind = RCVBUF_XMIT_DONE };

	rcvbuf_sample(evs);
	fputs("Attaching 10 probes...\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(evs); i++)
		rcvbuf_print_event(f, &evs[i], "10:21:07.512031");
	rcvbuf_print_event(f, &done, "10:21:07.512301");
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_virtio_net_rcvbuf.txt"), 0);
}
END_TEST

START_TEST(rcvbuf_json)
{
	FILE *f = golden_open(&buf, &len);
	struct rcvbuf_event evs[7], done = { .cpu = 2, .kind = RCVBUF_XMIT_DONE };

	rcvbuf_sample(evs);
	for (size_t i = 0; i < ARRAY_SIZE(evs); i++)
		rcvbuf_print_event_json(f, &evs[i], "10:21:07.512031");
	rcvbuf_print_event_json(f, &done, "10:21:07.512301");
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_virtio_net_rcvbuf.json"), 0);
}
END_TEST

Suite *golden_virtio_rx_suite(void)
{
	const TTest *tests[] = { rxmon_text, rxmon_text_idle, rxmon_json, rcvbuf_text, rcvbuf_json };

	return unit_suite("virtio_rx", "layouts", tests, ARRAY_SIZE(tests));
}
