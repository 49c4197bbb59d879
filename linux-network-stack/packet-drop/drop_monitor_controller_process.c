// SPDX-License-Identifier: GPL-2.0-only
/* drop_monitor_controller's child processes: spawning one and waiting for it to end. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "runtime.h"
#include "drop_monitor_controller.h"

void dmc_nap(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	nanosleep(&ts, NULL);
}

/* Waits up to timeout seconds for pid to end (reaping it); true if it did. */
bool dmc_wait_exit(pid_t pid, double timeout, int *status)
{
	double end = tool_elapsed() + timeout;
	int s;

	for (;;) {
		pid_t r = waitpid(pid, &s, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD)) {
			if (status)
				*status = r == pid ? s : 0;
			return true;
		}
		if (tool_elapsed() >= end)
			return false;
		dmc_nap(0.02);
	}
}

/*
 * In the child, before exec: it gets SIGTERM when the controller dies, even by SIGKILL, so no
 * tracing tool outlives it in its own session. A controller that died before the signal was
 * set is seen as a new parent.
 */
static void child_setup(pid_t controller, int out_fd)
{
	sigset_t none;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != controller)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (out_fd >= 0) {
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);
	}
}

/* "[Errno 2] No such file or directory: 'x'", as Python words an OSError. */
void dmc_os_error(char *buf, size_t len, int err, const char *what)
{
	snprintf(buf, len, "[Errno %d] %s: '%s'", err, strerror(err), what);
}

/*
 * fork + exec with an exec-failure report: the child writes errno into a close-on-exec
 * pipe, so the parent learns that the program could not start, as Popen raises.
 */
pid_t dmc_spawn(char *const *argv, bool new_session, int out_fd, int err_fd, char *err, size_t errlen)
{
	int report[2], e = 0;
	pid_t controller = getpid(), pid;
	ssize_t n;

	if (pipe2(report, O_CLOEXEC)) {
		snprintf(err, errlen, "[Errno %d] %s", errno, strerror(errno));
		return -1;
	}
	output_flush();
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "[Errno %d] %s", errno, strerror(errno));
		close(report[0]);
		close(report[1]);
		return -1;
	}
	if (pid == 0) {
		child_setup(controller, out_fd);
		if (err_fd >= 0)
			dup2(err_fd, STDERR_FILENO);
		if (new_session)
			setsid();
		execvp(argv[0], argv);
		e = errno;
		if (write(report[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(report[1]);
	do
		n = read(report[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		dmc_os_error(err, errlen, e, argv[0]);
		return -1;
	}
	return pid;
}

void dmc_run_stop_command(char *const *argv, const char *command, double timeout, char *result, size_t len)
{
	int outp[2], errp[2], status = 0;
	char err[512], captured[4096];
	size_t ncaptured = 0;
	double end = tool_elapsed() + timeout;
	pid_t pid;

	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		snprintf(result, len, "Warning: Error executing stop command: [Errno %d] %s", errno,
			 strerror(errno));
		return;
	}
	pid = dmc_spawn(argv, false, outp[1], errp[1], err, sizeof(err));
	close(outp[1]);
	close(errp[1]);
	if (pid < 0) {
		close(outp[0]);
		close(errp[0]);
		snprintf(result, len, "Warning: Error executing stop command: %s", err);
		return;
	}
	struct pollfd fds[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
	int open_fds = 2;

	while (open_fds && tool_elapsed() < end) {
		char buf[1024];

		if (poll(fds, 2, (int)((end - tool_elapsed()) * 1000) + 1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));

			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			} else if (i == 1 && ncaptured < sizeof(captured) - 1) {
				size_t k = (size_t)n < sizeof(captured) - 1 - ncaptured
						   ? (size_t)n
						   : sizeof(captured) - 1 - ncaptured;

				memcpy(captured + ncaptured, buf, k);
				ncaptured += k;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	if (!dmc_wait_exit(pid, end - tool_elapsed() > 0 ? end - tool_elapsed() : 0, &status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(result, len,
			 "Warning: Error executing stop command: Command '%s' timed out after %.0f seconds",
			 command, timeout);
		return;
	}
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : 0;

	captured[ncaptured] = 0;
	while (ncaptured && strchr(" \t\r\n", captured[ncaptured - 1]))
		captured[--ncaptured] = 0;
	char *text = captured + strspn(captured, " \t\r\n");

	if (rc)
		snprintf(result, len, "Warning: Stop command failed with code %d: %s", rc, text);
	else
		snprintf(result, len, "Stop command executed successfully");
}
