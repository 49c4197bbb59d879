// SPDX-License-Identifier: GPL-2.0-only
#include "unit_helpers.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(FILE *f)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int fd = fileno(f);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	/* The child shared the file offset: rewind before reading what it wrote. */
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(n, 0);
		if (!n)
			break;
		len += (size_t)n;
	}
	buf[len] = 0;
	return buf;
}

void capture_run(void (*fn)(void *), void *arg, struct captured *c)
{
	FILE *out = tmpfile(), *err = tmpfile();
	pid_t pid;
	int st;

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(err);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (dup2(fileno(out), STDOUT_FILENO) < 0 || dup2(fileno(err), STDERR_FILENO) < 0)
			_exit(98);
		fn(arg);
		exit(CAPTURE_RETURNED);
	}
	while (waitpid(pid, &st, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	c->out = slurp(out);
	c->err = slurp(err);
	fclose(out);
	fclose(err);
}

void captured_free(struct captured *c)
{
	free(c->out);
	free(c->err);
	c->out = c->err = NULL;
}

int longest_line(const char *text)
{
	int longest = 0;

	while (*text) {
		size_t n = strcspn(text, "\n");

		if ((int)n > longest)
			longest = (int)n;
		text += n;
		if (*text)
			text++;
	}
	return longest;
}

FILE *mem_open(struct memfile *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->f);
	return m->f;
}

char *mem_close(struct memfile *m)
{
	ck_assert_int_eq(fclose(m->f), 0);
	m->f = NULL;
	return m->buf;
}

int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

TCase *unit_tcase(Suite *s, const char *name, const TTest *const tests[], size_t n)
{
	TCase *tc = tcase_create(name);

	for (size_t i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *unit_suite(const char *name, const char *tcase, const TTest *const tests[], size_t n)
{
	Suite *s = suite_create(name);

	unit_tcase(s, tcase, tests, n);
	return s;
}
