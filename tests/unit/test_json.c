// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/json.h: exact output text of the JSON writer. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "unit_helpers.h"
#include "util.h"

/* Ends j's record and asserts that the text written to m is want. */
static void expect_written(struct json *j, struct memfile *m, const char *want)
{
	json_finish(j);
	char *s = mem_close(m);

	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_flat_object_all_types)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	json_str(&j, "name", "eth0");
	json_int(&j, "neg", -5);
	json_int(&j, "min", INT64_MIN);
	json_uint(&j, "max", UINT64_MAX);
	json_double(&j, "half", 1.5);
	json_double(&j, "big", 1e20);
	json_bool(&j, "yes", true);
	json_bool(&j, "no", false);
	json_null(&j, "none");
	json_str(&j, "nullstr", NULL);
	json_end_obj(&j);
	expect_written(&j, &m,
		       "{\"name\":\"eth0\",\"neg\":-5,\"min\":-9223372036854775808,"
		       "\"max\":18446744073709551615,\"half\":1.5,\"big\":1e+20,\"yes\":true,"
		       "\"no\":false,\"none\":null,\"nullstr\":\"\"}\n");
}
END_TEST

START_TEST(test_non_finite_doubles_are_null)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_arr(&j, NULL);
	json_double(&j, NULL, NAN);
	json_double(&j, NULL, INFINITY);
	json_double(&j, NULL, -INFINITY);
	json_double(&j, NULL, 0.25);
	json_end_arr(&j);
	expect_written(&j, &m, "[null,null,null,0.25]\n");
}
END_TEST

START_TEST(test_nested_objects_and_arrays)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	json_str(&j, "a", "x");
	json_arr(&j, "list");
	json_int(&j, NULL, 1);
	json_obj(&j, NULL);
	json_str(&j, "k", "v");
	json_uint(&j, "n", 2);
	json_end_obj(&j);
	json_arr(&j, NULL);
	json_end_arr(&j);
	json_obj(&j, NULL);
	json_end_obj(&j);
	json_int(&j, NULL, 3);
	json_end_arr(&j);
	json_obj(&j, "nested");
	json_obj(&j, "deeper");
	json_arr(&j, "empty");
	json_end_arr(&j);
	json_end_obj(&j);
	json_bool(&j, "after", true);
	json_end_obj(&j);
	json_int(&j, "last", 0);
	json_end_obj(&j);
	expect_written(&j, &m,
		       "{\"a\":\"x\",\"list\":[1,{\"k\":\"v\",\"n\":2},[],{},3],"
		       "\"nested\":{\"deeper\":{\"empty\":[]},\"after\":true},\"last\":0}\n");
}
END_TEST

START_TEST(test_deep_nesting_within_limit)
{
	/* JSON_MAX_DEPTH - 1 levels of arrays, each with a value before and after the child. */
	enum { LEVELS = JSON_MAX_DEPTH - 1 };
	struct memfile m;
	struct json j;
	char expect[256] = "";
	size_t n = 0;

	json_begin(&j, mem_open(&m));
	for (int i = 0; i < LEVELS; i++) {
		json_arr(&j, NULL);
		json_int(&j, NULL, i);
		n += (size_t)snprintf(expect + n, sizeof(expect) - n, "[%d,", i);
	}
	expect[n - 1] = 0; /* the innermost array has no child after its value */
	n--;
	for (int i = LEVELS - 1; i >= 0; i--) {
		json_end_arr(&j);
		n += (size_t)snprintf(expect + n, sizeof(expect) - n, "]");
		if (i > 0) {
			json_int(&j, NULL, -i);
			n += (size_t)snprintf(expect + n, sizeof(expect) - n, ",%d", -i);
		}
	}
	n += (size_t)snprintf(expect + n, sizeof(expect) - n, "\n");
	expect_written(&j, &m, expect);
}
END_TEST

START_TEST(test_escaping)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	json_str(&j, "q\"k", "a\"b");
	json_str(&j, "bs", "c:\\dir\\");
	json_str(&j, "ws", "l1\nl2\tt\rr");
	json_str(&j, "ctl", "\x01\x08\x0c\x1f\x7f");
	json_str(&j, "keep", "/ caf\xc3\xa9 <>&'");
	json_end_obj(&j);
	expect_written(&j, &m,
		       "{\"q\\\"k\":\"a\\\"b\",\"bs\":\"c:\\\\dir\\\\\",\"ws\":\"l1\\nl2\\tt\\rr\","
		       "\"ctl\":\"\\u0001\\u0008\\u000c\\u001f\\u007f\","
		       "\"keep\":\"/ caf\xc3\xa9 <>&'\"}\n");
}
END_TEST

/* What a strict decoder rejects becomes U+FFFD, one per maximal ill-formed subpart. */
START_TEST(test_invalid_utf8_replaced)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\xff"
		  "b",
		  "a\\ufffdb" }, /* never a UTF-8 byte */
		{ "\xfe\xc0\xc1\xf5", "\\ufffd\\ufffd\\ufffd\\ufffd" }, /* nor these */
		{ "x\xbf"
		  "y",
		  "x\\ufffdy" }, /* lone continuation byte */
		{ "\xe2\x82", "\\ufffd" }, /* truncated at the end */
		{ "\xe2\x82"
		  "A",
		  "\\ufffdA" }, /* truncated before ASCII */
		{ "\xf0\x9f\x98"
		  "\xc3\xa9",
		  "\\ufffd\xc3\xa9" }, /* truncated before valid */
		{ "\xc0\xaf", "\\ufffd\\ufffd" }, /* overlong '/' */
		{ "\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd" }, /* overlong, 3 bytes */
		{ "\xf0\x80\x80\xaf", "\\ufffd\\ufffd\\ufffd\\ufffd" }, /* overlong, 4 bytes */
		{ "\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd" }, /* surrogate U+D800 */
		{ "\xed\xbf\xbf", "\\ufffd\\ufffd\\ufffd" }, /* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd" }, /* above U+10FFFF */
		{ "\xe2\x82\xac\xff\x01", "\xe2\x82\xac\\ufffd\\u0001" }, /* mixed with escapes */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct memfile m;
		struct json j;
		char want[128];

		json_begin(&j, mem_open(&m));
		json_str(&j, NULL, cases[i].in);
		snprintf(want, sizeof(want), "\"%s\"\n", cases[i].out);
		expect_written(&j, &m, want);
	}
}
END_TEST

/* Well-formed sequences of every length, the edges of the ranges included, stay as they are. */
START_TEST(test_valid_utf8_kept)
{
	static const char *const kept[] = {
		"caf\xc3\xa9", /* U+00E9 */
		"\xc2\x80\xdf\xbf", /* U+0080, U+07FF */
		"\xe0\xa0\x80", /* U+0800 */
		"\xe2\x82\xac", /* U+20AC */
		"\xed\x9f\xbf", /* U+D7FF, just below the surrogates */
		"\xee\x80\x80\xef\xbf\xbf", /* U+E000, U+FFFF */
		"\xf0\x90\x80\x80", /* U+10000 */
		"\xf0\x9f\x98\x80", /* U+1F600 */
		"\xf4\x8f\xbf\xbf", /* U+10FFFF */
	};

	for (size_t i = 0; i < ARRAY_SIZE(kept); i++) {
		struct memfile m;
		struct json j;
		char want[64];

		json_begin(&j, mem_open(&m));
		json_obj(&j, NULL);
		json_str(&j, kept[i], kept[i]);
		json_end_obj(&j);
		snprintf(want, sizeof(want), "{\"%s\":\"%s\"}\n", kept[i], kept[i]);
		expect_written(&j, &m, want);
	}
}
END_TEST

START_TEST(test_finish_newline_and_next_record)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	json_int(&j, "a", 1);
	json_end_obj(&j);
	json_finish(&j);
	/* The next record starts fresh: no comma carried over from the previous one. */
	json_obj(&j, NULL);
	json_int(&j, "b", 2);
	json_end_obj(&j);
	json_finish(&j);
	json_arr(&j, NULL);
	json_end_arr(&j);
	expect_written(&j, &m, "{\"a\":1}\n{\"b\":2}\n[]\n");
}
END_TEST

START_TEST(test_finish_flushes)
{
	struct memfile m;
	struct json j;

	json_begin(&j, mem_open(&m));
	json_obj(&j, NULL);
	json_str(&j, "k", "v");
	json_end_obj(&j);
	json_finish(&j);
	/* open_memstream updates buf/len on fflush: json_finish must have flushed. */
	ck_assert_uint_eq(m.len, strlen("{\"k\":\"v\"}\n"));
	ck_assert_int_eq(memcmp(m.buf, "{\"k\":\"v\"}\n", m.len), 0);
	free(mem_close(&m));
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_flat_object_all_types,
				      test_non_finite_doubles_are_null,
				      test_nested_objects_and_arrays,
				      test_deep_nesting_within_limit,
				      test_escaping,
				      test_invalid_utf8_replaced,
				      test_valid_utf8_kept,
				      test_finish_newline_and_next_record,
				      test_finish_flushes };

	return unit_run(unit_suite("json", "core", core_tests, ARRAY_SIZE(core_tests)));
}
