// SPDX-License-Identifier: GPL-2.0-only
#include "netstage_record.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "bpfload.h"
#include "filter.h"
#include "json.h"

static const char *stage_name(const struct netstage_rec_style *s, unsigned id, char *buf, size_t len)
{
	const struct netstage_stage *st = netstage_stage(s->m, id);

	if (st)
		return st->name;
	snprintf(buf, len, "Unknown_%u", id);
	return buf;
}

/* The stages the packet reached, in the style's order (ids into order); returns how many. */
static int seen_stages(const struct netstage_rec_style *s, const struct netstage_rec *r, int *order)
{
	const struct netstage_stage_rec *st = r->stages;
	int n = 0;

	for (int i = 0; i < (int)r->nstages; i++) {
		int j = n;

		if (!st[i].ts)
			continue;
		n++;
		while (!s->by_id && j > 0 && st[order[j - 1]].ts > st[i].ts) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return n;
}

static double delta_us(uint64_t to, uint64_t from)
{
	return (double)(int64_t)(to - from) / 1000.0;
}

static const char *dir_name(const struct netstage_rec_style *s, const struct netstage_rec *r)
{
	return s->dir_names[r->hdr->dir & 1];
}

static void flow_lines(FILE *f, const struct netstage_rec_style *s, const struct netstage_rec *r)
{
	const struct netstage_key *k = &r->hdr->key;
	const char *dir = dir_name(s, r);
	char src[32], dst[32];

	ipv4_format(k->saddr, src, sizeof(src));
	ipv4_format(k->daddr, dst, sizeof(dst));
	switch (k->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP: {
		bool tcp = k->protocol == IPPROTO_TCP;
		const char *name = tcp ? "TCP" : "UDP", *id_name = tcp ? "seq" : "id";
		unsigned sport = ntohs(tcp ? k->tcp.sport : k->udp.sport);
		unsigned dport = ntohs(tcp ? k->tcp.dport : k->udp.dport);
		unsigned id = tcp ? ntohl(k->tcp.seq) : ntohs(k->udp.ip_id);

		fprintf(f, "FLOW: %s -> %s (%s %u->%u %s=%u)\n", src, dst, name, sport, dport, id_name, id);
		fprintf(f, "5-TUPLE: %s:%u -> %s:%u %s (%s=%u) DIR=%s\n", src, sport, dst, dport, name,
			id_name, id, dir);
		break;
	}
	case IPPROTO_ICMP:
		fprintf(f, "FLOW: %s -> %s (ICMP id=%u seq=%u type=%u)\n", src, dst, ntohs(k->icmp.id),
			ntohs(k->icmp.seq), k->icmp.type);
		fprintf(f, "5-TUPLE: %s -> %s ICMP (id=%u seq=%u type=%u) DIR=%s\n", src, dst,
			ntohs(k->icmp.id), ntohs(k->icmp.seq), k->icmp.type, dir);
		break;
	default:
		fprintf(f, "FLOW: %s -> %s (Proto%u)\n", src, dst, k->protocol);
		fprintf(f, "5-TUPLE: %s -> %s Proto%u DIR=%s\n", src, dst, k->protocol, dir);
	}
}

static void stage_lines(FILE *f, const struct netstage_rec_style *s, const struct netstage_rec *r,
			const int *order, int n)
{
	char name[32];

	for (int i = 0; i < n; i++) {
		const struct netstage_stage_rec *st = &r->stages[order[i]];

		fprintf(f, s->ktime_parens ? "  Stage %s: (KTIME=%lluns)" : "  Stage %s: KTIME=%lluns",
			stage_name(s, (unsigned)order[i], name, sizeof(name)), (unsigned long long)st->ts);
		if (i)
			fprintf(f, " (%+.3fus)", delta_us(st->ts, r->stages[order[i - 1]].ts));
		fprintf(f, "\n    SKB: ptr=0x%llx len=%u data_len=%u queue_mapping=%u hash=0x%x\n",
			(unsigned long long)st->skb, st->len, st->data_len, st->queue_mapping, st->hash);
		fprintf(f, "    DEV: %.16s (ifindex=%u) CPU=%u\n", st->devname, st->ifindex, st->cpu);
	}
}

/* The style's first qdisc whose dequeue was seen after the latest enqueue, or NULL. */
static const struct netstage_rec_qdisc *qdisc_seen(const struct netstage_rec_style *s,
						   const struct netstage_rec *r, double *sojourn_us)
{
	for (unsigned i = 0; r->tail->qdisc_enq_ns && i < s->nqdiscs; i++) {
		unsigned id = s->qdiscs[i].deq_stage;
		uint64_t deq = id < r->nstages ? r->stages[id].ts : 0;

		if (deq && deq >= r->tail->qdisc_enq_ns) {
			*sojourn_us = (double)(deq - r->tail->qdisc_enq_ns) / 1000.0;
			return &s->qdiscs[i];
		}
	}
	return NULL;
}

static void summary_lines(FILE *f, const struct netstage_rec_style *s, const struct netstage_rec *r,
			  const int *order, int n, bool complete)
{
	const struct netstage_stage_rec *first = &r->stages[order[0]], *last = &r->stages[order[n - 1]];
	const struct netstage_rec_qdisc *q;
	double sojourn;

	if (n >= 2)
		fprintf(f, "  TOTAL DURATION: %.3fus\n", delta_us(last->ts, first->ts));
	fprintf(f, "  PACKET: len=%u data_len=%u queue_mapping=%u skb_hash=0x%x\n", first->len,
		first->data_len, first->queue_mapping, first->hash);
	fprintf(f, "  PROCESS: pid=%u comm=%.16s first_dev=%.16s\n", r->tail->pid, r->tail->comm,
		first->devname);
	fprintf(f, "  %s: dev=%.16s(ifindex=%u) cpu=%u\n", complete ? "FINAL_STAGE" : "LAST_SEEN_STAGE",
		last->devname, last->ifindex, last->cpu);
	/* The originals printed qlen=0, a field nothing ever wrote. */
	q = qdisc_seen(s, r, &sojourn);
	if (q)
		fprintf(f, "  %s: sojourn=%.3fus qlen=n/a\n", q->label, sojourn);
	if (r->tail->ct_lookup_ns)
		fprintf(f, "  CT: lookup=%.3fus\n", (double)r->tail->ct_lookup_ns / 1000.0);
}

#define NS_REC_MAX_STAGES 64

/* what: "FLOW COMPLETE: <n> stages captured" or the incomplete one, framed by the style. */
static void print_record(FILE *f, const struct netstage_rec_style *s, const char *datetime,
			 const struct netstage_rec *r, const char *what, const int *order, int n,
			 bool complete)
{
	if (s->time_first)
		fprintf(f, "[%s] === %s ===\n", datetime, what);
	else
		fprintf(f, "=== %s === %s\n", what, datetime);
	flow_lines(f, s, r);
	if (n) {
		stage_lines(f, s, r, order, n);
		summary_lines(f, s, r, order, n, complete);
	}
	fputc('\n', f);
}

void netstage_rec_print(FILE *f, const struct netstage_rec_style *s, const char *datetime,
			const struct netstage_rec *r)
{
	int order[NS_REC_MAX_STAGES], n;
	char what[64];

	if (r->nstages > NS_REC_MAX_STAGES)
		return;
	n = seen_stages(s, r, order);
	snprintf(what, sizeof(what), "FLOW COMPLETE: %d stages captured", n);
	print_record(f, s, datetime, r, what, order, n, true);
}

void netstage_rec_print_incomplete(FILE *f, const struct netstage_rec_style *s, const char *datetime,
				   const struct netstage_rec *r, double idle_s)
{
	int order[NS_REC_MAX_STAGES], n;
	char what[96];

	if (r->nstages > NS_REC_MAX_STAGES)
		return;
	n = seen_stages(s, r, order);
	snprintf(what, sizeof(what), "FLOW INCOMPLETE: %d stages captured, idle for %.1fs", n, idle_s);
	print_record(f, s, datetime, r, what, order, n, false);
}

void netstage_rec_json(FILE *f, const struct netstage_rec_style *s, const char *datetime,
		       const struct netstage_rec *r, bool complete)
{
	const struct netstage_key *k = &r->hdr->key;
	const struct netstage_rec_qdisc *q;
	int order[NS_REC_MAX_STAGES], n;
	char a[32], name[32];
	double sojourn;
	struct json j;

	if (r->nstages > NS_REC_MAX_STAGES)
		return;
	n = seen_stages(s, r, order);
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", datetime);
	json_bool(&j, "complete", complete);
	json_str(&j, "direction", dir_name(s, r));
	json_uint(&j, "protocol", k->protocol);
	json_str(&j, "src_ip", ipv4_format(k->saddr, a, sizeof(a)));
	json_str(&j, "dst_ip", ipv4_format(k->daddr, a, sizeof(a)));
	if (k->protocol == IPPROTO_ICMP) {
		json_uint(&j, "icmp_id", ntohs(k->icmp.id));
		json_uint(&j, "icmp_seq", ntohs(k->icmp.seq));
		json_uint(&j, "icmp_type", k->icmp.type);
	} else {
		json_uint(&j, "src_port", ntohs(k->tcp.sport));
		json_uint(&j, "dst_port", ntohs(k->tcp.dport));
		if (k->protocol == IPPROTO_TCP)
			json_uint(&j, "seq", ntohl(k->tcp.seq));
		else
			json_uint(&j, "ip_id", ntohs(k->udp.ip_id));
	}
	json_uint(&j, "pid", r->tail->pid);
	json_str(&j, "comm", r->tail->comm);
	json_arr(&j, "stages");
	for (int i = 0; i < n; i++) {
		const struct netstage_stage_rec *st = &r->stages[order[i]];

		json_obj(&j, NULL);
		json_str(&j, "name", stage_name(s, (unsigned)order[i], name, sizeof(name)));
		json_uint(&j, "ktime_ns", st->ts);
		if (i)
			json_double(&j, "delta_us", delta_us(st->ts, r->stages[order[i - 1]].ts));
		json_uint(&j, "skb", st->skb);
		json_uint(&j, "len", st->len);
		json_uint(&j, "data_len", st->data_len);
		json_uint(&j, "queue_mapping", st->queue_mapping);
		json_uint(&j, "hash", st->hash);
		json_str(&j, "dev", st->devname);
		json_uint(&j, "ifindex", st->ifindex);
		json_uint(&j, "cpu", st->cpu);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	if (n >= 2)
		json_double(&j, "total_us", delta_us(r->stages[order[n - 1]].ts, r->stages[order[0]].ts));
	q = qdisc_seen(s, r, &sojourn);
	if (q)
		json_double(&j, "qdisc_sojourn_us", sojourn);
	if (r->tail->ct_lookup_ns)
		json_double(&j, "ct_lookup_us", (double)r->tail->ct_lookup_ns / 1000.0);
	json_end_obj(&j);
	json_finish(&j);
}

void netstage_probe_stats_print(FILE *f, bool json, const uint64_t *counts)
{
	struct json j;

	if (json) {
		json_begin(&j, f);
		json_obj(&j, NULL);
		json_arr(&j, "probe_events");
		for (unsigned i = 0; i < NS_PROBE_STATS; i++) {
			if (!counts[i])
				continue;
			json_obj(&j, NULL);
			json_uint(&j, "probe", i);
			json_uint(&j, "events", counts[i]);
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_end_obj(&j);
		json_finish(&j);
		return;
	}
	fprintf(f, "\n=== Performance Statistics ===\nEvent counts by probe point:\n");
	for (unsigned i = 0; i < NS_PROBE_STATS; i++)
		if (counts[i])
			fprintf(f, "  Probe %u: %llu events\n", i, (unsigned long long)counts[i]);
}

void netstage_probe_stats_report(FILE *f, bool json, struct bpf_map *map)
{
	uint64_t counts[NS_PROBE_STATS];

	bpfload_percpu_sums(map, NS_PROBE_STATS, counts);
	netstage_probe_stats_print(f, json, counts);
}
