// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_monitor: CPU lists and usage arithmetic, and the report's layouts against golden files
 * (banner, cycle, CPU blocks with and without threads and profile marks, colours on a
 * terminal, the lines at exit, the profile report).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "cpu_monitor.h"
#include "golden.h"
#include "util.h"
#include "unit_helpers.h"

static char *buf;
static size_t len;

START_TEST(cpu_lists)
{
	int cpus[16], n;
	const char *bad;

	n = cpum_parse_list("0-3,8,2", 15, cpus, 16, &bad);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(cpus[3], 3);
	ck_assert_int_eq(cpus[4], 8);
	ck_assert_int_eq(cpus[5], 2); /* order and duplicates kept */
	ck_assert_int_eq(cpum_sort_unique(cpus, n), 5);
	ck_assert_int_eq(cpus[4], 8);
	ck_assert_int_eq(cpum_parse_list("1,16", 15, cpus, 16, &bad), -1);
	ck_assert_str_eq(bad, "16");
	ck_assert_int_eq(cpum_parse_list("3-1", 15, cpus, 16, &bad), -1);
	ck_assert_str_eq(bad, "3-1");
	ck_assert_int_eq(cpum_parse_list("1,,2", 15, cpus, 16, &bad), -1);
	ck_assert_str_eq(bad, "");
	ck_assert_int_eq(cpum_parse_list("x", 15, cpus, 16, &bad), -1);
	ck_assert_int_eq(cpum_parse_list("0-15", 15, cpus, 16, &bad), 16);
	ck_assert_int_eq(cpum_parse_list("0-15,1", 15, cpus, 16, &bad), -1); /* more than the room */
}
END_TEST

START_TEST(usage_from_stat)
{
	struct cpum_stat a = { .user = 100, .system = 50, .idle = 800, .iowait = 50 };
	struct cpum_stat b = { .user = 160, .system = 70, .idle = 900, .iowait = 70, .irq = 5, .softirq = 5 };

	/* busy 60 + 20 + 5 + 5 = 90 of 90 + 100 + 20 = 210; iowait counts as idle. */
	ck_assert_double_eq_tol(cpum_usage(&a, &b), 100.0 * 90 / 210, 1e-9);
	ck_assert_double_eq(cpum_usage(&a, &a), 0);
	ck_assert_double_eq(cpum_usage(&b, &a), 0); /* counters went back (CPU hot-plugged) */
}
END_TEST

static const struct cpum_thread_row rows[] = {
	{ 2301, 2301, 30.14, "ovs-vswitchd" }, { 2301, 2315, 4.0, "handler12" },
	{ 4410, 4452, 3.96, "qemu-kvm" },      { 17, 17, 1.25, "ksoftirqd/2" },
	{ 4410, 4450, 0.5, "qemu-kvm" },       { 1, 1, 0.2, "systemd" },
};

static void cycle(const struct cpum_out *o, enum cpum_perf_mark mark)
{
	static const int group[] = { 2, 34 };
	struct cpum_cpu_block target = { 2, 35.2, true, mark, rows, 6 },
			      sibling = { 34, 1.0, false, CPUM_PERF_NONE };

	cpum_print_cycle_head(o, "09:13:55", 7.345);
	cpum_print_group_head(o, 2, group, 2);
	cpum_print_cpu(o, &target, 5);
	cpum_print_cpu(o, &sibling, 5);
}

START_TEST(report_layout)
{
	FILE *f = golden_open(&buf, &len);
	struct cpum_out o = { f, "2026-11-25 09:13:55", false };
	static const int targets[] = { 2 }, monitored[] = { 2, 34 };

	cpum_print_banner(&o, targets, 1, monitored, 2, 5, NULL, 0, NULL);
	cycle(&o, CPUM_PERF_NONE);
	cpum_print_stop(&o, true);
	/* With profiling and a log file; the profile kept, then discarded. */
	cpum_print_banner(&o, targets, 1, monitored, 2, 5, "cpu_monitor_20261125_091355.log", 80,
			  "/tmp/cpu_monitor_perf_20261125_091355");
	cycle(&o, CPUM_PERF_KEPT);
	cycle(&o, CPUM_PERF_DELETED);
	cpum_print_stop(&o, false);
	ck_assert_int_eq(golden_check(f, &buf, &len, "cpu_monitor.txt"), 0);
}
END_TEST

START_TEST(report_colors)
{
	FILE *f = golden_open(&buf, &len);
	struct cpum_out o = { f, "2026-11-25 09:13:55", true };
	char col[128];

	cycle(&o, CPUM_PERF_KEPT);
	cpum_line(&o, "%s",
		  cpum_color(&o, "0;31", "CPU 2 usage 35.20%: no profile samples, nothing saved", col,
			     sizeof(col)));
	ck_assert_int_eq(golden_check(f, &buf, &len, "cpu_monitor_tty.txt"), 0);
}
END_TEST

START_TEST(profile_layout)
{
	FILE *f = golden_open(&buf, &len);
	static const char *hog[] = { "hog_spin", "hog_main", "start_thread", "clone3" };
	static const char *hog_d[] = { "hog_spin+0x20 (/usr/bin/cpu_hog)", "hog_main+0x6c (/usr/bin/cpu_hog)",
				       "start_thread+0x2f2 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
				       "clone3+0x2f (/usr/lib/x86_64-linux-gnu/libc.so.6)" };
	static const char *sys[] = { "clear_page_erms", "do_anonymous_page", "[unknown]" };
	static const char *sys_d[] = { "clear_page_erms+0x7 (kernel)", "do_anonymous_page+0x12a (kernel)",
				       "0x55d0c0a01234 (/usr/bin/qemu-system-x86_64)" };
	static const char *idle[] = { "default_idle" };
	static const char *idle_d[] = { "default_idle+0xe (kernel)" };
	struct cpum_stack stacks[] = {
		{ 120, 4410, 4452, "qemu-kvm", .nkernel = 2, .nframes = 3, .frames = sys, .details = sys_d },
		{ 700, 2301, 2301, "hog_hi", .nframes = 4, .frames = hog, .details = hog_d },
		{ 75, 2301, 2302, "hog_lo", .nframes = 4, .frames = hog, .details = hog_d },
		{ 5, 0, 0, "swapper/2", .nkernel = 1, .nframes = 1, .frames = idle, .details = idle_d },
		/* A user stack the kernel could not take: the report says why. */
		{ 3, 4410, 4453, "qemu-kvm", .ustack_err = -EFAULT },
	};

	cpum_print_profile(f, 2, "Wed Nov 25 09:13:55 CST 2026", 90.5, 80, 5, stacks, ARRAY_SIZE(stacks));
	ck_assert_int_eq(golden_check(f, &buf, &len, "cpu_monitor_profile.txt"), 0);
}
END_TEST

Suite *golden_cpu_monitor_suite(void)
{
	const TTest *tests[] = { cpu_lists, usage_from_stat, report_layout, report_colors, profile_layout };

	return unit_suite("cpu_monitor", "lists, usage and layouts", tests, ARRAY_SIZE(tests));
}
