// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/runtime.h's waiting: --duration and the exit signals (real clock). */
#include <check.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_wait_done_for_duration)
{
	double start;

	tool_install_signals();
	start = tool_elapsed();
	tool_wait_done(0.2);
	ck_assert_double_ge(tool_elapsed() - start, 0.2);
	ck_assert(!tool_exiting());
}
END_TEST

/* Without a duration only SIGTERM (sent by a child 0.1 s later) ends the wait. */
START_TEST(test_wait_done_until_signal)
{
	pid_t parent = getpid(), child;
	double start;
	int status;

	tool_install_signals();
	start = tool_elapsed();
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		usleep(100000);
		kill(parent, SIGTERM);
		_exit(0);
	}
	tool_wait_done(0);
	ck_assert(tool_exiting());
	ck_assert_double_ge(tool_elapsed() - start, 0.1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
}
END_TEST

/* A signal also cuts a wait with a duration short. */
START_TEST(test_wait_done_signal_before_duration)
{
	double start;

	tool_install_signals();
	start = tool_elapsed();
	raise(SIGINT);
	tool_wait_done(600);
	ck_assert(tool_exiting());
	ck_assert_double_lt(tool_elapsed() - start, 60);
}
END_TEST

START_TEST(test_release_and_os_id)
{
	char buf[64], path[] = "/tmp/unit_os_release.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_str_eq(release_major_minor("5.10.0-28-amd64", buf, sizeof(buf)), "5.10");
	ck_assert_str_eq(release_major_minor("6.12", buf, sizeof(buf)), "6.12");
	ck_assert_str_eq(release_major_minor("garbage", buf, sizeof(buf)), "0.0");
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("NAME=\"openEuler\"\nVERSION_ID=\"20.03\"\nID=\"openeuler\"\nID_LIKE=fedora\n", f);
	fclose(f);
	ck_assert_str_eq(os_release_id(path, buf, sizeof(buf)), "openeuler");
	f = fopen(path, "w");
	fputs("ID=debian\r\n", f);
	fclose(f);
	ck_assert_str_eq(os_release_id(path, buf, sizeof(buf)), "debian");
	unlink(path);
	ck_assert_str_eq(os_release_id(path, buf, sizeof(buf)), "unknown");
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_wait_done_for_duration, test_wait_done_until_signal,
				 test_wait_done_signal_before_duration, test_release_and_os_id };

	return unit_run(unit_suite("runtime", "wait_done", tests, ARRAY_SIZE(tests)));
}
