// SPDX-License-Identifier: GPL-2.0-only
#include "interval.h"

#include "events.h"
#include "output.h"
#include "runtime.h"

static double now(const struct interval_loop *l)
{
	return l->clock ? l->clock->now() : tool_elapsed();
}

static bool wait_span(const struct interval_loop *l, double seconds)
{
	if (l->clock)
		return l->clock->sleep(seconds);
	return l->events ? events_wait(l->events, seconds) : tool_sleep(seconds);
}

void interval_run(const struct interval_loop *l)
{
	double next = now(l);
	bool stop = false;

	while (!stop) {
		double t = now(l), left = l->duration_s - t, span;
		bool last, signalled;

		/* Intervals end on the clock (reports do not drift), unless a report overran one. */
		next += l->interval_s;
		if (next <= t)
			next = t + l->interval_s;
		span = next - t;
		last = l->duration_s > 0 && left <= span;
		if (last)
			span = left > 0 ? left : 0;
		signalled = !wait_span(l, span);
		stop = last || signalled;
		if (stop && l->final)
			l->final(l->ctx);
		else if (!signalled)
			l->report(l->ctx);
		output_flush();
	}
}
