// SPDX-License-Identifier: GPL-2.0-only
#include "netstage_path.h"

int netstage_seen_stages(const struct netstage_model *m, unsigned dir, const __u64 *ts, unsigned nts,
			 const struct netstage_stage **out)
{
	int n = 0;

	for (unsigned pos = 0; pos < NS_MAX_POS; pos++) {
		const struct netstage_stage *st = netstage_stage_at(m, dir, pos);

		if (st && st->id < nts && ts[st->id])
			out[n++] = st;
	}
	return n;
}

static double us_between(const __u64 *ts, const struct netstage_stage *a, const struct netstage_stage *b)
{
	return (double)(ts[b->id] - ts[a->id]) / 1000.0;
}

void netstage_print_path(FILE *f, const char *label, const struct netstage_stage *const *st, int n,
			 const __u64 *ts)
{
	fprintf(f, "\n%s Path Latencies (us):\n", label);
	if (n < 2) {
		fprintf(f, "  No latency data available\n");
		return;
	}
	for (int i = 1; i < n; i++)
		fprintf(f, "  [%u->%u] %s -> %s: %10.3f us\n", st[i - 1]->id, st[i]->id, st[i - 1]->name,
			st[i]->name, us_between(ts, st[i - 1], st[i]));
	fprintf(f, "  Total %s Latency: %10.3f us\n", label, us_between(ts, st[0], st[n - 1]));
}

void netstage_path_json(struct json *j, const struct netstage_stage *const *st, int n, const __u64 *ts)
{
	json_arr(j, "stages");
	for (int i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_uint(j, "id", st[i]->id);
		json_str(j, "name", st[i]->name);
		json_uint(j, "ktime_ns", ts[st[i]->id]);
		if (i)
			json_double(j, "latency_us", us_between(ts, st[i - 1], st[i]));
		json_end_obj(j);
	}
	json_end_arr(j);
	if (n >= 2)
		json_double(j, "total_us", us_between(ts, st[0], st[n - 1]));
}
