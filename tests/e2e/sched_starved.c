// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_starved: the target of sched_latency_monitor's tests. Pinned to one CPU and named
 * "sched_starved", it waits for SIGUSR1; on each one it spins SECONDS and prints what the
 * scheduler itself counted meanwhile (/proc/thread-self/schedstat: time waiting on a run
 * queue, time slices):
 *   "spun TID RUN_DELAY_NS SLICES"
 * Usage: sched_starved CPU SECONDS. Prints "ready PID" first; SIGTERM ends it.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

/* Fields 2 and 3 of the thread's schedstat: run-queue wait (ns), time slices. */
static void schedstat(unsigned long long *wait_ns, unsigned long long *slices)
{
	unsigned long long run_ns;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (!f || fscanf(f, "%llu %llu %llu", &run_ns, wait_ns, slices) != 3) {
		perror("sched_starved: schedstat");
		exit(1);
	}
	fclose(f);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void spin_for(double seconds)
{
	double end = now_s() + seconds;

	while (now_s() < end)
		for (int i = 0; i < 10000; i++)
			sink += (unsigned long)i;
}

int main(int argc, char **argv)
{
	unsigned long long wait0, slices0, wait1, slices1;
	cpu_set_t set;
	sigset_t sigs;
	int sig;

	if (argc != 3) {
		fprintf(stderr, "usage: sched_starved CPU SECONDS\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_starved: pinning");
		return 1;
	}
	prctl(PR_SET_NAME, "sched_starved");
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;) {
		schedstat(&wait0, &slices0);
		sigwait(&sigs, &sig);
		spin_for(atof(argv[2]));
		schedstat(&wait1, &slices1);
		printf("spun %ld %llu %llu\n", (long)syscall(SYS_gettid), wait1 - wait0, slices1 - slices0);
		fflush(stdout);
	}
}
