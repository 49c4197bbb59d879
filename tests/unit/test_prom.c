// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/prom.h: the Prometheus text format (names, HELP/TYPE lines, label
 * escaping, histograms from log2 slots) and the atomic write to the textfile.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "prom.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(counter_with_escaped_labels)
{
	struct prom p = { 0 };
	const struct prom_label labels[] = { { "reason", "NO\"SOCKET" }, { "device", "a\\b\nc" } };

	prom_begin(&p, "kernel_drop-stack_summary_all");
	prom_family(&p, "drops_total", PROM_COUNTER, "Drops seen\nby the \\ tool");
	prom_value(&p, labels, 2, 42);
	prom_value(&p, NULL, 0, 0);
	ck_assert_str_eq(
		p.text.buf,
		"# HELP bpfnet_kernel_drop_stack_all_drops_total Drops seen\\nby the \\\\ tool\n"
		"# TYPE bpfnet_kernel_drop_stack_all_drops_total counter\n"
		"bpfnet_kernel_drop_stack_all_drops_total{reason=\"NO\\\"SOCKET\",device=\"a\\\\b\\nc\"} 42\n"
		"bpfnet_kernel_drop_stack_all_drops_total 0\n");
	/* The word "summary" goes with its dash too. */
	prom_begin(&p, "virtionet-rx-path-summary");
	ck_assert_str_eq(p.prefix, "bpfnet_virtionet_rx_path_");
	/* A new exposition starts empty. */
	prom_begin(&p, "t");
	prom_family(&p, "up", PROM_GAUGE, "g");
	prom_value(&p, NULL, 0, 1.5);
	ck_assert_str_eq(p.text.buf, "# HELP bpfnet_t_up g\n# TYPE bpfnet_t_up gauge\nbpfnet_t_up 1.5\n");
	prom_free(&p);
}
END_TEST

/* Slots of microseconds: 0 | 1-2 | 3-6 | 7-14; le is each slot's highest value in seconds. */
START_TEST(histogram_from_log2_slots)
{
	static const uint64_t slots[] = { 1, 0, 4, 2 };
	const struct prom_label pair[] = { { "from", "A" }, { "to", "B" } };
	struct prom p = { 0 };

	prom_begin(&p, "tool");
	prom_family(&p, "stage_seconds", PROM_HISTOGRAM, "h");
	prom_log2_histogram(&p, pair, 2, slots, 4, 1e-6);
	ck_assert_str_eq(p.text.buf,
			 "# HELP bpfnet_tool_stage_seconds h\n"
			 "# TYPE bpfnet_tool_stage_seconds histogram\n"
			 "bpfnet_tool_stage_seconds_bucket{from=\"A\",to=\"B\",le=\"0\"} 1\n"
			 "bpfnet_tool_stage_seconds_bucket{from=\"A\",to=\"B\",le=\"2e-06\"} 1\n"
			 "bpfnet_tool_stage_seconds_bucket{from=\"A\",to=\"B\",le=\"6e-06\"} 5\n"
			 "bpfnet_tool_stage_seconds_bucket{from=\"A\",to=\"B\",le=\"1.4e-05\"} 7\n"
			 "bpfnet_tool_stage_seconds_bucket{from=\"A\",to=\"B\",le=\"+Inf\"} 7\n"
			 /* midpoints: 4 x 4.5 us + 2 x 10.5 us */
			 "bpfnet_tool_stage_seconds_sum{from=\"A\",to=\"B\"} 3.9e-05\n"
			 "bpfnet_tool_stage_seconds_count{from=\"A\",to=\"B\"} 7\n");
	prom_free(&p);
}
END_TEST

static char *read_file(const char *path)
{
	static char text[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The file is replaced whole, and no temporary file is left beside it. */
/* BCC's slots of microseconds: 0 | 1 | 2-3 | 4-7, with the exact sum given. */
START_TEST(histogram_from_bcc_slots)
{
	static const uint64_t slots[] = { 0, 2, 0, 1 };
	struct prom p = { 0 };

	prom_begin(&p, "ovs_upcall_latency_summary");
	prom_family(&p, "latency_seconds", PROM_HISTOGRAM, "h");
	prom_histogram(&p, &(struct prom_label){ "kind", "miss" }, 1, slots, 4, prom_bcc_slot_high, 1e-6,
		       7.5e-6);
	ck_assert_str_eq(p.text.buf,
			 "# HELP bpfnet_ovs_upcall_latency_latency_seconds h\n"
			 "# TYPE bpfnet_ovs_upcall_latency_latency_seconds histogram\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_bucket{kind=\"miss\",le=\"0\"} 0\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_bucket{kind=\"miss\",le=\"1e-06\"} 2\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_bucket{kind=\"miss\",le=\"3e-06\"} 2\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_bucket{kind=\"miss\",le=\"7e-06\"} 3\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_bucket{kind=\"miss\",le=\"+Inf\"} 3\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_sum{kind=\"miss\"} 7.5e-06\n"
			 "bpfnet_ovs_upcall_latency_latency_seconds_count{kind=\"miss\"} 3\n");
	ck_assert_uint_eq(prom_bcc_slot_high(63), (1ULL << 63) - 1);
	ck_assert_uint_eq(prom_bcc_slot_high(64), UINT64_MAX);
	prom_free(&p);
}
END_TEST

START_TEST(commit_replaces_the_file)
{
	char dir[] = "/tmp/prom-test-XXXXXX", path[64];
	struct prom p = { 0 };

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.prom", dir);
	prom_begin(&p, "t");
	prom_family(&p, "a_total", PROM_COUNTER, "a");
	prom_value(&p, NULL, 0, 1);
	ck_assert(prom_commit(&p, path));
	prom_begin(&p, "t");
	prom_family(&p, "a_total", PROM_COUNTER, "a");
	prom_value(&p, NULL, 0, 2);
	ck_assert(prom_commit(&p, path));
	ck_assert_str_eq(read_file(path),
			 "# HELP bpfnet_t_a_total a\n# TYPE bpfnet_t_a_total counter\nbpfnet_t_a_total 2\n");
	ck_assert_int_eq(entries(dir), 1);
	unlink(path);
	rmdir(dir);
	prom_free(&p);
}
END_TEST

static void commit_twice_to_a_missing_directory(void *arg)
{
	struct prom p = { 0 };

	(void)arg;
	prom_begin(&p, "t");
	if (prom_commit(&p, "/nonexistent-dir/t.prom") || prom_commit(&p, "/nonexistent-dir/t.prom"))
		exit(1);
	exit(0);
}

/* A failure is said once per kind, and the tool goes on. */
START_TEST(commit_failure_warns_once)
{
	struct captured c;

	capture_run(commit_twice_to_a_missing_directory, NULL, &c);
	ck_assert_int_eq(c.status, 0);
	ck_assert_msg(strstr(c.err, "cannot create /nonexistent-dir/t.prom.tmp."), "stderr: %s", c.err);
	ck_assert_ptr_null(strstr(strstr(c.err, "cannot create") + 1, "cannot create"));
	captured_free(&c);
}
END_TEST

static struct prom_opts opts;
static const struct arg_opt options[] = { OPT_PROMETHEUS(&opts), { 0 } };
static const struct arg_parser parser = { .prog = "prom_test", .opts = options };

static void parse(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	args_parse(&parser, argc, argv);
	prom_opts_check(&opts);
	fprintf(stderr, "%s %d\n", opts.path ? opts.path : "-", opts.quiet);
	printf("not shown with --quiet");
	exit(0);
}

START_TEST(quiet_needs_the_textfile)
{
	char *both[] = { "prom_test", "--prometheus-textfile", "/x/y.prom", "--quiet", NULL };
	char *quiet[] = { "prom_test", "--quiet", NULL };
	struct captured c;

	capture_run(parse, both, &c);
	ck_assert_int_eq(c.status, 0);
	ck_assert_str_eq(c.out, "");
	ck_assert_str_eq(c.err, "/x/y.prom 1\n");
	captured_free(&c);
	capture_run(parse, quiet, &c);
	ck_assert_int_eq(c.status, 2);
	ck_assert_msg(strstr(c.err, "argument --quiet: only with --prometheus-textfile"), "stderr: %s",
		      c.err);
	captured_free(&c);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { counter_with_escaped_labels, histogram_from_log2_slots,
				 histogram_from_bcc_slots,    commit_replaces_the_file,
				 commit_failure_warns_once,   quiet_needs_the_textfile };

	return unit_run(unit_suite("prom", "format", tests, ARRAY_SIZE(tests)));
}
