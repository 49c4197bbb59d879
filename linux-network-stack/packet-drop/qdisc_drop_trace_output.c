// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_drop_trace's output: names of hooks, return codes and qdisc handles, the rows of a
 * report and their per-interval delta, and the report and each event as text or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "json.h"
#include "qdisc_drop_trace.h"

#define LINE70 "======================================================================"

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
				h == QDT_QDISC_DEQUEUE ? "packets" : "entries",
				(unsigned long long)r->entries[h]);
	fprintf(f, "%s\n", LINE70);
}

/* The rows of the qdiscs' drop reasons (qdisc_drops), or of the functions' return codes. */
static void json_code_rows(struct json *j, const char *key, const struct qdt_report *r, bool qdisc_drops)
{
	json_arr(j, key);
	for (size_t i = 0; i < r->n; i++) {
		if ((r->rows[i].hook == QDT_QDISC_DROP) != qdisc_drops)
			continue;
		json_obj(j, NULL);
		if (!qdisc_drops)
			json_str(j, "function", qdt_hook_name((enum qdt_hook)r->rows[i].hook));
		json_uint(j, "code", r->rows[i].code);
		json_str(j, qdisc_drops ? "reason" : "name", r->rows[i].name);
		json_uint(j, "count", r->rows[i].count);
		json_end_obj(j);
	}
	json_end_arr(j);
}

void qdt_print_report_json(FILE *f, const struct qdt_report *r, const char *hms, bool final,
			   uint64_t lost_events)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "report", final ? "final" : "interval");
	json_code_rows(&j, "return_codes", r, false);
	json_code_rows(&j, "qdisc_drops", r, true);
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

	fprintf(f, "[%s] %s %s - DEV: %s PID: %u COMM: %s LEN: %u", hms,
		qdt_hook_name((enum qdt_hook)ev->hook), ev->type == QDT_EV_DROP ? "DROP" : "ENTRY",
		ev->ifname, ev->pid, ev->comm, ev->len);
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
