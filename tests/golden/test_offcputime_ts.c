// SPDX-License-Identifier: GPL-2.0-only
/* offcputime-ts' banners and report layouts (multi-line, delimited, one stack kind, folded, -I, JSON). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "golden.h"
#include "offcputime-ts.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const char *const kframes[] = {
	"finish_task_switch",  "__schedule",    "schedule",
	"futex_wait_queue_me", "futex_wait",    "do_futex",
	"__x64_sys_futex",     "do_syscall_64", "entry_SYSCALL_64_after_hwframe"
};
static const char *const uframes[] = { "__lll_lock_wait", "ovs_mutex_lock_at", "handler_thread",
				       "[unknown]" };

static struct offcpu_entry entry(const char *comm, __u32 tid, __s32 uid, __s32 kid, uint64_t us)
{
	struct offcpu_entry e;

	memset(&e, 0, sizeof(e));
	strcpy(e.key.comm, comm);
	e.key.pid = tid;
	e.key.tgid = 2301;
	e.key.user_stack_id = uid;
	e.key.kernel_stack_id = kid;
	e.total_us = us;
	e.kframes = kframes;
	e.uframes = uframes;
	e.nk = kid >= 0 ? (int)ARRAY_SIZE(kframes) : 0;
	e.nu = uid >= 0 ? (int)ARRAY_SIZE(uframes) : 0;
	return e;
}

/* The entries of every layout: both stacks, a kernel thread (no user stack), two missed stacks. */
static void entries(FILE *f, const struct offcpu_layout *l)
{
	struct offcpu_entry e[] = { entry("kworker/0:1", 12, -EFAULT, 3, 417),
				    entry("handler7", 2310, -EEXIST, -ENOMEM, 2000),
				    entry("ovs-vswitchd", 2301, 5, 4, 4998123) };

	for (size_t i = 0; i < ARRAY_SIZE(e); i++)
		offcpu_print_entry(f, &e[i], l);
}

START_TEST(offcpu_banners)
{
	FILE *f = golden_open(&buf, &len);
	struct offcpu_layout both = { 0 }, user = { .user_only = true }, kernel = { .kernel_only = true };

	offcpu_print_banner(f, "all threads", &both, 0, 99999999);
	offcpu_print_banner(f, "PIDs 185,175", &user, 0, 5);
	offcpu_print_banner(f, "TIDs 188", &kernel, 5, 99999999);
	offcpu_print_banner(f, "user threads", &both, 5, 60);
	offcpu_print_banner(f, "kernel threads", &kernel, 0, 99999999);
	ck_assert_int_eq(golden_check(f, &buf, &len, "offcputime-ts_banners.txt"), 0);
}
END_TEST

START_TEST(offcpu_layouts)
{
	static const struct {
		const char *title;
		struct offcpu_layout l;
	} layouts[] = {
		{ "default", { 0 } },
		{ "-d", { .delimited = true } },
		{ "-U", { .user_only = true } },
		{ "-K -d", { .kernel_only = true, .delimited = true } },
		{ "-f", { .folded = true } },
		{ "-f -d", { .folded = true, .delimited = true } },
		{ "-f -K", { .folded = true, .kernel_only = true } },
	};
	FILE *f = golden_open(&buf, &len);

	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		fprintf(f, "### %s\n", layouts[i].title);
		entries(f, &layouts[i].l);
	}
	ck_assert_int_eq(golden_check(f, &buf, &len, "offcputime-ts_layouts.txt"), 0);
}
END_TEST

/* The spec's -I 5 -K sample: one report between its Start and End rules. */
START_TEST(offcpu_interval_report)
{
	FILE *f = golden_open(&buf, &len);
	struct offcpu_layout kernel = { .kernel_only = true };
	struct offcpu_entry e = entry("ovs-vswitchd", 2301, -1, 4, 4998123);

	offcpu_print_banner(f, "all threads", &kernel, 5, 99999999);
	fputc('\n', f);
	offcpu_print_rule(f, "Start", "2025-07-08 10:00:05");
	offcpu_print_entry(f, &e, &kernel);
	offcpu_print_rule(f, "End", "2025-07-08 10:00:05");
	fputc('\n', f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "offcputime-ts_interval.txt"), 0);
}
END_TEST

START_TEST(offcpu_json)
{
	FILE *f = golden_open(&buf, &len);
	struct offcpu_entry e[] = { entry("ovs-vswitchd", 2301, 5, 4, 4998123),
				    entry("handler7", 2310, -EEXIST, -1, 2000) };

	offcpu_print_json(f, &e[0], "2025-07-08 10:00:05");
	offcpu_print_json(f, &e[1], "2025-07-08 10:00:05");
	ck_assert_int_eq(golden_check(f, &buf, &len, "offcputime-ts.json"), 0);
}
END_TEST

/* Missed stacks are told apart by bpf_get_stackid's error: the metrics label them so. */
START_TEST(offcpu_lost_reasons)
{
	ck_assert(!offcpu_stack_missed(-EFAULT));
	ck_assert(!offcpu_stack_missed(0));
	ck_assert(offcpu_stack_missed(-ENOMEM));
	ck_assert_int_eq(offcpu_lost_reason(-ENOMEM), OFFCPU_LOST_TABLE_FULL);
	ck_assert_int_eq(offcpu_lost_reason(-EEXIST), OFFCPU_LOST_HASH_COLLISION);
	ck_assert_int_eq(offcpu_lost_reason(-EINVAL), OFFCPU_LOST_OTHER);
}
END_TEST

Suite *golden_offcputime_ts_suite(void)
{
	const TTest *tests[] = { offcpu_banners, offcpu_layouts, offcpu_interval_report, offcpu_json,
				 offcpu_lost_reasons };

	return unit_suite("offcputime_ts", "layouts", tests, ARRAY_SIZE(tests));
}
