// SPDX-License-Identifier: GPL-2.0-only
/* virtnet_irq_monitor: the banner, the per-interval report (text and JSON) and the --irqs list. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "virtnet_irq_monitor.h"

#define IRQ_NONE_ISSUE_PCT 1.0

static const char dashes[] =
	"--------------------------------------------------------------------------------";

void virq_print_banner(FILE *f, const int *irqs, int nirqs, int interval, bool trace_cpu)
{
	fprintf(f, "Enhanced Virtio IRQ Monitor\nMonitoring IRQs: [");
	for (int i = 0; i < nirqs; i++)
		fprintf(f, "%s%d", i ? ", " : "", irqs[i]);
	fprintf(f, "]\nReporting interval: %d seconds\nCPU tracking: %s\n", interval,
		trace_cpu ? "ON" : "OFF");
	fprintf(f, "%s\n", dashes);
}

void virq_print_started(FILE *f)
{
	fprintf(f,
		"BPF program loaded successfully\n Tracepoints attached successfully\n%s\n"
		"Starting enhanced IRQ monitoring... Press Ctrl+C to stop\n",
		dashes);
}

static const char *ret_name(int ret, char *buf, size_t len)
{
	static const char *const names[] = { "IRQ_NONE", "IRQ_HANDLED", "IRQ_WAKE_THREAD" };

	if (ret >= 0 && ret < 3)
		return names[ret];
	snprintf(buf, len, "UNKNOWN(%d)", ret);
	return buf;
}

static uint64_t ret_count(const struct virq_irq_report *q, int ret)
{
	for (int i = 0; i < q->nrets; i++)
		if (q->rets[i].key == ret)
			return q->rets[i].count;
	return 0;
}

static uint64_t rets_total(const struct virq_irq_report *q)
{
	uint64_t total = 0;

	for (int i = 0; i < q->nrets; i++)
		total += q->rets[i].count;
	return total;
}

/* An IRQ whose handlers said IRQ_NONE more than 1 % of the time (spurious interrupts). */
static bool has_issue(const struct virq_irq_report *q)
{
	uint64_t total = rets_total(q);

	return total && ret_count(q, 0) * 100.0 / total > IRQ_NONE_ISSUE_PCT;
}

static void print_irq(FILE *f, const struct virq_irq_report *q)
{
	uint64_t total = rets_total(q);
	char buf[32];

	fprintf(f, "\nIRQ %d (%s):\n  Total Calls: %llu\n", q->irq, q->name, (unsigned long long)q->calls);
	if (q->calls && q->ncpus) {
		fprintf(f, "  CPU Distribution: ");
		for (int i = 0; i < q->ncpus; i++)
			fprintf(f, "%sCPU%d: %llu", i ? ", " : "", q->cpus[i].key,
				(unsigned long long)q->cpus[i].count);
		fputc('\n', f);
	}
	if (q->nrets) {
		fprintf(f, "  Return Value Distribution:\n    ");
		for (int i = 0; i < q->nrets; i++)
			fprintf(f, "%s%s: %llu (%.1f%%)", i ? ", " : "",
				ret_name(q->rets[i].key, buf, sizeof(buf)),
				(unsigned long long)q->rets[i].count, q->rets[i].count * 100.0 / total);
		fputc('\n', f);
	}
	if (q->timed && q->calls) {
		fprintf(f, "  Average Latency: %.1f\xce\xbcs\n", q->duration_ns / 1000.0 / q->calls);
		fprintf(f, "  Max Latency: %.1f\xce\xbcs\n", q->max_ns / 1000.0);
	}
}

void virq_print_report(FILE *f, const struct virq_report *r)
{
	static const char rule[] =
		"================================================================================";
	int issues = 0;

	fprintf(f, "\n%s\nIRQ Statistics Report - %s\n%s\n", rule, r->hms, rule);
	for (int i = 0; i < r->nirqs; i++) {
		print_irq(f, &r->irqs[i]);
		issues += has_issue(&r->irqs[i]);
	}
	if (issues)
		fprintf(f, "\nISSUES DETECTED: %d IRQ(s) with high IRQ_NONE ratio\n", issues);
	else
		fprintf(f, "\nNo issues detected (IRQ_NONE < 1.0%%, latency normal)\n");
	fprintf(f, "%s\n", rule);
	fflush(f);
}

void virq_print_json(FILE *f, const struct virq_report *r)
{
	char buf[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", r->hms);
	json_arr(&j, "irqs");
	for (int i = 0; i < r->nirqs; i++) {
		const struct virq_irq_report *q = &r->irqs[i];

		json_obj(&j, NULL);
		json_int(&j, "irq", q->irq);
		json_str(&j, "name", q->name);
		json_uint(&j, "calls", q->calls);
		json_obj(&j, "cpus");
		for (int c = 0; c < q->ncpus; c++) {
			snprintf(buf, sizeof(buf), "%d", q->cpus[c].key);
			json_uint(&j, buf, q->cpus[c].count);
		}
		json_end_obj(&j);
		json_obj(&j, "returns");
		for (int c = 0; c < q->nrets; c++)
			json_uint(&j, ret_name(q->rets[c].key, buf, sizeof(buf)), q->rets[c].count);
		json_end_obj(&j);
		if (q->timed && q->calls) {
			json_double(&j, "avg_latency_us", q->duration_ns / 1000.0 / q->calls);
			json_double(&j, "max_latency_us", q->max_ns / 1000.0);
		} else {
			json_null(&j, "avg_latency_us");
			json_null(&j, "max_latency_us");
		}
		json_bool(&j, "issue", has_issue(q));
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

int virq_parse_list(const char *text, int *irqs, int max, char *err, size_t errlen)
{
	const char *p = text;
	int n = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		char item[64], *s, *end;
		long v;

		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1), p);
		for (s = item; isspace((unsigned char)*s); s++)
			;
		end = s + strlen(s);
		while (end > s && isspace((unsigned char)end[-1]))
			*--end = '\0';
		errno = 0;
		v = strtol(s, &end, 10);
		if (!*s || *end || errno || v < -0x7fffffffL || v > 0x7fffffffL) {
			snprintf(err, errlen, "invalid literal for int() with base 10: '%s'", s);
			return -1;
		}
		if (n >= max) {
			snprintf(err, errlen, "more than %d IRQs", max);
			return -1;
		}
		irqs[n++] = (int)v;
		if (!p[len])
			return n;
		p += len + 1;
	}
}
