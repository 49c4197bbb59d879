// SPDX-License-Identifier: GPL-2.0-only
/* tun_ring_monitor: the original's output layout, and the same facts as JSON. */
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "json.h"
#include "tun_ring_fill.h"
#include "tun_ring_monitor.h"

#define RULE "================================================================================\n"

void trm_print_verbose(FILE *f, const struct trm_config *cfg)
{
	fprintf(f, "Loading BPF program with BPF Maps filters...\n");
	fprintf(f, "  FILTER_ENABLED: %u\n", cfg->filter_enabled);
	fprintf(f, "  FILTER_SADDR: 0x%x\n", cfg->saddr);
	fprintf(f, "  FILTER_DADDR: 0x%x\n", cfg->daddr);
	fprintf(f, "  FILTER_SPORT: %u\n", cfg->sport);
	fprintf(f, "  FILTER_DPORT: %u\n", cfg->dport);
	fprintf(f, "  FILTER_PROTOCOL: %u\n", cfg->protocol);
}

void trm_print_banner(FILE *f, const struct trm_settings *s)
{
	char ip[16];
	const char *sep = "";

	if (s->device)
		fprintf(f, "Device filter: %s (using verified logic)\n", s->device);
	else
		fprintf(f, "Device filter: All TUN devices\n");
	fprintf(f, "TUN Ring Monitor Started with BPF Maps Filters...\n");
	fprintf(f, "Mode: %s\n",
		s->all ? "Monitoring ALL TUN transmit events" : "Monitoring ptr_ring FULL conditions only");
	if (s->saddr || s->daddr || s->sport || s->dport || s->protocol) {
		fprintf(f, "5-tuple filters: ");
		if (s->saddr) {
			fprintf(f, "%ssrc-ip=%s", sep, ipv4_format(s->saddr, ip, sizeof(ip)));
			sep = ", ";
		}
		if (s->daddr) {
			fprintf(f, "%sdst-ip=%s", sep, ipv4_format(s->daddr, ip, sizeof(ip)));
			sep = ", ";
		}
		if (s->sport) {
			fprintf(f, "%ssrc-port=%u", sep, s->sport);
			sep = ", ";
		}
		if (s->dport) {
			fprintf(f, "%sdst-port=%u", sep, s->dport);
			sep = ", ";
		}
		if (s->protocol)
			fprintf(f, "%sprotocol=%s", sep, s->protocol == 6 ? "TCP" : "UDP");
		fputc('\n', f);
	}
	fprintf(f, " New feature: Analyzing tun_struct memory layout\n"
		   "   - tfiles array size calculation\n"
		   "   - numqueues field offset calculation\n"
		   "   - Memory layout validation\n"
		   "\nWaiting for TUN device events... Press Ctrl+C to stop\n");
}

/* "TCP", "UDP" or the protocol's number. */
static const char *proto_text(__u8 proto, char *buf, size_t len)
{
	if (proto == 6)
		return "TCP";
	if (proto == 17)
		return "UDP";
	snprintf(buf, len, "%u", proto);
	return buf;
}

static const char *ip_or_na(__u32 addr, char *buf, size_t len)
{
	return addr ? ipv4_format(addr, buf, len) : "N/A";
}

static void print_tuple(FILE *f, const struct trm_event *ev)
{
	char ip[16], proto[8];

	fprintf(f, "5-Tuple Info:\n");
	if (!ev->saddr && !ev->daddr && !ev->sport && !ev->dport) {
		fprintf(f, "  Packet headers not parsed (may be non-IP or parsing failed)\n"
			   "  Source: N/A:N/A\n"
			   "  Destination: N/A:N/A\n"
			   "  Protocol: N/A\n\n");
		return;
	}
	fprintf(f, "  Source: %s:%u\n", ip_or_na(ev->saddr, ip, sizeof(ip)), ev->sport);
	fprintf(f, "  Destination: %s:%u\n", ip_or_na(ev->daddr, ip, sizeof(ip)), ev->dport);
	fprintf(f, "  Protocol: %s\n\n", proto_text(ev->protocol, proto, sizeof(proto)));
}

static void print_ring(FILE *f, const struct tun_ring_state *r)
{
	fprintf(f, "PTR Ring Details:\n");
	if (r->size <= 0) {
		fprintf(f, "  Status: Not found (using default search offsets)\n");
		return;
	}
	fprintf(f, "  Size: %d\n  Producer: %d\n  Consumer Head: %d\n  Consumer Tail: %d\n", r->size,
		r->producer, r->consumer_head, r->consumer_tail);
	fprintf(f, "  Queue[Producer] Ptr: 0x%llx\n", (unsigned long long)r->slot);
	if (r->full)
		fprintf(f, "  Status: FULL (queue[producer] != NULL)\n");
	else
		fprintf(f, "  Status: Available (queue[producer] == NULL), %d%% used\n",
			tun_ring_used_pct(r));
}

void trm_print_event(FILE *f, const struct trm_event *ev, const char *hms_ms)
{
	const struct tun_ring_state *r = &ev->ring;

	fprintf(f, RULE);
	fprintf(f, "%s\n", r->full ? "TUN RING FULL DETECTED!" : "TUN Ring Status");
	fprintf(f, "Time: %s\n", hms_ms);
	fprintf(f, "Process: %s (PID: %u)\n", ev->comm, ev->pid);
	fprintf(f, "Device: %s\nQueue: %u\nSKB Address: 0x%llx\n\n", ev->dev, ev->queue_mapping,
		(unsigned long long)ev->skb);
	fprintf(f, "Struct Layout Analysis:\n");
	fprintf(f, "  tfiles array size: %u bytes\n", ev->tfiles_size);
	fprintf(f, "  numqueues offset: %u bytes\n", ev->numqueues_offset);
	fprintf(f, "  Expected tfiles size: 2048 bytes (256 pointers * 8)\n");
	if (ev->tfiles_size == ev->numqueues_offset)
		fprintf(f, "  Layout correct: tfiles takes exactly %u bytes\n", ev->tfiles_size);
	else
		fprintf(f, "  Layout mismatch: tfiles size %u != numqueues offset %u\n", ev->tfiles_size,
			ev->numqueues_offset);
	fprintf(f, "  Array access: queue_mapping=%u -> tfiles[%u]\n\n", ev->queue_mapping,
		ev->queue_mapping);
	fprintf(f, "Validation Info:\n");
	fprintf(f, "  TUN struct: 0x%llx\n", (unsigned long long)r->tun);
	fprintf(f, "  TUN numqueues: %u\n", r->numqueues);
	fprintf(f, "  TFile ptr: 0x%llx\n", (unsigned long long)r->tfile);
	fprintf(f, "  TFile queue_index: %u\n\n", r->queue_index);
	print_tuple(f, ev);
	print_ring(f, r);
	fprintf(f, RULE "\n");
}

static void json_ptr(struct json *j, const char *key, __u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

void trm_print_json(FILE *f, const struct trm_event *ev, const char *hms_ms)
{
	const struct tun_ring_state *r = &ev->ring;
	char ip[16], proto[8];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms_ms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_bool(&j, "ring_full", r->full);
	json_uint(&j, "pid", ev->pid);
	json_uint(&j, "tid", ev->tid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "dev", ev->dev);
	json_uint(&j, "queue", ev->queue_mapping);
	json_ptr(&j, "skb", ev->skb);
	json_uint(&j, "tfiles_size", ev->tfiles_size);
	json_uint(&j, "numqueues_offset", ev->numqueues_offset);
	json_ptr(&j, "tun", r->tun);
	json_uint(&j, "numqueues", r->numqueues);
	json_ptr(&j, "tfile", r->tfile);
	json_uint(&j, "queue_index", r->queue_index);
	if (ev->saddr || ev->daddr || ev->sport || ev->dport) {
		json_str(&j, "src_ip", ip_or_na(ev->saddr, ip, sizeof(ip)));
		json_str(&j, "dst_ip", ip_or_na(ev->daddr, ip, sizeof(ip)));
		json_uint(&j, "src_port", ev->sport);
		json_uint(&j, "dst_port", ev->dport);
		json_str(&j, "protocol", proto_text(ev->protocol, proto, sizeof(proto)));
	}
	if (r->size > 0) {
		json_int(&j, "ring_size", r->size);
		json_int(&j, "producer", r->producer);
		json_int(&j, "consumer_head", r->consumer_head);
		json_int(&j, "consumer_tail", r->consumer_tail);
		json_ptr(&j, "queue_producer_ptr", r->slot);
		if (!r->full)
			json_int(&j, "used_pct", tun_ring_used_pct(r));
	}
	json_end_obj(&j);
	json_finish(&j);
}

int trm_rows_since(struct trm_queue_row *rows, int n, const struct trm_queue_row *prev, int nprev)
{
	int kept = 0;

	for (int i = 0; i < n; i++) {
		struct trm_queue_row r = rows[i];

		for (int p = 0; p < nprev; p++) {
			if (prev[p].key.ifindex == r.key.ifindex && prev[p].key.queue == r.key.queue) {
				r.count.xmits -= prev[p].count.xmits;
				r.count.full -= prev[p].count.full;
				break;
			}
		}
		if (r.count.xmits)
			rows[kept++] = r;
	}
	return kept;
}

static int row_cmp(const void *a, const void *b)
{
	const struct trm_queue_row *x = a, *y = b;
	int c = strcmp(x->count.dev, y->count.dev);

	if (c)
		return c;
	if (x->key.ifindex != y->key.ifindex)
		return x->key.ifindex < y->key.ifindex ? -1 : 1;
	return x->key.queue < y->key.queue ? -1 : x->key.queue > y->key.queue;
}

void trm_print_interval(FILE *f, struct trm_queue_row *rows, int n, __u64 overflow, const char *hms,
			int interval)
{
	qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	fprintf(f, "--- %s transmits per device queue over the last %d s ---\n", hms, interval);
	if (!n)
		fprintf(f, "no transmits\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "dev=%s queue=%u xmits=%llu ring_full=%llu\n", rows[i].count.dev,
			rows[i].key.queue, (unsigned long long)rows[i].count.xmits,
			(unsigned long long)rows[i].count.full);
	if (overflow)
		fprintf(f, "%llu transmits not counted: more than %d device queues\n",
			(unsigned long long)overflow, TRM_MAX_QUEUE_COUNTS);
}

void trm_print_interval_json(FILE *f, struct trm_queue_row *rows, int n, __u64 overflow, const char *hms)
{
	struct json j;

	qsort(rows, (size_t)n, sizeof(*rows), row_cmp);
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_str(&j, "event", "interval");
	json_arr(&j, "queues");
	for (int i = 0; i < n; i++) {
		json_obj(&j, NULL);
		json_str(&j, "dev", rows[i].count.dev);
		json_uint(&j, "ifindex", rows[i].key.ifindex);
		json_uint(&j, "queue", rows[i].key.queue);
		json_uint(&j, "xmits", rows[i].count.xmits);
		json_uint(&j, "ring_full", rows[i].count.full);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_uint(&j, "uncounted", overflow);
	json_end_obj(&j);
	json_finish(&j);
}
