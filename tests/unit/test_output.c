// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/output.h: when stdout, redirected to a file, reaches the file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "runtime.h"
#include "unit_helpers.h"
#include "util.h"

static char path[] = "/tmp/bpfnet-unit-output.XXXXXX";

/* stdout to a fresh file (not a terminal), then output_init. */
static void redirect(void)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(freopen(path, "w", stdout));
	output_init();
}

static long file_size(void)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (long)st.st_size;
}

static void sleep_s(double s)
{
	struct timespec ts = { 0, (long)(s * 1e9) };

	nanosleep(&ts, NULL);
}

START_TEST(test_without_event_loop_each_event_is_flushed)
{
	redirect();
	printf("one\n");
	ck_assert_int_eq(file_size(), 0); /* fully buffered */
	output_event_end();
	ck_assert_int_eq(file_size(), 4);
	unlink(path);
}
END_TEST

START_TEST(test_event_loop_flushes_before_waiting_at_most_every_period)
{
	double t0;
	int timeout;

	redirect();
	output_defer_flushes(true);
	ck_assert(output_deferred());
	ck_assert_int_eq(output_before_wait(-1), -1); /* nothing pending: the wait is not cut */
	output_flush();
	t0 = tool_elapsed();
	printf("one\n");
	output_event_end();
	ck_assert_int_eq(file_size(), 0); /* left to the loop */
	ck_assert_int_eq(output_before_wait(0), 0); /* a poll that does not wait: no flush */
	timeout = output_before_wait(1000);
	if (tool_elapsed() - t0 < OUTPUT_FLUSH_PERIOD * 0.8) {
		/* flushed less than a period ago: the wait is cut to the end of the period */
		ck_assert_int_gt(timeout, 0);
		ck_assert_int_le(timeout, (int)(OUTPUT_FLUSH_PERIOD * 1000) + 1);
		ck_assert_int_eq(file_size(), 0);
	}
	sleep_s(OUTPUT_FLUSH_PERIOD * 1.2);
	ck_assert_int_eq(output_before_wait(1000), 1000); /* due: flushed, the wait unchanged */
	ck_assert_int_eq(file_size(), 4);
	ck_assert_int_eq(output_before_wait(-1), -1);
	output_defer_flushes(false);
	ck_assert(!output_deferred());
	printf("two\n");
	output_event_end();
	ck_assert_int_eq(file_size(), 8);
	unlink(path);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_without_event_loop_each_event_is_flushed,
				 test_event_loop_flushes_before_waiting_at_most_every_period };

	return unit_run(unit_suite("output", "flushes", tests, ARRAY_SIZE(tests)));
}
