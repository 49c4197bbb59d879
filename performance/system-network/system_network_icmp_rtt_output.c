// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt's output: each path's segments and their latencies, and the banner,
 * a ping's report and the totals as text or JSON.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "filter.h"
#include "json.h"
#include "netstage.h"
#include "stack.h"
#include "util.h"
#include "system_network_icmp_rtt.h"

#define TRAILER "=================================================="

/* ---- segments and latencies ---- */

static double latency_us(__u64 start, __u64 end)
{
	return (double)(int64_t)(end - start) / 1000.0;
}

const char *rtt_format_latency(__u64 start, __u64 end, char *buf, size_t len)
{
	if (!start || !end)
		snprintf(buf, len, "%7s", " N/A ");
	else
		snprintf(buf, len, "%7.3f", latency_us(start, end));
	return buf;
}

struct segment {
	int from, to;
	char note[20]; /* "(OVS No Upcall)", "(S4 N/A)" or empty */
};

/*
 * The segments printed for one path: the stack and port segments always, the OVS segments
 * that the packet's stages show (kernel fast path, or upcall with or without key extraction).
 */
static void add_segment(struct segment *seg, int *n, int from, int to, const char *note)
{
	seg[*n] = (struct segment){ .from = from, .to = to };
	snprintf(seg[*n].note, sizeof(seg[*n].note), "%s", note);
	(*n)++;
}

static int path_segments(const struct rtt_session *s, int path, struct segment *seg)
{
	const __u64 *ts = s->ts + path * RTT_PATH_STAGES;
	int b = path * RTT_PATH_STAGES, n = 0;
	char s4_na[16];

	add_segment(seg, &n, b, b + 1, "");
	add_segment(seg, &n, b + 1, b + 2, "");
	if (ts[2] && ts[3])
		add_segment(seg, &n, b + 2, b + 3, "");
	if (ts[3] && ts[4] && ts[5]) {
		add_segment(seg, &n, b + 3, b + 4, "");
		add_segment(seg, &n, b + 4, b + 5, "");
	} else if (ts[3] && !ts[4] && ts[5]) {
		snprintf(s4_na, sizeof(s4_na), "(S%d N/A)", b + 4);
		add_segment(seg, &n, b + 3, b + 5, s4_na);
	} else if (ts[2] && !ts[3] && !ts[4] && ts[5]) {
		add_segment(seg, &n, b + 2, b + 5, "(OVS No Upcall)");
	}
	add_segment(seg, &n, b + 5, b + 6, "");
	return n;
}

/* ---- text layout ---- */

void rtt_print_banner(FILE *f, const char *src_ip, const char *dst_ip, const char *phy_names,
		      const struct iface_set *phy, int direction, double latency_ms)
{
	struct in_addr s = { 0 }, d = { 0 };
	bool rx = direction == RTT_RX;

	inet_aton(src_ip, &s);
	inet_aton(dst_ip, &d);
	fprintf(f, "=== ICMP Round-Trip Latency Tracer ===\n");
	fprintf(f, "Trace Direction: %s\n", rx ? "RX" : "TX");
	fprintf(f, "SRC_IP_FILTER (Configured %s IP): %s (0x%x)\n", rx ? "Remote" : "Local", src_ip,
		ntohl(s.s_addr));
	fprintf(f, "DST_IP_FILTER (Configured %s IP): %s (0x%x)\n", rx ? "Local" : "Remote", dst_ip,
		ntohl(d.s_addr));
	netstage_print_phy(f, phy_names, phy);
	if (latency_ms * 1e6 >= 1)
		fprintf(f, "Reporting only round trips with latency >= %.3f ms\n", latency_ms);
}

static void print_segment(FILE *f, const struct rtt_session *s, const struct segment *g, int direction)
{
	char a[96], b[96], desc[200], lat[32];

	snprintf(desc, sizeof(desc), "%s -> %s", rtt_stage_name(g->from, direction, a, sizeof(a)),
		 rtt_stage_name(g->to, direction, b, sizeof(b)));
	fprintf(f, "  [%2d->%-2d] %-105s: %s us%s%s\n", g->from, g->to, desc,
		rtt_format_latency(s->ts[g->from], s->ts[g->to], lat, sizeof(lat)), g->note[0] ? " " : "",
		g->note);
}

static void print_path(FILE *f, const struct rtt_session *s, int path, int direction)
{
	struct segment seg[8];
	int n = path_segments(s, path, seg), b = path * RTT_PATH_STAGES;
	char lat[32];

	fprintf(f, "\nPath %d Latencies (us):\n", path + 1);
	for (int i = 0; i < n; i++)
		print_segment(f, s, &seg[i], direction);
	if (s->ts[b] && s->ts[b + 6])
		fprintf(f, "  Total Path %d: %s us\n", path + 1,
			rtt_format_latency(s->ts[b], s->ts[b + 6], lat, sizeof(lat)));
}

static void print_stacks(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	char name[96];

	fprintf(f, "\nKernel Stack Traces (Path1: 0-6, Path2: 7-13):\n");
	for (int i = 0; i < RTT_STAGES; i++) {
		if (!s->ts[i])
			continue;
		fprintf(f, "  Stage %d (%s):\n", i, rtt_stage_name(i, r->direction, name, sizeof(name)));
		if (s->stack_id[i] < 0)
			fprintf(f, "    <BPF 'get_stackid' call failed or returned no stack: id=%d>\n",
				s->stack_id[i]);
		else if (r->nframes[i] <= 0)
			fprintf(f, "    <Stack trace walk for id %d yielded no symbols>\n", s->stack_id[i]);
		for (int k = 0; k < r->nframes[i]; k++)
			fprintf(f, "    %s\n", r->frames[i][k]);
	}
}

void rtt_print_event(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	bool rx = r->direction == RTT_RX;
	char a[32], b[32], desc[2][96], name[96], lat[32];

	fprintf(f, "=== ICMP RTT Trace: %s (%s) ===\n", r->time,
		rx ? "RX (Remote -> Local)" : "TX (Local -> Remote)");
	fprintf(f, "Session: %s (%s) -> %s (%s) (ID: %u, Seq: %u)\n", r->src_ip,
		ipv4_format(s->key.sip, a, sizeof(a)), r->dst_ip, ipv4_format(s->key.dip, b, sizeof(b)),
		ntohs(s->key.id), ntohs(s->key.seq));
	if (rx) {
		snprintf(desc[0], sizeof(desc[0]), "Path 1 (Request: RX from %s)", r->src_ip);
		snprintf(desc[1], sizeof(desc[1]), "Path 2 (Reply:   TX to %s)", r->src_ip);
	} else {
		snprintf(desc[0], sizeof(desc[0]), "Path 1 (Request: TX to %s)", r->dst_ip);
		snprintf(desc[1], sizeof(desc[1]), "Path 2 (Reply:   RX from %s)", r->dst_ip);
	}
	for (int p = 0; p < 2; p++)
		fprintf(f, "%-45s: PID=%-6u COMM=%-12.16s IF=%-10.16s ICMP_Type=%u\n", desc[p],
			s->path[p].pid, s->path[p].comm, s->path[p].ifname, s->path[p].icmp_type);

	fprintf(f, "\nSKB Pointers (Path1: 0-6, Path2: 7-13):\n");
	for (int i = 0; i < RTT_STAGES; i++)
		if (s->skb[i])
			fprintf(f, "  Stage %2d (%-45s): 0x%llx\n", i,
				rtt_stage_name(i, r->direction, name, sizeof(name)),
				(unsigned long long)s->skb[i]);

	print_path(f, s, 0, r->direction);
	print_path(f, s, 1, r->direction);
	if (s->ts[0] && s->ts[RTT_LAST_STAGE]) {
		fprintf(f, "\nTotal RTT (Path1 Start to Path2 End): %s us\n",
			rtt_format_latency(s->ts[0], s->ts[RTT_LAST_STAGE], lat, sizeof(lat)));
		if (s->ts[6] && s->ts[7])
			fprintf(f, "Inter-Path Latency (P1 end -> P2 start): %s us\n",
				rtt_format_latency(s->ts[6], s->ts[7], lat, sizeof(lat)));
	}
	if (r->stacks)
		print_stacks(f, r);
	fprintf(f, "\n%s\n\n", TRAILER);
}

/* ---- JSON layout ---- */

static void json_latency(struct json *j, const char *key, __u64 start, __u64 end)
{
	if (start && end)
		json_double(j, key, latency_us(start, end));
	else
		json_null(j, key);
}

static void json_path(struct json *j, const struct rtt_session *s, int path)
{
	const struct rtt_path_start *p = &s->path[path];
	struct segment seg[8];
	int n = path_segments(s, path, seg), b = path * RTT_PATH_STAGES;
	char comm[17], ifname[17];

	snprintf(comm, sizeof(comm), "%.16s", p->comm);
	snprintf(ifname, sizeof(ifname), "%.16s", p->ifname);
	json_obj(j, path ? "path2" : "path1");
	json_uint(j, "pid", p->pid);
	json_str(j, "comm", comm);
	json_str(j, "interface", ifname);
	json_uint(j, "icmp_type", p->icmp_type);
	json_arr(j, "segments");
	for (int i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_int(j, "from", seg[i].from);
		json_int(j, "to", seg[i].to);
		json_latency(j, "latency_us", s->ts[seg[i].from], s->ts[seg[i].to]);
		if (seg[i].note[0])
			json_str(j, "note", seg[i].note);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_latency(j, "total_us", s->ts[b], s->ts[b + 6]);
	json_end_obj(j);
}

void rtt_print_json(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	struct json j;
	char a[32], name[96], ptr[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", r->time);
	json_str(&j, "direction", r->direction == RTT_RX ? "rx" : "tx");
	json_str(&j, "src_ip", ipv4_format(s->key.sip, a, sizeof(a)));
	json_str(&j, "dst_ip", ipv4_format(s->key.dip, a, sizeof(a)));
	json_uint(&j, "id", ntohs(s->key.id));
	json_uint(&j, "seq", ntohs(s->key.seq));
	json_latency(&j, "rtt_us", s->ts[0], s->ts[RTT_LAST_STAGE]);
	json_latency(&j, "inter_path_us", s->ts[6], s->ts[7]);
	json_path(&j, s, 0);
	json_path(&j, s, 1);
	json_arr(&j, "stages");
	for (int i = 0; i < RTT_STAGES; i++) {
		if (!s->ts[i])
			continue;
		json_obj(&j, NULL);
		json_int(&j, "stage", i);
		json_str(&j, "name", rtt_stage_name(i, r->direction, name, sizeof(name)));
		json_uint(&j, "ktime_ns", s->ts[i]);
		snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)s->skb[i]);
		json_str(&j, "skb", ptr);
		if (r->stacks) {
			json_int(&j, "stack_id", s->stack_id[i]);
			json_str_array(&j, "stack", r->frames[i], r->nframes[i]);
		}
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

void rtt_print_totals(FILE *f, bool json, uint64_t reported, uint64_t below, uint64_t incomplete,
		      uint64_t lost)
{
	const struct final_count counts[] = { { "reported", reported },
					      { "below_threshold", below },
					      { "incomplete", incomplete } };

	if (json) {
		events_print_final_json(f, counts, ARRAY_SIZE(counts), lost);
		return;
	}
	fprintf(f,
		"Round trips reported: %llu, below --latency-ms: %llu, incomplete: %llu, lost events: %llu\n",
		(unsigned long long)reported, (unsigned long long)below, (unsigned long long)incomplete,
		(unsigned long long)lost);
}
