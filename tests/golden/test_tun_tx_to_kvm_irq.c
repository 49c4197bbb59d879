// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_tx_to_kvm_irq: the start-up lines, one chain's five event lines (and packets of each
 * protocol at stage 1), the statistics summary, the JSON events and statistics, the --output
 * file and the traffic hints.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "tun_tx_to_kvm_irq.h"
#include "unit_helpers.h"
#include "util.h"

#define SOCK 0xffff8c2a11220380ULL
#define EVENTFD 0xffff8c2a0e7d1c00ULL
#define VQ 0xffffa1b2c00000c8ULL
#define VCPU 0xffff8c2b00010000ULL
#define KVM 0xffffb28da688d000ULL
#define T0 29521100000000ULL
#define CHAIN (T0 + 21000)

static char *buf;
static size_t len;

static struct ttk_event stage(unsigned n, __u64 ts, __u64 delay, __u64 total, const char *comm, __u32 pid)
{
	struct ttk_event ev = { .ts_ns = ts,
				.stage = n,
				.cpu = n == 1 ? 5 : 7,
				.pid = pid,
				.tid = pid,
				.queue = 0,
				.sock = SOCK,
				.delay_ns = delay,
				.total_ns = total,
				.gsi = -1,
				.vector = -1 };

	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	snprintf(ev.dev, sizeof(ev.dev), "vnet0");
	if (n >= 2) {
		ev.chain = CHAIN;
		ev.packets = 2;
		ev.qemu_pid = 4312;
		ev.eventfd = EVENTFD;
	}
	return ev;
}

/* Two echo requests, one vhost signal for both, then the chain to the vCPU. */
static void chain(struct ttk_event *ev)
{
	ev[0] = stage(1, T0 - 50000, 0, 0, "ovs-vswitchd", 2211);
	ev[0].saddr = golden_ipv4("10.0.0.1");
	ev[0].daddr = golden_ipv4("10.0.0.2");
	ev[0].protocol = 1;
	ev[0].icmp_type = 8;
	ev[0].icmp_id = 77;
	ev[0].icmp_seq = 2;
	ev[1] = ev[0];
	ev[1].ts_ns = T0;
	ev[1].icmp_seq = 3;
	ev[2] = stage(2, CHAIN, 21000, 21000, "vhost-4312", 4330);
	ev[2].vq = VQ;
	ev[3] = stage(3, CHAIN + 1000, 1000, 22000, "vhost-4312", 4330);
	ev[4] = stage(4, CHAIN + 3000, 2000, 24000, "vhost-4312", 4330);
	ev[4].kvm = KVM;
	ev[4].gsi = 25;
	ev[4].vector = 37;
	ev[4].msi_data = 0x4025;
	ev[5] = stage(5, CHAIN + 3600, 600, 24600, "vhost-4312", 4330);
	ev[5].kvm = KVM;
	ev[5].vector = 37;
	ev[5].vq = VCPU;
}

/* Stage-1 packets of the other kinds, and one without an IPv4 header on an unnamed device. */
static void others(struct ttk_event *ev)
{
	ev[0] = stage(1, T0 + 100000, 0, 0, "iperf3", 3000);
	ev[0].saddr = golden_ipv4("10.0.0.1");
	ev[0].daddr = golden_ipv4("10.0.0.2");
	ev[0].protocol = 6;
	ev[0].sport = 40000;
	ev[0].dport = 5201;
	ev[1] = ev[0];
	ev[1].protocol = 17;
	ev[1].dport = 53;
	ev[2] = ev[0];
	ev[2].protocol = 47;
	ev[3] = stage(1, T0 + 200000, 0, 0, "swapper/0", 0);
	ev[3].dev[0] = 0;
	ev[3].queue = 3;
}

START_TEST(test_text)
{
	struct ttk_event ev[10];
	FILE *f = golden_open(&buf, &len);

	chain(ev);
	others(ev + 6);
	for (int i = 0; i < 10; i++)
		ttk_print_event(f, &ev[i], "2026-12-04 10:21:07.512");
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_tx_to_kvm_irq.txt"), 0);
}
END_TEST

START_TEST(test_banner)
{
	struct ttk_banner b = {
		.release = "6.1",
		.distro = "debian",
		.irqbypass = true,
		.vring_call = true,
		.attached = { NULL, "Successfully attached to tun_net_xmit",
			      "Successfully attached to vhost_add_used_and_signal_n",
			      "Successfully attached to eventfd_signal",
			      "Successfully attached to irqfd_wakeup (KVM interrupt injection)",
			      "Successfully attached to kvm_apic_set_irq (interrupt delivery to a vCPU)" },
		.stage5 = "kvm_apic_set_irq",
		.queue = -1
	};
	FILE *f = golden_open(&buf, &len);

	ttk_print_banner(f, &b);
	b = (struct ttk_banner){
		.release = "5.10",
		.distro = "openeuler",
		.device = "vnet0",
		.queue = 0,
		.protocol = "icmp",
		.saddr = golden_ipv4("10.0.0.1"),
		.daddr = golden_ipv4("10.0.0.2"),
		.sport = 80,
		.dport = 443,
		.icmp_id = 77,
		.icmp_seq = 3,
		.analyze = true,
		.interval = 5,
		.attached = { NULL, "Successfully attached to tun_net_xmit",
			      "Successfully attached to vhost_add_used_and_signal_n",
			      "Warning: eventfd_signal not available: no such function",
			      "Note: irqfd_wakeup not available: kernel module kvm is not loaded", NULL }
	};
	ttk_print_banner(f, &b);
	ttk_print_traffic_help(f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_tx_to_kvm_irq_banner.txt"), 0);
}
END_TEST

START_TEST(test_stats)
{
	struct ttk_stats s = { 0 };
	struct ttk_event ev[10];
	FILE *f = golden_open(&buf, &len);

	ttk_print_stats(f, &s);
	chain(ev);
	others(ev + 6);
	for (int i = 0; i < 10; i++)
		ttk_stats_add(&s, &ev[i]);
	ttk_print_stats(f, &s);
	ttk_print_stats_json(f, &s, true);
	ttk_stats_free(&s);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_tx_to_kvm_irq_stats.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	struct ttk_event ev[10];
	FILE *f = golden_open(&buf, &len);

	chain(ev);
	others(ev + 6);
	for (int i = 0; i < 10; i++)
		ttk_print_event_json(f, &ev[i], "2026-12-04 10:21:07.512", false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_tx_to_kvm_irq.json"), 0);
}
END_TEST

START_TEST(test_output_file)
{
	struct ttk_event ev[6];
	struct ttk_output o = { 0 };
	char *fbuf = NULL;
	size_t flen = 0;
	FILE *f = golden_open(&buf, &len);

	chain(ev);
	o.f = open_memstream(&fbuf, &flen);
	ck_assert_ptr_nonnull(o.f);
	ttk_output_close(&o); /* no events: an empty array */
	fputs(fbuf, f);
	free(fbuf);
	fbuf = NULL;
	o = (struct ttk_output){ open_memstream(&fbuf, &flen), 0 };
	for (int i = 0; i < 6; i++)
		ttk_output_event(&o, &ev[i], "2026-12-04 10:21:07.512");
	ttk_output_close(&o);
	fputs(fbuf, f);
	free(fbuf);
	ck_assert_int_eq(golden_check(f, &buf, &len, "tun_tx_to_kvm_irq_output.json"), 0);
}
END_TEST

Suite *golden_tun_tx_to_kvm_irq_suite(void)
{
	const TTest *tests[] = { test_text, test_banner, test_stats, test_json, test_output_file };

	return unit_suite("tun_tx_to_kvm_irq", "layout", tests, ARRAY_SIZE(tests));
}
