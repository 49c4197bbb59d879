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
#include "util.h"

static char *buf;
static size_t len;

/* The same losses and totals as text and as JSON. */
static const struct lost_layout {
	bool json;
	const char *golden;
} lost_layouts[] = {
	{ false, "events_lost.txt" },
	{ true, "events_lost.json" },
};

START_TEST(lost_text_and_json)
{
	const struct lost_layout *l = &lost_layouts[_i];
	FILE *f = golden_open(&buf, &len);

	events_print_lost(f, l->json, "14:30:15", 1, 1);
	events_print_lost(f, l->json, "14:30:16", 1710098, 1710099);
	events_print_totals(f, l->json, 1710099);
	events_print_totals(f, l->json, 0);
	ck_assert_int_eq(golden_check(f, &buf, &len, l->golden), 0);
}
END_TEST

Suite *golden_events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("layouts");

	tcase_add_loop_test(tc, lost_text_and_json, 0, ARRAY_SIZE(lost_layouts));
	suite_add_tcase(s, tc);
	return s;
}
