// SPDX-License-Identifier: GPL-2.0-only
/* The adjacent-stage histogram tools' run: see netstage_summary.h. */
#include <bpf/libbpf.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "interval.h"
#include "netstage_summary.h"
#include "output.h"
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
	struct prom prom;
};

static const char *const dir_labels[NS_DIRS] = { "tx", "rx" };

static const char *stage_label(const struct netstage_model *m, unsigned dir, unsigned pos, char *buf,
			       size_t len)
{
	const struct netstage_stage *st = netstage_stage_at(m, dir, pos);

	if (st)
		return st->name;
	snprintf(buf, len, "UNKNOWN_%u_%u", dir, pos);
	return buf;
}

static void counter_per_dir(struct prom *p, unsigned dirs, const char *what, const char *help,
			    enum prom_type type, const uint64_t *per_dir)
{
	prom_family(p, what, type, help);
	for (int d = 0; d < NS_DIRS; d++)
		if (dirs & NS_DIR_BIT(d))
			prom_value(p, &(struct prom_label){ "direction", dir_labels[d] }, 1,
				   (double)per_dir[d]);
}

/* Everything since start: the histograms' cumulative sums and the session counters. */
static void write_metrics(struct summary_state *st, const struct netstage_counts *c)
{
	static struct netstage_pair pairs[NS_PAIRS_MAX];
	const struct netstage_summary *s = st->s;
	uint64_t incomplete[NS_DIRS];
	size_t n = netstage_pairs_collect(st->pairs.last, pairs, ARRAY_SIZE(pairs));
	char a[32], b[32];

	for (int d = 0; d < NS_DIRS; d++)
		incomplete[d] = netstage_incomplete(c, d);
	prom_begin(&st->prom, tool_name());
	counter_per_dir(&st->prom, s->dirs, "packets_total", "Packets that entered the first stage.",
			PROM_COUNTER, c->started);
	counter_per_dir(&st->prom, s->dirs, "completed_total", "Packets seen through the last stage.",
			PROM_COUNTER, c->completed);
	counter_per_dir(&st->prom, s->dirs, "incomplete_total",
			"Packets whose flow session expired before the last stage.", PROM_COUNTER,
			incomplete);
	counter_per_dir(&st->prom, s->dirs, "active_sessions", "Flow sessions in progress.", PROM_GAUGE,
			c->active);
	prom_family(&st->prom, "not_tracked_table_full_total", PROM_COUNTER,
		    "Packets not tracked: the session table was full.");
	prom_value(&st->prom, NULL, 0, (double)c->no_session);
	prom_family(&st->prom, "stage_latency_seconds", PROM_HISTOGRAM,
		    "Latency between adjacent stages (log2 buckets of whole microseconds).");
	for (size_t i = 0; i < n; i++) {
		const struct prom_label labels[] = {
			{ "direction", dir_labels[pairs[i].dir & 1] },
			{ "from", stage_label(s->model, pairs[i].dir, pairs[i].prev_pos, a, sizeof(a)) },
			{ "to", stage_label(s->model, pairs[i].dir, pairs[i].cur_pos, b, sizeof(b)) },
		};

		prom_log2_histogram(&st->prom, labels, ARRAY_SIZE(labels), pairs[i].slots, NS_HIST_SLOTS,
				    1e-6);
	}
	prom_family(&st->prom, "total_latency_seconds", PROM_HISTOGRAM,
		    "First stage to last stage latency of the completed packets (log2 buckets of whole "
		    "microseconds).");
	for (int d = 0; d < NS_DIRS; d++)
		if (s->dirs & NS_DIR_BIT(d))
			prom_log2_histogram(&st->prom, &(struct prom_label){ "direction", dir_labels[d] }, 1,
					    &st->total.last[d * NS_HIST_SLOTS], NS_HIST_SLOTS, 1e-6);
	prom_commit(&st->prom, s->prom->path);
}

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
	if (st->s->prom->path)
		write_metrics(st, &r.counts);
	fmt_datetime(datetime, sizeof(datetime));
	if (g_common.json)
		st->s->print_json(stdout, datetime, &r, final);
	else
		st->s->print_text(stdout, datetime, &r);
	output_flush();
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
	netstage_load(&st.probes, s->skel, s->cfg, s->model);
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
	prom_free(&st.prom);
	percpu_delta_free(&st.pairs);
	percpu_delta_free(&st.total);
}
