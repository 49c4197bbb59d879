// SPDX-License-Identifier: GPL-2.0-only
/*
 * exec_ready READY_FILE TOOL [ARGS...]: runs TOOL --ready-file READY_FILE ARGS, prints the
 * milliseconds from exec to the ready file (probes attached; the tool's stdout goes to
 * /dev/null), the CPU time the tool used until then and the time it waited for a CPU (ms,
 * /proc/PID/schedstat), stops the tool with SIGINT and waits for it, then its peak resident
 * memory (KiB, from start to exit): "MS RUN WAIT MAXRSS". Prints "exit STATUS" instead when the
 * tool exits before it is ready, and "timeout" after 20 s.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The time pid has run on a CPU and waited for one so far (/proc/PID/schedstat), in ms. */
static void sched_ms(pid_t pid, double *run, double *wait)
{
	unsigned long long r = 0, w = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &r, &w) != 2)
			r = w = 0;
		fclose(f);
	}
	*run = (double)r / 1e6;
	*wait = (double)w / 1e6;
}

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 200000 };
	double start, ms = 0, run = 0, wait = 0;
	struct rusage usage;
	struct stat st;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: exec_ready READY_FILE TOOL [ARGS...]\n");
		return 2;
	}
	unlink(argv[1]);
	start = now_ms();
	pid = fork();
	if (pid == 0) {
		char **args = calloc((size_t)argc + 2, sizeof(*args));
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO); /* the tool's output is not ours */

		args[0] = argv[2];
		args[1] = "--ready-file";
		args[2] = argv[1];
		for (int i = 3; i < argc; i++)
			args[i] = argv[i];
		execv(argv[2], args);
		_exit(127);
	}
	for (;;) {
		if (!stat(argv[1], &st) && st.st_size > 0) {
			ms = now_ms() - start;
			sched_ms(pid, &run, &wait);
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			printf("exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			return 0;
		}
		if (now_ms() - start > 20000) {
			printf("timeout\n");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 0;
		}
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGINT);
	for (int i = 0; i < 1000 && wait4(pid, &status, WNOHANG, &usage) != pid; i++) {
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		if (i == 999) {
			kill(pid, SIGKILL);
			wait4(pid, &status, 0, &usage);
		}
	}
	printf("%.1f %.1f %.1f %ld\n", ms, run, wait, usage.ru_maxrss);
	return 0;
}
