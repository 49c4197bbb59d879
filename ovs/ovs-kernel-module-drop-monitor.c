// SPDX-License-Identifier: GPL-2.0-only
/* ovs-kernel-module-drop-monitor: packets the Open vSwitch kernel datapath drops, and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "ovs-kernel-module-drop-monitor.h"
#include "output.h"
#include "ovs-kernel-module-drop-monitor.skel.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "usyms.h"
#include "util.h"

#define OVS_MODULE "openvswitch"

static struct {
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint16_t src_port, dst_port;
	uint8_t protocol; /* 0: all */
	bool stack;
	double duration;
} opt;

static const char *const proto_choices[] = { "all", "icmp", "tcp", "udp", NULL };

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip, "source IP address filter (default: any)"),
	OPT_IPV4("src", 0, &opt.src_ip, "same as --src-ip"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "destination IP address filter (default: any)"),
	OPT_IPV4("dst", 0, &opt.dst_ip, "same as --dst-ip"),
	OPT_PROTO("protocol", 0, &opt.protocol, "protocol filter", .choices = proto_choices),
	OPT_PORT("src-port", 0, &opt.src_port, "source port filter, TCP/UDP only (0 = any)"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "destination port filter, TCP/UDP only (0 = any)"),
	OPT_FLAG("stack", 0, &opt.stack, "print the kernel and user stack of every drop"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "ovs-kernel-module-drop-monitor",
	.description = "Monitor packets dropped by the OpenVSwitch kernel datapath: the drop reason, "
		       "where the datapath freed the packet, the flow key (recirculation id, input "
		       "port, conntrack state and zone) and the device.",
	.epilog = "examples:\n"
		  "  ovs-kernel-module-drop-monitor --src-ip 172.21.153.113 --dst-ip 172.21.153.114 "
		  "--protocol udp\n"
		  "  ovs-kernel-module-drop-monitor --protocol tcp --dst-port 80 --stack",
	.opts = options,
};

/*
 * The return probe is attached before the entry probe: a call entered between the two would
 * be counted in and never out, and its stale skb address could match a later skb.
 */
enum { OVSDROP_HOOK_DROPS, OVSDROP_HOOK_ACTIONS_END, OVSDROP_HOOK_ACTIONS, OVSDROP_HOOKS };

static const struct hook_def hook_defs[OVSDROP_HOOKS] = {
	[OVSDROP_HOOK_DROPS] = { "datapath drops",
				 { { HOOK_TP, "ovsdrop_kfree_skb", "skb:kfree_skb" } },
				 .keep_tracepoint = true },
	/*
	 * The flow key of the drops, and the drops of what the actions call (dev_queue_xmit to a
	 * port that is down, before 6.0); before 6.8 also the drops of flows without actions.
	 */
	[OVSDROP_HOOK_ACTIONS] = { "flow actions",
				   { HOOK_FUNC_ENTRY("ovsdrop_do_execute_actions", "do_execute_actions") },
				   OVS_MODULE,
				   true },
	[OVSDROP_HOOK_ACTIONS_END] = { "end of flow actions",
				       { HOOK_FUNC_RETURN("ovsdrop_do_execute_actions_ret",
							  "do_execute_actions") },
				       OVS_MODULE,
				       true },
};
const struct hook_table ovsdrop_hook_table = { hook_defs, OVSDROP_HOOKS };

/*
 * 6.8 gave the datapath its own drop reasons: a flow without actions ends in a free with
 * OVS_DROP_LAST_ACTION; before, in consume_skb, which is no drop to skb:kfree_skb.
 */
static bool kernel_has_ovs_drop_reasons(void)
{
	if (kernel_struct_exists("sw_flow_key", OVS_MODULE))
		return kernel_enum_exists("ovs_drop_reason", OVS_MODULE);
	return !kernel_version_below(6, 8);
}

static void build_config(struct ovsdrop_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->filter = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, opt.src_port, opt.dst_port, opt.protocol,
				      PKT_F_IPV4_ONLY | PKT_F_PORTS_TCP_UDP);
	cfg->want_stack = opt.stack;
	cfg->empty_actions = !kernel_has_ovs_drop_reasons();
	uint64_t lo, hi;

	if (!ksyms_module_range(ksyms_kernel(), OVS_MODULE, &lo, &hi))
		die("no symbols of the %s module in /proc/kallsyms: cannot tell its drops apart", OVS_MODULE);
	cfg->text_lo = lo;
	cfg->text_hi = hi;
}

static void print_banner(const struct hook_set *hooks)
{
	char a[16];

	printf("Monitoring OpenVSwitch datapath drops\n");
	printf("Source IP: %s\n", ipv4_format(opt.src_ip, a, sizeof(a)));
	printf("Destination IP: %s\n", ipv4_format(opt.dst_ip, a, sizeof(a)));
	printf("Protocol: %s\n", l4proto_choice(proto_choices, opt.protocol));
	if (opt.protocol == 6 || opt.protocol == 17) {
		printf("Source port: %u\n", opt.src_port);
		printf("Destination port: %u\n", opt.dst_port);
	}
	hook_print(stdout, hooks);
	printf("Tracing OpenVSwitch datapath drops... Hit Ctrl-C to end.\n");
}

struct printer {
	struct ovs_kernel_module_drop_monitor_bpf *skel;
	struct usyms_cache usyms;
};

/* The drop reason's name: the core kernel's, or a subsystem's (OVS_DROP_*) from the module. */
static const char *reason_name(uint32_t reason)
{
	const char *name;

	if (!reason)
		return NULL;
	name = reason >> 16 ? kernel_enum_value_name("ovs_drop_reason", OVS_MODULE, reason)
			    : drop_reason_name(reason);
	if (!name) {
		static char number[24];

		snprintf(number, sizeof(number), "%u", reason);
		return number;
	}
	return name;
}

/* The user stack rendered into frames; the number of frames or -errno. */
static int user_stack(struct printer *p, const struct ovsdrop_event *ev, const char **frames,
		      char (*text)[STACK_FRAME_LEN])
{
	static uint64_t ips[STACK_MAX_DEPTH];
	const struct usyms *u;
	int n;

	if (ev->ustack_id < 0)
		return 0;
	n = stack_read(p->skel->maps.stacks, ev->ustack_id, ips, STACK_MAX_DEPTH);
	u = usyms_cache_get(&p->usyms, (int)ev->pid);
	for (int i = 0; i < n; i++)
		frames[i] = usyms_format(u, ips[i], KSYM_HEX, text[i], STACK_FRAME_LEN);
	return n;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	static struct stack_frames kstack;
	static char utext[STACK_MAX_DEPTH][STACK_FRAME_LEN];
	static const char *uframes[STACK_MAX_DEPTH];
	struct printer *p = ctx;
	const struct ovsdrop_event *ev = data;
	struct ovsdrop_view v = { .stacks = opt.stack, .kframes = kstack.frame, .uframes = uframes };
	const struct ksym *site = NULL;
	char hms[16], where[STACK_FRAME_LEN];

	if (size < sizeof(*ev))
		return;
	if (ev->kind != OVSDROP_EMPTY_ACTIONS) {
		/* The BPF side's range is coarse: other modules' code may lie inside it. */
		site = ksyms_find(ksyms_kernel(), ev->location);
		if (ev->kind == OVSDROP_FREED && (!site || !site->module || strcmp(site->module, OVS_MODULE)))
			return;
		v.location = ksyms_format(ksyms_kernel(), ev->location, KSYM_HEX, where, sizeof(where));
	} else {
		v.location = "do_execute_actions";
	}
	v.reason = reason_name(ev->reason);
	v.hms = fmt_time_hms(hms, sizeof(hms));
	if (opt.stack) {
		v.nk = ev->kstack_id < 0 ? 0
					 : stack_frames_read(&kstack, p->skel->maps.stacks, ev->kstack_id);
		v.nu = user_stack(p, ev, uframes, utext);
	}
	if (g_common.json)
		ovsdrop_print_json(stdout, ev, &v);
	else
		ovsdrop_print_event(stdout, ev, &v);
	output_event_end();
}

int main(int argc, char **argv)
{
	struct ovs_kernel_module_drop_monitor_bpf *skel;
	struct printer printer = { 0 };
	struct event_channel *ch;
	struct hook_set hooks;
	struct ovsdrop_config cfg;

	args_parse(&parser, argc, argv);
	tool_init("ovs-kernel-module-drop-monitor");
	hook_set_init(&hooks, ovsdrop_hook_table.defs, ovsdrop_hook_table.n, 0);
	require_module(OVS_MODULE, "the drops it reports are the datapath's");
	build_config(&cfg);
	if (!kernel_struct_exists("sw_flow_key", OVS_MODULE))
		log_warn(
			"no BTF for the %s module (struct sw_flow_key): flow keys are not shown; "
			"pass a BTF directory with --btf DIR or BPFNET_BTF (README, \"Kernels without BTF\")",
			OVS_MODULE);

	skel = BPFNET_OPEN(ovs_kernel_module_drop_monitor_bpf);
	hook_prepare(&hooks, skel->obj);
	if (cfg.empty_actions && !hook_chosen(&hooks, OVSDROP_HOOK_ACTIONS))
		log_warn("without do_execute_actions, drops by flows without actions are not seen on %s",
			 kernel_release());
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json)
		print_banner(&hooks);
	events_trace(ch, &hooks, opt.duration, "\nExiting...\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	usyms_cache_free(&printer.usyms);
	ovs_kernel_module_drop_monitor_bpf__destroy(skel);
	return 0;
}
