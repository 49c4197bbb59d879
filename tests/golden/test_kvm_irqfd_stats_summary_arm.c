// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary_arm: the vGIC sums of one interval (queueings and GICv2/GICv3
 * list-register populations per VM and interrupt ID) beside the x86 tool's, and the arm
 * banner, text report and JSON layouts (the spec's sample: intid 40, 1200 queued and 1190
 * injected in 5 s).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "golden.h"
#include "ksyms.h"
#include "kvm_irqfd_stats_summary.h"
#include "prom.h"
#include "unit_helpers.h"
#include "util.h"

#define VM_A 0xffff0000c4e10000ULL
#define VM_B 0xffff0000c5200000ULL
#define RXQ 0xffff00008a2b1000ULL /* irqfd of GSI 1 (an MSI), woken by vhost-4321 */
#define CFG 0xffff00008a2b3000ULL /* VM_B's irqfd of GSI 3, woken by QEMU */

static char *buf;
static size_t len;

static struct kirq_wakeup_count wakeups[] = {
	{ { VM_A, RXQ, RXQ + 8, 1, 1, 2, 4399, 3, 0, 0, "vhost-4321" }, 1200 },
	{ { VM_B, CFG, CFG + 8, 1, 3, 0, 5000, 3, 0, 0, "qemu-system-aar" }, 16 },
};
static struct kirq_gsi_count arch[] = { { { VM_A, 1, 0 }, 1200 }, { { VM_B, 3, 0 }, 16 } };
static struct kirq_gsi_count msi[] = { { { VM_A, 1, 0 }, 1200 }, { { VM_B, 3, 0 }, 16 } };
static struct kirq_vcpu_count kicks[] = { { { VM_A, 0, 0 }, 1180 }, { { VM_B, 1, 0 }, 15 } };
static struct kirq_ret_entry rets[] = {
	{ { VM_A, 1, 0 }, { 1200, 1196, 4, 0 } }, /* arm64: 0 = injected (ITS cache hit), else deferred */
};
static struct kirq_irqfd_entry irqfds[] = {
	{ RXQ, { 0xffff00008a2b10d0ULL, 29521100000000ULL, 29526090000000ULL, 1, 0 } },
	{ CFG, { 0xffff00008a2b30d0ULL, 30000000000000ULL, 30004000000000ULL, 3, -1 } },
};
static struct kirq_vgic_count
	vgic[] = {
		{ { VM_A, 41, 0 }, 4 },    { { VM_A, 40, 0 }, 1200 },
		{ { VM_A, 40, 3 }, 1190 }, { { VM_A, 41, 3 }, 3 },
		{ { VM_A, 42, 3 }, 0 }, /* unchanged: left out */
		{ { VM_B, 35, 0 }, 16 },   { { VM_B, 35, 2 }, 16 },
		{ { VM_B, 27, 2 }, 2 }, /* the timer PPI: populated, never queued through an irqfd */
	};
static const struct kirq_tables tables = {
	.wakeups = wakeups,
	.n_wakeups = ARRAY_SIZE(wakeups),
	.arch = arch,
	.msi = msi,
	.n_arch = ARRAY_SIZE(arch),
	.n_msi = ARRAY_SIZE(msi),
	.kicks = kicks,
	.n_kicks = ARRAY_SIZE(kicks),
	.rets = rets,
	.n_rets = ARRAY_SIZE(rets),
	.irqfds = irqfds,
	.n_irqfds = ARRAY_SIZE(irqfds),
	.vgic = vgic,
	.n_vgic = ARRAY_SIZE(vgic),
};

/* ktime read as seconds since the epoch, shown in UTC: the same on every test machine. */
static const char *fake_wall(__u64 ns, char *out, size_t n)
{
	time_t secs = (time_t)(ns / 1000000000);
	struct tm tm;
	char hms[16];

	gmtime_r(&secs, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(out, n, "%s.%03u", hms, (unsigned)(ns / 1000000 % 1000));
	return out;
}

static void build(struct kirq_report *r, bool vgic)
{
	memset(r, 0, sizeof(*r));
	r->vgic = vgic;
	kirq_report_build(r, &tables);
	r->duration_s = 10.02;
	r->interval_s = 5;
	strcpy(r->when, "2026-12-04 16:30:15.123");
}

START_TEST(test_vgic_sums)
{
	struct kirq_report r;
	const struct kirq_vm *a, *b;

	build(&r, true);
	ck_assert_uint_eq(r.vgic_queue, 1220);
	ck_assert_uint_eq(r.populate_lr, 1211);
	ck_assert_uint_eq(r.wakeups, 1216);
	ck_assert_uint_eq(r.n_vms, 2);
	a = &r.vms[0];
	b = &r.vms[1];
	ck_assert_uint_eq(a->kvm, VM_A);
	ck_assert_uint_eq(a->vgic_queue, 1204);
	ck_assert_uint_eq(a->populate_lr, 1193);
	ck_assert_uint_eq(a->gicv2, 0);
	ck_assert_uint_eq(a->gicv3, 1193);
	/* By intid, the unchanged intid 42 left out. */
	ck_assert_uint_eq(a->n_queued, 2);
	ck_assert_uint_eq(a->queued[0].intid, 40);
	ck_assert_uint_eq(a->queued[0].count, 1200);
	ck_assert_uint_eq(a->queued[1].intid, 41);
	ck_assert_uint_eq(a->n_populated, 2);
	ck_assert_uint_eq(a->populated[0].count, 1190);
	ck_assert_uint_eq(a->populated[0].gicv3, 1190);
	ck_assert_uint_eq(b->gicv2, 18);
	ck_assert_uint_eq(b->gicv3, 0);
	ck_assert_uint_eq(b->n_populated, 2);
	ck_assert_uint_eq(b->populated[0].intid, 27);
	ck_assert_uint_eq(b->n_queued, 1);
	kirq_report_free(&r);
}
END_TEST

/* The same tables in an x86 report (vgic off): the vGIC rows are summed but never printed. */
START_TEST(test_x86_report_unchanged)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_report r;

	build(&r, false);
	kirq_print_text(f, &r, fake_wall);
	kirq_print_json(f, &r, false, fake_wall);
	kirq_report_free(&r);
	fflush(f);
	ck_assert_ptr_null(strstr(buf, "vgic"));
	ck_assert_ptr_null(strstr(buf, "GICv"));
	ck_assert_ptr_null(strstr(buf, "populate"));
	ck_assert_ptr_null(strstr(buf, "intid"));
	fclose(f);
	free(buf);
	buf = NULL;
}
END_TEST

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_report r, empty = { .duration_s = 5.01, .interval_s = 5.01, .vgic = true };
	struct kirq_config all = { 4321, 0, KIRQ_ALL, KIRQ_SUB_NONE };

	strcpy(empty.when, "2026-12-04 16:30:10.110");
	kirq_arm_print_banner(f, &all, 5);
	kirq_print_text(f, &empty, fake_wall);
	build(&r, true);
	kirq_print_text(f, &r, fake_wall);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary_arm.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);
	struct kirq_report r, empty = { .duration_s = 5.01, .interval_s = 5.01, .vgic = true };

	strcpy(empty.when, "2026-12-04 16:30:10.110");
	kirq_print_json(f, &empty, false, fake_wall);
	build(&r, true);
	kirq_print_json(f, &r, true, fake_wall);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary_arm.json"), 0);
}
END_TEST

static struct ksyms *ksyms_of(const char *text)
{
	char path[] = "/tmp/kirq-ksyms-XXXXXX";
	int fd = mkstemp(path);
	struct ksyms *ks;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ks = ksyms_load(path);
	unlink(path);
	ck_assert_ptr_nonnull(ks);
	return ks;
}

/* The refusal on x86: the 6.1 lab kernel's functions (its kvm module among them) have no vGIC. */
START_TEST(test_vgic_functions)
{
	struct ksyms *x86 = ksyms_load(GOLDEN_DIR "/../../fixtures/btf/6.1.kallsyms");
	struct ksyms *gicv3 = ksyms_of("ffff800008a1c000 T irqfd_wakeup\n"
				       "ffff800008a2d000 T vgic_queue_irq_unlock\n"
				       "ffff800008a2e000 T vgic_v2_populate_lr\n"
				       "ffff800008a2f000 T vgic_v3_populate_lr\n");
	struct ksyms *lr_only = ksyms_of("ffff800008a2f000 t vgic_v3_populate_lr.constprop.0\n");
	struct ksyms *none = ksyms_of("ffff800008a1c000 T irqfd_wakeup\nffff800008a1d000 T vgic_init\n");

	ck_assert_ptr_nonnull(x86);
	ck_assert_ptr_nonnull(ksyms_attach_name(x86, "irqfd_wakeup"));
	ck_assert(!kirq_has_vgic(x86));
	ck_assert(kirq_has_vgic(gicv3));
	ck_assert(kirq_has_vgic(lr_only));
	ck_assert(!kirq_has_vgic(none));
	ksyms_free(x86);
	ksyms_free(gicv3);
	ksyms_free(lr_only);
	ksyms_free(none);
}
END_TEST

/* The metrics (--prometheus-textfile) of the same tables read as cumulative. */
START_TEST(test_prom)
{
	FILE *f = golden_open(&buf, &len);
	struct prom p = { 0 };
	struct kirq_report r;

	build(&r, true);
	prom_begin(&p, "kvm_irqfd_stats_summary_arm");
	kirq_prom_write(&p, &r, 7);
	fputs(p.text.buf, f);
	prom_free(&p);
	kirq_report_free(&r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "kvm_irqfd_stats_summary_arm.prom"), 0);
}
END_TEST

Suite *golden_kvm_irqfd_stats_summary_arm_suite(void)
{
	const TTest *tests[] = { test_vgic_sums, test_x86_report_unchanged, test_text,
				 test_json,      test_vgic_functions,       test_prom };

	return unit_suite("kvm_irqfd_stats_summary_arm", "layout", tests, ARRAY_SIZE(tests));
}
