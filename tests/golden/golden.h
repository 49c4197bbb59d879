/* SPDX-License-Identifier: GPL-2.0-only */
/* Golden-file comparison for the tools' output layouts. */
#pragma once
#include <stdint.h>
#include <stdio.h>

/* Opens an in-memory stream; golden_check() compares what was written with expected/<name>. */
FILE *golden_open(char **buf, size_t *len);
/*
 * Closes f and returns 0 if its text equals the golden file, printing both texts otherwise.
 * With GOLDEN_UPDATE=1 in the environment the golden file is rewritten first.
 */
int golden_check(FILE *f, char **buf, size_t *len, const char *name);

/* The IPv4 address text in network byte order, as the events carry it (asserts that it parses). */
uint32_t golden_ipv4(const char *text);

/* Each test_<suite>.c builds its suite; golden_main.c runs them (list in CMakeLists.txt). */
struct Suite;
#define GOLDEN_SUITE(name) struct Suite *golden_##name##_suite(void);
#include "golden_suites.h"
#undef GOLDEN_SUITE
