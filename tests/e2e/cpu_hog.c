// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_hog: threads that spin on chosen CPUs at chosen nice levels, under chosen names, for the
 * CPU tools' tests. "cpu_hog [-s SECONDS] CPU:NICE:NAME..." prints "ready PID TID..." once every
 * thread is pinned and named, then spins in hog_spin() until SIGTERM/SIGINT or SECONDS.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_HOGS 16

struct hog {
	int cpu, nice;
	char name[16];
	pthread_t thread;
	volatile pid_t tid;
};

static volatile sig_atomic_t stop;
static volatile unsigned long sink;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The function the profile must name: not inlined, with a frame of its own. */
__attribute__((noinline)) void hog_spin(void)
{
	while (!stop)
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i * 7;
}

static void *hog_main(void *arg)
{
	struct hog *h = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(h->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), h->nice)) {
		perror("cpu_hog: pinning or nice");
		exit(1);
	}
	prctl(PR_SET_NAME, h->name);
	h->tid = (pid_t)syscall(SYS_gettid);
	hog_spin();
	return NULL;
}

int main(int argc, char **argv)
{
	struct hog hogs[MAX_HOGS];
	int n = 0, seconds = 0, first = 1;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		seconds = atoi(argv[2]);
		first = 3;
	}
	for (int i = first; i < argc && n < MAX_HOGS; i++, n++) {
		char name[16] = "";

		if (sscanf(argv[i], "%d:%d:%15s", &hogs[n].cpu, &hogs[n].nice, name) != 3) {
			fprintf(stderr, "usage: cpu_hog [-s SECONDS] CPU:NICE:NAME...\n");
			return 2;
		}
		memcpy(hogs[n].name, name, sizeof(name));
		hogs[n].tid = 0;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int i = 0; i < n; i++)
		pthread_create(&hogs[i].thread, NULL, hog_main, &hogs[i]);
	for (int i = 0; i < n; i++)
		while (!hogs[i].tid)
			usleep(1000);
	printf("ready %d", getpid());
	for (int i = 0; i < n; i++)
		printf(" %d", hogs[i].tid);
	printf("\n");
	fflush(stdout);
	if (seconds)
		alarm((unsigned)seconds);
	signal(SIGALRM, on_signal);
	for (int i = 0; i < n; i++)
		pthread_join(hogs[i].thread, NULL);
	return 0;
}
