// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/timefmt.h. */
#include <check.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "timefmt.h"
#include "unit_helpers.h"
#include "util.h"

static void set_tz(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

static void assert_matches(const char *text, const char *pattern)
{
	regex_t re;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, text, 0, NULL, 0) == 0, "'%s' does not match /%s/", text, pattern);
	regfree(&re);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#define HMS "[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
#define DATE "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"

START_TEST(test_shapes)
{
	char buf[64];

	assert_matches(fmt_time_hms(buf, sizeof(buf)), "^" HMS "$");
	assert_matches(fmt_datetime(buf, sizeof(buf)), "^" DATE " " HMS "$");
	assert_matches(fmt_datetime_ms(buf, sizeof(buf)), "^" DATE " " HMS "\\.[0-9]{3}$");
	assert_matches(fmt_wall_ns_ms(ktime_to_wall_ns(ktime_now_ns()), buf, sizeof(buf)),
		       "^" DATE " " HMS "\\.[0-9]{3}$");
	assert_matches(fmt_wall_ns_hms(ktime_to_wall_ns(ktime_now_ns()), buf, sizeof(buf)), "^" HMS "$");
	ck_assert_ptr_eq(fmt_time_hms(buf, sizeof(buf)), buf);
}
END_TEST

START_TEST(test_now_matches_clock_under_utc)
{
	char buf[64], expect[64];

	set_tz("UTC");
	for (int attempt = 0; attempt < 5; attempt++) {
		time_t t0 = time(NULL);
		struct tm tm;

		fmt_datetime(buf, sizeof(buf));
		if (time(NULL) != t0)
			continue; /* crossed a second boundary: try again */
		gmtime_r(&t0, &tm);
		strftime(expect, sizeof(expect), "%Y-%m-%d %H:%M:%S", &tm);
		ck_assert_str_eq(buf, expect);
		return;
	}
	ck_abort_msg("clock kept crossing second boundaries");
}
END_TEST

START_TEST(test_ktime_now_is_monotonic_clock)
{
	uint64_t before = clock_ns(CLOCK_MONOTONIC);
	uint64_t k1 = ktime_now_ns();
	uint64_t k2 = ktime_now_ns();
	uint64_t after = clock_ns(CLOCK_MONOTONIC);

	ck_assert_uint_le(before, k1);
	ck_assert_uint_le(k1, k2);
	ck_assert_uint_le(k2, after);
}
END_TEST

START_TEST(test_ktime_to_wall)
{
	uint64_t wall = ktime_to_wall_ns(ktime_now_ns());
	uint64_t real = clock_ns(CLOCK_REALTIME);
	uint64_t diff = wall > real ? wall - real : real - wall;

	ck_assert_msg(diff < 1000000000ULL, "ktime_to_wall_ns is %llu ns off the realtime clock",
		      (unsigned long long)diff);
	/* Differences between timestamps are preserved. */
	uint64_t k = ktime_now_ns();

	ck_assert_uint_eq(ktime_to_wall_ns(k + 5000000000ULL) - ktime_to_wall_ns(k), 5000000000ULL);
	ck_assert_uint_eq(ktime_to_wall_ns(k + 1) - ktime_to_wall_ns(k), 1);
	/* An event 2 s ago is 2 s before the realtime clock. */
	wall = ktime_to_wall_ns(ktime_now_ns() - 2000000000ULL);
	real = clock_ns(CLOCK_REALTIME) - 2000000000ULL;
	diff = wall > real ? wall - real : real - wall;
	ck_assert_uint_lt(diff, 1000000000ULL);
}
END_TEST

START_TEST(test_fixed_epoch_utc)
{
	char buf[64];

	set_tz("UTC");
	/* 1700000000 s = 2023-11-14 22:13:20 UTC */
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000123456789ULL, buf, sizeof(buf)), "2023-11-14 22:13:20.123");
	ck_assert_str_eq(fmt_wall_ns_hms(1700000000123456789ULL, buf, sizeof(buf)), "22:13:20");
	/* Milliseconds are truncated, not rounded. */
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000999999999ULL, buf, sizeof(buf)), "2023-11-14 22:13:20.999");
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000000999999ULL, buf, sizeof(buf)), "2023-11-14 22:13:20.000");
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000007000000ULL, buf, sizeof(buf)), "2023-11-14 22:13:20.007");
	ck_assert_str_eq(fmt_wall_ns_ms(0, buf, sizeof(buf)), "1970-01-01 00:00:00.000");
	ck_assert_str_eq(fmt_wall_ns_hms(0, buf, sizeof(buf)), "00:00:00");
}
END_TEST

START_TEST(test_fixed_epoch_local_zone)
{
	char buf[64];

	/* POSIX TZ "UTC-2": two hours east of UTC; the date rolls over. */
	set_tz("UTC-2");
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000123456789ULL, buf, sizeof(buf)), "2023-11-15 00:13:20.123");
	ck_assert_str_eq(fmt_wall_ns_hms(1700000000123456789ULL, buf, sizeof(buf)), "00:13:20");
	set_tz("EST5");
	ck_assert_str_eq(fmt_wall_ns_ms(1700000000123456789ULL, buf, sizeof(buf)), "2023-11-14 17:13:20.123");
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_shapes,
				      test_now_matches_clock_under_utc,
				      test_ktime_now_is_monotonic_clock,
				      test_ktime_to_wall,
				      test_fixed_epoch_utc,
				      test_fixed_epoch_local_zone };

	return unit_run(unit_suite("timefmt", "core", core_tests, ARRAY_SIZE(core_tests)));
}
