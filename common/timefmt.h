/* SPDX-License-Identifier: GPL-2.0-only */
/* Time formats of the original tools' output. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Local wall-clock time now as "HH:MM:SS". */
const char *fmt_time_hms(char *buf, size_t len);
/* Local wall-clock time now as "YYYY-MM-DD HH:MM:SS". */
const char *fmt_datetime(char *buf, size_t len);
/* Local wall-clock time now as "YYYY-MM-DD HH:MM:SS.mmm". */
const char *fmt_datetime_ms(char *buf, size_t len);
/* CLOCK_MONOTONIC now, in nanoseconds (the clock of bpf_ktime_get_ns). */
uint64_t ktime_now_ns(void);
/* Converts a bpf_ktime_get_ns() timestamp to wall-clock nanoseconds since the epoch. */
uint64_t ktime_to_wall_ns(uint64_t ktime_ns);
/* Formats wall-clock nanoseconds as local "YYYY-MM-DD HH:MM:SS.mmm". */
const char *fmt_wall_ns_ms(uint64_t wall_ns, char *buf, size_t len);
/* Formats wall-clock nanoseconds as local "HH:MM:SS". */
const char *fmt_wall_ns_hms(uint64_t wall_ns, char *buf, size_t len);
