// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tc_qdisc: the bpftrace script trace_tc_qdisc.bt as a binary: where in the traffic
 * control layer (classifier, action, HTB or fq_codel enqueue, direct transmit) an skb with a
 * GSO size but no GSO type appears, with its offload state, feature masks, addresses, the
 * qdisc's enqueue callback and the kernel stack.
 */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "hook.h"
#include "runtime.h"
#include "skb_gso_report.h"
#include "trace_tc_qdisc.h"
#include "trace_tc_qdisc.skel.h"

static struct {
	const char *device;
	const char *fq_codel_device;
	double duration;
} opt = { .device = "vnet0,port-storage", .fq_codel_device = "0,port-storage" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.device,
		"devices the six TC probes watch, by name, comma-separated (default: vnet0,port-storage, "
		"as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_STR("fq-codel-device", 0, &opt.fq_codel_device,
		"devices of the second fq_codel_enqueue check (default: 0,port-storage, as the original, "
		"whose \"0\" was probably meant as vnet0)",
		.metavar = "NAME[,NAME...]"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_tc_qdisc",
	.description = "Report skbs with a GSO size but no GSO type (gso_size != 0, gso_type == 0) in "
		       "TC classification and actions, HTB and fq_codel enqueue and sch_direct_xmit, "
		       "with their offload state, feature masks, addresses and kernel stack (DHCP left out)",
	.epilog = "examples:\n"
		  "  trace_tc_qdisc                           # vnet0 and port-storage, as the original\n"
		  "  trace_tc_qdisc --device eth0 --fq-codel-device eth0 -d 60",
	.opts = options,
};

static const char *const probe_names[TCQ_PROBES] = {
	[TCQ_SCH_DIRECT_XMIT] = "sch_direct_xmit",   [TCQ_HTB_ENQUEUE] = "htb_enqueue",
	[TCQ_FQ_CODEL_ENQUEUE] = "fq_codel_enqueue", [TCQ_TCF_CLASSIFY] = "tcf_classify",
	[TCQ_TCF_ACTION_EXEC] = "tcf_action_exec",   [TCQ_CLS_CGROUP_CLASSIFY] = "cls_cgroup_classify",
	[TCQ_FQ_CODEL_QDISC] = "fq_codel_enqueue",
};

/* The names of the exit summary and the JSON records tell the two fq_codel checks apart. */
static const char *const summary_names[TCQ_PROBES] = {
	[TCQ_SCH_DIRECT_XMIT] = "sch_direct_xmit",       [TCQ_HTB_ENQUEUE] = "htb_enqueue",
	[TCQ_FQ_CODEL_ENQUEUE] = "fq_codel_enqueue",     [TCQ_TCF_CLASSIFY] = "tcf_classify",
	[TCQ_TCF_ACTION_EXEC] = "tcf_action_exec",       [TCQ_CLS_CGROUP_CLASSIFY] = "cls_cgroup_classify",
	[TCQ_FQ_CODEL_QDISC] = "fq_codel_enqueue_qdisc",
};

const char *tcq_probe_name(unsigned probe)
{
	return probe < TCQ_PROBES ? probe_names[probe] : "?";
}

static void print_generic(FILE *f, const char *name, const struct gso_event *ev, const struct gso_frames *fr)
{
	char tail[64];

	gso_line_unexpected(f, name, &ev->skb);
	fputc('\n', f);
	gso_line_skb_info(f, name, &ev->skb);
	snprintf(tail, sizeof(tail), "%s probe", name);
	gso_lines_stack(f, &ev->skb, fr, tail);
	gso_lines_ip_details(f, name, &ev->skb);
	snprintf(tail, sizeof(tail), "end %s probe", name);
	gso_lines_stack(f, &ev->skb, fr, tail);
	gso_block_end(f);
}

static void print_fq_codel(FILE *f, const char *name, const struct gso_event *ev, const struct gso_frames *fr)
{
	const struct skb_snapshot *s = &ev->skb;
	char tail[64];

	gso_line_unexpected(f, name, s);
	fputc('\n', f);
	snprintf(tail, sizeof(tail), "%s probe", name);
	gso_lines_stack(f, s, fr, tail);
	gso_line_hw_features(f, s);
	fprintf(f,
		"####### skb info, dev_name: %-4s\t, ignore df: %d\t skb_len: %u,\t network_header: %u,\t "
		"transport_header: %u,\t encap: %-3u,\t inner_network_header: %u,\t inner_transport_header: "
		"%u,\t "
		"| gso_size: %-4u,\t gso_segs: %-4u,\t gso_type: 0x%02x,\t nr_frags: %u\t, frag_list: %lld,  "
		"ip_summed: %x, skb cb frag_max_size: %d, qdisc enqueue callback: %lld, func: %s\n",
		s->dev, s->ignore_df, s->len, s->network_header, s->transport_header, s->encapsulation,
		s->inner_network_header, s->inner_transport_header, s->gso_size, s->gso_segs, s->gso_type,
		s->nr_frags, (long long)s->frag_list, s->ip_summed, s->frag_max_size,
		(long long)ev->enqueue_fn, name);
	snprintf(tail, sizeof(tail), "end %s probe", name);
	gso_lines_stack(f, s, fr, tail);
	gso_block_end(f);
}

void tcq_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *fr)
{
	if (ev->probe == TCQ_FQ_CODEL_QDISC)
		print_fq_codel(f, tcq_probe_name(ev->probe), ev, fr);
	else
		print_generic(f, tcq_probe_name(ev->probe), ev, fr);
}

static const struct hook_def hook_defs[TCQ_PROBES] = {
	[TCQ_SCH_DIRECT_XMIT] = { "direct transmit",
				  { HOOK_FUNC_ENTRY("tcq_sch_direct_xmit", "sch_direct_xmit") },
				  .optional = true },
	[TCQ_HTB_ENQUEUE] = { "HTB enqueue",
			      { HOOK_FUNC_ENTRY("tcq_htb_enqueue", "htb_enqueue") },
			      .module = "sch_htb",
			      .optional = true },
	[TCQ_FQ_CODEL_ENQUEUE] = { "fq_codel enqueue",
				   { HOOK_FUNC_ENTRY("tcq_fq_codel_enqueue", "fq_codel_enqueue") },
				   .module = "sch_fq_codel",
				   .optional = true },
	[TCQ_TCF_CLASSIFY] = { "TC classification",
			       { HOOK_FUNC_ENTRY("tcq_tcf_classify", "tcf_classify") },
			       .optional = true },
	[TCQ_TCF_ACTION_EXEC] = { "TC actions",
				  { HOOK_FUNC_ENTRY("tcq_tcf_action_exec", "tcf_action_exec") },
				  .optional = true },
	[TCQ_CLS_CGROUP_CLASSIFY] = { "cgroup classifier",
				      { HOOK_FUNC_ENTRY("tcq_cls_cgroup_classify", "cls_cgroup_classify") },
				      .module = "cls_cgroup",
				      .optional = true },
	[TCQ_FQ_CODEL_QDISC] = { "fq_codel enqueue (qdisc callback)",
				 { HOOK_FUNC_ENTRY("tcq_fq_codel_qdisc", "fq_codel_enqueue") },
				 .module = "sch_fq_codel",
				 .optional = true },
};
const struct hook_table tcq_hook_table = { hook_defs, TCQ_PROBES };

int main(int argc, char **argv)
{
	static const struct gso_tool tool = { summary_names, TCQ_PROBES, tcq_print_event };
	struct gso_config cfg = { 0 };
	struct trace_tc_qdisc_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	dev_name_set_parse(&cfg.devices, opt.device, &opt.device);
	dev_name_set_parse(&cfg.devices2, opt.fq_codel_device, &opt.fq_codel_device);
	tool_init("trace_tc_qdisc");
	hook_set_init(&hooks, tcq_hook_table.defs, tcq_hook_table.n, 0);
	cfg.gso_type_ignore = gso_type_ignore_from_env();

	skel = BPFNET_OPEN(trace_tc_qdisc_bpf);
	gso_tool_run(&tool, &hooks, skel->skeleton, &cfg, opt.duration);
	trace_tc_qdisc_bpf__destroy(skel);
	return 0;
}
