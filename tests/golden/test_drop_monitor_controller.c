// SPDX-License-Identifier: GPL-2.0-only
/*
 * drop_monitor_controller: cycle bookkeeping, log naming and header, banner, the command's
 * translation to this suite's tools, and shell-like word splitting.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drop_monitor_controller.h"
#include "golden.h"
#include "shellwords.h"
#include "util.h"
#include "unit_helpers.h"

static char *buf;
static size_t len;

/* A run of readings: baseline, no change, drops, no change, a counter reset, drops again. */
START_TEST(cycle_bookkeeping)
{
	static const long long readings[] = { 1532, 1532, 1540, 1540, 1530, 1535 };
	static const enum dmc_step want[] = { DMC_BASELINE,  DMC_NO_CHANGE, DMC_DROPS,
					      DMC_NO_CHANGE, DMC_NO_CHANGE, DMC_DROPS };
	struct dmc_counter c = { 0 };
	FILE *f = golden_open(&buf, &len);

	for (size_t i = 0; i < ARRAY_SIZE(readings); i++) {
		long long previous = c.previous, increment;
		enum dmc_step step = dmc_observe(&c, readings[i], &increment);
		char msg[256];

		ck_assert_int_eq(step, want[i]);
		ck_assert_int_eq(c.previous, readings[i]);
		dmc_step_message(msg, sizeof(msg), "port-mgt", step, previous, readings[i], increment);
		fprintf(f, "[17:4%zu:00] %s\n", i, msg);
		if (step == DMC_DROPS)
			fprintf(f, "  -> keep the log of this cycle\n");
		else if (step == DMC_NO_CHANGE)
			fprintf(f, "  -> remove the log of this cycle\n");
	}
	ck_assert_int_eq(golden_check(f, &buf, &len, "drop_monitor_controller_cycles.txt"), 0);
}
END_TEST

START_TEST(log_names_header_banner)
{
	struct tm tm = {
		.tm_year = 125, .tm_mon = 8, .tm_mday = 22, .tm_hour = 17, .tm_min = 40, .tm_sec = 5
	};
	struct dmc_settings s = { .interface = "port-mgt",
				  .command = "sudo python2 eth_drop.py --interface port-mgt",
				  .resolved = "sudo /opt/bpfnet/bin/eth_drop --interface port-mgt",
				  .log_dir = "./logs",
				  .interval = 30 };
	char path[256];
	FILE *f;

	dmc_log_path(path, sizeof(path), "./logs", &tm);
	ck_assert_str_eq(path, "./logs/monitor_20250922_174005.log");
	dmc_log_path(path, sizeof(path), "/var/log/drops/", &tm);
	ck_assert_str_eq(path, "/var/log/drops/monitor_20250922_174005.log");
	ck_assert(!dmc_log_files_mode("./logs"));
	ck_assert(dmc_log_files_mode("logs"));
	ck_assert(dmc_log_files_mode("./logs/"));
	ck_assert(dmc_log_files_mode("/var/log/drops"));

	f = golden_open(&buf, &len);
	dmc_print_banner(f, &s);
	s.resolved = NULL;
	s.stop_command = "sudo pkill -INT -x eth_drop";
	s.log_dir = "/var/log/drops";
	s.interval = 10;
	dmc_print_banner(f, &s);
	dmc_write_log_header(f, "2025-09-22 17:40:05", "port-mgt",
			     "sudo python2 eth_drop.py --interface port-mgt");
	ck_assert_int_eq(golden_check(f, &buf, &len, "drop_monitor_controller_banner.txt"), 0);
}
END_TEST

static void expect_split(const char *text, int argc, const char *const *want)
{
	struct shell_words w;
	const char *err = NULL;

	ck_assert_msg(shell_split(text, &w, &err) == 0, "%s: %s", text, err);
	ck_assert_int_eq(w.argc, argc);
	for (int i = 0; i < argc; i++)
		ck_assert_str_eq(w.argv[i], want[i]);
	ck_assert_ptr_null(w.argv[argc]);
	shell_words_free(&w);
}

START_TEST(shell_words)
{
	static const char *const quoted[] = { "a", "b c", "d e", "f g", "h\"i", "j\\k", "", "x'y" };
	static const char *const python[] = { "sudo", "python2", "eth_drop.py", "--interface", "port-mgt" };
	struct shell_words w;
	const char *err;
	char *joined;

	expect_split("a \"b c\" 'd e' f\\ g \"h\\\"i\" 'j\\k' '' x\"'\"y", 8, quoted);
	expect_split("  sudo python2\teth_drop.py --interface port-mgt  ", 5, python);
	expect_split("", 0, NULL);
	ck_assert_int_eq(shell_split("a \"b", &w, &err), -1);
	ck_assert_str_eq(err, "No closing quotation");
	ck_assert_int_eq(shell_split("a 'b", &w, &err), -1);
	ck_assert_str_eq(err, "No closing quotation");
	ck_assert_int_eq(shell_split("a \\", &w, &err), -1);
	ck_assert_str_eq(err, "No escaped character");

	ck_assert_int_eq(shell_split("eth_drop --src-ip 'a b' --x \"it's\"", &w, &err), 0);
	joined = shell_join(w.argv);
	ck_assert_str_eq(joined, "eth_drop --src-ip 'a b' --x 'it'\"'\"'s'");
	free(joined);
	shell_words_free(&w);
}
END_TEST

static char bindir[] = "/tmp/bpfnet-golden-dmc.XXXXXX";

static void tool_file(const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", bindir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	chmod(path, 0755);
}

/* text as the controller runs it (with its --btf btf, or NULL), or unchanged when want is NULL. */
static void expect_resolved_btf(const char *text, const char *btf, const char *want)
{
	struct shell_words w;
	const char *err;
	char expected[512], *got;
	bool changed;

	ck_assert_int_eq(shell_split(text, &w, &err), 0);
	changed = dmc_resolve_command(&w, bindir, btf);
	got = shell_join(w.argv);
	if (want) {
		snprintf(expected, sizeof(expected), want, bindir);
		ck_assert_msg(changed, "%s: not resolved", text);
		ck_assert_str_eq(got, expected);
	} else {
		ck_assert_msg(!changed, "%s: resolved to %s", text, got);
		ck_assert_str_eq(got, text);
	}
	free(got);
	shell_words_free(&w);
}

static void expect_resolved(const char *text, const char *want)
{
	expect_resolved_btf(text, NULL, want);
}

START_TEST(suite_tools_replace_scripts)
{
	ck_assert_ptr_nonnull(mkdtemp(bindir));
	tool_file("eth_drop");
	tool_file("kernel_drop_stack_stats");
	tool_file("drop_monitor_controller");

	expect_resolved("sudo python2 eth_drop.py --interface port-mgt",
			"sudo %s/eth_drop --interface port-mgt");
	expect_resolved("eth_drop --interface port-mgt", "%s/eth_drop --interface port-mgt");
	expect_resolved("eth_drop.py --interface port-mgt", "%s/eth_drop --interface port-mgt");
	expect_resolved("python3 -u /opt/tools/measurement-tools/eth_drop.py --verbose",
			"%s/eth_drop --verbose");
	expect_resolved("sudo -u root env BPFNET_DEBUG=1 nohup ./eth_drop.py",
			"sudo -u root env BPFNET_DEBUG=1 nohup %s/eth_drop");
	expect_resolved("bpftrace kernel_drop_stack_stats.bt port-mgt 5",
			"%s/kernel_drop_stack_stats port-mgt 5");
	expect_resolved("/usr/local/bin/eth_drop --interface x", NULL);
	expect_resolved("tcpdump -i eth0 -nn", NULL);
	expect_resolved("python2 unknown_tool.py", NULL);
	expect_resolved("drop_monitor_controller --interface x --command y", NULL);
	expect_resolved("sudo", NULL);
	/* The controller's --btf goes to the tool, before the command's own options. */
	expect_resolved_btf("sudo python2 eth_drop.py --interface port-mgt", "/b/vmlinux.btf",
			    "sudo %s/eth_drop --btf /b/vmlinux.btf --interface port-mgt");
	expect_resolved_btf("bpftrace kernel_drop_stack_stats.bt port-mgt 5", "/b/my btf",
			    "%s/kernel_drop_stack_stats --btf '/b/my btf' port-mgt 5");
	expect_resolved_btf("eth_drop", "/b/vmlinux.btf", "%s/eth_drop --btf /b/vmlinux.btf");
	expect_resolved_btf("tcpdump -i eth0 -nn", "/b/vmlinux.btf", NULL);

	char path[256];
	const char *names[] = { "eth_drop", "kernel_drop_stack_stats", "drop_monitor_controller" };

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", bindir, names[i]);
		unlink(path);
	}
	rmdir(bindir);
}
END_TEST

Suite *golden_drop_monitor_controller_suite(void)
{
	const TTest *bookkeeping_tests[] = { cycle_bookkeeping, log_names_header_banner, shell_words,
					     suite_tools_replace_scripts };

	return unit_suite("drop_monitor_controller", "bookkeeping", bookkeeping_tests,
			  ARRAY_SIZE(bookkeeping_tests));
}
