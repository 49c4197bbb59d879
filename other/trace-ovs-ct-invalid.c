// SPDX-License-Identifier: GPL-2.0-only
/* trace-ovs-ct-invalid: packets of watched devices that the OVS ct() action finds invalid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "bt_ustack.h"
#include "dev_names.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "kernel_btf.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "skb_snapshot.h"
#include "stack.h"
#include "timefmt.h"
#include "trace-ovs-ct-invalid.h"
#include "trace-ovs-ct-invalid.skel.h"
#include "usyms.h"
#include "util.h"

static struct {
	struct arg_list devices;
	bool no_stack;
	double duration;
} opt;

static const char *default_devices[] = { "vnet9", "vnet10" };

static const struct arg_opt options[] = {
	OPT_STR_LIST("device", 0, &opt.devices,
		     "devices whose packets are watched (exact names, also comma-separated; "
		     "default: vnet9 vnet10, the original's)",
		     .metavar = "NAME"),
	OPT_FLAG("no-stack", 0, &opt.no_stack,
		 "leave out the kernel and user stacks (taking both at every conntrack step is "
		 "expensive under load)"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace-ovs-ct-invalid",
	.description = "Trace the packets of VM devices that the OVS conntrack action (ct()) marks "
		       "invalid: each conntrack step (nf_conntrack_in, the TCP state machine and "
		       "window check, OVS's lookup) with skb->_nfct and stacks, then the verdict "
		       "with the zone and the flow.",
	.epilog = "examples:\n"
		  "  trace-ovs-ct-invalid                          # devices vnet9 and vnet10\n"
		  "  trace-ovs-ct-invalid --device vnet3,vnet4 --no-stack",
	.opts = options,
};

enum {
	CTINV_HOOK_EXECUTE,
	CTINV_HOOK_VERDICT,
	CTINV_HOOK_CONNTRACK_IN,
	CTINV_HOOK_TCP_PACKET,
	CTINV_HOOK_TCP_IN_WINDOW,
	CTINV_HOOK_REFRESH,
	CTINV_HOOK_OVS_LOOKUP,
	CTINV_HOOKS,
};

/* The 1-based position of func's argument of struct type in BTF; fallback without BTF. */
static int struct_arg(const char *func, const char *type, int fallback)
{
	int pos = kfunc_struct_arg(func, "nf_conntrack", type);

	return pos < 0 ? fallback : pos;
}

/* 5.0 moved the skb of nf_conntrack_in from the 4th argument to the 1st. */
static bool conntrack_in_old(const struct hook_set *plan)
{
	return struct_arg("nf_conntrack_in", "sk_buff", release_below(plan->env->release, 5, 0) ? 4 : 1) == 4;
}

static bool conntrack_in_new(const struct hook_set *plan)
{
	return !conntrack_in_old(plan);
}

/* 5.19 dropped tcp_in_window's state argument (it is ct->proto.tcp). */
static bool window_with_state(const struct hook_set *plan)
{
	return struct_arg("tcp_in_window", "ip_ct_tcp", release_below(plan->env->release, 5, 19) ? 2 : 0) ==
	       2;
}

static bool window_without_state(const struct hook_set *plan)
{
	return !window_with_state(plan);
}

/* 6.12's __nf_ct_refresh_acct has no skb: nothing tells whose refresh it is. */
static bool refresh_has_skb(const struct hook_set *plan)
{
	(void)plan;
	return struct_arg("__nf_ct_refresh_acct", "sk_buff", 3) == 3;
}

static const struct hook_def hook_defs[CTINV_HOOKS] = {
	[CTINV_HOOK_EXECUTE] = { "ct() action",
				 { HOOK_FUNC_ENTRY("ctinv_ovs_ct_execute", "ovs_ct_execute") },
				 "openvswitch" },
	[CTINV_HOOK_VERDICT] = { "ct() verdict",
				 { HOOK_FUNC_ENTRY("ctinv_ovs_ct_update_key", "__ovs_ct_update_key") },
				 "openvswitch" },
	[CTINV_HOOK_CONNTRACK_IN] = { "nf_conntrack_in",
				      { { HOOK_KPROBE, "ctinv_nf_conntrack_in_old", "nf_conntrack_in",
					  conntrack_in_old },
					HOOK_FUNC_ENTRY("ctinv_nf_conntrack_in", "nf_conntrack_in",
							conntrack_in_new) },
				      "nf_conntrack",
				      true },
	[CTINV_HOOK_TCP_PACKET] = { "tcp_packet",
				    { HOOK_FUNC_ENTRY("ctinv_tcp_packet", "nf_conntrack_tcp_packet"),
				      HOOK_FUNC_ENTRY("ctinv_tcp_packet", "tcp_packet") },
				    "nf_conntrack",
				    true },
	[CTINV_HOOK_TCP_IN_WINDOW] = { "tcp_in_window",
				       { HOOK_FUNC_ENTRY("ctinv_tcp_in_window_state", "tcp_in_window",
							 window_with_state),
					 HOOK_FUNC_ENTRY("ctinv_tcp_in_window", "tcp_in_window",
							 window_without_state) },
				       "nf_conntrack",
				       true },
	[CTINV_HOOK_REFRESH] = { "__nf_ct_refresh_acct",
				 { HOOK_FUNC_ENTRY("ctinv_refresh_acct", "__nf_ct_refresh_acct",
						   refresh_has_skb) },
				 "nf_conntrack",
				 true },
	[CTINV_HOOK_OVS_LOOKUP] = { "__ovs_ct_lookup",
				    { HOOK_FUNC_ENTRY("ctinv_ovs_ct_lookup", "__ovs_ct_lookup") },
				    "openvswitch",
				    true },
};
const struct hook_table ctinv_hook_table = { hook_defs, CTINV_HOOKS };

static void build_config(struct ctinv_config *cfg)
{
	const char **names = opt.devices.count ? opt.devices.items : default_devices;
	int n = opt.devices.count ? opt.devices.count : (int)ARRAY_SIZE(default_devices);

	memset(cfg, 0, sizeof(*cfg));
	cfg->want_stack = !opt.no_stack;
	for (int i = 0; i < n; i++)
		dev_name_set_parse(&cfg->devices, names[i], &opt.devices);
}

struct printer {
	struct trace_ovs_ct_invalid_bpf *skel;
	struct usyms_cache usyms;
};

/* One step's stacks, rendered into their own frame buffers. */
struct step_frames {
	struct stack_frames kernel, user;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	static struct step_frames frames[CTINV_MAX_STEPS];
	struct ctinv_stacks stacks[CTINV_MAX_STEPS];
	const struct ctinv_event *ev = data;
	struct printer *p = ctx;
	char hms[16];

	if (size < sizeof(*ev))
		return;
	for (int i = 0; i < ev->nsteps && i < CTINV_MAX_STEPS; i++) {
		const struct ctinv_step *s = &ev->steps[i];

		stacks[i] = (struct ctinv_stacks){ frames[i].kernel.frame, 0, frames[i].user.frame, 0 };
		if (opt.no_stack)
			continue;
		if (s->kstack_id >= 0)
			stacks[i].nk = bt_kstack_read(&frames[i].kernel, p->skel->maps.stacks, s->kstack_id);
		stacks[i].nu = bt_ustack_read(&frames[i].user, p->skel->maps.stacks, s->ustack_id,
					      (int)ev->pid, &p->usyms);
	}
	if (g_common.json)
		ctinv_print_json(stdout, ev, fmt_time_hms(hms, sizeof(hms)), opt.no_stack ? NULL : stacks);
	else
		ctinv_print_event(stdout, ev, opt.no_stack ? NULL : stacks);
	output_event_end();
}

int main(int argc, char **argv)
{
	struct trace_ovs_ct_invalid_bpf *skel;
	struct printer printer = { 0 };
	struct event_channel *ch;
	struct hook_set hooks;
	struct ctinv_config cfg;
	int attached = 0;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("trace-ovs-ct-invalid");
	hook_set_init(&hooks, ctinv_hook_table.defs, ctinv_hook_table.n, 0);
	require_module("openvswitch", "its ct() action is what the tool watches");
	require_function_hooks("the conntrack and OVS functions have no tracepoints");
	if (!kernel_struct_exists("sw_flow_key", "openvswitch"))
		die("no BTF for the openvswitch module (struct sw_flow_key, the flow key ct() updates): "
		    "pass a BTF directory with --btf DIR or BPFNET_BTF (README, \"Kernels without BTF\")");

	skel = BPFNET_OPEN(trace_ovs_ct_invalid_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	hook_attach(&hooks);
	for (int i = 0; i < CTINV_HOOKS; i++)
		attached += hook_active(&hooks, i);
	if (!g_common.json)
		printf("Attaching %d probes...\n", attached);
	events_trace(ch, &hooks, opt.duration, "\n\n");
	if (g_common.json)
		events_print_totals(stdout, true, events_lost(ch));
	else if (events_lost(ch))
		printf("Lost events: %llu\n", (unsigned long long)events_lost(ch));
	events_close(ch);
	usyms_cache_free(&printer.usyms);
	trace_ovs_ct_invalid_bpf__destroy(skel);
	return 0;
}
