// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled (not run) by the unit tests: an option table entry whose destination does not have
 * its kind's type must not compile. Built as is it compiles; with -DMISMATCH_PORT (an int for a
 * port), -DMISMATCH_INT (a long for an int, which argparse once wrote past), -DMISMATCH_ENUM_SIZE
 * (a uint8_t for an enum) or -DMISMATCH_ENUM_TYPE (a float for an enum) it must fail.
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

enum colour { RED, GREEN };
static const char *const colours[] = { [RED] = "red", [GREEN] = "green", NULL };
#if defined(MISMATCH_ENUM_SIZE)
static uint8_t colour;
#elif defined(MISMATCH_ENUM_TYPE)
static float colour;
#else
static enum colour colour;
#endif
static int level;

const struct arg_opt typecheck_opts[] = {
	OPT_PORT("port", 0, &port, "a port"),
	OPT_INT("count", 0, &count, 0, 10, "a count"),
	OPT_ENUM("colour", 0, &colour, colours, "a colour"),
	OPT_ENUM("level", 0, &level, colours, "an int holds an enum's value too"),
	{ 0 },
};
