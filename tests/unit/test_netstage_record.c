// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/netstage_record.h: the metrics tools' record in time order or stage id
 * order, its deltas, qdisc line, header styles, and the per-probe statistics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstage_record.h"
#include "unit_helpers.h"
#include "util.h"

static const struct netstage_stage stages[] = {
	{ 1, NS_TX, 0, "A" },
	{ 2, NS_TX, 1, "B" },
	{ 3, NS_TX, 2, "C" },
	{ 4, NS_TX, 3, "DEQ" },
};
static const struct netstage_model model = { stages, ARRAY_SIZE(stages), NULL, 0, NULL, 0, 0 };
static const struct netstage_rec_qdisc qdiscs[] = { { 9, "NONE" }, { 4, "Q" } };

static struct netstage_rec_style style(bool by_id)
{
	return (struct netstage_rec_style){ .m = &model,
					    .dir_names = { "OUT", "IN" },
					    .by_id = by_id,
					    .time_first = by_id,
					    .ktime_parens = !by_id,
					    .qdiscs = qdiscs,
					    .nqdiscs = ARRAY_SIZE(qdiscs) };
}

/* Prints the record; returns the text (to free). */
static char *print(const struct netstage_rec_style *s, const struct netstage_rec *r, bool complete)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	ck_assert_ptr_nonnull(f);
	if (complete)
		netstage_rec_print(f, s, "T", r);
	else
		netstage_rec_print_incomplete(f, s, "T", r, 2.0);
	fclose(f);
	return text;
}

/* C (id 3) came before B (id 2): stage 2 and 3 swapped in time. */
static struct netstage_stage_rec recs[8];
static struct netstage_session hdr;
static struct netstage_rec_tail tail;

static struct netstage_rec swapped(void)
{
	memset(recs, 0, sizeof(recs));
	memset(&hdr, 0, sizeof(hdr));
	hdr.dir = NS_RX;
	hdr.key.protocol = 6;
	recs[1].ts = 1000;
	recs[2].ts = 5000;
	recs[3].ts = 3000;
	recs[4].ts = 9000;
	strcpy(recs[1].devname, "first");
	strcpy(recs[4].devname, "last");
	tail = (struct netstage_rec_tail){ .qdisc_enq_ns = 8000, .pid = 7, .comm = "comm" };
	return (struct netstage_rec){ &hdr, recs, ARRAY_SIZE(recs), &tail };
}

START_TEST(by_id_keeps_id_order_and_signs_deltas)
{
	struct netstage_rec_style s = style(true);
	struct netstage_rec r = swapped();
	char *t = print(&s, &r, true);

	ck_assert_ptr_nonnull(strstr(t, "[T] === FLOW COMPLETE: 4 stages captured ===\n"));
	ck_assert_ptr_nonnull(strstr(t, "  Stage B: KTIME=5000ns (+4.000us)\n"));
	ck_assert_ptr_nonnull(strstr(t, "  Stage C: KTIME=3000ns (-2.000us)\n"));
	ck_assert_ptr_nonnull(strstr(t, "DIR=IN\n"));
	/* Lowest id to highest id; the qdisc is the first listed one that was seen. */
	ck_assert_ptr_nonnull(strstr(t, "  TOTAL DURATION: 8.000us\n"));
	ck_assert_ptr_nonnull(strstr(t, "  Q: sojourn=1.000us qlen=n/a\n"));
	ck_assert_ptr_null(strstr(t, "NONE"));
	ck_assert_ptr_nonnull(strstr(t, "first_dev=first\n"));
	free(t);
}
END_TEST

START_TEST(by_time_sorts_and_frames_the_other_way)
{
	struct netstage_rec_style s = style(false);
	struct netstage_rec r = swapped();
	char *t = print(&s, &r, false), *b, *c;

	ck_assert_ptr_nonnull(strstr(t, "=== FLOW INCOMPLETE: 4 stages captured, idle for 2.0s === T\n"));
	b = strstr(t, "  Stage B: (KTIME=5000ns) (+2.000us)\n");
	c = strstr(t, "  Stage C: (KTIME=3000ns) (+2.000us)\n");
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert(c < b);
	ck_assert_ptr_nonnull(strstr(t, "  LAST_SEEN_STAGE: dev=last(ifindex=0) cpu=0\n"));
	free(t);
}
END_TEST

START_TEST(no_qdisc_line_without_enqueue_or_before_it)
{
	struct netstage_rec_style s = style(true);
	struct netstage_rec r = swapped();
	char *t;

	tail.qdisc_enq_ns = 9500; /* after the dequeue: a later packet's enqueue */
	t = print(&s, &r, true);
	ck_assert_ptr_null(strstr(t, "sojourn"));
	free(t);
	tail.qdisc_enq_ns = 0;
	t = print(&s, &r, true);
	ck_assert_ptr_null(strstr(t, "sojourn"));
	free(t);
}
END_TEST

START_TEST(probe_stats_skip_zero_counters)
{
	uint64_t counts[NS_PROBE_STATS] = { 0 };
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	counts[3] = 5;
	counts[31] = 1;
	netstage_probe_stats_print(f, false, counts);
	netstage_probe_stats_print(f, true, counts);
	fclose(f);
	ck_assert_str_eq(text,
			 "\n=== Performance Statistics ===\nEvent counts by probe point:\n"
			 "  Probe 3: 5 events\n  Probe 31: 1 events\n"
			 "{\"probe_events\":[{\"probe\":3,\"events\":5},{\"probe\":31,\"events\":1}]}\n");
	free(text);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { by_id_keeps_id_order_and_signs_deltas,
				 by_time_sorts_and_frames_the_other_way,
				 no_qdisc_line_without_enqueue_or_before_it, probe_stats_skip_zero_counters };

	return unit_run(unit_suite("netstage_record", "all", tests, ARRAY_SIZE(tests)));
}
