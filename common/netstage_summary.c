// SPDX-License-Identifier: GPL-2.0-only
/* The adjacent-stage histogram tools' run: see netstage_summary.h. */
#include <bpf/libbpf.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "interval.h"
#include "netstage_summary.h"
#include "percpu_delta.h"
#include "runtime.h"
#include "timefmt.h"
#include "util.h"

struct summary_state {
	const struct netstage_summary *s;
	struct bpf_object *obj;
	struct netstage_probes probes;
	struct percpu_delta pairs, total;
	uint64_t started_prev[NS_DIRS];
	double last_report;
	struct netstage_pair pairs_out[NS_PAIRS_MAX];
};

static void report(struct summary_state *st, bool final)
{
	struct netstage_interval r = { .dirs = st->s->dirs, .pairs = st->pairs_out };
	const uint64_t *pairs = percpu_delta_read(&st->pairs), *total = percpu_delta_read(&st->total);
	double now = tool_elapsed();
	char datetime[32];

	netstage_counts_read(bpfload_map(st->obj, "netstage_counters"), &r.counts);
	netstage_sweep(bpfload_map(st->obj, "netstage_sessions"), st->s->cfg->stale_ns, ktime_now_ns(),
		       &r.counts, NULL);
	r.interval_s = now - st->last_report;
	st->last_report = now;
	r.npairs = netstage_pairs_collect(pairs, st->pairs_out, ARRAY_SIZE(st->pairs_out));
	for (int d = 0; d < NS_DIRS; d++) {
		memcpy(r.total[d], &total[d * NS_HIST_SLOTS], sizeof(r.total[d]));
		r.packets[d] = r.counts.started[d] - st->started_prev[d];
		st->started_prev[d] = r.counts.started[d];
	}
	fmt_datetime(datetime, sizeof(datetime));
	if (g_common.json)
		st->s->print_json(stdout, datetime, &r, final);
	else
		st->s->print_text(stdout, datetime, &r);
	fflush(stdout);
}

static void report_interval(void *st)
{
	report(st, false);
}

static void report_final(void *ctx)
{
	struct summary_state *st = ctx;

	netstage_probes_detach(&st->probes);
	if (!g_common.json)
		printf("\n\nFinal statistics:\n");
	report(st, true);
}

void netstage_summary_run(const struct netstage_summary *s)
{
	static struct summary_state st;

	st.s = s;
	st.obj = *s->skel->obj;
	netstage_probes_select(&st.probes, st.obj, s->cfg, s->model);
	bpfload_load(s->skel);
	bpfload_write_config(bpfload_map(st.obj, "config_map"), s->cfg, sizeof(*s->cfg));
	percpu_delta_init_map(&st.pairs, bpfload_map(st.obj, "stage_pair_hist"), NS_PAIR_SLOTS);
	percpu_delta_init_map(&st.total, bpfload_map(st.obj, "total_hist"), NS_TOTAL_SLOTS);
	tool_install_signals();
	netstage_probes_attach(&st.probes);
	if (!g_common.json)
		s->print_banner(s->cfg, &st.probes);
	st.last_report = tool_elapsed();
	tool_ready();
	interval_run(&(struct interval_loop){ .interval_s = s->interval_s,
					      .duration_s = s->duration_s,
					      .report = report_interval,
					      .final = report_final,
					      .ctx = &st });
	if (!g_common.json)
		printf("\nExiting...\n");
	percpu_delta_free(&st.pairs);
	percpu_delta_free(&st.total);
}
