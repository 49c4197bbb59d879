// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_network_performance_metrics: per-packet record of every stage of a VM's packets between its
 * tap and the physical NIC (OVS datapath, conntrack, qdiscs), with the skb, device and CPU each
 * stage saw, and the hits per stage at exit.
 */
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "log.h"
#include "netstage.h"
#include "netstage_record.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "util.h"
#include "vm_network_performance_metrics.h"
#include "vm_network_performance_metrics.skel.h"
#include "vmnet_stages.h"

static struct {
	struct vmnet_opts vm;
	double duration;
	bool verbose;
} opt = { .vm = { .net = { .session_timeout = 1 } } };

static const struct arg_opt options[] = {
	VMNET_TARGET_OPTIONS(opt.vm),
	OPT_ENUM(
		"direction", 0, &opt.vm.net.direction, vmnet_dir_choices,
		"tx = VM TX (VM -> physical NIC, stages 1-11), rx = VM RX (physical NIC -> VM, stages 12-21)",
		.flags = ARG_REQUIRED),
	NETSTAGE_LATENCY_OPTION(opt.vm.net),
	VMNET_CT_OPTION(opt.vm),
	OPT_FLAG("verbose", 0, &opt.verbose,
		 "also report packets that stopped before their last stage (FLOW INCOMPLETE)"),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.vm.net),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vm_network_performance_metrics",
	.description = "VM network performance tracer: for every packet of a VM, each kernel stage it "
		       "crossed between the VM's tap and the physical NIC (OVS datapath, conntrack, qdisc) "
		       "with its skb, device and CPU",
	.epilog = "examples:\n"
		  "  vm_network_performance_metrics --vm-interface vnet0 --phy-interface ens4 --direction rx "
		  "--src-ip 172.21.153.114 --dst-ip 172.21.153.113 --protocol tcp\n"
		  "  vm_network_performance_metrics --vm-interface vnet0 --phy-interface eth0,eth1 "
		  "--direction tx --vm-ip 192.168.76.198 --latency-us 100\n"
		  "  vm_network_performance_metrics --vm-interface vnet0 --phy-interface ens4 --direction tx "
		  "--duration 60 --json",
	.opts = options,
};

/* ---- output ---- */

static const struct netstage_rec_qdisc qdiscs[] = { { VS_QDISC_DEQ, "QDISC" },
						    { VS_VNET_QDISC_DEQ, "VNET_QDISC" } };

/* The original's layout: stages in stage id order, its time first, directions named from the tap. */
static const struct netstage_rec_style style = {
	.m = &vmnet_model,
	.dir_names = { [NS_TX] = "VNET_RX", [NS_RX] = "VNET_TX" },
	.by_id = true,
	.time_first = true,
	.qdiscs = qdiscs,
	.nqdiscs = ARRAY_SIZE(qdiscs),
};

void vmm_print_flow(FILE *f, const char *datetime, const struct vmm_session *ev)
{
	netstage_rec_print(f, &style, datetime, NETSTAGE_REC_OF(ev));
}

void vmm_print_incomplete(FILE *f, const char *datetime, const struct vmm_session *ev, double idle_s)
{
	netstage_rec_print_incomplete(f, &style, datetime, NETSTAGE_REC_OF(ev), idle_s);
}

void vmm_print_json(FILE *f, const char *datetime, const struct vmm_session *ev, int complete)
{
	netstage_rec_json(f, &style, datetime, NETSTAGE_REC_OF(ev), complete);
}

/* ---- the tool ---- */

static void print_session(FILE *f, const char *datetime, const void *session)
{
	if (g_common.json)
		vmm_print_json(f, datetime, session, 1);
	else
		vmm_print_flow(f, datetime, session);
}

static void on_stale(const void *session, uint64_t now)
{
	const struct vmm_session *ev = session;
	char datetime[32];

	fmt_datetime_ms(datetime, sizeof(datetime));
	if (g_common.json)
		vmm_print_json(stdout, datetime, ev, 0);
	else
		vmm_print_incomplete(stdout, datetime, ev, (double)(now - ev->hdr.last_ns) / 1e9);
	output_event_end();
}

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	printf("=== VM Network Performance Tracer ===\n");
	netstage_print_filters(stdout, cfg, &opt.vm.net, " (tx=VM_TX, rx=VM_RX)");
	printf("VM interface: %s (ifindex %u)\n", opt.vm.vm_interface, cfg->vm.ifindex[0]);
	netstage_print_phy(stdout, opt.vm.net.phy_interface, &cfg->phy);
	if (netstage_hook_used(cfg, NS_HOOK_CT_IN))
		printf("Conntrack measurement: ENABLED\n");
	else
		printf("Conntrack measurement: DISABLED (nf_conntrack_in cannot be probed)\n");
	netstage_print_threshold(stdout, &opt.vm.net);
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nTracing VM network performance... Hit Ctrl-C to end.\n");
	printf("Format: [YYYY-MM-DD HH:MM:SS.mmm] === FLOW COMPLETE: <n> stages captured ===\n");
	printf("        FLOW: src -> dst (protocol_identifier)\n");
	printf("        each stage by stage id: KTIME, SKB, DEV, CPU\n");
	printf("        Complete flow summary at last stage with absolute kernel timestamps\n\n");
}

int main(int argc, char **argv)
{
	struct vm_network_performance_metrics_bpf *skel;
	struct netstage_config cfg = { 0 };
	struct netstage_model model;
	struct netstage_probes probes;

	args_parse(&parser, argc, argv);
	vmnet_configure(&cfg, &model, &opt.vm, "vm_network_performance_metrics");

	skel = BPFNET_OPEN(vm_network_performance_metrics_bpf);
	netstage_load(&probes, skel->skeleton, &cfg, &model);
	netstage_trace(
		&(struct netstage_tracer){ NETSTAGE_TRACER_MAPS(skel),
					   .session_size = sizeof(struct vmm_session), .print = print_session,
					   .stale = opt.verbose ? on_stale : NULL, .banner = print_banner,
					   .probe_stats = skel->maps.netstage_probe_stats },
		&probes, &cfg, opt.duration);
	vm_network_performance_metrics_bpf__destroy(skel);
	return 0;
}
