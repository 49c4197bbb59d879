// SPDX-License-Identifier: GPL-2.0-only
/* ovs_upcall_latency_summary's interval report: the original's layout, and JSON. */
#include <string.h>

#include "filter.h"
#include "hist.h"
#include "json.h"
#include "prom.h"
#include "ovs_upcall_latency_summary.h"
#include "util.h"

#define RULE_WIDE "================================================================================"
#define RULE_NARROW "------------------------------------------------------------"

uint64_t upcall_percentile(const uint64_t *sorted, size_t n, double p)
{
	double want = p / 100.0 * (double)n;
	size_t rank = (size_t)want;

	if (!n)
		return 0;
	if ((double)rank < want) /* the smallest rank whose share reaches p */
		rank++;
	if (rank < 1)
		rank = 1;
	return sorted[(rank > n ? n : rank) - 1];
}

const char *upcall_slot_label(unsigned s, char *buf, size_t len)
{
	uint64_t low, high;

	if (s == 0) {
		snprintf(buf, len, "0-1us");
		return buf;
	}
	low = 1ULL << (s - 1);
	high = (s >= 64 ? UINT64_MAX : (1ULL << s) - 1);
	if (high >= 1000000)
		snprintf(buf, len, "%.1f-%.1fs", low / 1e6, high / 1e6);
	else if (high >= 1000)
		snprintf(buf, len, "%.1f-%.1fms", low / 1e3, high / 1e3);
	else
		snprintf(buf, len, "%llu-%lluus", (unsigned long long)low, (unsigned long long)high);
	return buf;
}

static void print_histogram(FILE *f, const uint64_t *slots, uint64_t samples)
{
	uint64_t max = 0;
	char label[32], bar[48];

	for (unsigned s = 0; s < UPCALL_HIST_SLOTS; s++)
		if (slots[s] > max)
			max = slots[s];
	fprintf(f, "\nUpcall Latency Distribution:\n" RULE_NARROW "\n");
	fprintf(f, "  Total samples: %llu\n  Latency histogram:\n", (unsigned long long)samples);
	for (unsigned s = 0; s < UPCALL_HIST_SLOTS; s++) {
		int stars;

		if (!slots[s])
			continue;
		stars = (int)(40 * slots[s] / max);
		memset(bar, '*', stars);
		bar[stars] = '\0';
		fprintf(f, "    %-15s: %6llu |%-40s|\n", upcall_slot_label(s, label, sizeof(label)),
			(unsigned long long)slots[s], bar);
	}
}

static double us(uint64_t ns)
{
	return ns / 1000.0;
}

static void print_statistics(FILE *f, const struct upcall_report *r, uint64_t samples)
{
	const uint64_t *v = r->latencies_ns;
	size_t n = r->nrecorded;

	fprintf(f, "\nStatistics:\n");
	if (r->not_recorded)
		fprintf(f, "  (%zu of %llu latencies recorded: min, max and percentiles are of those)\n", n,
			(unsigned long long)(n + r->not_recorded));
	if (n)
		fprintf(f, "  - Min latency: %.1f us\n", us(v[0]));
	fprintf(f, "  - Average latency: %.1f us\n", us(r->latency_sum_ns) / (double)samples);
	if (!n)
		return;
	fprintf(f, "  - Median (P50): %.1f us\n", us(upcall_percentile(v, n, 50)));
	fprintf(f, "  - P95 latency: %.1f us\n", us(upcall_percentile(v, n, 95)));
	fprintf(f, "  - P99 latency: %.1f us\n", us(upcall_percentile(v, n, 99)));
	fprintf(f, "  - Max latency: %.1f us\n", us(v[n - 1]));
}

static void print_types(FILE *f, const struct upcall_report *r)
{
	uint64_t all = r->miss + r->action + r->other_cmd;
	const struct {
		const char *name;
		uint64_t n;
	} types[] = { { "MISS", r->miss }, { "ACTION", r->action }, { "OTHER", r->other_cmd } };

	if (!all)
		return;
	fprintf(f, "\nUpcall types:\n");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].n)
			fprintf(f, "  - %s: %llu (%.1f%%)\n", types[i].name, (unsigned long long)types[i].n,
				100.0 * types[i].n / all);
}

void upcall_print_banner(FILE *f, const struct upcall_banner *b)
{
	char addr[16];

	fprintf(f, "=== OVS Upcall Latency Histogram Tool ===\nProtocol filter: ");
	for (const char *c = b->protocol; *c; c++)
		fputc(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c, f);
	fputc('\n', f);
	if (b->src_ip)
		fprintf(f, "Source IP filter: %s\n", ipv4_format(b->src_ip, addr, sizeof(addr)));
	if (b->dst_ip)
		fprintf(f, "Destination IP filter: %s\n", ipv4_format(b->dst_ip, addr, sizeof(addr)));
	if (b->src_port)
		fprintf(f, "Source port filter: %u\n", b->src_port);
	if (b->dst_port)
		fprintf(f, "Destination port filter: %u\n", b->dst_port);
	fprintf(f, "Statistics interval: %.0f seconds\nBPF program loaded successfully\n", b->interval_s);
	for (int i = 0; i < b->nprobes; i++)
		fprintf(f, "Probe: %s\n", b->probes[i]);
	fprintf(f, "\nCollecting OVS upcall latency data... Hit Ctrl-C to end.\n");
	fprintf(f, "Statistics will be displayed every %.0f seconds\n\n", b->interval_s);
}

void upcall_print_report(FILE *f, const struct upcall_report *r)
{
	uint64_t samples = hist_total(r->slots, UPCALL_HIST_SLOTS);

	fprintf(f, "\n" RULE_WIDE "\n[%s] OVS Upcall Latency Report (Interval: %.1fs)\n" RULE_WIDE "\n",
		r->time, r->interval_s);
	fprintf(f, "Upcall Statistics:\n  Total upcalls: %llu\n  Completed upcalls: %llu\n",
		(unsigned long long)r->total, (unsigned long long)r->completed);
	if (r->total) {
		fprintf(f, "  Completion rate: %.1f%%\n", 100.0 * r->completed / r->total);
		fprintf(f, "  Lost/timeout upcalls: %llu\n", (unsigned long long)(r->total - r->completed));
	}
	if (samples) {
		print_histogram(f, r->slots, samples);
		print_statistics(f, r, samples);
	} else {
		fprintf(f, "\nNo upcall latency data collected in this interval\n");
	}
	print_types(f, r);
	if (r->sessions >= 0)
		fprintf(f, "\nActive upcall sessions: %lld\n", r->sessions);
	else
		fprintf(f, "\nActive upcall sessions: N/A\n");
}

void upcall_print_json(FILE *f, const struct upcall_report *r, int final)
{
	uint64_t samples = hist_total(r->slots, UPCALL_HIST_SLOTS);
	const uint64_t *v = r->latencies_ns;
	size_t n = r->nrecorded;
	struct json j;
	char label[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	if (final)
		json_bool(&j, "final", true);
	json_str(&j, "time", r->time);
	json_double(&j, "interval_s", r->interval_s);
	json_uint(&j, "total_upcalls", r->total);
	json_uint(&j, "completed_upcalls", r->completed);
	json_uint(&j, "samples", samples);
	json_arr(&j, "histogram");
	for (unsigned s = 0; s < UPCALL_HIST_SLOTS; s++) {
		if (!r->slots[s])
			continue;
		json_obj(&j, NULL);
		json_str(&j, "range", upcall_slot_label(s, label, sizeof(label)));
		json_uint(&j, "low_us", s ? 1ULL << (s - 1) : 0);
		json_uint(&j, "high_us", s ? (1ULL << s) - 1 : 0);
		json_uint(&j, "count", r->slots[s]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	if (samples)
		json_double(&j, "avg_us", us(r->latency_sum_ns) / (double)samples);
	if (n) {
		json_double(&j, "min_us", us(v[0]));
		json_double(&j, "p50_us", us(upcall_percentile(v, n, 50)));
		json_double(&j, "p95_us", us(upcall_percentile(v, n, 95)));
		json_double(&j, "p99_us", us(upcall_percentile(v, n, 99)));
		json_double(&j, "max_us", us(v[n - 1]));
	}
	json_uint(&j, "recorded", n);
	json_uint(&j, "not_recorded", r->not_recorded);
	json_obj(&j, "upcall_types");
	json_uint(&j, "MISS", r->miss);
	json_uint(&j, "ACTION", r->action);
	json_uint(&j, "OTHER", r->other_cmd);
	json_end_obj(&j);
	if (r->sessions >= 0)
		json_int(&j, "active_sessions", r->sessions);
	else
		json_null(&j, "active_sessions");
	json_end_obj(&j);
	json_finish(&j);
}

void upcall_prom_write(struct prom *p, const struct upcall_report *cum)
{
	const char *const commands[] = { "miss", "action", "other" };
	const uint64_t by_command[] = { cum->miss, cum->action, cum->other_cmd };

	prom_family(p, "upcalls_total", PROM_COUNTER, "Upcalls (ovs_dp_upcall) of packets the filters kept.");
	prom_value(p, NULL, 0, (double)cum->total);
	prom_family(p, "completed_upcalls_total", PROM_COUNTER,
		    "Upcalls whose packet ovs-vswitchd sent back for execution.");
	prom_value(p, NULL, 0, (double)cum->completed);
	prom_family(p, "upcalls_by_command_total", PROM_COUNTER,
		    "Upcalls by command: miss (no datapath flow), action (a userspace() action), other.");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		prom_value(p, &(struct prom_label){ "command", commands[i] }, 1, (double)by_command[i]);
	prom_family(p, "seconds", PROM_HISTOGRAM,
		    "Time from the upcall to ovs-vswitchd's execute of the same packet (completed upcalls).");
	prom_histogram(p, NULL, 0, cum->slots, UPCALL_HIST_SLOTS, prom_bcc_slot_high, 1e-6,
		       (double)cum->latency_sum_ns * 1e-9);
	if (cum->sessions >= 0) {
		prom_family(p, "upcalls_in_flight", PROM_GAUGE, "Upcalls not yet sent back by ovs-vswitchd.");
		prom_value(p, NULL, 0, (double)cum->sessions);
	}
}
