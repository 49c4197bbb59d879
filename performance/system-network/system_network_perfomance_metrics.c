// SPDX-License-Identifier: GPL-2.0-only
/* system_network_perfomance_metrics: per-packet record of every stage of the host network path. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "json.h"
#include "log.h"
#include "netstage.h"
#include "runtime.h"
#include "sysnet_stages.h"
#include "timefmt.h"
#include "system_network_perfomance_metrics.h"
#include "system_network_perfomance_metrics.skel.h"

static struct {
	const char *internal_interface;
	double duration;
	bool enable_ct, verbose;
	struct netstage_opts net;
} opt = { .net = { .direction = NETSTAGE_DIR_BOTH, .session_timeout = 1 } };

static const struct arg_opt options[] = {
	OPT_IFNAME("internal-interface", 0, &opt.internal_interface,
		   "OVS internal port that carries the host's IP (e.g. port-mgt)", .flags = ARG_REQUIRED),
	OPT_STR("phy-interface", 0, &opt.net.phy_interface,
		"physical interface(s), comma-separated for bond members (e.g. eth0 or eth0,eth1)",
		.flags = ARG_REQUIRED),
	NETSTAGE_FILTER_OPTIONS(opt.net),
	OPT_PROTO("protocol", 0, &opt.net.protocol, "protocol filter",
		  .choices = netstage_proto_icmp_choices),
	OPT_ENUM("direction", 0, &opt.net.direction, netstage_dir_choices,
		 "tx = SYSTEM_TX (local -> uplink), rx = SYSTEM_RX (uplink -> local), both"),
	NETSTAGE_LATENCY_OPTION(opt.net),
	OPT_FLAG("enable-ct", 0, &opt.enable_ct,
		 "measure conntrack: nf_conntrack_in stages (CT_*, CT_OUT_*) and the CT: lookup time"),
	OPT_FLAG("verbose", 0, &opt.verbose,
		 "also report packets that stopped before their last stage (FLOW INCOMPLETE)"),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.net),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "system_network_perfomance_metrics",
	.description = "System network performance tracer: for every host packet, each kernel stage it "
		       "crossed (host stack, OVS internal port, OVS datapath, conntrack, NIC qdisc) with "
		       "its skb, device and CPU",
	.epilog =
		"examples:\n"
		"  system_network_perfomance_metrics --internal-interface port-storage --phy-interface ens11 "
		"--src-ip 10.132.114.11 --dst-ip 10.132.114.12 --direction rx --protocol tcp\n"
		"  system_network_perfomance_metrics --internal-interface br0 --phy-interface eth0 "
		"--enable-ct --verbose",
	.opts = options,
};

/* ---- output ---- */

static const char *stage_name(unsigned id, char *buf, size_t len)
{
	const struct netstage_stage *st = netstage_stage(&sysnet_metrics_model, id);

	if (st)
		return st->name;
	snprintf(buf, len, "Unknown_%u", id);
	return buf;
}

/* The stages the packet reached, sorted by time; returns how many. */
static int seen_stages(const struct smm_session *ev, int *order)
{
	int n = 0;

	for (int i = 0; i < SMM_STAGES; i++) {
		int j = n++;

		if (!ev->stages[i].ts) {
			n--;
			continue;
		}
		while (j > 0 && ev->stages[order[j - 1]].ts > ev->stages[i].ts) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return n;
}

static void flow_lines(FILE *f, const struct smm_session *ev)
{
	const struct netstage_key *k = &ev->hdr.key;
	const char *dir = ev->hdr.dir == NS_TX ? "SYSTEM_TX" : "SYSTEM_RX";
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

static void stage_lines(FILE *f, const struct smm_session *ev, const int *order, int n)
{
	char name[32];

	for (int i = 0; i < n; i++) {
		const struct smm_stage_rec *r = &ev->stages[order[i]];

		fprintf(f, "  Stage %s: (KTIME=%lluns)", stage_name((unsigned)order[i], name, sizeof(name)),
			(unsigned long long)r->ts);
		if (i)
			fprintf(f, " (+%.3fus)", (double)(r->ts - ev->stages[order[i - 1]].ts) / 1000.0);
		fprintf(f, "\n    SKB: ptr=0x%llx len=%u data_len=%u queue_mapping=%u hash=0x%x\n",
			(unsigned long long)r->skb, r->len, r->data_len, r->queue_mapping, r->hash);
		fprintf(f, "    DEV: %.16s (ifindex=%u) CPU=%u\n", r->devname, r->ifindex, r->cpu);
	}
}

static void summary_lines(FILE *f, const struct smm_session *ev, const int *order, int n, bool complete)
{
	const struct smm_stage_rec *first = &ev->stages[order[0]], *last = &ev->stages[order[n - 1]];
	const struct smm_stage_rec *deq = &ev->stages[SM_PHY_QDISC_DEQ];

	if (n >= 2)
		fprintf(f, "  TOTAL DURATION: %.3fus\n", (double)(last->ts - first->ts) / 1000.0);
	fprintf(f, "  PACKET: len=%u data_len=%u queue_mapping=%u skb_hash=0x%x\n", first->len,
		first->data_len, first->queue_mapping, first->hash);
	fprintf(f, "  PROCESS: pid=%u comm=%.16s first_dev=%.16s\n", ev->pid, ev->comm, first->devname);
	fprintf(f, "  %s: dev=%.16s(ifindex=%u) cpu=%u\n", complete ? "FINAL_STAGE" : "LAST_SEEN_STAGE",
		last->devname, last->ifindex, last->cpu);
	/* The original printed qlen=0, a field nothing ever wrote. */
	if (ev->qdisc_enq_ns && deq->ts && deq->ts >= ev->qdisc_enq_ns)
		fprintf(f, "  PHY_QDISC: sojourn=%.3fus qlen=n/a\n",
			(double)(deq->ts - ev->qdisc_enq_ns) / 1000.0);
	if (ev->ct_lookup_ns)
		fprintf(f, "  CT: lookup=%.3fus\n", (double)ev->ct_lookup_ns / 1000.0);
}

/* order[0..n): the stages seen, from seen_stages(). */
static void print_record(FILE *f, const char *head, const struct smm_session *ev, const int *order, int n,
			 bool complete)
{
	fprintf(f, "%s", head);
	flow_lines(f, ev);
	if (n) {
		stage_lines(f, ev, order, n);
		summary_lines(f, ev, order, n, complete);
	}
	fputc('\n', f);
}

void smm_print_flow(FILE *f, const char *datetime, const struct smm_session *ev)
{
	int order[SMM_STAGES], n = seen_stages(ev, order);
	char head[128];

	snprintf(head, sizeof(head), "=== FLOW COMPLETE: %d stages captured === %s\n", n, datetime);
	print_record(f, head, ev, order, n, true);
}

void smm_print_incomplete(FILE *f, const char *datetime, const struct smm_session *ev, double idle_s)
{
	int order[SMM_STAGES], n = seen_stages(ev, order);
	char head[160];

	snprintf(head, sizeof(head), "=== FLOW INCOMPLETE: %d stages captured, idle for %.1fs === %s\n", n,
		 idle_s, datetime);
	print_record(f, head, ev, order, n, false);
}

void smm_print_json(FILE *f, const char *datetime, const struct smm_session *ev, int complete)
{
	const struct netstage_key *k = &ev->hdr.key;
	int order[SMM_STAGES], n = seen_stages(ev, order);
	char a[32], name[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", datetime);
	json_bool(&j, "complete", complete);
	json_str(&j, "direction", ev->hdr.dir == NS_TX ? "SYSTEM_TX" : "SYSTEM_RX");
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
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_arr(&j, "stages");
	for (int i = 0; i < n; i++) {
		const struct smm_stage_rec *r = &ev->stages[order[i]];

		json_obj(&j, NULL);
		json_str(&j, "name", stage_name((unsigned)order[i], name, sizeof(name)));
		json_uint(&j, "ktime_ns", r->ts);
		if (i)
			json_double(&j, "delta_us", (double)(r->ts - ev->stages[order[i - 1]].ts) / 1000.0);
		json_uint(&j, "skb", r->skb);
		json_uint(&j, "len", r->len);
		json_uint(&j, "data_len", r->data_len);
		json_uint(&j, "queue_mapping", r->queue_mapping);
		json_uint(&j, "hash", r->hash);
		json_str(&j, "dev", r->devname);
		json_uint(&j, "ifindex", r->ifindex);
		json_uint(&j, "cpu", r->cpu);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	if (n >= 2)
		json_double(&j, "total_us",
			    (double)(ev->stages[order[n - 1]].ts - ev->stages[order[0]].ts) / 1000.0);
	if (ev->qdisc_enq_ns && ev->stages[SM_PHY_QDISC_DEQ].ts >= ev->qdisc_enq_ns)
		json_double(&j, "qdisc_sojourn_us",
			    (double)(ev->stages[SM_PHY_QDISC_DEQ].ts - ev->qdisc_enq_ns) / 1000.0);
	if (ev->ct_lookup_ns)
		json_double(&j, "ct_lookup_us", (double)ev->ct_lookup_ns / 1000.0);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- the tool ---- */

static void print_session(FILE *f, const char *datetime, const void *session)
{
	if (g_common.json)
		smm_print_json(f, datetime, session, 1);
	else
		smm_print_flow(f, datetime, session);
}

static void on_stale(const void *session, uint64_t now)
{
	const struct smm_session *ev = session;
	char datetime[32];

	fmt_datetime_ms(datetime, sizeof(datetime));
	if (g_common.json)
		smm_print_json(stdout, datetime, ev, 0);
	else
		smm_print_incomplete(stdout, datetime, ev, (double)(now - ev->hdr.last_ns) / 1e9);
	fflush(stdout);
}

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	bool ct = netstage_hook_used(cfg, NS_HOOK_CT_IN);

	printf("=== System Network Performance Tracer ===\n");
	netstage_print_filters(stdout, cfg, &opt.net,
			       " (1=SYSTEM_TX/Local\u2192Uplink, 2=SYSTEM_RX/Uplink\u2192Local)");
	printf("Internal interface: %s (ifindex %u)\n", opt.internal_interface, cfg->internal.ifindex[0]);
	netstage_print_phy(stdout, opt.net.phy_interface, &cfg->phy);
	printf("Conntrack measurement: %s\n", ct ? "ENABLED" : "DISABLED");
	netstage_print_threshold(stdout, &opt.net);
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nTracing system network performance... Hit Ctrl-C to end.\n");
	printf("Format: Complete flow summary at last stage with absolute kernel timestamps\n");
	printf("        System TX: IP_QUEUE_XMIT/IP_SEND_SKB/IP_OUTPUT -> PHY_TX\n");
	printf("        System RX: PHY_RX -> TCP_UDP_RCV/ICMP_RCV\n");
	printf("        Note: Internal port has NO qdisc (unlike physical interface)\n\n");
}

int main(int argc, char **argv)
{
	struct system_network_perfomance_metrics_bpf *skel;
	struct netstage_config cfg = { 0 };
	struct netstage_probes probes;
	unsigned protocols, dirs;

	args_parse(&parser, argc, argv);
	protocols = netstage_opts_apply(&cfg, &opt.net, NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP, &dirs);
	tool_init("system_network_perfomance_metrics");
	iface_set_add(&cfg.internal, opt.internal_interface);
	netstage_opts_resolve(&cfg, &opt.net);
	netstage_rules_build(&cfg, &sysnet_metrics_model, dirs, protocols);
	if (!opt.enable_ct) {
		netstage_hook_clear(&cfg, NS_HOOK_CT_IN);
		netstage_hook_clear(&cfg, NS_HOOK_CT_DONE);
	}

	skel = BPFNET_OPEN(system_network_perfomance_metrics_bpf);
	netstage_probes_select(&probes, skel->obj, &cfg, &sysnet_metrics_model);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	netstage_trace(
		&(struct netstage_tracer){ NETSTAGE_TRACER_MAPS(skel),
					   .session_size = sizeof(struct smm_session), .print = print_session,
					   .stale = opt.verbose ? on_stale : NULL, .banner = print_banner },
		&probes, &cfg, opt.duration);
	system_network_perfomance_metrics_bpf__destroy(skel);
	return 0;
}
