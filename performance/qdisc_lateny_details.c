// SPDX-License-Identifier: GPL-2.0-only
/* qdisc_lateny_details: per-packet time from qdisc enqueue to dequeue, with flow filters. */
#include <arpa/inet.h>
#include <errno.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "qdisc_lateny_details.h"
#include "qdisc_lateny_details.skel.h"

static struct {
	const char *dev;
	uint8_t proto; /* 0: all */
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint16_t src_port, dst_port;
	double duration, expire;
	int max_entries;
} opt = { .max_entries = 32768, .expire = 10 };

static const char *const proto_choices[] = { "tcp", "udp", "icmp", "all", NULL };

static const struct arg_opt options[] = {
	OPT_IFNAME("dev", 0, &opt.dev, "device whose qdisc to watch (default: every device)"),
	OPT_IPV4("src-ip", 0, &opt.src_ip,
		 "IPv4 address that must be the source or the destination of a packet"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip,
		 "IPv4 address that must be the source or the destination of a packet"),
	OPT_PORT("src-port", 0, &opt.src_port,
		 "TCP/UDP port that must be the source or the destination port (0 = any)"),
	OPT_PORT("dst-port", 0, &opt.dst_port,
		 "TCP/UDP port that must be the source or the destination port (0 = any)"),
	OPT_PROTO("proto", 0, &opt.proto, "protocol filter", .choices = proto_choices),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	OPT_INT("max-entries", 0, &opt.max_entries, 1024, 4194304,
		"packets that can wait in qdiscs at once before the oldest records are evicted",
		.metavar = "N"),
	OPT_SECONDS("expire", 0, &opt.expire, ARG_WHOLE,
		    "packets not dequeued within this time are counted as expired, not reported",
		    .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "qdisc_lateny_details",
	.description = "Per-packet qdisc delay: the time each packet waits between qdisc enqueue "
		       "and dequeue",
	.epilog = "examples:\n"
		  "  qdisc_lateny_details --dev eth0\n"
		  "  qdisc_lateny_details --dev eth0 --src-ip 10.0.0.1 --proto tcp --dst-port 80\n"
		  "  qdisc_lateny_details --dev bond0 --proto udp --duration 30 --json",
	.opts = options,
};

static const char *proto_name(const struct qdisc_pkt *p, char *buf, size_t len)
{
	switch (p->l4proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_ICMP:
		return "ICMP";
	case IPPROTO_ICMPV6:
		return "ICMPv6";
	}
	snprintf(buf, len, "Proto%u", p->l4proto);
	return buf;
}

const char *qdisc_pkt_ident(const struct qdisc_pkt *p, char *buf, size_t len)
{
	char name[16];
	const char *proto = proto_name(p, name, sizeof(name));
	bool l4 = p->flags & QDISC_PKT_L4;

	if (p->flags & QDISC_PKT_FRAGMENT)
		snprintf(buf, len, "%s fragment id=%u", proto, p->ip_id);
	else if (p->l4proto == IPPROTO_TCP && l4)
		snprintf(buf, len, "TCP %u->%u seq=%u", p->sport, p->dport, p->tcp_seq);
	else if (p->l4proto == IPPROTO_UDP && l4 && p->family == 4)
		snprintf(buf, len, "UDP %u->%u id=%u", p->sport, p->dport, p->ip_id);
	else if (p->l4proto == IPPROTO_UDP && l4)
		snprintf(buf, len, "UDP %u->%u len=%u", p->sport, p->dport, p->udp_len);
	else if ((p->l4proto == IPPROTO_ICMP || p->l4proto == IPPROTO_ICMPV6) && l4)
		snprintf(buf, len, "%s id=%u seq=%u type=%u", proto, p->icmp_id, p->icmp_seq, p->icmp_type);
	else
		snprintf(buf, len, "%s", proto);
	return buf;
}

static void format_addrs(const struct qdisc_pkt *p, char *src, char *dst, size_t len)
{
	struct ip_addr a = { .family = 6 };

	if (p->family == 4) {
		ipv4_format(p->saddr[0], src, len);
		ipv4_format(p->daddr[0], dst, len);
		return;
	}
	memcpy(a.bytes, p->saddr, 16);
	ip_format(&a, src, len);
	memcpy(a.bytes, p->daddr, 16);
	ip_format(&a, dst, len);
}

static uint64_t delay_ns(const struct qdisc_pkt *p)
{
	return p->dequeue_ns > p->enqueue_ns ? p->dequeue_ns - p->enqueue_ns : 0;
}

void qdisc_print_event(FILE *f, const struct qdisc_pkt *p, const char *hms_ms)
{
	char src[64], dst[64], ident[64];

	format_addrs(p, src, dst, sizeof(src));
	fprintf(f, "[%s] %s -> %s %s dev=%s\n", hms_ms, src, dst, qdisc_pkt_ident(p, ident, sizeof(ident)),
		p->devname);
	fprintf(f, "  Enqueue: %lluns\n", (unsigned long long)p->enqueue_ns);
	fprintf(f, "  Dequeue: %lluns\n", (unsigned long long)p->dequeue_ns);
	fprintf(f, "  Qdisc delay: %.3fus\n", (double)delay_ns(p) / 1000.0);
	if (p->flags & QDISC_PKT_GSO_SPLIT)
		fprintf(f,
			"  GSO split: the qdisc segmented this %u-byte packet; timed to the first of its "
			"segments to leave\n",
			p->len);
	fprintf(f, "\n");
}

void qdisc_print_event_json(FILE *f, const struct qdisc_pkt *p, const char *hms_ms)
{
	char src[64], dst[64], name[16];
	bool l4 = (p->flags & QDISC_PKT_L4) && !(p->flags & QDISC_PKT_FRAGMENT);
	struct json j;

	format_addrs(p, src, dst, sizeof(src));
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms_ms);
	json_str(&j, "dev", p->devname);
	json_str(&j, "src_ip", src);
	json_str(&j, "dst_ip", dst);
	json_str(&j, "protocol", proto_name(p, name, sizeof(name)));
	if (p->family == 4)
		json_uint(&j, "ip_id", p->ip_id);
	if (l4 && (p->l4proto == IPPROTO_TCP || p->l4proto == IPPROTO_UDP)) {
		json_uint(&j, "src_port", p->sport);
		json_uint(&j, "dst_port", p->dport);
	}
	if (l4 && p->l4proto == IPPROTO_TCP)
		json_uint(&j, "seq", p->tcp_seq);
	if (l4 && (p->l4proto == IPPROTO_ICMP || p->l4proto == IPPROTO_ICMPV6)) {
		json_uint(&j, "icmp_id", p->icmp_id);
		json_uint(&j, "icmp_seq", p->icmp_seq);
		json_uint(&j, "icmp_type", p->icmp_type);
	}
	json_bool(&j, "fragment", p->flags & QDISC_PKT_FRAGMENT);
	json_bool(&j, "gso_split", p->flags & QDISC_PKT_GSO_SPLIT);
	json_uint(&j, "len", p->len);
	json_uint(&j, "enqueue_ns", p->enqueue_ns);
	json_uint(&j, "dequeue_ns", p->dequeue_ns);
	json_uint(&j, "delay_ns", delay_ns(p));
	json_end_obj(&j);
	json_finish(&j);
}

void qdisc_summary_finish(struct qdisc_summary *s)
{
	uint64_t seen = s->dequeued + s->still_queued + s->dropped + s->expired;

	s->evicted = s->enqueued > seen ? s->enqueued - seen : 0;
}

void qdisc_print_summary(FILE *f, const struct qdisc_summary *s, bool json)
{
	uint64_t never = s->dropped + s->expired + s->evicted;

	if (json) {
		struct json j;

		json_begin(&j, f);
		json_obj(&j, NULL);
		json_bool(&j, "summary", true);
		json_uint(&j, "enqueued", s->enqueued);
		json_uint(&j, "dequeued", s->dequeued);
		json_uint(&j, "still_queued", s->still_queued);
		json_uint(&j, "never_dequeued", never);
		json_uint(&j, "dropped", s->dropped);
		json_uint(&j, "expired", s->expired);
		json_uint(&j, "evicted", s->evicted);
		json_uint(&j, "batch_unseen", s->batch_unseen);
		json_uint(&j, "lost_events", s->lost_events);
		json_end_obj(&j);
		json_finish(&j);
		return;
	}
	fprintf(f, "Packets enqueued: %llu, dequeued: %llu, still queued at exit: %llu\n",
		(unsigned long long)s->enqueued, (unsigned long long)s->dequeued,
		(unsigned long long)s->still_queued);
	fprintf(f, "Never seen dequeued: %llu (dropped: %llu, expired: %llu, evicted or replaced: %llu)\n",
		(unsigned long long)never, (unsigned long long)s->dropped, (unsigned long long)s->expired,
		(unsigned long long)s->evicted);
	if (s->batch_unseen)
		fprintf(f, "Packets of dequeue batches longer than %d not examined: %llu\n", QDISC_DEQ_BATCH,
			(unsigned long long)s->batch_unseen);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)s->lost_events);
}

static void build_config(struct qdisc_lat_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->filter = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, opt.src_port, opt.dst_port, opt.proto,
				      QDISC_FILTER_FLAGS);
	cfg->expire_ns = (uint64_t)(opt.expire * 1e9);
}

static void print_banner(const struct qdisc_lat_config *cfg)
{
	const char *proto = l4proto_choice(proto_choices, opt.proto);
	char up[8], addr[16];
	size_t i;

	printf("=== Qdisc Packet Order Tracker - Final Version ===\n");
	if (cfg->filter.iface.ifindex[0])
		printf("Device filter: %s (ifindex %u)\n", opt.dev, cfg->filter.iface.ifindex[0]);
	for (i = 0; proto[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(proto[i] - 'a' + 'A');
	up[i] = 0;
	printf("Protocol filter: %s\n", up);
	if (cfg->filter.sfamily)
		printf("Source IP filter: %s (0x%x)\n", ipv4_format(cfg->filter.saddr[0], addr, sizeof(addr)),
		       cfg->filter.saddr[0]);
	if (cfg->filter.dfamily)
		printf("Destination IP filter: %s (0x%x)\n",
		       ipv4_format(cfg->filter.daddr[0], addr, sizeof(addr)), cfg->filter.daddr[0]);
	if (cfg->filter.sport)
		printf("Source port filter: %u\n", cfg->filter.sport);
	if (cfg->filter.dport)
		printf("Destination port filter: %u\n", cfg->filter.dport);
	printf("BPF program loaded successfully\n\n");
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct qdisc_pkt *p = data;
	uint64_t wall;
	char hms[16], hms_ms[24];

	(void)ctx;
	if (size < sizeof(*p))
		return;
	wall = ktime_to_wall_ns(p->dequeue_ns);
	fmt_wall_ns_hms(wall, hms, sizeof(hms));
	snprintf(hms_ms, sizeof(hms_ms), "%s.%03u", hms, (unsigned)(wall / 1000000ULL % 1000));
	if (g_common.json)
		qdisc_print_event_json(stdout, p, hms_ms);
	else
		qdisc_print_event(stdout, p, hms_ms);
	output_event_end();
}

static void count_record(const struct qdisc_pkt *p, uint64_t now, struct qdisc_summary *s)
{
	uint64_t expire = (uint64_t)(opt.expire * 1e9);

	if (now > p->enqueue_ns && now - p->enqueue_ns > expire)
		s->expired++;
	else
		s->still_queued++;
}

/* Records left at exit: packets still in a queue, or older than --expire (expired). */
static void count_pending(struct bpf_map *pending, struct bpf_map *gso_pending, struct qdisc_summary *s)
{
	uint64_t now = ktime_now_ns(), key, next, *prev = NULL;
	struct qdisc_gso_key gk, gnext, first, *gprev = NULL;
	int fd = bpf_map__fd(pending), gfd = bpf_map__fd(gso_pending);
	struct qdisc_pkt p;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &p))
			count_record(&p, now, s);
	}
	/* A GSO record is stored twice, under its first and last segment: count it once. */
	while (!bpf_map_get_next_key(gfd, gprev, &gnext)) {
		gk = gnext;
		gprev = &gk;
		if (bpf_map_lookup_elem(gfd, &gk, &p))
			continue;
		first = gk;
		first.seq = p.tcp_seq;
		if (gk.seq == p.tcp_seq || bpf_map_lookup_elem(gfd, &first, &p))
			count_record(&p, now, s);
	}
}

/* Attached in this order (the drop hook first: no packet is left pending), detached in reverse. */
enum { HOOK_DROPS, HOOK_DEQUEUE, HOOK_ENQUEUE };

/* The raw tracepoints come as a pair: dequeue's only if enqueue's exists too, ... */
static bool enqueue_raw_tp_exists(const struct hook_set *plan)
{
	return plan->env->tracepoint_exists("qdisc", "qdisc_enqueue");
}

/* ... and enqueue's only if dequeue's was chosen. */
static bool dequeue_raw_tp_chosen(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, HOOK_DEQUEUE);

	return c && c->kind == HOOK_RAW_TP;
}

/*
 * Enqueue and dequeue hooks come as a pair: the raw tracepoints (5.15+), else kprobes on
 * __dev_queue_xmit and sch_direct_xmit, which see bypassed packets too. kfree_skb exists on
 * every kernel and, unlike the kprobes, sees packets freed in lists (qdisc drops): it stays
 * even when BPFNET_FORCE_KPROBE tests the other hooks.
 */
static const struct hook_def hook_defs[] = {
	[HOOK_DROPS] = { "packet drops", { DROP_HOOK_CANDIDATES }, .keep_tracepoint = true },
	[HOOK_DEQUEUE] = { "qdisc dequeue",
			   { { HOOK_RAW_TP, "dequeue_raw_tp", "qdisc:qdisc_dequeue", enqueue_raw_tp_exists },
			     HOOK_FUNC_ENTRY("dequeue_sch_direct_xmit", "sch_direct_xmit") } },
	[HOOK_ENQUEUE] = { "qdisc enqueue",
			   { { HOOK_RAW_TP, "enqueue_raw_tp", "qdisc:qdisc_enqueue", dequeue_raw_tp_chosen },
			     HOOK_FUNC_ENTRY("enqueue_dev_queue_xmit", "__dev_queue_xmit"),
			     HOOK_FUNC_ENTRY("enqueue_dev_queue_xmit", "dev_queue_xmit") } },
};
const struct hook_table qdisc_lat_hook_table = { hook_defs, 3 };

int main(int argc, char **argv)
{
	struct qdisc_lat_config cfg;
	struct qdisc_lateny_details_bpf *skel;
	struct hook_set hooks;
	struct event_channel *ch;
	struct qdisc_summary sum = { 0 };
	char d1[96], d2[96], d3[96];

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("qdisc_lateny_details");
	hook_set_init(&hooks, qdisc_lat_hook_table.defs, qdisc_lat_hook_table.n, 0);
	if (opt.dev)
		iface_set_add(&cfg.filter.iface, opt.dev);

	skel = BPFNET_OPEN(qdisc_lateny_details_bpf);
	bpf_map__set_max_entries(skel->maps.pending, (uint32_t)opt.max_entries);
	bpf_map__set_max_entries(skel->maps.gso_pending, (uint32_t)(opt.max_entries / 4));
	hook_prepare(&hooks, skel->obj);
	cfg.kprobe_enqueue = hook_chosen(&hooks, HOOK_ENQUEUE)->kind != HOOK_RAW_TP;
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	if (!g_common.json)
		print_banner(&cfg);
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		printf("Tracing qdisc packet order... Hit Ctrl-C to end.\n");
		printf("Probe: enqueue %s, dequeue %s, drops %s\n\n",
		       hook_describe(&hooks, HOOK_ENQUEUE, d1, sizeof(d1)),
		       hook_describe(&hooks, HOOK_DEQUEUE, d2, sizeof(d2)),
		       hook_describe(&hooks, HOOK_DROPS, d3, sizeof(d3)));
	}
	tool_ready();

	events_run(ch, opt.duration);

	if (!g_common.json)
		printf("\nDetaching...\n");
	hook_detach(&hooks);
	events_drain(ch);
	sum.enqueued = bpfload_percpu_sum(skel->maps.counters, QC_ENQUEUED);
	sum.dequeued = bpfload_percpu_sum(skel->maps.counters, QC_DEQUEUED);
	sum.dropped = bpfload_percpu_sum(skel->maps.counters, QC_DROPPED);
	sum.expired = bpfload_percpu_sum(skel->maps.counters, QC_EXPIRED);
	sum.batch_unseen = bpfload_percpu_sum(skel->maps.counters, QC_BATCH_UNSEEN);
	sum.lost_events = events_lost(ch);
	count_pending(skel->maps.pending, skel->maps.gso_pending, &sum);
	qdisc_summary_finish(&sum);
	qdisc_print_summary(stdout, &sum, g_common.json);
	if (!g_common.json)
		printf("Exiting.\n");
	events_close(ch);
	qdisc_lateny_details_bpf__destroy(skel);
	return 0;
}
