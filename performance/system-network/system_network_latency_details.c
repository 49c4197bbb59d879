// SPDX-License-Identifier: GPL-2.0-only
/* system_network_latency_details: per-packet latency between the stages of the host network path. */
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
#include "netstage_path.h"
#include "runtime.h"
#include "sysnet_stages.h"
#include "timefmt.h"
#include "system_network_latency_details.h"
#include "system_network_latency_details.skel.h"

#define RULE80 "================================================================================"

static struct {
	double duration;
	struct netstage_opts net;
} opt = { .net = { .session_timeout = 1 } };

static const struct arg_opt options[] = {
	NETSTAGE_FILTER_OPTIONS(opt.net),
	OPT_PROTO("protocol", 0, &opt.net.protocol, "protocol filter (all = TCP and UDP)",
		  .choices = netstage_proto_choices),
	OPT_ENUM("direction", 0, &opt.net.direction, netstage_dir_choices,
		 "tx = System -> Remote, rx = Remote -> System, both = both at once", .flags = ARG_REQUIRED),
	OPT_STR("phy-interface", 0, &opt.net.phy_interface,
		"physical interface(s), comma-separated for bond members (e.g. eth0 or eth0,eth1)",
		.flags = ARG_REQUIRED),
	NETSTAGE_LATENCY_OPTION(opt.net),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.net),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "system_network_latency_details",
	.description = "System network TCP/UDP latency tracer: for every packet of host traffic, the "
		       "latency between the kernel stages it crossed (host stack, OVS internal port, "
		       "OVS datapath, physical NIC)",
	.epilog =
		"examples:\n"
		"  system_network_latency_details --phy-interface ens11 --src-ip 10.132.114.12 "
		"--dst-ip 10.132.114.11 --direction rx --protocol tcp\n"
		"  system_network_latency_details --phy-interface eth0 --src-ip 192.168.1.100 "
		"--dst-ip 192.168.1.200 --direction both --protocol udp\n"
		"  system_network_latency_details --phy-interface eth0,eth1 --direction tx --latency-us 100",
	.opts = options,
};

/* ---- output ---- */

static const char *proto_name(unsigned p)
{
	return p == IPPROTO_TCP ? "TCP" : p == IPPROTO_UDP ? "UDP" : "Unknown";
}

static const char *tcp_flags(unsigned flags, char *buf, size_t len)
{
	/* The original's naming: FIN, SYN, RST when set, else ACK. */
	snprintf(buf, len, "%s%s%s", flags & 0x01 ? "FIN " : "", flags & 0x02 ? "SYN " : "",
		 flags & 0x04 ? "RST " : "");
	if (!buf[0])
		snprintf(buf, len, "ACK");
	else
		buf[strlen(buf) - 1] = 0;
	return buf;
}

void sld_print_event(FILE *f, const char *datetime, const struct sld_session *ev)
{
	const struct netstage_key *k = &ev->hdr.key;
	const struct netstage_stage *st[NS_MAX_POS];
	const char *dir = ev->hdr.dir == NS_TX ? "TX" : "RX";
	char src[32], dst[32], flags[32];
	int n = netstage_seen_stages(&sysnet_latency_model, ev->hdr.dir, ev->ts, SLD_STAGES, st);

	ipv4_format(k->saddr, src, sizeof(src));
	ipv4_format(k->daddr, dst, sizeof(dst));
	fprintf(f, "=== System Network %s Latency Trace: %s ===\n", proto_name(k->protocol), datetime);
	fprintf(f, "Direction: %s\n",
		ev->hdr.dir == NS_TX ? "TX (System -> Remote)" : "RX (Remote -> System)");
	fprintf(f, "Flow: %s -> %s (%s)\n", src, dst, proto_name(k->protocol));
	if (k->protocol == IPPROTO_TCP)
		fprintf(f, "TCP Segment: %s:%u -> %s:%u (seq=%u, payload=%u bytes, flags=%s)\n", src,
			ntohs(k->tcp.sport), dst, ntohs(k->tcp.dport), ntohl(k->tcp.seq), ev->hdr.payload_len,
			tcp_flags(ev->hdr.tcp_flags, flags, sizeof(flags)));
	else if (k->protocol == IPPROTO_UDP)
		fprintf(f, "UDP Packet: %s:%u -> %s:%u (ip_id=%u, len=%u bytes, no fragmentation)\n", src,
			ntohs(k->udp.sport), dst, ntohs(k->udp.dport), ntohs(k->udp.ip_id),
			ntohs(k->udp.len));
	if (ev->pid)
		fprintf(f, "%s Process: PID=%u COMM=%.16s IF=%.16s\n", dir, ev->pid, ev->comm, ev->ifname);

	netstage_print_path(f, dir, st, n, ev->ts);
	fprintf(f, "\n%s\n\n", RULE80);
}

void sld_print_json(FILE *f, const char *datetime, const struct sld_session *ev)
{
	const struct netstage_key *k = &ev->hdr.key;
	const struct netstage_stage *st[NS_MAX_POS];
	char src[32], dst[32];
	int n = netstage_seen_stages(&sysnet_latency_model, ev->hdr.dir, ev->ts, SLD_STAGES, st);
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", datetime);
	json_str(&j, "direction", ev->hdr.dir == NS_TX ? "tx" : "rx");
	json_str(&j, "protocol", ev->hdr.key.protocol == IPPROTO_TCP ? "tcp" : "udp");
	json_str(&j, "src_ip", ipv4_format(k->saddr, src, sizeof(src)));
	json_str(&j, "dst_ip", ipv4_format(k->daddr, dst, sizeof(dst)));
	json_uint(&j, "src_port", ntohs(k->tcp.sport));
	json_uint(&j, "dst_port", ntohs(k->tcp.dport));
	if (k->protocol == IPPROTO_TCP) {
		json_uint(&j, "seq", ntohl(k->tcp.seq));
		json_uint(&j, "payload", ev->hdr.payload_len);
		json_uint(&j, "tcp_flags", ev->hdr.tcp_flags);
	} else {
		json_uint(&j, "ip_id", ntohs(k->udp.ip_id));
		json_uint(&j, "len", ntohs(k->udp.len));
	}
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "ifname", ev->ifname);
	netstage_path_json(&j, st, n, ev->ts);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- the tool ---- */

static void print_session(FILE *f, const char *datetime, const void *session)
{
	if (g_common.json)
		sld_print_json(f, datetime, session);
	else
		sld_print_event(f, datetime, session);
}

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	printf("=== System Network TCP/UDP Latency Tracer ===\n");
	netstage_print_filters(stdout, cfg, &opt.net, "");
	netstage_print_phy(stdout, opt.net.phy_interface, &cfg->phy);
	netstage_print_threshold(stdout, &opt.net);
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nTracing system network TCP/UDP latency... Hit Ctrl-C to end.\n");
	printf("Generate some TCP/UDP traffic to see results...\n\n");
}

int main(int argc, char **argv)
{
	struct system_network_latency_details_bpf *skel;
	struct netstage_config cfg = { 0 };
	struct netstage_probes probes;
	unsigned protocols, dirs;

	args_parse(&parser, argc, argv);
	protocols = netstage_opts_apply(&cfg, &opt.net, NS_PROTO_TCP | NS_PROTO_UDP, &dirs);
	tool_init("system_network_latency_details");
	netstage_opts_resolve(&cfg, &opt.net);
	netstage_rules_build(&cfg, &sysnet_latency_model, dirs, protocols);

	skel = BPFNET_OPEN(system_network_latency_details_bpf);

	netstage_load(&probes, skel->skeleton, &cfg, &sysnet_latency_model);
	netstage_trace(&(struct netstage_tracer){ NETSTAGE_TRACER_MAPS(skel),
						  .session_size = sizeof(struct sld_session),
						  .print = print_session, .banner = print_banner },
		       &probes, &cfg, opt.duration);
	system_network_latency_details_bpf__destroy(skel);
	return 0;
}
