// SPDX-License-Identifier: GPL-2.0-only
/*
 * Waits of known length for the cpu/ tools' end-to-end tests. The program starts, prints its
 * pid, waits for SIGUSR1 (so that a tool can attach to it first), does the waits of MODE,
 * prints "done" and stays alive until SIGTERM (so that its stacks can still be symbolized):
 *   cpu_waits offcpu             threads cw_long (5 x 200 ms nanosleep), cw_short (5 x 1 ms
 *                                nanosleep), cw_pipe (3 x 300 ms blocked in read() on a pipe);
 *                                before "done", a line per thread with what its own clock saw:
 *                                "NAME blocked_us=SUM max_us=LONGEST", the wall time of its
 *                                blocking calls, which holds every off-CPU period inside them
 *                                however late a loaded machine ran the thread
 *   cpu_waits futex N HOLD_MS    a thread waits N times for a mutex main holds HOLD_MS ms
 *   cpu_waits rwlock W K         W writer threads take a pthread_rwlock_t K times each
 * The waits are raw system calls made from the named functions, so that a frame-pointer
 * unwinder finds them (the C library is built without frame pointers).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static inline __attribute__((always_inline)) long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static void die(const char *what)
{
	fprintf(stderr, "cpu_waits: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void ms_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --- offcpu */

static int pipe_fds[2];
static volatile pid_t pipe_reader_tid;

/* What a waiting thread's own clock saw. */
struct wait_times {
	long long blocked_us, max_us;
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Adds the wall time of one blocking call that started at start_us. */
static void wait_times_add(struct wait_times *w, long long start_us)
{
	long long us = now_us() - start_us;

	w->blocked_us += us;
	if (us > w->max_us)
		w->max_us = us;
}

NOINLINE static void *cw_long_sleeper(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000L };
	struct wait_times *w = arg;

	for (int i = 0; i < 5; i++) {
		long long start = now_us();

		raw_syscall3(SYS_nanosleep, (long)&ts, 0, 0);
		wait_times_add(w, start);
	}
	return NULL;
}

NOINLINE static void *cw_short_sleeper(void *arg)
{
	struct timespec ts = { 0, 1000000L };
	struct wait_times *w = arg;

	for (int i = 0; i < 5; i++) {
		long long start = now_us();

		raw_syscall3(SYS_nanosleep, (long)&ts, 0, 0);
		wait_times_add(w, start);
	}
	return NULL;
}

NOINLINE static void *cw_pipe_reader(void *arg)
{
	struct wait_times *w = arg;
	char c;

	pipe_reader_tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < 3; i++) {
		long long start = now_us();

		raw_syscall3(SYS_read, pipe_fds[0], (long)&c, 1);
		wait_times_add(w, start);
	}
	return NULL;
}

/* Waits until thread TID sleeps ('S' in its stat): the 300 ms of a pipe wait then start with
 * the reader blocked, however late a loaded machine ran it. */
static void await_sleeping(pid_t tid)
{
	char path[64], buf[256], *state;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	for (;;) {
		f = fopen(path, "r");
		if (!f)
			die("open the reader's stat");
		state = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (state && state[1] == ' ' && state[2] == 'S')
			return;
		ms_sleep(1);
	}
}

struct named_thread {
	const char *name;
	void *(*fn)(void *);
	struct wait_times times;
};

/* The thread names itself before its first wait, so that every wait carries the name. */
static void *named_start(void *arg)
{
	struct named_thread *t = arg;

	pthread_setname_np(pthread_self(), t->name);
	return t->fn(&t->times);
}

static void run_offcpu(void)
{
	static struct named_thread threads[] = { { "cw_long", cw_long_sleeper, { 0 } },
						 { "cw_short", cw_short_sleeper, { 0 } },
						 { "cw_pipe", cw_pipe_reader, { 0 } } };
	pthread_t t[3];

	if (pipe(pipe_fds))
		die("pipe");
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, named_start, (void *)&threads[i]))
			die("pthread_create");
	while (!pipe_reader_tid)
		ms_sleep(1);
	for (int i = 0; i < 3; i++) {
		await_sleeping(pipe_reader_tid);
		ms_sleep(300);
		if (write(pipe_fds[1], "x", 1) != 1)
			die("write");
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 3; i++)
		printf("%s blocked_us=%lld max_us=%lld\n", threads[i].name, threads[i].times.blocked_us,
		       threads[i].times.max_us);
}

/* --- futex */

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static int go_fds[2], done_fds[2];
static long rounds;

NOINLINE static void *cw_mutex_waiter(void *arg)
{
	char c;

	(void)arg;
	for (long i = 0; i < rounds; i++) {
		if (read(go_fds[0], &c, 1) != 1)
			die("read");
		pthread_mutex_lock(&mutex);
		pthread_mutex_unlock(&mutex);
		if (write(done_fds[1], "x", 1) != 1)
			die("write");
	}
	return NULL;
}

/* Whether thread tid is inside futex(): /proc/self/task/<tid>/syscall starts with its number. */
static int in_futex(pid_t tid)
{
	char path[64], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	if (!f)
		die(path);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return atol(buf) == SYS_futex && buf[0] != '-';
}

static pid_t waiter_tid;

NOINLINE static void *cw_mutex_waiter_start(void *arg)
{
	waiter_tid = (pid_t)syscall(SYS_gettid);
	return cw_mutex_waiter(arg);
}

static void run_futex(long n, long hold_ms)
{
	pthread_t t;
	char c;

	rounds = n;
	if (pipe(go_fds) || pipe(done_fds))
		die("pipe");
	if (pthread_create(&t, NULL, cw_mutex_waiter_start, NULL))
		die("pthread_create");
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&mutex);
		if (write(go_fds[1], "x", 1) != 1)
			die("write");
		/* The hold starts once the waiter sleeps in futex(): its wait is hold_ms + wakeup. */
		while (!waiter_tid || !in_futex(waiter_tid))
			usleep(500);
		ms_sleep(hold_ms);
		pthread_mutex_unlock(&mutex);
		if (read(done_fds[0], &c, 1) != 1)
			die("read");
	}
	pthread_join(t, NULL);
}

/* --- rwlock */

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static long locks_each;

NOINLINE static void cw_take_write_lock(void)
{
	pthread_rwlock_wrlock(&rwlock);
	ms_sleep(1);
	pthread_rwlock_unlock(&rwlock);
}

NOINLINE static void *cw_rwlock_writer(void *arg)
{
	(void)arg;
	for (long i = 0; i < locks_each; i++)
		cw_take_write_lock();
	return NULL;
}

static void run_rwlock(long writers, long k)
{
	pthread_t t[64];

	locks_each = k;
	if (writers < 1 || writers > 64)
		die("writers must be 1..64");
	for (long i = 0; i < writers; i++)
		if (pthread_create(&t[i], NULL, cw_rwlock_writer, NULL))
			die("pthread_create");
	for (long i = 0; i < writers; i++)
		pthread_join(t[i], NULL);
}

/* Waits for SIGUSR1 (blocked, as is SIGTERM: the wait is a known stack); SIGTERM ends the program
 * at any time, so that a test that fails early leaves nothing behind. */
static void await_usr1(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	while (sigwait(&set, &sig) || sig != SIGUSR1)
		if (sig == SIGTERM)
			exit(0);
}

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc < 2) {
		fprintf(stderr, "usage: cpu_waits offcpu | futex N HOLD_MS | rwlock WRITERS LOCKS_EACH\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	printf("pid %d\n", getpid());
	fflush(stdout);
	await_usr1();
	if (!strcmp(argv[1], "offcpu"))
		run_offcpu();
	else if (!strcmp(argv[1], "futex") && argc == 4)
		run_futex(atol(argv[2]), atol(argv[3]));
	else if (!strcmp(argv[1], "rwlock") && argc == 4)
		run_rwlock(atol(argv[2]), atol(argv[3]));
	else
		return 2;
	printf("done\n");
	fflush(stdout);
	for (;;)
		await_usr1();
}
