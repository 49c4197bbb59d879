/* SPDX-License-Identifier: GPL-2.0-only */
/* One error style for the whole suite: "Error: ..." / "Warning: ..." on stderr. */
#pragma once
#include <stdnoreturn.h>

/* Exit status for failures at run time (bad usage exits with 2, see argparse.h). */
#define EXIT_RUNTIME 1

/* Print "Error: <message>" on stderr. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "Warning: <message>" on stderr. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "Error: <message>" on stderr and exit with EXIT_RUNTIME. */
noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
