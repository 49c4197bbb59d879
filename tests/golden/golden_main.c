// SPDX-License-Identifier: GPL-2.0-only
/*
 * The golden tests' one runner: `golden_tests` runs every suite, `golden_tests <suite>` one
 * of them (CTest registers one test per suite). Suites are listed in CMakeLists.txt.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "util.h"

static const struct golden_suite {
	const char *name;
	Suite *(*create)(void);
} suites[] = {
// clang-format off
#define GOLDEN_SUITE(name) { #name, golden_##name##_suite },
// clang-format on
#include "golden_suites.h"
#undef GOLDEN_SUITE
};

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	SRunner *sr = NULL;
	int failed;

	for (size_t i = 0; i < ARRAY_SIZE(suites); i++) {
		if (only && strcmp(only, suites[i].name))
			continue;
		if (sr)
			srunner_add_suite(sr, suites[i].create());
		else
			sr = srunner_create(suites[i].create());
	}
	if (!sr) {
		fprintf(stderr, "golden_tests: no suite named '%s'\n", only);
		return EXIT_FAILURE;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
