// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/interval.h with a fake clock: which reports run, when, and how often. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "interval.h"
#include "unit_helpers.h"
#include "util.h"

/* The fake clock: sleeping advances it; a signal at signal_at cuts the sleep that spans it. */
static double now_s, signal_at;
static double sleeps[64];
static int nsleeps;

static double fake_now(void)
{
	return now_s;
}

static bool fake_sleep(double s)
{
	ck_assert_msg(s >= 0, "negative sleep %g", s);
	ck_assert_int_lt(nsleeps, 64);
	sleeps[nsleeps++] = s;
	if (signal_at >= 0 && now_s + s >= signal_at) {
		now_s = signal_at > now_s ? signal_at : now_s;
		return false;
	}
	now_s += s;
	return true;
}

static const struct interval_clock fake_clock = { fake_now, fake_sleep };

/* What the loop called: 'r' per report, 'f' per final report, and when. */
struct calls {
	char seq[64];
	double at[64];
	int n;
};

static void record(struct calls *c, char what)
{
	ck_assert_int_lt(c->n, 63);
	c->at[c->n] = now_s;
	c->seq[c->n++] = what;
}

static void on_report(void *ctx)
{
	record(ctx, 'r');
}

/* A report that takes 0.3 s of the clock. */
static void on_slow_report(void *ctx)
{
	record(ctx, 'r');
	now_s += 0.3;
}

static void on_final(void *ctx)
{
	record(ctx, 'f');
}

static void run_with(struct calls *c, double start, double interval, double duration, double signal,
		     bool final, void (*report)(void *))
{
	memset(c, 0, sizeof(*c));
	now_s = start;
	signal_at = signal;
	nsleeps = 0;
	interval_run(&(struct interval_loop){ .interval_s = interval,
					      .duration_s = duration,
					      .report = report,
					      .final = final ? on_final : NULL,
					      .ctx = c,
					      .clock = &fake_clock });
}

static void run(struct calls *c, double start, double interval, double duration, double signal, bool final)
{
	run_with(c, start, interval, duration, signal, final, on_report);
}

#define assert_near(a, b) ck_assert_msg(fabs((a) - (b)) < 1e-9, "%g != %g", (double)(a), (double)(b))

START_TEST(test_duration_cuts_the_last_interval_into_the_final_report)
{
	struct calls c;

	/* -i 2 -d 5: reports at 2 and 4, the interval 4..5 is the final report, once. */
	run(&c, 0, 2, 5, -1, true);
	ck_assert_str_eq(c.seq, "rrf");
	assert_near(c.at[0], 2);
	assert_near(c.at[1], 4);
	assert_near(c.at[2], 5);
	ck_assert_int_eq(nsleeps, 3);
	assert_near(sleeps[2], 1);
}
END_TEST

START_TEST(test_interval_ending_at_duration_is_the_final_report)
{
	struct calls c;

	run(&c, 0, 2, 4, -1, true);
	ck_assert_str_eq(c.seq, "rf");
	assert_near(c.at[1], 4);
	/* Duration shorter than the interval: only the final report, on time. */
	run(&c, 0, 10, 3, -1, true);
	ck_assert_str_eq(c.seq, "f");
	assert_near(c.at[0], 3);
}
END_TEST

START_TEST(test_duration_counts_from_the_tool_start)
{
	struct calls c;

	/* Started 0.7 s before the loop: -i 1 -d 3 sleeps 1, 1, 0.3. */
	run(&c, 0.7, 1, 3, -1, true);
	ck_assert_str_eq(c.seq, "rrf");
	assert_near(c.at[2], 3);
	assert_near(sleeps[2], 0.3);
	/* Already over: no interval, the final report at once. */
	run(&c, 4, 1, 3, -1, true);
	ck_assert_str_eq(c.seq, "f");
	assert_near(sleeps[0], 0);
}
END_TEST

START_TEST(test_without_final_the_last_interval_is_a_report)
{
	struct calls c;

	/* iface_netstat -i 1 --duration 4: four reports. */
	run(&c, 0, 1, 4, -1, false);
	ck_assert_str_eq(c.seq, "rrrr");
	assert_near(c.at[3], 4);
	/* Fractions of a second. */
	run(&c, 0, 0.5, 2, -1, false);
	ck_assert_str_eq(c.seq, "rrrr");
	run(&c, 0, 0.75, 2, -1, false);
	ck_assert_str_eq(c.seq, "rrr");
	assert_near(c.at[2], 2);
}
END_TEST

START_TEST(test_signal_stops_with_one_final_report)
{
	struct calls c;

	/* No --duration: reports at 2 and 4, Ctrl-C at 5.5 ends the loop with the final report. */
	run(&c, 0, 2, 0, 5.5, true);
	ck_assert_str_eq(c.seq, "rrf");
	assert_near(c.at[2], 5.5);
	/* A signal before --duration is over. */
	run(&c, 0, 2, 60, 3, true);
	ck_assert_str_eq(c.seq, "rf");
	assert_near(c.at[1], 3);
	/* A signal that arrived before the loop. */
	run(&c, 0, 2, 0, 0, true);
	ck_assert_str_eq(c.seq, "f");
}
END_TEST

START_TEST(test_signal_without_final_reports_nothing_more)
{
	struct calls c;

	run(&c, 0, 1, 0, 2.5, false);
	ck_assert_str_eq(c.seq, "rr");
	run(&c, 0, 1, 10, 0.5, false);
	ck_assert_str_eq(c.seq, "");
}
END_TEST

START_TEST(test_slow_reports_do_not_shift_the_intervals)
{
	struct calls c;

	/* Reports taking 0.3 s: they still start at 2, 4, 6; the final one at --duration 7. */
	run_with(&c, 0, 2, 7, -1, true, on_slow_report);
	ck_assert_str_eq(c.seq, "rrrf");
	assert_near(c.at[0], 2);
	assert_near(c.at[1], 4);
	assert_near(c.at[2], 6);
	assert_near(c.at[3], 7);
	assert_near(sleeps[1], 1.7);
	/* A report longer than the interval: the next interval is a whole one from its end. */
	run_with(&c, 0, 0.2, 1, -1, true, on_slow_report);
	ck_assert_str_eq(c.seq, "rrf");
	assert_near(c.at[0], 0.2);
	assert_near(c.at[1], 0.7);
	assert_near(c.at[2], 1);
}
END_TEST

int main(void)
{
	const TTest *order_tests[] = { test_duration_cuts_the_last_interval_into_the_final_report,
				       test_interval_ending_at_duration_is_the_final_report,
				       test_duration_counts_from_the_tool_start,
				       test_without_final_the_last_interval_is_a_report,
				       test_signal_stops_with_one_final_report,
				       test_signal_without_final_reports_nothing_more,
				       test_slow_reports_do_not_shift_the_intervals };

	return unit_run(unit_suite("interval", "order", order_tests, ARRAY_SIZE(order_tests)));
}
