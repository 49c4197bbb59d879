// SPDX-License-Identifier: GPL-2.0-only
/* system_network_latency_summary: per-interval log2 histograms of the latency between adjacent stages. */
#include <bpf/bpf.h>
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
#include "sysnet_stages.h"
#include "system_network_latency_summary.h"
#include "system_network_latency_summary.skel.h"
#include "util.h"

#define RULE80 "================================================================================"
#define RULE60 "------------------------------------------------------------"

static struct {
	double interval, duration;
	struct netstage_opts net;
	struct prom_opts prom;
} opt = { .interval = 5, .net = { .session_timeout = 1 } };

static const struct arg_opt options[] = {
	OPT_STR("phy-interface", 0, &opt.net.phy_interface,
		"physical interface(s) to monitor, comma-separated for bond members (e.g. eth0 or eth0,eth1)",
		.flags = ARG_REQUIRED),
	NETSTAGE_FILTER_OPTIONS(opt.net),
	OPT_PROTO("protocol", 0, &opt.net.protocol, "protocol filter (all = TCP and UDP)",
		  .choices = netstage_proto_choices),
	OPT_ENUM("direction", 0, &opt.net.direction, netstage_dir_choices,
		 "tx = System -> Physical, rx = Physical -> System, both = both at once",
		 .flags = ARG_REQUIRED),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE, "statistics interval in seconds"),
	NETSTAGE_RUN_OPTIONS(opt.duration, opt.net),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "system_network_latency_summary",
	.description = "System network adjacent stage latency histogram tool: log2 histograms of the "
		       "latency between adjacent kernel stages (host stack, OVS internal port, OVS "
		       "datapath, physical NIC) of host TCP/UDP traffic, per interval",
	.epilog = "examples:\n"
		  "  system_network_latency_summary --phy-interface ens11 --src-ip 10.132.114.11 "
		  "--dst-ip 10.132.114.12 --direction rx --protocol tcp --interval 5\n"
		  "  system_network_latency_summary --phy-interface eth0 --protocol all --direction tx "
		  "--interval 10\n"
		  "  system_network_latency_summary --phy-interface eth0,eth1 --direction both --duration 60 "
		  "--json",
	.opts = options,
};

/* ---- output ---- */

static const char *stage_name(unsigned dir, unsigned pos, char *buf, size_t len)
{
	const struct netstage_stage *st = netstage_stage_at(&sysnet_latency_model, dir, pos);

	if (st)
		return st->name;
	snprintf(buf, len, "UNKNOWN_%u_%u", dir, pos);
	return buf;
}

static const char *const dir_titles[NS_DIRS] = { "TX Direction (System -> Physical):",
						 "RX Direction (Physical -> System):" };
static const char *const dir_names[NS_DIRS] = { "TX", "RX" };

void sls_print_report(FILE *f, const char *datetime, const struct netstage_interval *r)
{
	char a[64], b[64];
	uint64_t active = r->counts.active[NS_TX] + r->counts.active[NS_RX];
	int ndirs = (r->dirs & NS_DIR_BIT(NS_TX) ? 1 : 0) + (r->dirs & NS_DIR_BIT(NS_RX) ? 1 : 0);

	fprintf(f, "\n%s\n[%s] System Network Latency Report (Interval: %.1fs)\n%s\n", RULE80, datetime,
		r->interval_s, RULE80);
	if (!r->npairs) {
		fprintf(f, "No adjacent stage data collected in this interval\n");
		return;
	}
	fprintf(f, "Found %zu unique stage pairs\n", r->npairs);
	for (unsigned dir = 0; dir < NS_DIRS; dir++) {
		bool title = false;

		for (size_t i = 0; i < r->npairs; i++) {
			const struct netstage_pair *p = &r->pairs[i];

			if (p->dir != dir)
				continue;
			if (!title)
				fprintf(f, "\n%s\n%s\n", dir_titles[dir], RULE60);
			title = true;
			fprintf(f, "\n  %s -> %s:\n", stage_name(dir, p->prev_pos, a, sizeof(a)),
				stage_name(dir, p->cur_pos, b, sizeof(b)));
			fprintf(f, "    Total samples: %llu\n", (unsigned long long)p->samples);
			fprintf(f, "    Latency distribution:\n");
			print_log2_rows(f, "      ", p->slots, NS_HIST_SLOTS, "us");
			print_log2_percentiles(f, "    Percentiles: ", p->slots, NS_HIST_SLOTS, "us");
		}
	}

	fprintf(f, "\nPacket Counters:\n");
	fprintf(f, "  TX packets: %llu\n", (unsigned long long)r->packets[NS_TX]);
	fprintf(f, "  RX packets: %llu\n", (unsigned long long)r->packets[NS_RX]);

	fprintf(f, "\nFlow Session Analysis (since start):\n");
	for (int dir = 0; dir < NS_DIRS; dir++) {
		uint64_t started = r->counts.started[dir], inc = netstage_incomplete(&r->counts, dir);

		if (started)
			fprintf(f, "  %s started: %llu, completed: %llu, incomplete: %llu (%.2f%%)\n",
				dir_names[dir], (unsigned long long)started,
				(unsigned long long)r->counts.completed[dir], (unsigned long long)inc,
				100.0 * (double)inc / (double)started);
	}
	fprintf(f, "  Currently active flow sessions: %llu\n", (unsigned long long)active);
	if (r->counts.no_session)
		fprintf(f, "  Packets not tracked (session table full): %llu\n",
			(unsigned long long)r->counts.no_session);

	for (unsigned dir = 0; dir < NS_DIRS; dir++) {
		uint64_t n;

		if (!(r->dirs & NS_DIR_BIT(dir)))
			continue;
		n = hist_total(r->total[dir], NS_HIST_SLOTS);
		fprintf(f, "\nTotal End-to-End Latency Distribution%s%s%s:\n%s\n", ndirs > 1 ? " (" : "",
			ndirs > 1 ? dir_names[dir] : "", ndirs > 1 ? ")" : "", RULE60);
		if (!n) {
			fprintf(f, "  No total latency data collected in this interval\n");
			continue;
		}
		print_log2_rows(f, "  ", r->total[dir], NS_HIST_SLOTS, "us");
		print_log2_percentiles(f, "  Percentiles: ", r->total[dir], NS_HIST_SLOTS, "us");
		fprintf(f, "  Total packets analyzed: %llu\n", (unsigned long long)n);
	}
}

void sls_print_json(FILE *f, const char *datetime, const struct netstage_interval *r, int final)
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
	json_arr(&j, "pairs");
	for (size_t i = 0; i < r->npairs; i++) {
		const struct netstage_pair *p = &r->pairs[i];

		json_obj(&j, NULL);
		json_str(&j, "direction", dir_keys[p->dir]);
		json_str(&j, "from", stage_name(p->dir, p->prev_pos, a, sizeof(a)));
		json_str(&j, "to", stage_name(p->dir, p->cur_pos, b, sizeof(b)));
		json_uint(&j, "samples", p->samples);
		log2_hist_json(&j, "", "us", p->slots, NS_HIST_SLOTS);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_obj(&j, "directions");
	for (int dir = 0; dir < NS_DIRS; dir++) {
		if (!(r->dirs & NS_DIR_BIT(dir)))
			continue;
		json_obj(&j, dir_keys[dir]);
		json_uint(&j, "packets", r->packets[dir]);
		json_uint(&j, "started", r->counts.started[dir]);
		json_uint(&j, "completed", r->counts.completed[dir]);
		json_uint(&j, "incomplete", netstage_incomplete(&r->counts, dir));
		json_uint(&j, "active", r->counts.active[dir]);
		json_uint(&j, "total_samples", hist_total(r->total[dir], NS_HIST_SLOTS));
		log2_hist_json(&j, "total_", "us", r->total[dir], NS_HIST_SLOTS);
		json_end_obj(&j);
	}
	json_end_obj(&j);
	json_uint(&j, "not_tracked_table_full", r->counts.no_session);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- the tool ---- */

static void print_banner(const struct netstage_config *cfg, const struct netstage_probes *probes)
{
	printf("=== System Network Adjacent Stage Latency Histogram Tool ===\n");
	netstage_print_filters(stdout, cfg, &opt.net, " (tx=System->Physical, rx=Physical->System)");
	netstage_print_phy(stdout, opt.net.phy_interface, &cfg->phy);
	printf("Statistics interval: %.0f seconds\n", opt.interval);
	printf("Mode: Adjacent stage latency tracking only\n");
	printf("BPF program loaded successfully\n");
	netstage_probes_print(stdout, probes);
	printf("\nCollecting adjacent stage latency data... Hit Ctrl-C to end.\n");
	printf("Statistics will be displayed every %.0f seconds\n\n", opt.interval);
}

int main(int argc, char **argv)
{
	static struct netstage_config cfg;
	struct system_network_latency_summary_bpf *skel;
	unsigned protocols, dirs;

	args_parse(&parser, argc, argv);
	prom_opts_check(&opt.prom);
	protocols = netstage_opts_apply(&cfg, &opt.net, NS_PROTO_TCP | NS_PROTO_UDP, &dirs);
	tool_init("system_network_latency_summary");
	netstage_opts_resolve(&cfg, &opt.net);
	netstage_rules_build(&cfg, &sysnet_latency_model, dirs, protocols);
	skel = BPFNET_OPEN(system_network_latency_summary_bpf);
	netstage_summary_run(&(struct netstage_summary){ .skel = skel->skeleton,
							 .cfg = &cfg,
							 .model = &sysnet_latency_model,
							 .dirs = dirs,
							 .interval_s = opt.interval,
							 .duration_s = opt.duration,
							 .prom = &opt.prom,
							 .print_banner = print_banner,
							 .print_text = sls_print_report,
							 .print_json = sls_print_json });
	system_network_latency_summary_bpf__destroy(skel);
	return 0;
}
