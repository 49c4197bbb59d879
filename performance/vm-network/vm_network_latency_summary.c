// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_network_latency_summary: per-interval log2 histograms of the latency between the adjacent
 * stages of a VM's packets on the host (tap, OVS datapath, conntrack, qdisc, physical NIC).
 */
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "hist.h"
#include "hist_rows.h"
#include "json.h"
#include "log.h"
#include "netstage.h"
#include "runtime.h"
#include "util.h"
#include "vm_network_latency_summary.h"
#include "vm_network_latency_summary.skel.h"
#include "vmnet_stages.h"

#define RULE80 "================================================================================"
#define RULE60 "------------------------------------------------------------"

static struct {
	struct vmnet_opts vm;
	double interval, duration;
	struct prom_opts prom;
} opt = { .interval = 5, .vm = { .net = { .session_timeout = 1 } } };

static const struct arg_opt options[] = {
	VMNET_TARGET_OPTIONS(opt.vm),
	OPT_ENUM("direction", 0, &opt.vm.net.direction, vmnet_dir_choices,
		 "tx = VM TX (VM -> external), rx = VM RX (external -> VM)", .flags = ARG_REQUIRED),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE, "statistics interval in seconds"),
	VMNET_CT_OPTION(opt.vm),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.vm.net),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "vm_network_latency_summary",
	.description = "VM network adjacent stage latency histogram tool: log2 histograms of the latency "
		       "between adjacent kernel stages of a VM's traffic (tap, OVS datapath, conntrack, "
		       "qdisc, physical NIC), per interval",
	.epilog = "examples:\n"
		  "  vm_network_latency_summary --vm-interface vnet37 --phy-interface enp94s0f0np0 "
		  "--direction tx --src-ip 192.168.76.198 --interval 5\n"
		  "  vm_network_latency_summary --vm-interface vnet37 --phy-interface eth0,eth1 "
		  "--direction rx --vm-ip 192.168.76.198 --protocol icmp\n"
		  "  vm_network_latency_summary --vm-interface vnet0 --phy-interface eth0 --direction tx "
		  "--duration 60 --json",
	.opts = options,
};

/* ---- output ---- */

static const char *stage_name(unsigned dir, unsigned pos, char *buf, size_t len)
{
	const struct netstage_stage *st = netstage_stage_at(&vmnet_model, dir, pos);

	if (st)
		return st->name;
	snprintf(buf, len, "UNKNOWN_%u_%u", dir, pos);
	return buf;
}

/* The one direction the tool traces (--direction). */
static unsigned traced_dir(const struct netstage_interval *r)
{
	return r->dirs & NS_DIR_BIT(NS_RX) ? NS_RX : NS_TX;
}

static const char *const dir_titles[NS_DIRS] = { "VM TX (VM->External):", "VM RX (External->VM):" };
static const char *const dir_names[NS_DIRS] = { "VM TX", "VM RX" };

void vms_print_report(FILE *f, const char *datetime, const struct netstage_interval *r)
{
	char a[64], b[64];
	uint64_t active = r->counts.active[NS_TX] + r->counts.active[NS_RX];
	unsigned shown = NS_DIRS;

	fprintf(f, "\n%s\n[%s] Adjacent Stage Latency Report (Interval: %.1fs)\n%s\n", RULE80, datetime,
		r->interval_s, RULE80);
	if (!r->npairs) {
		fprintf(f, "No adjacent stage data collected in this interval\n");
		return;
	}
	fprintf(f, "Found %zu unique stage pairs\n", r->npairs);
	for (size_t i = 0; i < r->npairs; i++) {
		const struct netstage_pair *p = &r->pairs[i];

		if (p->dir != shown)
			fprintf(f, "\n%s\n%s\n", dir_titles[p->dir & 1], RULE60);
		shown = p->dir;
		fprintf(f, "\n  %s -> %s:\n", stage_name(p->dir, p->prev_pos, a, sizeof(a)),
			stage_name(p->dir, p->cur_pos, b, sizeof(b)));
		fprintf(f, "    Total samples: %llu\n", (unsigned long long)p->samples);
		fprintf(f, "    Latency distribution:\n");
		print_log2_rows(f, "      ", p->slots, NS_HIST_SLOTS, "us");
	}

	fprintf(f, "\nPacket Counters:\n");
	for (int dir = 0; dir < NS_DIRS; dir++)
		fprintf(f, "  %s packets: %llu\n", dir_names[dir], (unsigned long long)r->packets[dir]);

	fprintf(f, "\nFlow Session Analysis (Counter-based):\n");
	for (int dir = 0; dir < NS_DIRS; dir++)
		fprintf(f, "  %s started: %llu, completed: %llu, incomplete: %llu\n", dir_names[dir],
			(unsigned long long)r->counts.started[dir],
			(unsigned long long)r->counts.completed[dir],
			(unsigned long long)netstage_incomplete(&r->counts, dir));
	fprintf(f, "  Currently active flow sessions: %llu\n", (unsigned long long)active);
	if (r->counts.no_session)
		fprintf(f, "  Packets not tracked (session table full): %llu\n",
			(unsigned long long)r->counts.no_session);

	fprintf(f, "\nTotal End-to-End Latency Distribution (First Stage -> Last Stage):\n%s\n", RULE60);
	if (!hist_total(r->total[traced_dir(r)], NS_HIST_SLOTS))
		fprintf(f, "  No total latency data collected in this interval\n");
	else
		print_log2_rows(f, "  ", r->total[traced_dir(r)], NS_HIST_SLOTS, "us");
}

void vms_print_json(FILE *f, const char *datetime, const struct netstage_interval *r, int final)
{
	static const char *const dir_keys[NS_DIRS] = { "tx", "rx" };
	struct json j;
	char a[64], b[64];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", datetime);
	if (final)
		json_bool(&j, "final", true);
	json_double(&j, "interval_s", r->interval_s);
	json_str(&j, "direction", dir_keys[traced_dir(r)]);
	json_arr(&j, "pairs");
	for (size_t i = 0; i < r->npairs; i++) {
		const struct netstage_pair *p = &r->pairs[i];

		json_obj(&j, NULL);
		json_str(&j, "from", stage_name(p->dir, p->prev_pos, a, sizeof(a)));
		json_str(&j, "to", stage_name(p->dir, p->cur_pos, b, sizeof(b)));
		json_uint(&j, "samples", p->samples);
		log2_hist_json(&j, "", "us", p->slots, NS_HIST_SLOTS);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_uint(&j, "packets", r->packets[traced_dir(r)]);
	json_uint(&j, "started", r->counts.started[traced_dir(r)]);
	json_uint(&j, "completed", r->counts.completed[traced_dir(r)]);
	json_uint(&j, "incomplete", netstage_incomplete(&r->counts, (int)(traced_dir(r))));
	json_uint(&j, "active", r->counts.active[traced_dir(r)]);
	json_uint(&j, "not_tracked_table_full", r->counts.no_session);
	json_uint(&j, "total_samples", hist_total(r->total[traced_dir(r)], NS_HIST_SLOTS));
	log2_hist_json(&j, "total_", "us", r->total[traced_dir(r)], NS_HIST_SLOTS);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- the tool ---- */

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	printf("=== VM Network Adjacent Stage Latency Histogram Tool ===\n");
	netstage_print_filters(stdout, cfg, &opt.vm.net, " (tx=VM TX, rx=VM RX)");
	printf("VM interface: %s (ifindex %u)\n", opt.vm.vm_interface, cfg->vm.ifindex[0]);
	netstage_print_phy(stdout, opt.vm.net.phy_interface, &cfg->phy);
	printf("Statistics interval: %.0f seconds\n", opt.interval);
	if (netstage_hook_used(cfg, NS_HOOK_CT_IN))
		printf("Conntrack measurement: ENABLED\n");
	else
		printf("Conntrack measurement: DISABLED (nf_conntrack_in cannot be probed)\n");
	printf("Mode: Adjacent stage latency tracking only\n");
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nCollecting adjacent stage latency data... Hit Ctrl-C to end.\n");
	printf("Statistics will be displayed every %.0f seconds\n\n", opt.interval);
}

int main(int argc, char **argv)
{
	static struct netstage_config cfg;
	struct vm_network_latency_summary_bpf *skel;
	struct netstage_model model;

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	vmnet_configure(&cfg, &model, &opt.vm, "vm_network_latency_summary");
	skel = BPFNET_OPEN(vm_network_latency_summary_bpf);
	netstage_summary_run(&(struct netstage_summary){
		.skel = skel->skeleton,
		.cfg = &cfg,
		.model = &model,
		.dirs = NS_DIR_BIT(opt.vm.net.direction == NETSTAGE_DIR_RX ? NS_RX : NS_TX),
		.interval_s = opt.interval,
		.duration_s = opt.duration,
		.prom = &opt.prom,
		.print_banner = print_banner,
		.print_text = vms_print_report,
		.print_json = vms_print_json });
	vm_network_latency_summary_bpf__destroy(skel);
	return 0;
}
