// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary: the per-VM / per-irqfd sums of one interval's tables, and the
 * banner, text report and JSON layouts built from them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "kvm_irqfd_stats_summary.h"
#include "prom.h"
#include "unit_helpers.h"
#include "util.h"

#define VM_A 0xffffb28da688d000ULL
#define VM_B 0xffffb28da7000000ULL
#define RXQ 0xffff9a0c4e2b1000ULL /* irqfd of GSI 25, woken by vhost-4321 */
#define TXQ 0xffff9a0c4e2b0800ULL /* irqfd of GSI 26: vhost and QEMU itself */
#define CFG 0xffff9a0c4e2b2000ULL /* irqfd of GSI 24, also GSI 26's number: attribution test */

static char *buf;
static size_t len;

static struct kirq_wakeup_count wakeups[] = {
	{ { VM_A, RXQ, RXQ + 8, 1, 25, 3, 4399, 3, 0, 0, "vhost-4321" }, 1200 },
	{ { VM_A, RXQ, RXQ + 8, 1, 25, 7, 4399, 3, 0, 0, "vhost-4321" }, 300 },
	{ { VM_A, TXQ, TXQ + 8, 1, 26, 1, 4399, 3, 0, 0, "vhost-4321" }, 3 },
	{ { VM_A, TXQ, TXQ + 8, 0x41, 26, 1, 4321, 1, 0, 0, "qemu-system-x86" }, 1 },
	{ { VM_A, TXQ, TXQ + 8, 1, 26, 0, 4321, 3, 0, 0, "CPU 0/KVM" }, 0 }, /* unchanged: left out */
	{ { VM_B, CFG, CFG + 8, 1, 24, 2, 5000, 3, 0, 0, "qemu-kvm" }, 16 },
};
static struct kirq_gsi_count arch[] = {
	{ { VM_A, 25, 0 }, 1500 },
	{ { VM_A, 26, 0 }, 4 },
	{ { VM_B, 24, 0 }, 16 },
};
static struct kirq_gsi_count msi[] = {
	{ { VM_A, 26, 0 }, 1 }, { { VM_B, 26, 0 }, 2 }, /* no irqfd of VM_B on GSI 26: the VM's total only */
};
static struct kirq_vcpu_count kicks[] = {
	{ { VM_A, 1, 0 }, 110 },
	{ { VM_A, 0, 0 }, 200 },
};
static struct kirq_ret_entry rets[] = {
	{ { VM_A, 25, 0 }, { 1500, 1490, 10, 1490 } },
};
static struct kirq_irqfd_entry irqfds[] = {
	{ RXQ, { 0xffff9a0c4e2b10d0ULL, 29521100000000ULL, 29526090000000ULL, 25, 0x41 } },
	{ TXQ, { 0xffff9a0c4e2b08d0ULL, 29520500000000ULL, 29525000000000ULL, 26, 0x51 } },
	{ CFG, { 0, 30000000000000ULL, 30004000000000ULL, 24, -1 } },
};
static const struct kirq_tables tables = {
	wakeups,
	ARRAY_SIZE(wakeups),
	arch,
	msi,
	ARRAY_SIZE(arch),
	ARRAY_SIZE(msi),
	kicks,
	ARRAY_SIZE(kicks),
	rets,
	ARRAY_SIZE(rets),
	irqfds,
	ARRAY_SIZE(irqfds),
};

/* ktime as the time of day in UTC, independent of the test machine's clock and zone. */
static const char *fake_wall(__u64 ns, char *out, size_t n)
{
	__u64 ms = ns / 1000000 % 86400000;

	snprintf(out, n, "%02llu:%02llu:%02llu.%03llu", (unsigned long long)(ms / 3600000),
		 (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
		 (unsigned long long)(ms % 1000));
	return out;
}

static void build(struct kirq_report *r)
{
	memset(r, 0, sizeof(*r));
	kirq_report_build(r, &tables);
	r->duration_s = 10.02;
	r->interval_s = 5;
	strcpy(r->when, "2026-12-04 16:30:15.123");
}

START_TEST(test_sums)
{
	struct kirq_report r;
	const struct kirq_vm *a;

	build(&r);
	ck_assert_uint_eq(r.wakeups, 1520);
	ck_assert_uint_eq(r.arch, 1520);
	ck_assert_uint_eq(r.msi, 3);
	ck_assert_uint_eq(r.kicks, 310);
	ck_assert_uint_eq(r.n_vms, 2);
	a = &r.vms[0];
	ck_assert_uint_eq(a->kvm, VM_A);
	ck_assert_uint_eq(a->wakeups, 1504);
	ck_assert_uint_eq(a->data_count, 1503);
	ck_assert_uint_eq(a->control_count, 1);
	ck_assert_uint_eq(a->first_ns, 29520500000000ULL);
	ck_assert_uint_eq(a->last_ns, 29526090000000ULL);
	ck_assert_uint_eq(a->n_queues, 2);
	/* By irqfd address: TXQ first. */
	ck_assert_uint_eq(a->queues[0].irqfd, TXQ);
	ck_assert_uint_eq(a->queues[0].arch_count, 4);
	ck_assert_uint_eq(a->queues[0].msi_count, 1);
	ck_assert_int_eq(a->queues[0].msi_vector, 0x51);
	ck_assert_uint_eq(a->queues[0].n_sources, 2);
	ck_assert_uint_eq(a->queues[0].sources[0].count, 3);
	ck_assert_str_eq(a->queues[0].sources[0].key, "wait:0xffff9a0c4e2b0808_mode:3_sync:0_flags:0x1");
	ck_assert_uint_eq(a->queues[0].n_comms, 2);
	ck_assert_uint_eq(a->queues[0].n_tgids, 2);
	ck_assert_uint_eq(a->queues[0].tgids[0], 4321);
	ck_assert_uint_eq(a->queues[1].irqfd, RXQ);
	ck_assert_uint_eq(a->queues[1].count, 1500);
	ck_assert_uint_eq(a->queues[1].n_cpus, 2);
	ck_assert_uint_eq(a->queues[1].cpus[0], 3);
	ck_assert_uint_eq(a->queues[1].cpus[1], 7);
	ck_assert_uint_eq(a->queues[1].n_sources, 1);
	ck_assert_uint_eq(a->n_vcpus, 2);
	ck_assert_uint_eq(a->vcpus[0].vcpu_id, 0);
	ck_assert_uint_eq(a->vcpus[0].count, 200);
	ck_assert_uint_eq(a->n_results, 1);
	ck_assert_uint_eq(r.vms[1].msi, 2);
	ck_assert_uint_eq(r.vms[1].queues[0].msi_count, 0);
	ck_assert_int_eq(r.vms[1].queues[0].msi_vector, -1);
	kirq_report_free(&r);
}
END_TEST

/* Two readings of a GSI counter table: the interval is their difference, key by key. */
START_TEST(test_since)
{
	struct kirq_gsi_count before_v[] = { { { VM_A, 25, 0 }, 10 }, { { VM_A, 26, 0 }, 4 } };
	/* In kirq_entries_read's order: by the key's bytes (VM_B's low bytes sort first). */
	struct kirq_gsi_count now_v[] = { { { VM_B, 24, 0 }, 2 },
					  { { VM_A, 25, 0 }, 17 },
					  { { VM_A, 26, 0 }, 4 } };
	struct kirq_entries before = { sizeof(struct kirq_gsi_key), sizeof(struct kirq_gsi_count), 2,
				       (unsigned char *)before_v };
	struct kirq_entries now = { sizeof(struct kirq_gsi_key), sizeof(struct kirq_gsi_count), 3,
				    (unsigned char *)now_v };
	struct kirq_entries delta = { 0 }, copy;
	const struct kirq_gsi_count *d;

	kirq_entries_since(&delta, &now, &before);
	d = (const void *)delta.v;
	ck_assert_uint_eq(delta.n, 2); /* GSI 26 did not change: left out */
	ck_assert_uint_eq(d[0].key.kvm, VM_B);
	ck_assert_uint_eq(d[0].count, 2);
	ck_assert_uint_eq(d[1].key.gsi, 25);
	ck_assert_uint_eq(d[1].count, 7);
	kirq_entries_copy(&copy, &now);
	kirq_entries_since(&delta, &now, &copy);
	ck_assert_uint_eq(delta.n, 0);
	free(copy.v);
	free(delta.v);
}
END_TEST

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_report r, empty = { .duration_s = 5.01, .interval_s = 5.01 };
	struct kirq_config all = { 4321, 0, KIRQ_ALL, KIRQ_SUB_NONE };

	strcpy(empty.when, "2026-12-04 16:30:10.110");
	kirq_print_banner(f, &all, 5);
	kirq_print_text(f, &empty, fake_wall);
	build(&r);
	kirq_print_text(f, &r, fake_wall);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary.txt"), 0);
}
END_TEST

START_TEST(test_banners)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_config data = { 4321, 4399, KIRQ_DATA, KIRQ_SUB_RX };
	struct kirq_config control = { 4321, 0, KIRQ_CONTROL, KIRQ_SUB_TX };

	kirq_print_banner(f, &data, 1);
	kirq_print_banner(f, &control, 2);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary_banners.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_report r, empty = { .duration_s = 5.01, .interval_s = 5.01 };

	strcpy(empty.when, "2026-12-04 16:30:10.110");
	kirq_print_json(f, &empty, false, fake_wall);
	build(&r);
	kirq_print_json(f, &r, true, fake_wall);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary.json"), 0);
}
END_TEST

/* The metrics (--prometheus-textfile) of the same tables read as cumulative. */
START_TEST(test_prom)
{
	FILE *f = golden_open(&buf, &len);
	struct prom p = { 0 };
	struct kirq_report r;

	build(&r);
	prom_begin(&p, "kvm_irqfd_stats_summary");
	kirq_prom_write(&p, &r, 7);
	fputs(p.text.buf, f);
	prom_free(&p);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary.prom"), 0);
}
END_TEST

Suite *golden_kvm_irqfd_stats_summary_suite(void)
{
	const TTest *tests[] = { test_sums, test_since, test_text, test_banners, test_json, test_prom };

	return unit_suite("kvm_irqfd_stats_summary", "layout", tests, ARRAY_SIZE(tests));
}
