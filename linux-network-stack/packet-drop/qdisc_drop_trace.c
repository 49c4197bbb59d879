// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_drop_trace: transmit-path entries per interface, NET_XMIT_* return codes per interval,
 * and the packets qdiscs drop, with the drop reason and the queue depth at that moment.
 */
#include <bpf/bpf.h>
#include <stdlib.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "prom.h"
#include "runtime.h"
#include "strbuf.h"
#include "timefmt.h"
#include "qdisc_drop_trace.h"
#include "qdisc_drop_trace.skel.h"

#define SEPARATOR "--------------------------------------------------------------------------------"

static struct {
	const char *interface;
	bool verbose, drops_only, summary;
	double interval, duration;
	struct prom_opts prom;
} opt = { .interval = 10 };

static const struct arg_opt options[] = {
	OPT_IFNAME("interface", 0, &opt.interface,
		   "only entries and drops on this device (exact name, e.g. erspan_sys)"),
	OPT_FLAG("verbose", 0, &opt.verbose,
		 "also print qdisc_enqueue and qdisc_dequeue events with the queue depth"),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE, "statistics interval in seconds"),
	OPT_FLAG("drops-only", 0, &opt.drops_only, "print only DROP events, no ENTRY events"),
	OPT_FLAG("summary", 0, &opt.summary, "statistics only, no per-event output"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "qdisc_drop_trace",
	.description = "Trace __dev_queue_xmit, dev_hard_start_xmit, erspan_xmit and fq_codel_enqueue "
		       "for packet drop analysis, with the qdiscs' own drops, drop reasons and queue depth",
	.epilog = "examples:\n"
		  "  qdisc_drop_trace\n"
		  "  qdisc_drop_trace --interface erspan_sys --interval 5\n"
		  "  qdisc_drop_trace --interface eth0 --drops-only\n"
		  "  qdisc_drop_trace --summary --interval 1 --duration 60 --json",
	.opts = options,
};

static struct qdt_config cfg;

/* Reading the counters */

static struct qdisc_drop_trace_bpf *skel;

static const char *row_name(uint32_t hook, uint32_t code, char *buf, size_t len)
{
	const char *n;

	if (hook != QDT_QDISC_DROP || cfg.drops_from_return)
		return qdt_code_name(code, buf, len);
	n = drop_reason_name(code);
	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "reason %u", code);
	return buf;
}

static void snapshot_read(struct qdt_snapshot *s)
{
	int fd = bpf_map__fd(skel->maps.code_counts);
	struct qdt_code_key key, next, *prev = NULL;
	size_t cap = 0;

	s->n = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		uint64_t count;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		if (s->n == cap) {
			cap = cap ? 2 * cap : 64;
			s->rows = realloc(s->rows, cap * sizeof(*s->rows));
			if (!s->rows)
				die("out of memory");
		}
		s->rows[s->n] = (struct qdt_row){ .hook = key.hook, .code = key.code, .count = count };
		row_name(key.hook, key.code, s->rows[s->n].name, sizeof(s->rows[s->n].name));
		s->n++;
	}
	qdt_rows_sort(s->rows, s->n);
	for (int h = 0; h < QDT_HOOKS; h++)
		s->entries[h] = bpfload_percpu_sum(skel->maps.entry_counts, (uint32_t)h);
}

static struct qdt_snapshot previous;
static struct event_channel *channel;
static struct prom prom;

/*
 * The metrics: the kernel's counters, which count from the start (the reports show what they
 * grew by): entries per function, return codes per function, qdisc drops per reason.
 */
static void prom_write(const struct qdt_snapshot *cur, const struct qdt_report *r)
{
	char code[24];

	prom_begin(&prom, tool_name());
	prom_family(&prom, "entries_total", PROM_COUNTER,
		    "Calls of each traced function (qdisc_dequeue: packets dequeued).");
	for (int h = 0; h < QDT_HOOKS; h++)
		if (r->attached[h] && h != QDT_QDISC_DROP)
			prom_value(&prom, &(struct prom_label){ "function", qdt_hook_name((enum qdt_hook)h) },
				   1, (double)cur->entries[h]);
	prom_family(&prom, "returns_total", PROM_COUNTER, "Return codes of each traced function.");
	for (size_t i = 0; i < cur->n; i++) {
		const struct qdt_row *row = &cur->rows[i];
		const struct prom_label labels[] = {
			{ "function", qdt_hook_name((enum qdt_hook)row->hook) },
			{ "code", code },
			{ "name", row->name },
		};

		if (row->hook == QDT_QDISC_DROP)
			continue;
		snprintf(code, sizeof(code), "%d", (int)row->code);
		prom_value(&prom, labels, 3, (double)row->count);
	}
	prom_family(&prom, "qdisc_drops_total", PROM_COUNTER, "Packets the qdiscs dropped, by drop reason.");
	for (size_t i = 0; i < cur->n; i++)
		if (cur->rows[i].hook == QDT_QDISC_DROP)
			prom_value(&prom, &(struct prom_label){ "reason", cur->rows[i].name }, 1,
				   (double)cur->rows[i].count);
	prom_family(&prom, "not_counted_table_full_total", PROM_COUNTER,
		    "Return codes not counted: the table was full.");
	prom_value(&prom, NULL, 0, (double)r->not_counted);
	prom_commit(&prom, opt.prom.path);
}

static void report(bool final)
{
	struct qdt_snapshot cur = { 0 };
	uint64_t entries[QDT_HOOKS];
	struct qdt_report r = { .entries = entries };
	char hms[16];

	snapshot_read(&cur);
	struct qdt_row *rows = calloc(cur.n ? cur.n : 1, sizeof(*rows));

	if (!rows)
		die("out of memory");
	r.rows = rows;
	r.n = qdt_snapshot_delta(&previous, &cur, rows, entries);
	for (int h = 0; h < QDT_HOOKS; h++) {
		r.returns[h] = qdt_funcs[h].returns;
		r.attached[h] = qdt_funcs[h].attached;
	}
	r.not_counted = bpfload_percpu_sum(skel->maps.code_counts_full, 0);
	if (opt.prom.path)
		prom_write(&cur, &r);
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		qdt_print_report_json(stdout, &r, hms, final, channel ? events_lost(channel) : 0);
	else
		qdt_print_report(stdout, &r);
	output_flush();
	free(rows);
	free(previous.rows);
	previous = cur;
}

static void report_interval(void *ctx)
{
	(void)ctx;
	report(false);
}

static void report_final(void *ctx)
{
	(void)ctx;
	if (channel)
		events_poll(channel, 0);
	hook_detach(&qdt_hooks);
	if (channel)
		events_drain(channel);
	if (!g_common.json)
		printf("\nStopping qdisc drop monitoring...\n");
	report(true);
	if (channel && !g_common.json)
		printf("Lost events: %llu\n", (unsigned long long)events_lost(channel));
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct qdt_event *ev = data;
	char hms[16], reason[64];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	if (ev->type == QDT_EV_DROP)
		row_name(QDT_QDISC_DROP, ev->code, reason, sizeof(reason));
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		qdt_print_event_json(stdout, ev, hms, ev->type == QDT_EV_DROP ? reason : NULL);
	else
		qdt_print_event(stdout, ev, hms, ev->type == QDT_EV_DROP ? reason : NULL);
	output_event_end();
}

static void print_banner(void)
{
	printf("Qdisc Drop Trace Monitor\n");
	if (opt.interface)
		printf("Interface filter: %s\n", opt.interface);
	printf("Verbose mode: %s\n", opt.verbose ? "ON" : "OFF");
	printf("Drops only mode: %s\n", opt.drops_only ? "ON" : "OFF");
	printf("Summary only mode: %s\n", opt.summary ? "ON" : "OFF");
	printf("Stats interval: %.0f seconds\n", opt.interval);
	if (opt.duration)
		printf("Duration: %.0f seconds\n", opt.duration);
	printf("%s\n", SEPARATOR);
}

int main(int argc, char **argv)
{
	struct strbuf attached = { 0 }, warnings = { 0 }, reasons = { 0 };
	int nreasons = 0; /* qdisc drop reasons this kernel's BTF names */
	bool events;

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	if (opt.interface)
		snprintf(cfg.ifname, sizeof(cfg.ifname), "%s", opt.interface);
	events = !opt.summary;
	cfg.entry_events = events && !opt.drops_only;
	cfg.queue_events = cfg.entry_events && opt.verbose;
	cfg.drop_events = events;
	tool_init("qdisc_drop_trace");
	if (qdt_tracepoints_usable(hook_env_kernel()))
		nreasons = qdt_qdisc_reasons(&cfg, &reasons);
	qdt_hooks.quiet = true;
	hook_set_init(&qdt_hooks, qdt_hook_table.defs, qdt_hook_table.n, 0);
	if (opt.interface)
		iface_name_check(opt.interface);
	if (!g_common.json)
		print_banner();

	skel = BPFNET_OPEN(qdisc_drop_trace_bpf);
	hook_prepare(&qdt_hooks, skel->obj);
	qdt_plan_funcs(&cfg, nreasons, &reasons);
	sb_free(&reasons);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	if (events)
		channel = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	qdt_attach_all(&cfg, &attached, &warnings);
	if (g_common.json) {
		if (warnings.len)
			fputs(warnings.buf, stderr);
	} else {
		if (warnings.len)
			fputs(warnings.buf, stdout);
		for (int h = 0; h < QDT_HOOKS; h++)
			if (qdt_funcs[h].attached)
				printf("Probe: %s: %s\n", qdt_hook_name((enum qdt_hook)h), qdt_funcs[h].desc);
		printf("Attached probes: %s\n", attached.buf);
		printf("Starting qdisc drop monitoring... Press Ctrl+C to stop\n");
	}
	snapshot_read(&previous);
	tool_ready();

	interval_run(&(struct interval_loop){ .interval_s = opt.interval,
					      .duration_s = opt.duration,
					      .report = report_interval,
					      .final = report_final,
					      .events = channel });
	events_close(channel);
	prom_free(&prom);
	qdisc_drop_trace_bpf__destroy(skel);
	sb_free(&attached);
	sb_free(&warnings);
	return 0;
}
