// SPDX-License-Identifier: GPL-2.0-only
/*
 * The event channel's loss reports (common/events.h): the line or JSON object printed when the
 * lost counter grew since the last look, and the totals of the tools that print nothing else
 * at exit (eth_drop, trace_conntrack, trace_ip_defrag), against golden files.
 */
#include <check.h>
#include <stdlib.h>

#include "events.h"
#include "golden.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

START_TEST(lost_text)
{
	FILE *f = golden_open(&buf, &len);

	events_print_lost(f, false, "14:30:15", 1, 1);
	events_print_lost(f, false, "14:30:16", 1710098, 1710099);
	events_print_totals(f, false, 1710099);
	events_print_totals(f, false, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "events_lost.txt"), 0);
}
END_TEST

START_TEST(lost_json)
{
	FILE *f = golden_open(&buf, &len);

	events_print_lost(f, true, "14:30:15", 1, 1);
	events_print_lost(f, true, "14:30:16", 1710098, 1710099);
	events_print_totals(f, true, 1710099);
	events_print_totals(f, true, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, "events_lost.json"), 0);
}
END_TEST

Suite *golden_events_suite(void)
{
	const TTest *layouts_tests[] = { lost_text, lost_json };

	return unit_suite("events", "layouts", layouts_tests, ARRAY_SIZE(layouts_tests));
}
