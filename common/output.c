// SPDX-License-Identifier: GPL-2.0-only
#include "output.h"

#include <stdio.h>
#include <stdio_ext.h>
#include <unistd.h>

#include "runtime.h"

#define OUTPUT_BUFFER_SIZE (64 << 10)

static bool buffered, deferred;
static double last_flush; /* tool_elapsed() */

void output_init(void)
{
	static char buf[OUTPUT_BUFFER_SIZE];

	if (isatty(STDOUT_FILENO))
		return;
	buffered = !setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

void output_defer_flushes(bool on)
{
	deferred = on;
}

bool output_deferred(void)
{
	return buffered && deferred;
}

void output_flush(void)
{
	fflush(stdout);
	last_flush = tool_elapsed();
}

void output_event_end(void)
{
	if (!output_deferred())
		output_flush();
}

int output_before_wait(int timeout_ms)
{
	double age, left;
	int left_ms;

	if (!timeout_ms || !__fpending(stdout))
		return timeout_ms;
	age = tool_elapsed() - last_flush;
	if (age >= OUTPUT_FLUSH_PERIOD) {
		output_flush();
		return timeout_ms;
	}
	left = OUTPUT_FLUSH_PERIOD - age;
	left_ms = (int)(left * 1000) + 1;
	return timeout_ms < 0 || left_ms < timeout_ms ? left_ms : timeout_ms;
}
