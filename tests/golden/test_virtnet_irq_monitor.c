// SPDX-License-Identifier: GPL-2.0-only
/* virtnet_irq_monitor: banner, reports (busy, idle, spurious, odd return values), JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "unit_helpers.h"
#include "util.h"
#include "virtnet_irq_monitor.h"

static char *buf;
static size_t len;

/* IRQ 69 busy on two CPUs, 71 silent, 73 with 5 % IRQ_NONE and a value no enum names. */
static void report(struct virq_report *r, struct virq_irq_report *irqs)
{
	static struct virq_count cpus69[] = { { 0, 1000 }, { 3, 234 } }, rets69[] = { { 0, 4 }, { 1, 1230 } };
	static struct virq_count cpus73[] = { { 1, 40 } },
				 rets73[] = { { 0, 2 }, { 1, 37 }, { 2, 0 }, { 7, 1 } };

	memset(irqs, 0, 3 * sizeof(*irqs));
	irqs[0] = (struct virq_irq_report){ 69,   "virtio0-input.0", 1234, cpus69, 2, rets69, 2,
					    1234, 1480800,           15000 };
	irqs[1] = (struct virq_irq_report){ .irq = 71, .name = "unknown" };
	irqs[2] =
		(struct virq_irq_report){ 73, "virtio0-output.0", 40, cpus73, 1, rets73, 4, 40, 40000, 2400 };
	*r = (struct virq_report){ "16:30:15", irqs, 3 };
}

START_TEST(test_text)
{
	FILE *f = golden_open(&buf, &len);
	const int given[] = { 73, 69, 71 };
	struct virq_irq_report irqs[3];
	struct virq_report r;

	virq_print_banner(f, given, 3, 5, false);
	virq_print_started(f);
	report(&r, irqs);
	virq_print_report(f, &r);
	/* Only the silent IRQ: no issue. */
	r.irqs = &irqs[1];
	r.nirqs = 1;
	virq_print_banner(f, given + 2, 1, 1, true);
	virq_print_report(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtnet_irq_monitor.txt"), 0);
}
END_TEST

START_TEST(test_json)
{
	FILE *f = golden_open(&buf, &len);
	struct virq_irq_report irqs[3];
	struct virq_report r;

	report(&r, irqs);
	virq_print_json(f, &r);
	ck_assert_int_eq(golden_check(f, &buf, &len, "virtnet_irq_monitor.json"), 0);
}
END_TEST

/* --irqs: Python's int() per comma-separated item, spaces around items allowed. */
START_TEST(test_irq_list)
{
	char err[128];
	int irqs[4];

	ck_assert_int_eq(virq_parse_list("69,71, 73 ,75", irqs, 4, err, sizeof(err)), 4);
	ck_assert_int_eq(irqs[0], 69);
	ck_assert_int_eq(irqs[2], 73);
	ck_assert_int_eq(irqs[3], 75);
	ck_assert_int_eq(virq_parse_list("24,24", irqs, 4, err, sizeof(err)), 2);
	ck_assert_int_eq(irqs[1], 24);
	ck_assert_int_eq(virq_parse_list("69,abc", irqs, 4, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid literal for int() with base 10: 'abc'");
	ck_assert_int_eq(virq_parse_list("", irqs, 4, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid literal for int() with base 10: ''");
	ck_assert_int_eq(virq_parse_list("1,,2", irqs, 4, err, sizeof(err)), -1);
	ck_assert_int_eq(virq_parse_list("1,2,3,4,5", irqs, 4, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "more than 4 IRQs");
}
END_TEST

Suite *golden_virtnet_irq_monitor_suite(void)
{
	const TTest *tests[] = { test_text, test_json, test_irq_list };

	return unit_suite("virtnet_irq_monitor", "layout", tests, ARRAY_SIZE(tests));
}
