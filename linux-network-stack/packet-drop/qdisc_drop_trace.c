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
#include "interval.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "probe.h"
#include "runtime.h"
#include "strbuf.h"
#include "timefmt.h"
#include "qdisc_drop_trace.h"
#include "qdisc_drop_trace.skel.h"

#define SEPARATOR "--------------------------------------------------------------------------------"
#define LINE70 "======================================================================"

static struct {
	const char *interface;
	bool verbose, drops_only, summary;
	double interval, duration;
} opt = { .interval = 10 };

static const struct arg_opt options[] = {
	OPT_IFNAME("interface", 0, &opt.interface, "only entries and drops on this device (exact name, e.g. erspan_sys)"),
	OPT_FLAG("verbose", 0, &opt.verbose, "also print qdisc_enqueue and qdisc_dequeue events with the queue depth"),
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

/* Output */

static const char *const hook_names[QDT_HOOKS] = {
	"__dev_queue_xmit", "dev_hard_start_xmit", "erspan_xmit", "fq_codel_enqueue",
	"qdisc_enqueue",    "qdisc_dequeue",       "qdisc_drop",
};

const char *qdt_hook_name(enum qdt_hook h)
{
	return h < QDT_HOOKS ? hook_names[h] : "?";
}

const char *qdt_code_name(uint32_t code, char *buf, size_t len)
{
	static const char *const xmit[] = { "NET_XMIT_SUCCESS", "NET_XMIT_DROP", "NET_XMIT_CN",
					    "NET_XMIT_POLICED" };
	uint32_t base = code & 0xFFFF, flags = code & ~0xFFFFu;

	if (code >= (uint32_t)-4095) {
		const char *e = strerrorname_np((int)-(int32_t)code);

		if (e)
			snprintf(buf, len, "-%s", e);
		else
			snprintf(buf, len, "UNKNOWN");
		return buf;
	}
	if (flags & ~(uint32_t)(QDT_XMIT_STOLEN | QDT_XMIT_BYPASS) ||
	    (base > 3 && base != QDT_NETDEV_TX_BUSY)) {
		snprintf(buf, len, "UNKNOWN");
		return buf;
	}
	snprintf(buf, len, "%s%s%s", base == QDT_NETDEV_TX_BUSY ? "NETDEV_TX_BUSY" : xmit[base],
		 flags & QDT_XMIT_STOLEN ? "+__NET_XMIT_STOLEN" : "",
		 flags & QDT_XMIT_BYPASS ? "+__NET_XMIT_BYPASS" : "");
	return buf;
}

const char *qdt_handle_format(uint32_t handle, char *buf, size_t len)
{
	if (handle == 0xFFFFFFFFu)
		snprintf(buf, len, "root");
	else if (handle & 0xFFFF)
		snprintf(buf, len, "%x:%x", handle >> 16, handle & 0xFFFF);
	else
		snprintf(buf, len, "%x:", handle >> 16);
	return buf;
}

static int row_cmp(const void *a, const void *b)
{
	const struct qdt_row *x = a, *y = b;

	if (x->hook != y->hook)
		return x->hook < y->hook ? -1 : 1;
	return x->code < y->code ? -1 : x->code > y->code;
}

void qdt_rows_sort(struct qdt_row *rows, size_t n)
{
	if (n)
		qsort(rows, n, sizeof(*rows), row_cmp);
}

size_t qdt_snapshot_delta(const struct qdt_snapshot *prev, const struct qdt_snapshot *cur,
			  struct qdt_row *out, uint64_t *entries_out)
{
	size_t n = 0, p = 0;

	for (size_t i = 0; i < cur->n; i++) {
		uint64_t before = 0;

		while (p < prev->n && row_cmp(&prev->rows[p], &cur->rows[i]) < 0)
			p++;
		if (p < prev->n && !row_cmp(&prev->rows[p], &cur->rows[i]))
			before = prev->rows[p].count;
		if (cur->rows[i].count > before) {
			out[n] = cur->rows[i];
			out[n++].count = cur->rows[i].count - before;
		}
	}
	for (int h = 0; h < QDT_HOOKS; h++)
		entries_out[h] = cur->entries[h] > prev->entries[h] ? cur->entries[h] - prev->entries[h] : 0;
	return n;
}

static void print_section(FILE *f, const struct qdt_report *r, enum qdt_hook h, const char *title)
{
	fprintf(f, "%s %s:\n", qdt_hook_name(h), title);
	for (size_t i = 0; i < r->n; i++)
		if (r->rows[i].hook == (uint32_t)h)
			fprintf(f, "  %u: %llu (%s)\n", r->rows[i].code, (unsigned long long)r->rows[i].count,
				r->rows[i].name);
}

void qdt_print_report(FILE *f, const struct qdt_report *r)
{
	fprintf(f, "\n%s\nSTATISTICS SUMMARY (per interval)\n%s\n", LINE70, LINE70);
	for (int h = QDT_DEV_QUEUE_XMIT; h <= QDT_FQ_CODEL_ENQUEUE; h++)
		if (r->returns[h])
			print_section(f, r, (enum qdt_hook)h, "return codes");
	if (r->returns[QDT_QDISC_DROP])
		print_section(f, r, QDT_QDISC_DROP, "reasons");
	if (r->not_counted)
		fprintf(f, "Counters not recorded (table full): %llu\n", (unsigned long long)r->not_counted);
	fprintf(f, "\nEntry count statistics (filtered entries):\n");
	for (int h = QDT_DEV_QUEUE_XMIT; h < QDT_QDISC_DROP; h++)
		if (r->entries[h])
			fprintf(f, "  %s %s: %llu\n", qdt_hook_name((enum qdt_hook)h),
				h == QDT_QDISC_DEQUEUE ? "packets" : "entries", (unsigned long long)r->entries[h]);
	fprintf(f, "%s\n", LINE70);
}

void qdt_print_report_json(FILE *f, const struct qdt_report *r, const char *hms, bool final,
			   uint64_t lost_events)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "report", final ? "final" : "interval");
	json_arr(&j, "return_codes");
	for (size_t i = 0; i < r->n; i++) {
		if (r->rows[i].hook == QDT_QDISC_DROP)
			continue;
		json_obj(&j, NULL);
		json_str(&j, "function", qdt_hook_name((enum qdt_hook)r->rows[i].hook));
		json_uint(&j, "code", r->rows[i].code);
		json_str(&j, "name", r->rows[i].name);
		json_uint(&j, "count", r->rows[i].count);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_arr(&j, "qdisc_drops");
	for (size_t i = 0; i < r->n; i++) {
		if (r->rows[i].hook != QDT_QDISC_DROP)
			continue;
		json_obj(&j, NULL);
		json_uint(&j, "code", r->rows[i].code);
		json_str(&j, "reason", r->rows[i].name);
		json_uint(&j, "count", r->rows[i].count);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_obj(&j, "entries");
	for (int h = QDT_DEV_QUEUE_XMIT; h < QDT_QDISC_DROP; h++)
		if (r->attached[h])
			json_uint(&j, qdt_hook_name((enum qdt_hook)h), r->entries[h]);
	json_end_obj(&j);
	json_uint(&j, "not_counted_table_full", r->not_counted);
	if (final)
		json_uint(&j, "lost_events", lost_events);
	json_end_obj(&j);
	json_finish(&j);
}

static void print_qdisc_line(FILE *f, const struct qdt_event *ev)
{
	const struct qdt_qdisc *q = &ev->qdisc;
	char h[32];

	if (ev->hook == QDT_FQ_CODEL_ENQUEUE)
		fprintf(f, "  QDISC FLAGS: 0x%08x", q->flags);
	else
		fprintf(f, "  QDISC: %s %s FLAGS: 0x%08x", q->kind[0] ? q->kind : "?",
			qdt_handle_format(q->handle, h, sizeof(h)), q->flags);
	fprintf(f, " QLEN: %u BACKLOG: %u DROPS: %u REQUEUES: %u OVERLIMITS: %u\n", q->qlen, q->backlog,
		q->drops, q->requeues, q->overlimits);
}

void qdt_print_event(FILE *f, const struct qdt_event *ev, const char *hms, const char *reason)
{
	char a[32], b[32];

	fprintf(f, "[%s] %s %s - DEV: %s PID: %u COMM: %s LEN: %u", hms, qdt_hook_name((enum qdt_hook)ev->hook),
		ev->type == QDT_EV_DROP ? "DROP" : "ENTRY", ev->ifname, ev->pid, ev->comm, ev->len);
	if (ev->type == QDT_EV_DROP)
		fprintf(f, " REASON: %s", reason);
	else if (ev->hook == QDT_HARD_START_XMIT)
		fprintf(f, " TXQ: %u", ev->txq);
	else if (ev->hook == QDT_QDISC_DEQUEUE)
		fprintf(f, " PACKETS: %u", ev->packets);
	fputc('\n', f);
	if (ev->has_ip && ev->saddr && ev->daddr)
		fprintf(f, "  IP: %s -> %s PROTO: 0x%04x\n", ipv4_format(ev->saddr, a, sizeof(a)),
			ipv4_format(ev->daddr, b, sizeof(b)), ev->proto);
	if (ev->has_qdisc)
		print_qdisc_line(f, ev);
}

void qdt_print_event_json(FILE *f, const struct qdt_event *ev, const char *hms, const char *reason)
{
	struct json j;
	char a[32], b[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "event", ev->type == QDT_EV_DROP ? "drop" : "entry");
	json_str(&j, "function", qdt_hook_name((enum qdt_hook)ev->hook));
	json_str(&j, "interface", ev->ifname);
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "len", ev->len);
	if (ev->type == QDT_EV_DROP) {
		json_uint(&j, "code", ev->code);
		json_str(&j, "reason", reason);
	}
	if (ev->hook == QDT_HARD_START_XMIT)
		json_uint(&j, "txq", ev->txq);
	if (ev->hook == QDT_QDISC_DEQUEUE)
		json_uint(&j, "packets", ev->packets);
	if (ev->proto)
		json_uint(&j, "ethertype", ev->proto);
	if (ev->has_ip) {
		json_str(&j, "src_ip", ipv4_format(ev->saddr, a, sizeof(a)));
		json_str(&j, "dst_ip", ipv4_format(ev->daddr, b, sizeof(b)));
	}
	if (ev->has_qdisc) {
		json_obj(&j, "qdisc");
		json_str(&j, "kind", ev->qdisc.kind);
		json_str(&j, "handle", qdt_handle_format(ev->qdisc.handle, a, sizeof(a)));
		json_str(&j, "parent", qdt_handle_format(ev->qdisc.parent, b, sizeof(b)));
		json_uint(&j, "flags", ev->qdisc.flags);
		json_uint(&j, "qlen", ev->qdisc.qlen);
		json_uint(&j, "backlog", ev->qdisc.backlog);
		json_uint(&j, "drops", ev->qdisc.drops);
		json_uint(&j, "requeues", ev->qdisc.requeues);
		json_uint(&j, "overlimits", ev->qdisc.overlimits);
		json_end_obj(&j);
	}
	json_end_obj(&j);
	json_finish(&j);
}

/* Choosing the probe points */

struct hook_plan {
	bool attached;		/* every point of the hook is attached */
	bool returns;		/* its return codes (or drop reasons) are counted */
	const char *why_not;	/* when nothing was chosen */
	char desc[256];		/* for the banner's "Probe:" line */
	struct probe_point points[2];
	int npoints;
	struct bpf_link *links[2];
};

static struct hook_plan plan[QDT_HOOKS];
static bool kprobes_usable, tracepoints_usable;
static struct qdt_config cfg;

/* BPFNET_FORCE_KPROBE=1 leaves tracepoints out, as on kernels that lack them (tests). */
static void choose_probe_kinds(void)
{
	kprobes_usable = kernel_has_kprobes();
	tracepoints_usable = !probe_force_kprobe();
}

/* The first of funcs this kernel has, as a kprobe + kretprobe pair on prog entry / ret. */
static bool plan_kprobe_pair(struct hook_plan *p, struct bpf_program *entry, struct bpf_program *ret,
			     const char *const *funcs, const char *missing)
{
	if (!kprobes_usable) {
		p->why_not = "this kernel cannot attach kprobes";
		return false;
	}
	for (; *funcs; funcs++) {
		const char *sym = ksyms_attach_name(ksyms_kernel(), *funcs);

		if (!sym)
			continue;
		p->points[0] = (struct probe_point){ entry, PROBE_KPROBE, *funcs };
		p->points[1] = (struct probe_point){ ret, PROBE_KRETPROBE, *funcs };
		p->npoints = 2;
		p->returns = true;
		snprintf(p->desc, sizeof(p->desc), "kprobe+kretprobe %s", sym);
		return true;
	}
	p->why_not = missing;
	return false;
}

static bool plan_tracepoint(struct hook_plan *p, struct bpf_program *prog, const char *category,
			    const char *name, const char *target)
{
	if (!tracepoints_usable) {
		p->why_not = "tracepoints disabled";
		return false;
	}
	if (!tracepoint_exists(category, name)) {
		p->why_not = "no such tracepoint";
		return false;
	}
	p->points[p->npoints++] = (struct probe_point){ prog, PROBE_TRACEPOINT, target };
	return true;
}

static bool reason_is_qdisc_drop(const char *name)
{
	return !strncmp(name, "QDISC_", 6) || !strncmp(name, "FQ_", 3) || !strncmp(name, "CAKE_", 5);
}

struct reason_marks {
	struct strbuf *names;
	int n;
};

static void mark_qdisc_reason(unsigned value, const char *name, void *ctx)
{
	struct reason_marks *m = ctx;

	if (!reason_is_qdisc_drop(name) || value >= 64 * QDT_REASON_WORDS)
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

static void plan_hooks(struct qdisc_drop_trace_bpf *skel)
{
	static const char *const dev_queue_xmit[] = { "__dev_queue_xmit", "dev_queue_xmit", NULL };
	static const char *const hard_start_xmit[] = { "dev_hard_start_xmit", NULL };
	static const char *const erspan_xmit[] = { "erspan_xmit", NULL };
	static const char *const fq_codel_enqueue[] = { "fq_codel_enqueue", NULL };
	struct hook_plan *p;
	struct strbuf reasons = { 0 };

	p = &plan[QDT_DEV_QUEUE_XMIT];
	if (!plan_kprobe_pair(p, skel->progs.kp_dev_queue_xmit, skel->progs.krp_dev_queue_xmit,
			      dev_queue_xmit, "function not found") &&
	    plan_tracepoint(p, skel->progs.tp_net_dev_queue, "net", "net_dev_queue", "net:net_dev_queue"))
		snprintf(p->desc, sizeof(p->desc),
			 "tracepoint net:net_dev_queue (entries only: return codes need kprobes)");

	p = &plan[QDT_HARD_START_XMIT];
	if (!plan_kprobe_pair(p, skel->progs.kp_hard_start_xmit, skel->progs.krp_hard_start_xmit,
			      hard_start_xmit, "function not found") &&
	    plan_tracepoint(p, skel->progs.tp_net_dev_start_xmit, "net", "net_dev_start_xmit",
			    "net:net_dev_start_xmit")) {
		p->returns = plan_tracepoint(p, skel->progs.tp_net_dev_xmit, "net", "net_dev_xmit",
					     "net:net_dev_xmit");
		snprintf(p->desc, sizeof(p->desc), "tracepoint%s (per packet: entries%s)",
			 p->returns ? "s net:net_dev_start_xmit + net:net_dev_xmit" : " net:net_dev_start_xmit",
			 p->returns ? " and driver status" : "");
	}

	plan_kprobe_pair(&plan[QDT_ERSPAN_XMIT], skel->progs.kp_erspan_xmit, skel->progs.krp_erspan_xmit,
			 erspan_xmit, "module ip_gre not loaded");
	plan_kprobe_pair(&plan[QDT_FQ_CODEL_ENQUEUE], skel->progs.kp_fq_codel_enqueue,
			 skel->progs.krp_fq_codel_enqueue, fq_codel_enqueue, "module sch_fq_codel not loaded");

	p = &plan[QDT_QDISC_ENQUEUE];
	if (plan_tracepoint(p, skel->progs.tp_qdisc_enqueue, "qdisc", "qdisc_enqueue", "qdisc:qdisc_enqueue"))
		snprintf(p->desc, sizeof(p->desc), "tracepoint qdisc:qdisc_enqueue (root qdisc accepted a packet)");
	p = &plan[QDT_QDISC_DEQUEUE];
	if (plan_tracepoint(p, skel->progs.tp_qdisc_dequeue, "qdisc", "qdisc_dequeue", "qdisc:qdisc_dequeue"))
		snprintf(p->desc, sizeof(p->desc), "tracepoint qdisc:qdisc_dequeue (packets left the root qdisc)");

	p = &plan[QDT_QDISC_DROP];
	if (tracepoints_usable && qdisc_reasons(&reasons) &&
	    plan_tracepoint(p, skel->progs.tp_kfree_skb, "skb", "kfree_skb", "skb:kfree_skb")) {
		p->returns = true;
		snprintf(p->desc, sizeof(p->desc), "tracepoint skb:kfree_skb (reasons %s)", reasons.buf);
	} else if (plan[QDT_DEV_QUEUE_XMIT].returns) {
		cfg.drops_from_return = 1;
		p->returns = true;
		snprintf(p->desc, sizeof(p->desc),
			 "kretprobe %s returning NET_XMIT_DROP or NET_XMIT_CN (no drop reasons on this kernel)",
			 ksyms_attach_name(ksyms_kernel(), plan[QDT_DEV_QUEUE_XMIT].points[0].target));
	} else {
		p->why_not = "no drop reasons and no kprobes on this kernel";
	}
	sb_free(&reasons);
}

/* Loads only the programs of the chosen points. */
static void disable_unplanned(struct qdisc_drop_trace_bpf *skel)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		bool used = false;

		for (int h = 0; h < QDT_HOOKS; h++)
			for (int i = 0; i < plan[h].npoints; i++)
				used |= plan[h].points[i].prog == prog;
		bpf_program__set_autoload(prog, used);
	}
}

static void attach_hook(struct hook_plan *p)
{
	for (int i = 0; i < p->npoints; i++) {
		p->links[i] = probe_try_attach(&p->points[i]);
		if (!p->links[i]) {
			p->why_not = strerror(errno);
			for (int k = 0; k < i; k++)
				bpf_link__destroy(p->links[k]);
			memset(p->links, 0, sizeof(p->links));
			return;
		}
	}
	p->attached = p->npoints > 0;
}

/* Attaches every chosen hook; returns the "Attached probes:" list and the warnings. */
static void attach_all(struct strbuf *attached, struct strbuf *warnings)
{
	for (int h = 0; h < QDT_HOOKS; h++) {
		struct hook_plan *p = &plan[h];

		if (h == QDT_QDISC_DROP && cfg.drops_from_return)
			p->attached = plan[QDT_DEV_QUEUE_XMIT].attached;
		else
			attach_hook(p);
		if (!p->attached) {
			p->returns = false;
			sb_addf(warnings, "Warning: %s not available on this kernel, skipping (%s)\n",
				qdt_hook_name((enum qdt_hook)h), p->why_not ? p->why_not : "not attached");
			continue;
		}
		sb_addf(attached, "%s%s", attached->len ? ", " : "", qdt_hook_name((enum qdt_hook)h));
	}
	if (!attached->len)
		die("kernel %s has none of the probe points qdisc_drop_trace needs (kprobes on "
		    "__dev_queue_xmit / dev_hard_start_xmit, or the net:, qdisc: and skb:kfree_skb tracepoints)",
		    kernel_release());
}

static void detach_all(void)
{
	for (int h = 0; h < QDT_HOOKS; h++)
		for (int i = 0; i < plan[h].npoints; i++)
			bpf_link__destroy(plan[h].links[i]);
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
		r.returns[h] = plan[h].returns;
		r.attached[h] = plan[h].attached;
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
	detach_all();
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
	struct strbuf attached = { 0 }, warnings = { 0 };
	bool events;

	args_parse(&parser, argc, argv);
	if (opt.interface)
		snprintf(cfg.ifname, sizeof(cfg.ifname), "%s", opt.interface);
	events = !opt.summary;
	cfg.entry_events = events && !opt.drops_only;
	cfg.queue_events = cfg.entry_events && opt.verbose;
	cfg.drop_events = events;
	tool_init("qdisc_drop_trace");
	if (opt.interface)
		iface_name_check(opt.interface);
	if (!g_common.json)
		print_banner();

	skel = BPFNET_OPEN(qdisc_drop_trace_bpf);
	choose_probe_kinds();
	plan_hooks(skel);
	disable_unplanned(skel);
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
			if (plan[h].attached)
				printf("Probe: %s: %s\n", qdt_hook_name((enum qdt_hook)h), plan[h].desc);
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
