// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_tx_to_kvm_irq: per packet a tap sends to a guest, the notification chain that follows:
 * tun_net_xmit -> vhost signal -> eventfd_signal -> irqfd wakeup -> interrupt delivered to a
 * vCPU, one line per stage with the delay since the stage before.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "kernel_btf.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "tun_dev.h"
#include "tun_tx_to_kvm_irq.h"
#include "tun_tx_to_kvm_irq.skel.h"
#include "util.h"

static const char *const proto_choices[] = { "tcp", "udp", "icmp", "all", NULL };

static struct {
	const char *device, *output;
	int queue, stats_interval, icmp_id, icmp_seq;
	bool analyze, debug, traffic;
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint8_t protocol;
} opt = { .queue = -1, .stats_interval = 10 };

static const struct arg_opt options[] = {
	OPT_STR("device", 'd', &opt.device, "Target TUN device name (e.g., vnet0; default: all)"),
	OPT_INT("queue", 'q', &opt.queue, 0, 255, "Filter by queue index (default: all)"),
	OPT_FLAG("analyze-chains", 0, &opt.analyze,
		 "Print interrupt chain statistics periodically and at exit"),
	OPT_INT("stats-interval", 0, &opt.stats_interval, 1, 86400,
		"Statistics interval in seconds with --analyze-chains (default: 10)"),
	OPT_STR("output", 'o', &opt.output, "Write every event to this file as a JSON array"),
	OPT_FLAG("debug", 0, &opt.debug, "Say which optional probes could not be attached, and why"),
	OPT_FLAG("generate-traffic", 0, &opt.traffic, "Print traffic generation commands and exit"),
	OPT_IPV4("src-ip", 0, &opt.saddr, "Filter by source IP address"),
	OPT_IPV4("dst-ip", 0, &opt.daddr, "Filter by destination IP address"),
	OPT_PROTO("protocol", 0, &opt.protocol, "Filter by protocol (default: all)",
		  .choices = proto_choices),
	OPT_PORT("src-port", 0, &opt.sport, "Filter by source port (TCP/UDP packets; 0: any)"),
	OPT_PORT("dst-port", 0, &opt.dport, "Filter by destination port (TCP/UDP packets; 0: any)"),
	OPT_INT("icmp-id", 0, &opt.icmp_id, 0, 65535, "Filter by ICMP echo id (ICMP packets; 0: any)"),
	OPT_INT("icmp-seq", 0, &opt.icmp_seq, 0, 65535,
		"Filter by ICMP echo sequence (ICMP packets; 0: any)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun_tx_to_kvm_irq",
	.description = "TUN TX queue to KVM interrupt injection tracer: per packet sent to a guest, "
		       "tun_net_xmit -> vhost signal -> eventfd -> irqfd -> vCPU interrupt, with the "
		       "delay of each stage",
	.epilog = "examples:\n"
		  "  tun_tx_to_kvm_irq                                   # every tap and queue\n"
		  "  tun_tx_to_kvm_irq -d vnet0 -q 0 --analyze-chains    # one queue, with statistics\n"
		  "  tun_tx_to_kvm_irq --protocol icmp --dst-ip 10.0.0.2 # one flow\n"
		  "  tun_tx_to_kvm_irq -d vnet0 -o /tmp/trace.json       # and every event to a file\n"
		  "  tun_tx_to_kvm_irq --generate-traffic                # traffic generation hints",
	.opts = options,
};

/* ---- layout ---- */

static const char *const stage_names[TTK_STAGES + 1] = {
	"unknown", "tun_net_xmit", "vhost_signal", "eventfd_signal", "irqfd_wakeup", "posted_int",
};

const char *ttk_stage_name(unsigned stage)
{
	return stage <= TTK_STAGES ? stage_names[stage] : "unknown";
}

const char *ttk_queue_key(const struct ttk_event *ev, char *buf, size_t len)
{
	if (ev->dev[0] && ev->queue < 256)
		snprintf(buf, len, "%.*s:q%u", TTK_DEV_LEN, ev->dev, ev->queue);
	else
		snprintf(buf, len, "unknown");
	return buf;
}

static double ms(unsigned long long ns)
{
	return ns / 1e6;
}

static void print_packet(FILE *f, const struct ttk_event *ev)
{
	char src[16], dst[16];

	if (!ev->saddr)
		return;
	ipv4_format(ev->saddr, src, sizeof(src));
	ipv4_format(ev->daddr, dst, sizeof(dst));
	if (ev->protocol == IPPROTO_TCP || ev->protocol == IPPROTO_UDP)
		fprintf(f, " %s %s:%u -> %s:%u", ev->protocol == IPPROTO_TCP ? "TCP" : "UDP", src, ev->sport,
			dst, ev->dport);
	else if (ev->protocol == IPPROTO_ICMP)
		fprintf(f, " ICMP %s -> %s type=%u code=%u id=%u seq=%u", src, dst, ev->icmp_type,
			ev->icmp_code, ev->icmp_id, ev->icmp_seq);
	else
		fprintf(f, " IP %s -> %s proto=%u", src, dst, ev->protocol);
}

void ttk_print_event(FILE *f, const struct ttk_event *ev, const char *when)
{
	char qk[TTK_QUEUE_KEY_LEN];

	fprintf(f, "TUN TX INTERRUPT [%s] Stage %u [%s]: Time=%s", ttk_queue_key(ev, qk, sizeof(qk)),
		ev->stage, ttk_stage_name(ev->stage), when);
	switch (ev->stage) {
	case TTK_XMIT:
		fprintf(f, " Queue=%u Sock(tfile)=0x%llx", ev->queue, (unsigned long long)ev->sock);
		break;
	case TTK_VHOST_SIGNAL:
		fprintf(f, " Sock(vq)=0x%llx EventFD(vq)=0x%llx VQ=0x%llx Delay=%.3fms Packets=%u QEMU=%u",
			(unsigned long long)ev->sock, (unsigned long long)ev->eventfd,
			(unsigned long long)ev->vq, ms(ev->delay_ns), ev->packets, ev->qemu_pid);
		break;
	case TTK_EVENTFD:
		fprintf(f, " EventFD(arg)=0x%llx Delay=%.3fms", (unsigned long long)ev->eventfd,
			ms(ev->delay_ns));
		break;
	case TTK_IRQFD:
		fprintf(f, " EventFD(irqfd)=0x%llx GSI(irqfd)=%d Vector=%d Delay=%.3fms",
			(unsigned long long)ev->eventfd, ev->gsi, ev->vector, ms(ev->delay_ns));
		break;
	case TTK_POSTED:
		fprintf(f, " Vector(arg)=%d VCPU=0x%llx Delay=%.3fms Total=%.3fms", ev->vector,
			(unsigned long long)ev->vq, ms(ev->delay_ns), ms(ev->total_ns));
		break;
	}
	fprintf(f, " CPU=%u PID=%u COMM=%.*s", ev->cpu, ev->pid, TTK_COMM_LEN, ev->comm);
	if (ev->stage == TTK_XMIT)
		print_packet(f, ev);
	fputc('\n', f);
}

static void json_ptr(struct json *j, const char *key, __u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

static void json_event_members(struct json *j, const struct ttk_event *ev, const char *when)
{
	char qk[TTK_QUEUE_KEY_LEN], addr[16], comm[TTK_COMM_LEN + 1], dev[TTK_DEV_LEN + 1];

	snprintf(comm, sizeof(comm), "%.*s", TTK_COMM_LEN, ev->comm);
	snprintf(dev, sizeof(dev), "%.*s", TTK_DEV_LEN, ev->dev);
	json_str(j, "time", when);
	json_uint(j, "timestamp", ev->ts_ns);
	json_uint(j, "stage", ev->stage);
	json_str(j, "stage_name", ttk_stage_name(ev->stage));
	json_str(j, "queue_key", ttk_queue_key(ev, qk, sizeof(qk)));
	json_str(j, "device", dev);
	if (ev->queue == TTK_NO_QUEUE)
		json_null(j, "queue");
	else
		json_uint(j, "queue", ev->queue);
	json_uint(j, "cpu_id", ev->cpu);
	json_uint(j, "pid", ev->pid);
	json_uint(j, "tid", ev->tid);
	json_str(j, "comm", comm);
	json_ptr(j, "sock_ptr", ev->sock);
	if (ev->stage == TTK_XMIT) {
		if (ev->saddr) {
			json_str(j, "saddr", ipv4_format(ev->saddr, addr, sizeof(addr)));
			json_str(j, "daddr", ipv4_format(ev->daddr, addr, sizeof(addr)));
		} else {
			json_null(j, "saddr");
			json_null(j, "daddr");
		}
		json_uint(j, "protocol", ev->protocol);
		json_uint(j, "sport", ev->sport);
		json_uint(j, "dport", ev->dport);
		json_uint(j, "icmp_type", ev->icmp_type);
		json_uint(j, "icmp_code", ev->icmp_code);
		json_uint(j, "icmp_id", ev->icmp_id);
		json_uint(j, "icmp_seq", ev->icmp_seq);
		return;
	}
	json_uint(j, "chain", ev->chain);
	json_uint(j, "packets", ev->packets);
	if (ev->qemu_pid)
		json_uint(j, "qemu_pid", ev->qemu_pid);
	else
		json_null(j, "qemu_pid");
	json_uint(j, "delay_ns", ev->delay_ns);
	json_uint(j, "total_ns", ev->total_ns);
	json_ptr(j, "eventfd_ctx", ev->eventfd);
	if (ev->stage == TTK_VHOST_SIGNAL)
		json_ptr(j, "vq_ptr", ev->vq);
	if (ev->stage >= TTK_IRQFD)
		json_ptr(j, "kvm", ev->kvm);
	if (ev->stage == TTK_IRQFD) {
		json_int(j, "gsi", ev->gsi);
		json_uint(j, "msi_data", ev->msi_data);
	}
	if (ev->stage >= TTK_IRQFD) {
		if (ev->vector >= 0)
			json_int(j, "vector", ev->vector);
		else
			json_null(j, "vector");
	}
	if (ev->stage == TTK_POSTED)
		json_ptr(j, "vcpu", ev->vq);
}

void ttk_print_event_json(FILE *f, const struct ttk_event *ev, const char *when, bool in_array)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_event_members(&j, ev, when);
	json_end_obj(&j);
	if (!in_array)
		json_finish(&j);
}

static struct ttk_queue_stats *queue_stats(struct ttk_stats *s, const char *key)
{
	for (int i = 0; i < s->n_queues; i++)
		if (!strcmp(s->queues[i].key, key))
			return &s->queues[i];
	if (s->n_queues == TTK_MAX_STAT_QUEUES)
		return NULL;
	snprintf(s->queues[s->n_queues].key, TTK_QUEUE_KEY_LEN, "%s", key);
	return &s->queues[s->n_queues++];
}

void ttk_stats_add(struct ttk_stats *s, const struct ttk_event *ev)
{
	char qk[TTK_QUEUE_KEY_LEN];
	struct ttk_queue_stats *q;

	if (ev->stage < TTK_XMIT || ev->stage > TTK_STAGES)
		return;
	s->stage[ev->stage]++;
	q = queue_stats(s, ttk_queue_key(ev, qk, sizeof(qk)));
	if (q)
		q->stage[ev->stage]++;
	else
		s->queues_dropped++;
	if (ev->stage == TTK_XMIT && ev->protocol)
		s->protocols[ev->protocol]++;
	if (!ev->delay_ns)
		return;
	if (s->n_delays == s->cap_delays) {
		size_t cap = s->cap_delays ? 2 * s->cap_delays : 1024;
		unsigned long long *d = realloc(s->delays, cap * sizeof(*d));

		if (!d)
			die("out of memory for %zu delays", cap);
		s->delays = d;
		s->cap_delays = cap;
	}
	s->delays[s->n_delays++] = ev->delay_ns;
}

void ttk_stats_free(struct ttk_stats *s)
{
	free(s->delays);
	s->delays = NULL;
	s->n_delays = s->cap_delays = 0;
}

const char *ttk_chain_class(const unsigned long long st[TTK_STAGES + 1])
{
	bool s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5];

	if (s1 && s2 && s3 && s4 && s5)
		return "  COMPLETE CHAIN: tun_net_xmit -> vhost_signal -> eventfd_signal -> irqfd_wakeup -> "
		       "posted_int";
	if (s1 && s2 && s3 && s4)
		return "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal -> eventfd_signal -> irqfd_wakeup "
		       "(missing "
		       "posted_int)";
	if (s1 && s2 && s3)
		return "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal -> eventfd_signal (missing "
		       "irqfd_wakeup)";
	if (s1 && s2)
		return "  PARTIAL CHAIN: tun_net_xmit -> vhost_signal (missing eventfd_signal)";
	if (s1)
		return "  INCOMPLETE: only tun_net_xmit detected";
	if (s2)
		return "  INCOMPLETE: only vhost_signal detected (missing tun_net_xmit)";
	return "  NO PROPER CHAIN DETECTED";
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

bool ttk_latency(const struct ttk_stats *s, struct ttk_latency *l)
{
	unsigned long long *d, sum = 0;
	size_t n = s->n_delays;

	if (!n)
		return false;
	d = malloc(n * sizeof(*d));
	if (!d)
		die("out of memory for %zu delays", n);
	memcpy(d, s->delays, n * sizeof(*d));
	sort_array(d, n, sizeof(*d), cmp_ull);
	for (size_t i = 0; i < n; i++)
		sum += d[i];
	l->n = n;
	l->avg_us = (double)sum / n / 1e3;
	l->p50_us = d[n / 2] / 1e3;
	l->p90_us = d[(size_t)(n * 0.9)] / 1e3;
	l->p99_us = d[(size_t)(n * 0.99)] / 1e3;
	free(d);
	return true;
}

static int distinct_stages(const unsigned long long st[TTK_STAGES + 1])
{
	int n = 0;

	for (int i = 1; i <= TTK_STAGES; i++)
		n += st[i] > 0;
	return n;
}

static const char *protocol_label(int p, char *buf, size_t len)
{
	if (p == IPPROTO_TCP)
		return "TCP";
	if (p == IPPROTO_UDP)
		return "UDP";
	if (p == IPPROTO_ICMP)
		return "ICMP";
	snprintf(buf, len, "Unknown(%d)", p);
	return buf;
}

/* Protocols seen at stage 1, most packets first (ties: lower number first). */
static int protocol_order(const struct ttk_stats *s, int order[256])
{
	int n = 0;

	for (int p = 1; p < 256; p++)
		if (s->protocols[p])
			order[n++] = p;
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && s->protocols[order[k]] > s->protocols[order[k - 1]]; k--) {
			int t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	return n;
}

#define RULE "================================================================================"

void ttk_print_stats(FILE *f, const struct ttk_stats *s)
{
	struct ttk_latency l;
	int order[256], n_proto;
	char buf[24];
	unsigned long long total = 0;

	for (int i = 1; i <= TTK_STAGES; i++)
		total += s->stage[i];
	if (!total) {
		fprintf(f, "\nNo interrupt traces collected yet.\n");
		return;
	}
	fprintf(f, "\n%s\nTUN TX QUEUE INTERRUPT TRACING STATISTICS\n%s\n\nOverall Stage Distribution:\n",
		RULE, RULE);
	for (int i = 1; i <= TTK_STAGES; i++)
		if (s->stage[i])
			fprintf(f, "  Stage %d [%s]: %llu events\n", i, stage_names[i], s->stage[i]);
	fprintf(f, "\n%s\nTUN TX INTERRUPT CHAIN ANALYSIS\n%s\n", RULE, RULE);
	for (int q = 0; q < s->n_queues; q++) {
		const struct ttk_queue_stats *qs = &s->queues[q];
		unsigned long long lo = 0, hi = 0;

		fprintf(f,
			"\nQueue: %s\n--------------------------------------------------\nStage Event "
			"Counts:\n",
			qs->key);
		for (int i = 1; i <= TTK_STAGES; i++) {
			if (!qs->stage[i])
				continue;
			fprintf(f, "  Stage %d [%s]: %llu events\n", i, stage_names[i], qs->stage[i]);
			lo = !lo || qs->stage[i] < lo ? qs->stage[i] : lo;
			hi = qs->stage[i] > hi ? qs->stage[i] : hi;
		}
		if (distinct_stages(qs->stage) > 1) {
			fprintf(f, "  Chain Completeness: %.1f%% (min %llu / max %llu events)\n",
				100.0 * lo / hi, lo, hi);
			fprintf(f, "%s\n", ttk_chain_class(qs->stage));
		}
	}
	if (distinct_stages(s->stage) >= 2 && ttk_latency(s, &l)) {
		fprintf(f, "\nInterrupt Latency Analysis:\n");
		fprintf(f, "  Average delay: %.1f\u03bcs (from %zu samples)\n", l.avg_us, l.n);
		fprintf(f, "  P50 delay: %.1f\u03bcs\n  P90 delay: %.1f\u03bcs\n  P99 delay: %.1f\u03bcs\n",
			l.p50_us, l.p90_us, l.p99_us);
	}
	n_proto = protocol_order(s, order);
	if (n_proto) {
		fprintf(f, "\nPacket Type Distribution:\n");
		for (int i = 0; i < n_proto; i++)
			fprintf(f, "  %s: %llu packets\n", protocol_label(order[i], buf, sizeof(buf)),
				s->protocols[order[i]]);
	}
	if (s->queues_dropped)
		fprintf(f, "\n(%llu events of queues beyond the first %d not in the chain analysis)\n",
			s->queues_dropped, TTK_MAX_STAT_QUEUES);
}

void ttk_print_stats_json(FILE *f, const struct ttk_stats *s, bool final)
{
	struct json j;
	struct ttk_latency l;
	int order[256], n_proto = protocol_order(s, order);
	char buf[24];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "event", "statistics");
	json_bool(&j, "final", final);
	json_obj(&j, "stages");
	for (int i = 1; i <= TTK_STAGES; i++)
		json_uint(&j, stage_names[i], s->stage[i]);
	json_end_obj(&j);
	json_arr(&j, "queues");
	for (int q = 0; q < s->n_queues; q++) {
		const struct ttk_queue_stats *qs = &s->queues[q];

		json_obj(&j, NULL);
		json_str(&j, "queue_key", qs->key);
		json_obj(&j, "stages");
		for (int i = 1; i <= TTK_STAGES; i++)
			json_uint(&j, stage_names[i], qs->stage[i]);
		json_end_obj(&j);
		json_str(&j, "chain", ttk_chain_class(qs->stage) + 2);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	if (ttk_latency(s, &l)) {
		json_obj(&j, "latency_us");
		json_uint(&j, "samples", l.n);
		json_double(&j, "avg", l.avg_us);
		json_double(&j, "p50", l.p50_us);
		json_double(&j, "p90", l.p90_us);
		json_double(&j, "p99", l.p99_us);
		json_end_obj(&j);
	} else {
		json_null(&j, "latency_us");
	}
	json_obj(&j, "packet_types");
	for (int i = 0; i < n_proto; i++)
		json_uint(&j, protocol_label(order[i], buf, sizeof(buf)), s->protocols[order[i]]);
	json_end_obj(&j);
	json_end_obj(&j);
	json_finish(&j);
}

void ttk_print_traffic_help(FILE *f)
{
	fprintf(f, "Network Traffic Generation Commands:\n"
		   "# Generate ICMP traffic:\nping -c 10 <target_ip>\n"
		   "# Generate TCP traffic:\ncurl http://<target_ip>\n"
		   "# Generate UDP traffic:\nnc -u <target_ip> 53\n\n"
		   "Run the trace tool in another terminal and then execute these commands.\n");
}

void ttk_print_banner(FILE *f, const struct ttk_banner *b)
{
	char addr[16];

	fprintf(f, "Detected kernel version: %s, distro: %s\n", b->release, b->distro);
	fprintf(f, "IRQ bypass module: %s\n", b->irqbypass ? "loaded" : "not loaded");
	fprintf(f, "Using %s vhost structure layout\n",
		b->vring_call ? "5.x (with vhost_vring_call, 72 bytes)" : "4.x (pointer only, 8 bytes)");
	if (b->protocol || b->saddr || b->daddr || b->sport || b->dport || b->icmp_id || b->icmp_seq) {
		fprintf(f, "Packet filters:\n");
		if (b->protocol)
			fprintf(f, "  Protocol: %s\n", b->protocol);
		if (b->saddr)
			fprintf(f, "  Source IP: %s\n", ipv4_format(b->saddr, addr, sizeof(addr)));
		if (b->daddr)
			fprintf(f, "  Destination IP: %s\n", ipv4_format(b->daddr, addr, sizeof(addr)));
		if (b->sport)
			fprintf(f, "  Source Port: %u\n", b->sport);
		if (b->dport)
			fprintf(f, "  Destination Port: %u\n", b->dport);
		if (b->icmp_id)
			fprintf(f, "  ICMP ID: %u\n", b->icmp_id);
		if (b->icmp_seq)
			fprintf(f, "  ICMP Seq: %u\n", b->icmp_seq);
	}
	for (int i = 1; i <= TTK_STAGES; i++)
		if (b->attached[i])
			fprintf(f, "%s\n", b->attached[i]);
	tun_print_filters(f, b->device, b->queue, "");
	fprintf(f, "\n%s\nTUN TX QUEUE INTERRUPT TRACING STARTED\n%s\n", RULE, RULE);
	fprintf(f, "Tracing: tun_net_xmit -> vhost_signal -> eventfd_signal -> irqfd_wakeup -> posted_int (%s)\n",
		b->stage5 ? b->stage5 : "not available");
	fprintf(f, "Correlation: Stage 1->2 via the queue's socket, 2->3->4 via eventfd_ctx, 4->5 via VM and "
		   "vector\n");
	if (b->analyze)
		fprintf(f, "Chain analysis: ENABLED (interval: %ds)\n", b->interval);
	fprintf(f, "Press Ctrl+C to stop\n\nClearing BPF maps for clean state...\nMaps cleared. Ready for "
		   "tracing.\n\n");
}

void ttk_output_event(struct ttk_output *o, const struct ttk_event *ev, const char *when)
{
	if (!o->f)
		return;
	fputs(o->n ? ",\n  " : "[\n  ", o->f);
	ttk_print_event_json(o->f, ev, when, true);
	o->n++;
}

void ttk_output_close(struct ttk_output *o)
{
	if (!o->f)
		return;
	fputs(o->n ? "\n]\n" : "[]\n", o->f);
	fclose(o->f);
	o->f = NULL;
}

/* ---- probes ---- */

enum { TTK_HOOK_XMIT, TTK_HOOK_SIGNAL, TTK_HOOK_EVENTFD, TTK_HOOK_IRQFD, TTK_HOOK_DELIVER, TTK_HOOKS };

static const struct hook_def hook_defs[TTK_HOOKS] = {
	[TTK_HOOK_XMIT] = { "packets into a tap queue",
			    { HOOK_FUNC_ENTRY("ttk_xmit", "tun_net_xmit") },
			    "tun" },
	[TTK_HOOK_SIGNAL] = { "vhost signals",
			      { HOOK_FUNC_ENTRY("ttk_vhost_signal", "vhost_add_used_and_signal_n") },
			      "vhost" },
	/* 6.8+: eventfd_signal() is an inline wrapper of eventfd_signal_mask(), same ctx argument. */
	[TTK_HOOK_EVENTFD] = { "eventfd signals",
			       { HOOK_FUNC_ENTRY("ttk_eventfd_signal", "eventfd_signal"),
				 HOOK_FUNC_ENTRY("ttk_eventfd_signal", "eventfd_signal_mask") },
			       NULL,
			       true },
	[TTK_HOOK_IRQFD] = { "KVM irqfd wakeups",
			     { { HOOK_KPROBE, "ttk_irqfd_wakeup", "irqfd_wakeup" } },
			     "kvm",
			     true },
	[TTK_HOOK_DELIVER] = { "interrupts delivered to a vCPU",
			       { HOOK_FUNC_ENTRY("ttk_accept_irq", "__apic_accept_irq"),
				 { HOOK_KPROBE, "ttk_deliver_interrupt", "vmx_deliver_interrupt" },
				 { HOOK_KPROBE, "ttk_posted_interrupt", "vmx_deliver_posted_interrupt" },
				 { HOOK_KPROBE, "ttk_deliver_interrupt", "svm_deliver_interrupt" },
				 { HOOK_KPROBE, "ttk_apic_set_irq", "kvm_apic_set_irq" } },
			       "kvm",
			       true },
};
const struct hook_table ttk_hook_table = { hook_defs, TTK_HOOKS };

/* ---- run ---- */

static struct ttk_stats stats;
static struct ttk_output output;
static struct hook_set hooks;
static struct event_channel *channel;
static unsigned long long n_events;

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct ttk_event ev = { 0 };
	char when[40];

	(void)ctx;
	if (size < sizeof(ev))
		return;
	memcpy(&ev, data, sizeof(ev));
	n_events++;
	ttk_stats_add(&stats, &ev);
	fmt_wall_ns_ms(ktime_to_wall_ns(ev.ts_ns), when, sizeof(when));
	ttk_output_event(&output, &ev, when);
	if (g_common.json)
		ttk_print_event_json(stdout, &ev, when, false);
	else
		ttk_print_event(stdout, &ev, when);
}

static void stats_report(void *ctx)
{
	(void)ctx;
	if (g_common.json)
		ttk_print_stats_json(stdout, &stats, false);
	else
		ttk_print_stats(stdout, &stats);
	output_flush();
}

static char attached[TTK_STAGES + 1][512];

/* The "Successfully attached" lines, and what the original said of optional probes it missed. */
static void describe_attach(struct ttk_banner *b)
{
	static const char *const what[TTK_HOOKS] = {
		"", "", "", " (KVM interrupt injection)", " (IRQ bypass hardware path)",
	};

	for (int i = 0; i < TTK_HOOKS; i++) {
		const struct hook_choice *c = &hooks.c[i];

		if (hook_active(&hooks, i)) {
			snprintf(attached[i + 1], sizeof(attached[i + 1]), "Successfully attached to %s%s",
				 c->symbol,
				 i == TTK_HOOK_DELIVER && strcmp(c->symbol, "vmx_deliver_posted_interrupt")
					 ? " (interrupt delivery to a vCPU)"
					 : what[i]);
			b->attached[i + 1] = attached[i + 1];
			continue;
		}
		if (i == TTK_HOOK_EVENTFD)
			snprintf(attached[i + 1], sizeof(attached[i + 1]),
				 "Warning: eventfd_signal not available: %s",
				 c->why[0] ? c->why : strerror(errno));
		else if (opt.debug)
			snprintf(attached[i + 1], sizeof(attached[i + 1]), "Note: %s not available: %s",
				 hook_defs[i].cand[0].target, c->why[0] ? c->why : "could not be attached");
		else
			continue;
		b->attached[i + 1] = attached[i + 1];
	}
	if (hook_active(&hooks, TTK_HOOK_DELIVER))
		b->stage5 = hooks.c[TTK_HOOK_DELIVER].symbol;
}

static void fill_config(struct ttk_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (opt.device)
		dev_name_set_parse(&cfg->device, opt.device, &opt.device);
	cfg->filter = pkt_filter_ipv4(opt.saddr, opt.daddr, opt.sport, opt.dport, opt.protocol,
				      PKT_F_IPV4_ONLY | PKT_F_PORTS_TCP_UDP);
	if (opt.queue >= 0) {
		cfg->filter_queue = 1;
		cfg->queue = opt.queue;
	}
	cfg->filter_icmp = opt.icmp_id || opt.icmp_seq;
	cfg->icmp_id = opt.icmp_id;
	cfg->icmp_seq = opt.icmp_seq;
	cfg->eventfd_probe = hook_chosen(&hooks, TTK_HOOK_EVENTFD) != NULL;
}

int main(int argc, char **argv)
{
	struct tun_tx_to_kvm_irq_bpf *skel;
	struct ttk_config cfg;
	struct ttk_banner b = { 0 };
	char release[64], distro[64];
	const char *proto;

	args_parse(&parser, argc, argv);
	if (opt.traffic) {
		ttk_print_traffic_help(stdout);
		return 0;
	}
	tool_init("tun_tx_to_kvm_irq");
	hook_set_init(&hooks, ttk_hook_table.defs, ttk_hook_table.n, 0);
	hooks.quiet = true;
	require_function_hooks("tun_net_xmit, the vhost signal and the KVM irqfd have no tracepoints");
	skel = BPFNET_OPEN(tun_tx_to_kvm_irq_bpf);
	hook_prepare(&hooks, skel->obj);
	if (!kernel_struct_exists("tun_struct", "tun") || !kernel_struct_exists("vhost_virtqueue", "vhost"))
		die("no BTF describes the tun and vhost modules' structs (module BTF came in 5.11): "
		    "pass --btf DIR with tun and vhost files, or BPFNET_BTF (README, \"Kernels without "
		    "BTF\")");
	if (hook_chosen(&hooks, TTK_HOOK_IRQFD) && !kernel_struct_exists("kvm_kernel_irqfd", "kvm"))
		die("no BTF describes kvm's struct kvm_kernel_irqfd (module BTF came in 5.11): "
		    "pass --btf DIR with a kvm file, or BPFNET_BTF (README, \"Kernels without BTF\")");
	if (opt.output) {
		output.f = fopen(opt.output, "w");
		if (!output.f)
			die("cannot write %s: %s", opt.output, strerror(errno));
	}
	bpfload_load(skel->skeleton);
	channel = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	fill_config(&cfg);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		release_major_minor(kernel_release(), release, sizeof(release));
		os_release_id("/etc/os-release", distro, sizeof(distro));
		proto = opt.protocol ? l4proto_choice(proto_choices, opt.protocol) : NULL;
		b = (struct ttk_banner){ .release = release,
					 .distro = distro,
					 .irqbypass = access("/sys/module/irqbypass", F_OK) == 0,
					 .vring_call = kernel_struct_exists("vhost_vring_call", "vhost"),
					 .device = opt.device,
					 .queue = opt.queue,
					 .saddr = opt.saddr,
					 .daddr = opt.daddr,
					 .sport = opt.sport,
					 .dport = opt.dport,
					 .icmp_id = opt.icmp_id,
					 .icmp_seq = opt.icmp_seq,
					 .analyze = opt.analyze,
					 .interval = opt.stats_interval };
		b.protocol = proto;
		describe_attach(&b);
		ttk_print_banner(stdout, &b);
	} else {
		/* Standard output is JSON: what the original said of missing probes goes to stderr. */
		describe_attach(&b);
		for (int i = 1; i <= TTK_STAGES; i++)
			if (b.attached[i] && strncmp(b.attached[i], "Successfully", 12))
				fprintf(stderr, "%s\n", b.attached[i]);
	}
	output_flush();
	if (opt.analyze)
		events_trace_every(channel, &hooks, opt.stats_interval, stats_report, "");
	else
		events_trace(channel, &hooks, 0, "");
	if (g_common.json) {
		struct final_count counts[] = { { "events", n_events } };

		ttk_print_stats_json(stdout, &stats, true);
		events_print_final_json(stdout, counts, ARRAY_SIZE(counts), events_lost(channel));
	} else {
		printf("\n%s\nTUN TX INTERRUPT TRACING STOPPED - FINAL SUMMARY\n%s\n", RULE, RULE);
		if (opt.analyze)
			ttk_print_stats(stdout, &stats);
		if (opt.output)
			printf("\nTrace data saved to: %s\n", opt.output);
		printf("\nTUN TX Queue Interrupt Tracing completed.\nTotal events collected: %llu\n",
		       n_events);
		if (events_lost(channel))
			printf("Lost events: %llu\n", (unsigned long long)events_lost(channel));
	}
	ttk_output_close(&output);
	output_flush();
	ttk_stats_free(&stats);
	events_close(channel);
	tun_tx_to_kvm_irq_bpf__destroy(skel);
	return 0;
}
