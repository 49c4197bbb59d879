// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtionet-rx-path-summary: periodic IRQ / vring_interrupt statistics and histograms of the
 * guest's virtio-net RX path return values and virtqueue last_used_idx; a summary at the end.
 */
#include <bpf/bpf.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "percpu_delta.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"
#include "util.h"
#include "virtionet-rx-path-summary.h"
#include "virtionet-rx-path-summary.skel.h"

static struct {
	int duration;
	int period;
	bool no_map_dump;
	struct prom_opts prom;
} opt;

static const struct arg_opt options[] = {
	OPT_FLAG("no-map-dump", 0, &opt.no_map_dump,
		 "do not print the cumulative maps after the summary (bpftrace's exit dump)"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_positional positionals[] = {
	POS_INT("duration_seconds", &opt.duration, "total run time in seconds (0 or missing: until Ctrl-C)",
		false),
	POS_INT("period_seconds", &opt.period, "seconds between period reports (0 or missing: 2)", false),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "virtionet-rx-path-summary",
	.description =
		"Summarize the guest's virtio-net RX path: IRQ and vring_interrupt counts, return values "
		"and last_used_idx histograms per period, totals at the end.",
	.epilog = "examples:\n"
		  "  virtionet-rx-path-summary            # until Ctrl-C, a report every 2 s\n"
		  "  virtionet-rx-path-summary 60 5       # 60 s, a report every 5 s",
	.opts = options,
	.positionals = positionals,
};

enum {
	RH_POLL_RET,
	RH_CB_PREPARE_RET,
	RH_NAPI_COMPLETE_RET,
	RH_VQ_POLL_RET,
	RH_CB_DELAYED,
	RH_CB_DELAYED_RET,
	RH_GET_BUF,
	RH_IRQ_ENTRY,
	RH_IRQ_EXIT,
	RH_VRING,
	RH_VRING_RET,
	RH_HOOKS,
};

/*
 * A function's return: the fexit program, else the kretprobe, also on the GCC clone (.isra,
 * .constprop, .part) that replaced it (a clone has no BTF: no fexit). A kprobe that reads
 * arguments is not offered a clone: its arguments may have changed.
 */
/* clang-format off */
#define RET(prog, fn) HOOK_FUNC_RETURN(prog, fn), { HOOK_KRETPROBE, prog, fn, .clones = KSYM_CLONES_ANY }
/* clang-format on */

static const struct hook_def hook_defs[RH_HOOKS] = {
	[RH_POLL_RET] = { "NAPI poll results",
			  { HOOK_FUNC_RETURN("rxs_poll_ret", "virtnet_poll") },
			  "virtio_net" },
	[RH_CB_PREPARE_RET] = { "callback re-enabling (prepare)",
				{ RET("rxs_cb_prepare_ret", "virtqueue_enable_cb_prepare") },
				.optional = true },
	[RH_NAPI_COMPLETE_RET] = { "NAPI completion",
				   { RET("rxs_napi_complete_ret", "napi_complete_done") },
				   .optional = true },
	[RH_VQ_POLL_RET] = { "virtqueue polls",
			     { RET("rxs_vq_poll_ret", "virtqueue_poll") },
			     .optional = true },
	[RH_CB_DELAYED] = { "delayed callback re-enabling",
			    { { HOOK_KPROBE, "rxs_cb_delayed", "virtqueue_enable_cb_delayed" } },
			    .optional = true },
	[RH_CB_DELAYED_RET] = { "delayed callback re-enabling results",
				{ RET("rxs_cb_delayed_ret", "virtqueue_enable_cb_delayed") },
				.optional = true },
	/* The split-ring half takes the same pointer (vq is the first member of vring_virtqueue). */
	[RH_GET_BUF] = { "used buffers taken",
			 { { HOOK_KPROBE, "rxs_get_buf", "virtqueue_get_buf_ctx" },
			   { HOOK_KPROBE, "rxs_get_buf", "virtqueue_get_buf_ctx_split" } },
			 .optional = true },
	[RH_IRQ_ENTRY] = { "IRQ handler entry",
			   { HOOK_RAW_TRACEPOINT("rxs_irq_entry", "irq:irq_handler_entry") } },
	[RH_IRQ_EXIT] = { "IRQ handler exit",
			  { HOOK_RAW_TRACEPOINT("rxs_irq_exit", "irq:irq_handler_exit") } },
	[RH_VRING] = { "virtqueue interrupts",
		       { { HOOK_KPROBE, "rxs_vring", "vring_interrupt" } },
		       .optional = true },
	[RH_VRING_RET] = { "virtqueue interrupt results",
			   { RET("rxs_vring_ret", "vring_interrupt") },
			   .optional = true },
};
const struct hook_table rxsum_hook_table = { hook_defs, RH_HOOKS };

struct run {
	struct virtionet_rx_path_summary_bpf *skel;
	struct percpu_delta slots;
	uint64_t total[RXS_SLOTS];
	/* vring_interrupt calls per IRQ: the map's values at the last read, this period's, in total. */
	struct rxsum_irq_count seen[RXS_VRING_IRQS], period_irqs[RXS_VRING_IRQS], total_irqs[RXS_VRING_IRQS];
	int nseen;
	double attached_s; /* tool_elapsed() once attached: the script's @start_time (BEGIN) */
	struct prom prom;
};

/* Whole seconds since the probes were attached, as the script counts them. */
static int seconds_since_attach(const struct run *r)
{
	return (int)(tool_elapsed() - r->attached_s);
}

/* Reads this period's counts into v and adds them to the totals. */
static void read_period(struct run *r, struct rxsum_view *v)
{
	const uint64_t *delta = percpu_delta_read(&r->slots);
	int fd = bpf_map__fd(r->skel->maps.vring_irq_calls);
	int key, next, *prev = NULL, k;
	uint64_t count;

	for (int i = 0; i < RXS_SLOTS; i++)
		r->total[i] += delta[i];
	for (k = 0; k < r->nseen; k++)
		r->period_irqs[k].count = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		for (k = 0; k < r->nseen && r->seen[k].irq != key; k++)
			;
		if (k == r->nseen) {
			if (r->nseen == RXS_VRING_IRQS)
				continue;
			r->seen[k] = (struct rxsum_irq_count){ key, 0 };
			r->total_irqs[k] = (struct rxsum_irq_count){ key, 0 };
			r->nseen++;
		}
		r->period_irqs[k] = (struct rxsum_irq_count){ key, count - r->seen[k].count };
		r->total_irqs[k].count += count - r->seen[k].count;
		r->seen[k].count = count;
	}
	*v = (struct rxsum_view){ delta, r->period_irqs, r->nseen };
}

/* The counters of the whole run (the totals the summary prints at exit), per IRQ where they are. */
static void write_metrics(struct run *r)
{
	static const struct {
		enum rxsum_counter c;
		const char *what, *help;
	} counters[] = {
		{ RXS_POLL_CALLS, "poll_calls_total", "virtnet_poll calls." },
		{ RXS_POLL_PRODUCTIVE, "poll_productive_total", "virtnet_poll calls that returned packets." },
		{ RXS_POLL_PACKETS, "poll_packets_total", "Packets virtnet_poll processed." },
		{ RXS_CB_PREPARE_CALLS, "enable_cb_prepare_calls_total",
		  "virtqueue_enable_cb_prepare calls." },
		{ RXS_NAPI_COMPLETE_CALLS, "napi_complete_done_calls_total", "napi_complete_done calls." },
		{ RXS_NAPI_COMPLETE_SUCCESS, "napi_complete_done_success_total",
		  "napi_complete_done calls that returned true." },
		{ RXS_VQ_POLL_CALLS, "virtqueue_poll_calls_total", "virtqueue_poll calls." },
		{ RXS_VQ_POLL_DATA, "virtqueue_poll_data_total", "virtqueue_poll calls that found buffers." },
		{ RXS_CB_DELAYED_CALLS, "enable_cb_delayed_calls_total",
		  "virtqueue_enable_cb_delayed calls." },
		{ RXS_CB_DELAYED_DATA, "enable_cb_delayed_data_total",
		  "virtqueue_enable_cb_delayed calls that found buffers." },
		{ RXS_GET_BUF_CALLS, "get_buf_calls_total", "virtqueue_get_buf_ctx calls." },
		{ RXS_VRING_CALLS, "vring_interrupt_calls_total", "vring_interrupt calls." },
		{ RXS_VRING_IRQ_FULL, "not_counted_per_irq_table_full_total",
		  "vring_interrupt calls not counted per IRQ: the table was full." },
	};
	char irq[16];

	prom_begin(&r->prom, tool_name());
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++) {
		prom_family(&r->prom, counters[i].what, PROM_COUNTER, counters[i].help);
		prom_value(&r->prom, NULL, 0, (double)r->total[counters[i].c]);
	}
	prom_family(&r->prom, "vring_interrupt_irq_calls_total", PROM_COUNTER,
		    "vring_interrupt calls per IRQ.");
	for (int k = 0; k < r->nseen; k++) {
		snprintf(irq, sizeof(irq), "%d", r->total_irqs[k].irq);
		prom_value(&r->prom, &(struct prom_label){ "irq", irq }, 1, (double)r->total_irqs[k].count);
	}
	prom_family(&r->prom, "irq_handler_entries_total", PROM_COUNTER,
		    "IRQ handler entries of IRQs 24-63 (the script's range).");
	for (int i = 0; i < RXS_IRQS; i++) {
		if (!r->total[RXS_AT_IRQ_ENTRY + i])
			continue;
		snprintf(irq, sizeof(irq), "%d", RXS_IRQ_FIRST + i);
		prom_value(&r->prom, &(struct prom_label){ "irq", irq }, 1,
			   (double)r->total[RXS_AT_IRQ_ENTRY + i]);
	}
	prom_commit(&r->prom, opt.prom.path);
}

static void period_report(void *ctx)
{
	struct run *r = ctx;
	struct rxsum_view v;
	char hms[16];

	read_period(r, &v);
	if (opt.prom.path)
		write_metrics(r);
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		rxsum_print_json(stdout, &v, hms, seconds_since_attach(r), false);
	else
		rxsum_print_period(stdout, &v, hms, seconds_since_attach(r), opt.period);
}

/* The last, partial period is not reported (as the script's END), only counted in the totals. */
static void last_period(void *ctx)
{
	struct rxsum_view v;

	read_period(ctx, &v);
	if (opt.prom.path)
		write_metrics(ctx);
}

static void print_untracked(struct run *r)
{
	if (r->total[RXS_VRING_IRQ_FULL])
		log_warn("%llu vring_interrupt calls were not counted per IRQ: the table of %d IRQs was full",
			 (unsigned long long)r->total[RXS_VRING_IRQ_FULL], RXS_VRING_IRQS);
}

int main(int argc, char **argv)
{
	static struct run r;
	struct rxsum_view total;
	struct hook_set hooks;
	int period_given, attached = 0;
	char hms[16];

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	period_given = opt.period;
	if (opt.period <= 0)
		opt.period = 2;
	if (opt.duration < 0)
		opt.duration = 0;
	tool_init("virtionet-rx-path-summary");
	hook_set_init(&hooks, rxsum_hook_table.defs, rxsum_hook_table.n, 0);
	require_function_hooks("the virtio-net RX path has no tracepoints");

	r.skel = BPFNET_OPEN(virtionet_rx_path_summary_bpf);
	hook_prepare(&hooks, r.skel->obj);
	bpfload_load(r.skel->skeleton);
	percpu_delta_init_map(&r.slots, r.skel->maps.totals, RXS_SLOTS);
	tool_install_signals();
	hook_attach(&hooks);
	r.attached_s = tool_elapsed();
	for (int i = 0; i < RH_HOOKS; i++)
		attached += hook_active(&hooks, i);
	if (!g_common.json) {
		/* bpftrace counts BEGIN, END and the interval probe too. */
		printf("Attaching %d probes...\n", attached + 3);
		hook_print(stdout, &hooks);
		rxsum_print_banner(stdout, opt.duration, opt.period, period_given);
	}
	output_flush();
	tool_ready();
	interval_run(&(struct interval_loop){ .interval_s = opt.period,
					      .duration_s = opt.duration,
					      .report = period_report,
					      .final = last_period,
					      .ctx = &r });
	hook_detach(&hooks);
	total = (struct rxsum_view){ r.total, r.total_irqs, r.nseen };
	if (g_common.json) {
		rxsum_print_json(stdout, &total, fmt_time_hms(hms, sizeof(hms)), seconds_since_attach(&r),
				 true);
	} else {
		rxsum_print_summary(stdout, &total, seconds_since_attach(&r));
		if (!opt.no_map_dump)
			rxsum_print_map_dump(stdout, &total);
	}
	print_untracked(&r);
	prom_free(&r.prom);
	percpu_delta_free(&r.slots);
	virtionet_rx_path_summary_bpf__destroy(r.skel);
	return 0;
}
