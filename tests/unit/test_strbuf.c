// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/strbuf.h. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "unit_helpers.h"
#include "util.h"

START_TEST(test_add_to_empty)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, "abc");
	ck_assert_ptr_nonnull(sb.buf);
	ck_assert_str_eq(sb.buf, "abc");
	ck_assert_uint_eq(sb.len, 3);
	ck_assert_uint_ge(sb.cap, 4);
	sb_add(&sb, "def");
	ck_assert_str_eq(sb.buf, "abcdef");
	ck_assert_uint_eq(sb.len, 6);
	sb_free(&sb);
}
END_TEST

START_TEST(test_add_empty_string)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, "");
	ck_assert_ptr_nonnull(sb.buf);
	ck_assert_str_eq(sb.buf, "");
	ck_assert_uint_eq(sb.len, 0);
	sb_addf(&sb, "%s", "");
	ck_assert_str_eq(sb.buf, "");
	ck_assert_uint_eq(sb.len, 0);
	sb_free(&sb);
}
END_TEST

START_TEST(test_addf_formats)
{
	struct strbuf sb = { 0 };

	sb_addf(&sb, "%d-%s", 42, "x");
	ck_assert_str_eq(sb.buf, "42-x");
	sb_addf(&sb, " %05.1f|%-4s|%#x", 3.14159, "ab", 255);
	ck_assert_str_eq(sb.buf, "42-x 003.1|ab  |0xff");
	ck_assert_uint_eq(sb.len, strlen("42-x 003.1|ab  |0xff"));
	sb_add(&sb, "!");
	sb_addf(&sb, "%c%c", 'o', 'k');
	ck_assert_str_eq(sb.buf, "42-x 003.1|ab  |0xff!ok");
	sb_free(&sb);
}
END_TEST

START_TEST(test_growth_many_appends)
{
	struct strbuf sb = { 0 };

	for (int i = 0; i < 1000; i++)
		sb_add(&sb, "0123456789");
	ck_assert_uint_eq(sb.len, 10000);
	ck_assert_uint_gt(sb.cap, sb.len);
	ck_assert_uint_eq(strlen(sb.buf), 10000);
	for (size_t i = 0; i < sb.len; i++)
		ck_assert_int_eq(sb.buf[i], '0' + (int)(i % 10));
	sb_free(&sb);
}
END_TEST

START_TEST(test_growth_single_large_addf)
{
	struct strbuf sb = { 0 };
	size_t n = 5000;
	char *big = malloc(n + 1);

	ck_assert_ptr_nonnull(big);
	memset(big, 'z', n);
	big[n] = 0;
	sb_add(&sb, "<");
	sb_addf(&sb, "%s>%d", big, 7);
	ck_assert_uint_eq(sb.len, n + 3);
	ck_assert_uint_gt(sb.cap, sb.len);
	ck_assert_int_eq(sb.buf[0], '<');
	ck_assert_int_eq(memcmp(sb.buf + 1, big, n), 0);
	ck_assert_str_eq(sb.buf + 1 + n, ">7");
	free(big);
	sb_free(&sb);
}
END_TEST

START_TEST(test_growth_exact_boundaries)
{
	/* Lengths around the first capacity steps: every prefix must stay intact. */
	struct strbuf sb = { 0 };
	char expect[300];

	for (int i = 0; i < 299; i++) {
		char c[2] = { (char)('a' + i % 26), 0 };

		sb_add(&sb, c);
		expect[i] = c[0];
		expect[i + 1] = 0;
		ck_assert_uint_eq(sb.len, (size_t)i + 1);
		ck_assert_str_eq(sb.buf, expect);
	}
	sb_free(&sb);
}
END_TEST

START_TEST(test_free_resets)
{
	struct strbuf sb = { 0 };

	sb_add(&sb, "something");
	sb_free(&sb);
	ck_assert_ptr_null(sb.buf);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_uint_eq(sb.cap, 0);
	/* Reusable after sb_free, and sb_free of an empty buffer is harmless. */
	sb_add(&sb, "again");
	ck_assert_str_eq(sb.buf, "again");
	ck_assert_uint_eq(sb.len, 5);
	sb_free(&sb);
	sb_free(&sb);
	ck_assert_ptr_null(sb.buf);
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = {
		test_add_to_empty,        test_add_empty_string,         test_addf_formats,
		test_growth_many_appends, test_growth_single_large_addf, test_growth_exact_boundaries,
		test_free_resets
	};

	return unit_run(unit_suite("strbuf", "core", core_tests, ARRAY_SIZE(core_tests)));
}
