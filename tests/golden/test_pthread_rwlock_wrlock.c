// SPDX-License-Identifier: GPL-2.0-only
/* pthread_rwlock_wrlock's exit output (END print + bpftrace's dump) in both modes, and JSON. */
#include <check.h>

#include "bthist.h"
#include "golden.h"
#include "pthread_rwlock_wrlock.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

/* The spec's sample. */
static const uint64_t slots[BT_HIST_SLOTS] = { [0] = 8123, [1] = 902, [2] = 211, [3] = 12 };
static const struct tid_start inside[] = { { 2305, 918273645566ULL } };

static const char *const frames_a[] = { "__pthread_rwlock_wrlock+0", "ofproto_flow_mod+123",
					"0x7f3a12345678" };
static const char *const frames_b[] = { "__pthread_rwlock_wrlock+0", "handle_upcalls+88",
					"udpif_upcall_handler+412", "0x7f3a12349abc" };

static struct rwl_caller_row caller(const char *const *frames, int n, uint64_t count)
{
	struct rwl_caller_row r = { .key = { .tgid = 2301, .stack_id = n }, .count = count };

	snprintf(r.key.comm, sizeof(r.key.comm), "ovs-vswitchd");
	r.frames = frames;
	r.nframes = n;
	return r;
}

START_TEST(rwl_histogram_exit)
{
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 3 probes...\n", f);
	rwl_print_hist(f, slots);
	rwl_print_exit_dump(f, slots, inside, ARRAY_SIZE(inside));
	ck_assert_int_eq(golden_check(f, &buf, &len, "pthread_rwlock_wrlock.txt"), 0);
}
END_TEST

START_TEST(rwl_callers_exit)
{
	FILE *f = golden_open(&buf, &len);
	struct rwl_caller_row rows[] = { caller(frames_a, 3, 57), caller(frames_b, 4, 9),
					 caller(NULL, 0, 1) };

	rwl_sort_callers(rows, ARRAY_SIZE(rows));
	fputs("Attaching 2 probes...\n", f);
	rwl_print_callers(f, rows, ARRAY_SIZE(rows));
	fputs("\n\n", f);
	rwl_print_callers(f, rows, ARRAY_SIZE(rows));
	ck_assert_int_eq(golden_check(f, &buf, &len, "pthread_rwlock_wrlock-stack.txt"), 0);
}
END_TEST

START_TEST(rwl_json)
{
	FILE *f = golden_open(&buf, &len);
	struct rwl_caller_row rows[] = { caller(frames_b, 4, 9), caller(frames_a, 3, 57) };

	rwl_print_hist_json(f, "/usr/lib/x86_64-linux-gnu/libc.so.6", slots, inside, ARRAY_SIZE(inside));
	rwl_print_callers_json(f, "/usr/lib64/libpthread-2.28.so", rows, ARRAY_SIZE(rows));
	ck_assert_int_eq(golden_check(f, &buf, &len, "pthread_rwlock_wrlock.json"), 0);
}
END_TEST

Suite *golden_pthread_rwlock_wrlock_suite(void)
{
	const TTest *tests[] = { rwl_histogram_exit, rwl_callers_exit, rwl_json };

	return unit_suite("pthread_rwlock_wrlock", "layouts", tests, ARRAY_SIZE(tests));
}
