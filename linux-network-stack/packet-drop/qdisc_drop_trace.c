// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_drop_trace: transmit-path entries per interface, NET_XMIT_* return codes per interval,
 * and the packets qdiscs drop, with the drop reason and the queue depth at that moment.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
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

/* Choosing the probe points */

/* One BPF program each; a function of the report (enum qdt_hook) is one or two of them. */
enum {
	H_DQX,
	H_DQX_RET,
	H_DQX_TP,
	H_HSX,
	H_HSX_RET,
	H_HSX_TP,
	H_HSX_TP_RET,
	H_ERSPAN,
	H_ERSPAN_RET,
	H_FQ,
	H_FQ_RET,
	H_QDISC_ENQ,
	H_QDISC_DEQ,
	H_QDISC_DROP,
	H_COUNT,
};

static struct qdt_config cfg;
static int nreasons; /* qdisc drop reasons this kernel's BTF names */

static bool chosen(const struct hook_set *plan, int h)
{
	return hook_chosen(plan, h) != NULL;
}

/* BPFNET_FORCE_KPROBE=1 leaves every tracepoint out, as on kernels that lack them (tests). */
static bool tracepoints_usable(const struct hook_env *env)
{
	return !env->force_kprobe;
}

/* When a candidate applies, given the hooks planned before it. */
static bool dqx_kprobe(const struct hook_set *p)
{
	return chosen(p, H_DQX);
}

static bool dqx_fallback(const struct hook_set *p)
{
	return tracepoints_usable(p->env) && !chosen(p, H_DQX);
}

static bool hsx_kprobe(const struct hook_set *p)
{
	return chosen(p, H_HSX);
}

static bool hsx_fallback(const struct hook_set *p)
{
	return tracepoints_usable(p->env) && !chosen(p, H_HSX);
}

static bool hsx_tracepoint(const struct hook_set *p)
{
	return chosen(p, H_HSX_TP);
}

static bool erspan_kprobe(const struct hook_set *p)
{
	return chosen(p, H_ERSPAN);
}

static bool fq_kprobe(const struct hook_set *p)
{
	return chosen(p, H_FQ);
}

static bool tracepoint(const struct hook_set *p)
{
	return tracepoints_usable(p->env);
}

/* A drop reason that means "a qdisc dropped it", within the reasons cfg can mark. */
static bool qdisc_reason(unsigned value, const char *name)
{
	return (!strncmp(name, "QDISC_", 6) || !strncmp(name, "FQ_", 3) || !strncmp(name, "CAKE_", 5)) &&
	       value < 64 * QDT_REASON_WORDS;
}

static void count_qdisc_reason(unsigned value, const char *name, void *ctx)
{
	*(int *)ctx += qdisc_reason(value, name);
}

static bool qdisc_drop_reasons(const struct hook_set *p)
{
	int n = 0;

	if (tracepoint(p))
		drop_reason_foreach(count_qdisc_reason, &n);
	return n > 0;
}

/* A kprobe + kretprobe pair on func: the return probe only with the entry probe. */
// clang-format off
#define PAIR(entry, ret, func, prog, retprog, entry_chosen)                                      \
	[entry] = { func " entry", { { HOOK_KPROBE, prog, func } }, .optional = true },          \
	[ret] = { func " return", { { HOOK_KRETPROBE, retprog, func, entry_chosen } }, .optional = true }
// clang-format on

static const struct hook_def hook_defs[H_COUNT] = {
	[H_DQX] = { "__dev_queue_xmit entry",
		    { { HOOK_KPROBE, "kp_dev_queue_xmit", "__dev_queue_xmit" },
		      { HOOK_KPROBE, "kp_dev_queue_xmit", "dev_queue_xmit" } },
		    .optional = true },
	[H_DQX_RET] = { "__dev_queue_xmit return",
			{ { HOOK_KRETPROBE, "krp_dev_queue_xmit", "__dev_queue_xmit", dqx_kprobe },
			  { HOOK_KRETPROBE, "krp_dev_queue_xmit", "dev_queue_xmit", dqx_kprobe } },
			.optional = true },
	[H_DQX_TP] = { "__dev_queue_xmit entries without kprobes",
		       { { HOOK_TP, "tp_net_dev_queue", "net:net_dev_queue", dqx_fallback } },
		       .optional = true },
	PAIR(H_HSX, H_HSX_RET, "dev_hard_start_xmit", "kp_hard_start_xmit", "krp_hard_start_xmit",
	     hsx_kprobe),
	[H_HSX_TP] = { "dev_hard_start_xmit entries without kprobes",
		       { { HOOK_TP, "tp_net_dev_start_xmit", "net:net_dev_start_xmit", hsx_fallback } },
		       .optional = true },
	[H_HSX_TP_RET] = { "dev_hard_start_xmit driver status without kprobes",
			   { { HOOK_TP, "tp_net_dev_xmit", "net:net_dev_xmit", hsx_tracepoint } },
			   .optional = true },
	PAIR(H_ERSPAN, H_ERSPAN_RET, "erspan_xmit", "kp_erspan_xmit", "krp_erspan_xmit", erspan_kprobe),
	PAIR(H_FQ, H_FQ_RET, "fq_codel_enqueue", "kp_fq_codel_enqueue", "krp_fq_codel_enqueue", fq_kprobe),
	[H_QDISC_ENQ] = { "qdisc_enqueue",
			  { { HOOK_TP, "tp_qdisc_enqueue", "qdisc:qdisc_enqueue", tracepoint } },
			  .optional = true },
	[H_QDISC_DEQ] = { "qdisc_dequeue",
			  { { HOOK_TP, "tp_qdisc_dequeue", "qdisc:qdisc_dequeue", tracepoint } },
			  .optional = true },
	[H_QDISC_DROP] = { "qdisc_drop",
			   { { HOOK_TP, "tp_kfree_skb", "skb:kfree_skb", qdisc_drop_reasons } },
			   .optional = true },
};
const struct hook_table qdt_hook_table = { hook_defs, H_COUNT };

/* The report's view of a function: which programs serve it, and how. */
struct qdt_func {
	bool attached; /* every hook of the function is attached */
	bool returns; /* its return codes (or drop reasons) are counted */
	const char *why_not; /* when nothing was chosen */
	char desc[256]; /* for the banner's "Probe:" line */
	int hooks[2];
	int nhooks;
};

static struct hook_set hooks;
static struct qdt_func funcs[QDT_HOOKS];

static void use(struct qdt_func *f, int h)
{
	f->hooks[f->nhooks++] = h;
}

static bool plan_pair(struct qdt_func *f, int entry, const char *missing)
{
	if (!chosen(&hooks, entry)) {
		f->why_not = kernel_has_kprobes() ? missing : "this kernel cannot attach kprobes";
		return false;
	}
	use(f, entry);
	use(f, entry + 1);
	f->returns = true;
	snprintf(f->desc, sizeof(f->desc), "kprobe+kretprobe %s", hooks.c[entry].symbol);
	return true;
}

static bool plan_tracepoint(struct qdt_func *f, int h)
{
	if (!tracepoints_usable(hooks.env)) {
		f->why_not = "tracepoints disabled";
		return false;
	}
	if (!chosen(&hooks, h)) {
		f->why_not = "no such tracepoint";
		return false;
	}
	use(f, h);
	return true;
}

struct reason_marks {
	struct strbuf *names;
	int n;
};

static void mark_qdisc_reason(unsigned value, const char *name, void *ctx)
{
	struct reason_marks *m = ctx;

	if (!qdisc_reason(value, name))
		return;
	cfg.qdisc_reasons[value >> 6] |= 1ULL << (value & 63);
	sb_addf(m->names, "%s%s", m->n++ ? ", " : "", name);
}

/* Marks the drop reasons that mean "a qdisc dropped it" in cfg; lists them in names. */
static int qdisc_reasons(struct strbuf *names)
{
	struct reason_marks m = { names, 0 };

	drop_reason_foreach(mark_qdisc_reason, &m);
	return m.n;
}

/* What each function of the report gets from the plan of hooks (hook_prepare done). */
static void plan_funcs(struct strbuf *reasons)
{
	struct qdt_func *f;

	f = &funcs[QDT_DEV_QUEUE_XMIT];
	if (!plan_pair(f, H_DQX, "function not found") && plan_tracepoint(f, H_DQX_TP))
		snprintf(f->desc, sizeof(f->desc),
			 "tracepoint net:net_dev_queue (entries only: return codes need kprobes)");

	f = &funcs[QDT_HARD_START_XMIT];
	if (!plan_pair(f, H_HSX, "function not found") && plan_tracepoint(f, H_HSX_TP)) {
		f->returns = plan_tracepoint(f, H_HSX_TP_RET);
		snprintf(f->desc, sizeof(f->desc), "tracepoint%s (per packet: entries%s)",
			 f->returns ? "s net:net_dev_start_xmit + net:net_dev_xmit"
				    : " net:net_dev_start_xmit",
			 f->returns ? " and driver status" : "");
	}

	plan_pair(&funcs[QDT_ERSPAN_XMIT], H_ERSPAN, "module ip_gre not loaded");
	plan_pair(&funcs[QDT_FQ_CODEL_ENQUEUE], H_FQ, "module sch_fq_codel not loaded");

	f = &funcs[QDT_QDISC_ENQUEUE];
	if (plan_tracepoint(f, H_QDISC_ENQ))
		snprintf(f->desc, sizeof(f->desc),
			 "tracepoint qdisc:qdisc_enqueue (root qdisc accepted a packet)");
	f = &funcs[QDT_QDISC_DEQUEUE];
	if (plan_tracepoint(f, H_QDISC_DEQ))
		snprintf(f->desc, sizeof(f->desc),
			 "tracepoint qdisc:qdisc_dequeue (packets left the root qdisc)");

	f = &funcs[QDT_QDISC_DROP];
	if (tracepoints_usable(hooks.env) && nreasons && plan_tracepoint(f, H_QDISC_DROP)) {
		f->returns = true;
		snprintf(f->desc, sizeof(f->desc), "tracepoint skb:kfree_skb (reasons %s)", reasons->buf);
	} else if (funcs[QDT_DEV_QUEUE_XMIT].returns) {
		cfg.drops_from_return = 1;
		f->returns = true;
		snprintf(f->desc, sizeof(f->desc),
			 "kretprobe %s returning NET_XMIT_DROP or NET_XMIT_CN (no drop reasons on this "
			 "kernel)",
			 hooks.c[H_DQX].symbol);
	} else {
		f->why_not = "no drop reasons and no kprobes on this kernel";
	}
}

static void attach_func(struct qdt_func *f)
{
	for (int i = 0; i < f->nhooks; i++) {
		if (hook_attach_one(&hooks, f->hooks[i]))
			continue;
		f->why_not = strerror(errno);
		for (int k = 0; k < i; k++) {
			bpf_link__destroy(hooks.c[f->hooks[k]].link);
			hooks.c[f->hooks[k]].link = NULL;
		}
		return;
	}
	f->attached = f->nhooks > 0;
}

/* Attaches every chosen hook; returns the "Attached probes:" list and the warnings. */
static void attach_all(struct strbuf *attached, struct strbuf *warnings)
{
	for (int h = 0; h < QDT_HOOKS; h++) {
		struct qdt_func *f = &funcs[h];

		if (h == QDT_QDISC_DROP && cfg.drops_from_return)
			f->attached = funcs[QDT_DEV_QUEUE_XMIT].attached;
		else
			attach_func(f);
		if (!f->attached) {
			f->returns = false;
			sb_addf(warnings, "Warning: %s not available on this kernel, skipping (%s)\n",
				qdt_hook_name((enum qdt_hook)h), f->why_not ? f->why_not : "not attached");
			continue;
		}
		sb_addf(attached, "%s%s", attached->len ? ", " : "", qdt_hook_name((enum qdt_hook)h));
	}
	if (!attached->len)
		die("kernel %s has none of the probe points qdisc_drop_trace needs (kprobes on "
		    "__dev_queue_xmit / dev_hard_start_xmit, or the net:, qdisc: and skb:kfree_skb "
		    "tracepoints)",
		    kernel_release());
}

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
		r.returns[h] = funcs[h].returns;
		r.attached[h] = funcs[h].attached;
	}
	r.not_counted = bpfload_percpu_sum(skel->maps.code_counts_full, 0);
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		qdt_print_report_json(stdout, &r, hms, final, channel ? events_lost(channel) : 0);
	else
		qdt_print_report(stdout, &r);
	fflush(stdout);
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
	hook_detach(&hooks);
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
	fflush(stdout);
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
	bool events;

	args_parse(&parser, argc, argv);
	if (opt.interface)
		snprintf(cfg.ifname, sizeof(cfg.ifname), "%s", opt.interface);
	events = !opt.summary;
	cfg.entry_events = events && !opt.drops_only;
	cfg.queue_events = cfg.entry_events && opt.verbose;
	cfg.drop_events = events;
	tool_init("qdisc_drop_trace");
	if (tracepoints_usable(hook_env_kernel()))
		nreasons = qdisc_reasons(&reasons);
	hooks.quiet = true;
	hook_set_init(&hooks, qdt_hook_table.defs, qdt_hook_table.n, 0);
	if (opt.interface)
		iface_name_check(opt.interface);
	if (!g_common.json)
		print_banner();

	skel = BPFNET_OPEN(qdisc_drop_trace_bpf);
	hook_prepare(&hooks, skel->obj);
	plan_funcs(&reasons);
	sb_free(&reasons);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	if (events)
		channel = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	attach_all(&attached, &warnings);
	if (g_common.json) {
		if (warnings.len)
			fputs(warnings.buf, stderr);
	} else {
		if (warnings.len)
			fputs(warnings.buf, stdout);
		for (int h = 0; h < QDT_HOOKS; h++)
			if (funcs[h].attached)
				printf("Probe: %s: %s\n", qdt_hook_name((enum qdt_hook)h), funcs[h].desc);
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
	qdisc_drop_trace_bpf__destroy(skel);
	sb_free(&attached);
	sb_free(&warnings);
	return 0;
}
