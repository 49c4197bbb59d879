#include "interval.h"

#include "runtime.h"

static const struct interval_clock process_clock = { tool_elapsed, tool_sleep };

void interval_run(const struct interval_loop *l)
{
	const struct interval_clock *clock = l->clock ? l->clock : &process_clock;
	bool stop = false;

	while (!stop) {
		double span = l->interval_s, left = l->duration_s - clock->now();
		bool last = l->duration_s > 0 && left <= span, signalled;

		if (last)
			span = left > 0 ? left : 0;
		signalled = !clock->sleep(span);
		stop = last || signalled;
		if (stop && l->final)
			l->final(l->ctx);
		else if (!signalled)
			l->report(l->ctx);
	}
}
