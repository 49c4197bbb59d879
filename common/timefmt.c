// SPDX-License-Identifier: GPL-2.0-only
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t ktime_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t ktime_to_wall_ns(uint64_t ktime_ns)
{
	static int64_t offset;

	if (!offset)
		offset = (int64_t)clock_ns(CLOCK_REALTIME) - (int64_t)clock_ns(CLOCK_MONOTONIC);
	return (uint64_t)((int64_t)ktime_ns + offset);
}

static const char *fmt_local(time_t t, const char *fmt, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, fmt, &tm);
	return buf;
}

const char *fmt_wall_ns_hms(uint64_t wall_ns, char *buf, size_t len)
{
	return fmt_local((time_t)(wall_ns / 1000000000ULL), "%H:%M:%S", buf, len);
}

const char *fmt_wall_ns_ms(uint64_t wall_ns, char *buf, size_t len)
{
	char sec[32];

	fmt_local((time_t)(wall_ns / 1000000000ULL), "%Y-%m-%d %H:%M:%S", sec, sizeof(sec));
	snprintf(buf, len, "%s.%03u", sec, (unsigned)(wall_ns / 1000000ULL % 1000));
	return buf;
}

const char *fmt_time_hms(char *buf, size_t len)
{
	return fmt_wall_ns_hms(clock_ns(CLOCK_REALTIME), buf, len);
}

const char *fmt_datetime(char *buf, size_t len)
{
	return fmt_local(time(NULL), "%Y-%m-%d %H:%M:%S", buf, len);
}

const char *fmt_datetime_ms(char *buf, size_t len)
{
	return fmt_wall_ns_ms(clock_ns(CLOCK_REALTIME), buf, len);
}
