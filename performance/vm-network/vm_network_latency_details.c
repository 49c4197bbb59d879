// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_network_latency_details: for every packet of a VM, the latency between the kernel stages it
 * crossed between the VM's tap and the physical NIC (OVS datapath, upcall, vport send).
 */
#include <arpa/inet.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "json.h"
#include "log.h"
#include "netstage.h"
#include "netstage_path.h"
#include "runtime.h"
#include "util.h"
#include "vm_network_latency_details.h"
#include "vm_network_latency_details.skel.h"
#include "vmnet_stages.h"

#define RULE80 "================================================================================"
#define ALL_PROTOCOLS (NS_PROTO_TCP | NS_PROTO_UDP | NS_PROTO_ICMP)

static struct {
	const char *vm_interface;
	double duration;
	struct netstage_opts net;
} opt = { .net = { .session_timeout = 1 } };

static const struct arg_opt options[] = {
	NETSTAGE_FILTER_OPTIONS(opt.net),
	OPT_PROTO("protocol", 0, &opt.net.protocol, "protocol filter",
		  .choices = netstage_proto_icmp_choices),
	OPT_ENUM("direction", 0, &opt.net.direction, vmnet_dir_choices,
		 "tx = VM TX (VM -> physical NIC), rx = VM RX (physical NIC -> VM)", .flags = ARG_REQUIRED),
	OPT_IFNAME("vm-interface", 0, &opt.vm_interface,
		   "the VM's tap/vnet interface on this host (e.g. vnet0)", .flags = ARG_REQUIRED),
	OPT_STR("phy-interface", 0, &opt.net.phy_interface,
		"physical interface(s), comma-separated for bond members (e.g. eth0 or eth0,eth1)",
		.flags = ARG_REQUIRED),
	NETSTAGE_LATENCY_OPTION(opt.net),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.net),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vm_network_latency_details",
	.description = "VM network latency tracer: for every packet of a VM, the latency between the kernel "
		       "stages it crossed between the VM's tap and the physical NIC (OVS datapath, upcall, "
		       "vport send)",
	.epilog =
		"examples:\n"
		"  vm_network_latency_details --vm-interface vnet0 --phy-interface enp94s0f0np0 "
		"--direction tx --src-ip 192.168.76.198 --dst-ip 192.168.64.1 --protocol tcp\n"
		"  vm_network_latency_details --vm-interface vnet0 --phy-interface ens4 --direction rx "
		"--protocol icmp --latency-us 100\n"
		"  vm_network_latency_details --vm-interface vnet0 --phy-interface eth0,eth1 --direction tx "
		"--duration 60 --json",
	.opts = options,
};

/* ---- output ---- */

static const char *proto_name(unsigned p)
{
	return p == IPPROTO_TCP ? "TCP" : p == IPPROTO_UDP ? "UDP" : p == IPPROTO_ICMP ? "ICMP" : "Unknown";
}

/* The stage names say which way the tap sees the packet: VM TX is its "RX" path. */
static const char *path_label(const struct vmd_session *ev)
{
	return ev->hdr.dir == NS_TX ? "RX" : "TX";
}

void vmd_print_event(FILE *f, const char *datetime, const struct vmd_session *ev)
{
	const struct netstage_key *k = &ev->hdr.key;
	const struct netstage_stage *st[NS_MAX_POS];
	int n = netstage_seen_stages(&vmnet_details_model, ev->hdr.dir, ev->ts, VMD_STAGES, st);
	char src[32], dst[32];

	ipv4_format(k->saddr, src, sizeof(src));
	ipv4_format(k->daddr, dst, sizeof(dst));
	fprintf(f, "=== VM Network Latency Trace: %s ===\n", datetime);
	fprintf(f, "Flow: %s -> %s (%s)\n", src, dst, proto_name(k->protocol));
	if (k->protocol == IPPROTO_TCP)
		fprintf(f, "TCP: %s:%u -> %s:%u (seq=%u, payload=%u bytes)\n", src, ntohs(k->tcp.sport), dst,
			ntohs(k->tcp.dport), ntohl(k->tcp.seq), ev->hdr.payload_len);
	else if (k->protocol == IPPROTO_UDP)
		/* Later fragments have no ports and are not traced: the offset is always 0. */
		fprintf(f, "UDP: %s:%u -> %s:%u (ip_id=%u, frag_off=0)\n", src, ntohs(k->udp.sport), dst,
			ntohs(k->udp.dport), ntohs(k->udp.ip_id));
	else if (k->protocol == IPPROTO_ICMP)
		fprintf(f, "ICMP: %s -> %s (id=%u, seq=%u, type=%u)\n", src, dst, ntohs(k->icmp.id),
			ntohs(k->icmp.seq), k->icmp.type);
	if (ev->hdr.dir == NS_TX)
		fprintf(f, "VM Interface: %.16s -> Physical Interface: %.16s\n", ev->first_ifname,
			ev->last_ifname);
	else
		fprintf(f, "Physical Interface: %.16s -> VM Interface: %.16s\n", ev->first_ifname,
			ev->last_ifname);
	if (ev->pid)
		fprintf(f, "%s Process: PID=%u COMM=%.16s\n", path_label(ev), ev->pid, ev->comm);
	netstage_print_path(f, path_label(ev), st, n, ev->ts);
	fprintf(f, "\n%s\n\n", RULE80);
}

void vmd_print_json(FILE *f, const char *datetime, const struct vmd_session *ev)
{
	const struct netstage_key *k = &ev->hdr.key;
	const struct netstage_stage *st[NS_MAX_POS];
	int n = netstage_seen_stages(&vmnet_details_model, ev->hdr.dir, ev->ts, VMD_STAGES, st);
	char src[32], dst[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", datetime);
	json_str(&j, "direction", ev->hdr.dir == NS_TX ? "tx" : "rx");
	json_str(&j, "protocol",
		 k->protocol == IPPROTO_TCP   ? "tcp"
		 : k->protocol == IPPROTO_UDP ? "udp"
					      : "icmp");
	json_str(&j, "src_ip", ipv4_format(k->saddr, src, sizeof(src)));
	json_str(&j, "dst_ip", ipv4_format(k->daddr, dst, sizeof(dst)));
	if (k->protocol == IPPROTO_TCP) {
		json_uint(&j, "src_port", ntohs(k->tcp.sport));
		json_uint(&j, "dst_port", ntohs(k->tcp.dport));
		json_uint(&j, "seq", ntohl(k->tcp.seq));
		json_uint(&j, "payload", ev->hdr.payload_len);
	} else if (k->protocol == IPPROTO_UDP) {
		json_uint(&j, "src_port", ntohs(k->udp.sport));
		json_uint(&j, "dst_port", ntohs(k->udp.dport));
		json_uint(&j, "ip_id", ntohs(k->udp.ip_id));
	} else {
		json_uint(&j, "icmp_id", ntohs(k->icmp.id));
		json_uint(&j, "icmp_seq", ntohs(k->icmp.seq));
		json_uint(&j, "icmp_type", k->icmp.type);
	}
	json_str(&j, ev->hdr.dir == NS_TX ? "vm_ifname" : "phy_ifname", ev->first_ifname);
	json_str(&j, ev->hdr.dir == NS_TX ? "phy_ifname" : "vm_ifname", ev->last_ifname);
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	netstage_path_json(&j, st, n, ev->ts);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- the tool ---- */

static void print_session(FILE *f, const char *datetime, const void *session)
{
	if (g_common.json)
		vmd_print_json(f, datetime, session);
	else
		vmd_print_event(f, datetime, session);
}

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	printf("=== VM Network Latency Tracer ===\n");
	netstage_print_filters(stdout, cfg, &opt.net, "");
	printf("VM interface: %s (ifindex %u)\n", opt.vm_interface, cfg->vm.ifindex[0]);
	netstage_print_phy(stdout, opt.net.phy_interface, &cfg->phy);
	netstage_print_threshold(stdout, &opt.net);
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nTracing VM network latency... Hit Ctrl-C to end.\n\n");
}

int main(int argc, char **argv)
{
	struct vm_network_latency_details_bpf *skel;
	struct netstage_config cfg = { 0 };
	struct netstage_probes probes;
	unsigned protocols, dirs;

	args_parse(&parser, argc, argv);
	protocols = netstage_opts_apply(&cfg, &opt.net, ALL_PROTOCOLS, &dirs);
	tool_init("vm_network_latency_details");
	iface_set_add(&cfg.vm, opt.vm_interface);
	netstage_opts_resolve(&cfg, &opt.net);
	netstage_rules_build(&cfg, &vmnet_details_model, dirs, protocols);

	skel = BPFNET_OPEN(vm_network_latency_details_bpf);

	netstage_load(&probes, skel->skeleton, &cfg, &vmnet_details_model);
	netstage_trace(&(struct netstage_tracer){ NETSTAGE_TRACER_MAPS(skel),
						  .session_size = sizeof(struct vmd_session),
						  .print = print_session, .banner = print_banner },
		       &probes, &cfg, opt.duration);
	vm_network_latency_details_bpf__destroy(skel);
	return 0;
}
