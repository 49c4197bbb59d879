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
#include "netstage_record.h"
#include "output.h"
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

static const struct netstage_rec_qdisc qdiscs[] = { { SM_PHY_QDISC_DEQ, "PHY_QDISC" } };

static const struct netstage_rec_style style = {
	.m = &sysnet_metrics_model,
	.dir_names = { [NS_TX] = "SYSTEM_TX", [NS_RX] = "SYSTEM_RX" },
	.ktime_parens = true,
	.qdiscs = qdiscs,
	.nqdiscs = 1,
};

void smm_print_flow(FILE *f, const char *datetime, const struct smm_session *ev)
{
	netstage_rec_print(f, &style, datetime, NETSTAGE_REC_OF(ev));
}

void smm_print_incomplete(FILE *f, const char *datetime, const struct smm_session *ev, double idle_s)
{
	netstage_rec_print_incomplete(f, &style, datetime, NETSTAGE_REC_OF(ev), idle_s);
}

void smm_print_json(FILE *f, const char *datetime, const struct smm_session *ev, int complete)
{
	netstage_rec_json(f, &style, datetime, NETSTAGE_REC_OF(ev), complete);
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
	output_event_end();
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
	netstage_load(&probes, skel->skeleton, &cfg, &sysnet_metrics_model);
	netstage_trace(
		&(struct netstage_tracer){ NETSTAGE_TRACER_MAPS(skel),
					   .session_size = sizeof(struct smm_session), .print = print_session,
					   .stale = opt.verbose ? on_stale : NULL, .banner = print_banner },
		&probes, &cfg, opt.duration);
	system_network_perfomance_metrics_bpf__destroy(skel);
	return 0;
}
