// SPDX-License-Identifier: GPL-2.0-only
#include "drop_report.h"

#include <string.h>

#include "json.h"
#include "prom.h"
#include "util.h"

static void print_flow(FILE *f, const char *indent, const struct drop_entry *e)
{
	char flow[96];

	fprintf(f, "%sFlow: %s\n", indent, drop_tuple_format(&e->key.tuple, flow, sizeof(flow)));
}

void drop_print_cycle_body(FILE *f, size_t top, const struct drop_table *shown,
			   const struct drop_table *failed, uint64_t table_full, const char *found,
			   const char *none, unsigned show)
{
	size_t n = shown->n < top ? shown->n : top;

	fprintf(f, "%s\n", DROP_DASH60);
	drop_print_failures(f, failed);
	if (table_full)
		fprintf(f, "  Drops not counted (counter table full): %llu\n",
			(unsigned long long)table_full);
	if (!shown->n) {
		fprintf(f, "  %s\n", none);
	} else {
		fprintf(f, "  Found %zu %s, showing top %zu:\n", shown->n, found, n);
		for (size_t i = 0; i < n; i++) {
			const struct drop_entry *e = &shown->entries[i];

			fprintf(f, "\n  #%zu Count: %llu calls [device: %s]", i + 1,
				(unsigned long long)e->count, e->key.devname);
			if (show & DROP_SHOW_STACK)
				fprintf(f, " [stack_id: %d]", e->key.stack_id);
			fputc('\n', f);
			if (show & DROP_SHOW_FLOW)
				print_flow(f, "     ", e);
			if (show & DROP_SHOW_STACK)
				drop_print_stack_brief(f, e);
		}
	}
	fprintf(f, "%s\n", DROP_LINE60);
}

void drop_print_final(FILE *f, const char *datetime, size_t top, const struct drop_table *drops,
		      const struct drop_table *failed, const struct drop_final_text *t, bool flows)
{
	size_t n = drops->n < top ? drops->n : top;

	fprintf(f, "\n%s\n%s %s\n%s\n", DROP_LINE60, datetime, t->title, DROP_LINE60);
	fprintf(f, "%s: %llu\n", t->drops, (unsigned long long)drops->total);
	if (failed->total)
		fprintf(f, "%s: %llu (%.1f%%)\n\n", t->failed, (unsigned long long)failed->total,
			100.0 * (double)failed->total / (double)(drops->total + failed->total));
	if (!drops->total) {
		fprintf(f, "%s\n", t->none);
		return;
	}
	fprintf(f, "%s\n%s\n", t->top, DROP_DASH40);
	for (size_t i = 0; i < n; i++) {
		const struct drop_entry *e = &drops->entries[i];

		fprintf(f, "\nCount: %llu calls (%.1f%%) [device: %s] [stack_id: %d]\n",
			(unsigned long long)e->count, 100.0 * (double)e->count / (double)drops->total,
			e->key.devname, e->key.stack_id);
		if (flows)
			print_flow(f, "", e);
		fprintf(f, "Stack trace:\n");
		drop_print_stack_full(f, e, "  ");
		fprintf(f, "%s\n", DROP_DASH40);
	}
	fprintf(f, "\nTracing completed.\n");
}

void drop_json_begin(struct json *j, FILE *f, const char *datetime, int cycle)
{
	json_begin(j, f);
	json_obj(j, NULL);
	json_str(j, "time", datetime);
	if (cycle)
		json_int(j, "cycle", cycle);
	else
		json_bool(j, "final", true);
}

/* "ip_protocol_deliver_rcu" of "ip_protocol_deliver_rcu+0x1a9 [kernel]". */
static const char *caller_name(const struct drop_entry *e, char *buf, size_t len)
{
	size_t n;

	if (e->nframes < 2)
		return "unknown";
	n = strcspn(e->frames[1], "+ ");
	snprintf(buf, len, "%.*s", (int)n, e->frames[1]);
	return buf;
}

void drop_prom_write(struct prom *p, const struct drop_table *drops, const struct drop_table *failed,
		     uint64_t table_full)
{
	char id[16], caller[128];

	prom_family(p, "drops_total", PROM_COUNTER,
		    "Packets freed as dropped (kfree_skb), by device and stack.");
	for (size_t i = 0; i < drops->n; i++) {
		const struct drop_entry *e = &drops->entries[i];
		const struct prom_label labels[] = {
			{ "device", e->key.devname },
			{ "stack_id", id },
			{ "caller", caller_name(e, caller, sizeof(caller)) },
		};

		snprintf(id, sizeof(id), "%d", e->key.stack_id);
		prom_value(p, labels, ARRAY_SIZE(labels), (double)e->count);
	}
	prom_family(p, "failed_stack_traces_total", PROM_COUNTER,
		    "Drops whose kernel stack could not be read.");
	for (size_t i = 0; i < failed->n; i++)
		prom_value(p, &(struct prom_label){ "device", failed->entries[i].key.devname }, 1,
			   (double)failed->entries[i].count);
	prom_family(p, "not_counted_table_full_total", PROM_COUNTER,
		    "Drops not counted: the table was full.");
	prom_value(p, NULL, 0, (double)table_full);
}
