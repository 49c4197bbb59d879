// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled (not run) by the unit tests: an option table entry whose destination does not have
 * its kind's type must not compile. Built as is it compiles; with -DMISMATCH_PORT (an int for a
 * port) or -DMISMATCH_INT (a long for an int, which argparse once wrote past) it must fail.
 */
#include "argparse.h"

#ifdef MISMATCH_PORT
static int port;
#else
static uint16_t port;
#endif
#ifdef MISMATCH_INT
static long count;
#else
static int count;
#endif

const struct arg_opt typecheck_opts[] = {
	OPT_PORT("port", 0, &port, "a port"),
	OPT_INT("count", 0, &count, 0, 10, "a count"),
	{ 0 },
};
