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

int main(void)
{
	const TTest *tests[] = { test_wait_done_for_duration, test_wait_done_until_signal,
				 test_wait_done_signal_before_duration };

	return unit_run(unit_suite("runtime", "wait_done", tests, ARRAY_SIZE(tests)));
}
