// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt: per ping, the latency of every segment of the echo request's and
 * the echo reply's path between the host's IP stack, the OVS internal port, the OVS datapath
 * and the physical NIC, the round-trip time and the kernel stack at each stage.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "netstage.h"
#include "output.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "system_network_icmp_rtt.h"
#include "system_network_icmp_rtt.skel.h"

#define TOOL "system_network_icmp_rtt"

static struct {
	uint32_t src_ip, dst_ip; /* network order */
	const char *phy_interface, *phy_iface1, *phy_iface2;
	double latency_ms;
	enum rtt_direction direction;
	bool disable_kernel_stacks;
	double duration;
} opt = { .direction = RTT_TX };

/* The addresses as the banner and reports print them. */
static char src_text[16], dst_text[16];

static const char *const direction_choices[] = { [RTT_TX] = "tx", [RTT_RX] = "rx", NULL };

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip,
		 "sender of the ICMP echo request: this host's IP with --direction tx, the remote host's "
		 "IP with --direction rx",
		 .flags = ARG_REQUIRED),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip,
		 "receiver of the echo request: the remote host's IP with --direction tx, this host's IP "
		 "with --direction rx",
		 .flags = ARG_REQUIRED),
	OPT_STR("phy-interface", 0, &opt.phy_interface,
		"physical interface(s) to monitor, e.g. eth0 or eth0,eth1 for bond members (up to 4; "
		"required unless --phy-iface1 is given)"),
	/* 10 s: the largest round trip worth waiting for (issue 20: 1e9 and 1e20 were accepted). */
	OPT_FLOAT("latency-ms", 0, &opt.latency_ms, 0, 1e4,
		  "report only round trips with an RTT of at least this many milliseconds (default: 0, "
		  "report all)",
		  .metavar = "LATENCY_MS"),
	OPT_ENUM("direction", 0, &opt.direction, direction_choices,
		 "tx: this host pings the remote one; rx: the remote host pings this one"),
	OPT_FLAG("disable-kernel-stacks", 0, &opt.disable_kernel_stacks,
		 "do not capture or print a kernel stack at each stage"),
	OPT_IFNAME("phy-iface1", 0, &opt.phy_iface1,
		   "first physical interface (the manual's spelling; instead of --phy-interface)"),
	OPT_IFNAME("phy-iface2", 0, &opt.phy_iface2,
		   "second physical interface (with --phy-iface1; default: the first one)"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (default: 0, run until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = TOOL,
	.description = "Trace full round-trip ICMP latency through the Linux network stack and OVS.",
	.epilog = "examples:\n"
		  "  this host (192.168.1.10) pings 192.168.1.20 through OVS and eth0:\n"
		  "    " TOOL " --src-ip 192.168.1.10 --dst-ip 192.168.1.20 --phy-interface eth0\n"
		  "  192.168.1.20 pings this host (192.168.1.10), bond members eth0 and eth1, RTT >= 2 ms:\n"
		  "    " TOOL " --src-ip 192.168.1.20 --dst-ip 192.168.1.10 \\\n"
		  "        --phy-interface eth0,eth1 --direction rx --latency-ms 2\n"
		  "--src-ip is always the sender of the echo request and --dst-ip its receiver.",
	.opts = options,
};

/* ---- hooks and stage names ---- */

static const char *const stage_base[RTT_PATH_STAGES] = {
	"S0_INIT",       "S1_STACK_PROC",    "S2_OVS_DP_PROC", "S3_OVS_UPCALL",
	"S4_OVS_KEYEXT", "S5_OVS_VPORT_SND", "S6_FINAL",
};

/* The tracepoint's record is a module type: usable only where BTF describes it. */
static bool upcall_tracepoint_usable(const struct hook_set *plan)
{
	(void)plan;
	return kernel_struct_exists("trace_event_raw_ovs_dp_upcall", "openvswitch");
}

/* The candidates (fentry, kprobe) and module of a hook on a function of the openvswitch module. */
// clang-format off
#define OVS_FUNC(prog, func) { HOOK_FUNC_ENTRY(prog, func) }, "openvswitch"
// clang-format on

/* Each hook's role is the function name the original printed for it. */
static const struct hook_def hook_defs[RTT_HOOKS] = {
	[RTT_HOOK_IP_OUTPUT] = { "ip_output", { HOOK_FUNC_ENTRY("kp_ip_output", "ip_output") } },
	[RTT_HOOK_INTERNAL_XMIT] = { "internal_dev_xmit",
				     OVS_FUNC("kp_internal_dev_xmit", "internal_dev_xmit") },
	[RTT_HOOK_NIC_RX] = { "__netif_receive_skb",
			      { HOOK_RAW_TRACEPOINT("tp_netif_receive_skb", "net:netif_receive_skb") } },
	[RTT_HOOK_FRAME_HOOK] = { "netdev_frame_hook",
				  { { HOOK_KPROBE, "kp_netdev_frame_hook", "netdev_frame_hook" } },
				  "openvswitch" },
	[RTT_HOOK_OVS_PROCESS] = { "ovs_dp_process_packet",
				   OVS_FUNC("kp_ovs_dp_process_packet", "ovs_dp_process_packet") },
	[RTT_HOOK_OVS_UPCALL] = { "ovs_dp_upcall",
				  { { HOOK_TP, "tp_ovs_dp_upcall", "openvswitch:ovs_dp_upcall",
				      upcall_tracepoint_usable },
				    HOOK_FUNC_ENTRY("kp_ovs_dp_upcall", "ovs_dp_upcall") },
				  "openvswitch" },
	[RTT_HOOK_OVS_KEYEXT] = { "ovs_flow_key_extract_userspace",
				  OVS_FUNC("kp_ovs_flow_key_extract_userspace",
					   "ovs_flow_key_extract_userspace") },
	[RTT_HOOK_OVS_SEND] = { "ovs_vport_send", OVS_FUNC("kp_ovs_vport_send", "ovs_vport_send") },
	/* net_dev_queue fires in __dev_queue_xmit before the qdisc, where the kprobe would. */
	[RTT_HOOK_NIC_TX] = { "dev_queue_xmit",
			      { HOOK_RAW_TRACEPOINT("tp_net_dev_queue", "net:net_dev_queue"),
				HOOK_FUNC_ENTRY("kp_dev_queue_xmit", "__dev_queue_xmit"),
				HOOK_FUNC_ENTRY("kp_dev_queue_xmit", "dev_queue_xmit") } },
	[RTT_HOOK_ICMP_RCV] = { "icmp_rcv", { HOOK_FUNC_ENTRY("kp_icmp_rcv", "icmp_rcv") } },
};
const struct hook_table rtt_hook_table = { hook_defs, RTT_HOOKS };

static int stage_hook(int stage, int direction)
{
	for (int h = 0; h < RTT_HOOKS; h++)
		if (rtt_stage(h, stage >= RTT_PATH_STAGES, direction) == stage)
			return h;
	return -1;
}

const char *rtt_stage_name(int stage, int direction, char *buf, size_t len)
{
	int hook = stage_hook(stage, direction);

	snprintf(buf, len, "P%d:%s (%s)", stage < RTT_PATH_STAGES ? 1 : 2,
		 stage_base[stage % RTT_PATH_STAGES], hook >= 0 ? hook_defs[hook].role : "N/A");
	return buf;
}

/* ---- options ---- */

/* The original had no wildcard: 0.0.0.0 silently matched nothing. */
static __u32 host_ipv4(const uint32_t *addr, const char *role, char *text)
{
	if (!*addr)
		arg_fail_opt(addr, "0.0.0.0 matches no packet: give the address of the echo request's %s",
			     role);
	ipv4_format(*addr, text, 16);
	return *addr;
}

/* --phy-interface a[,b...], or the manual's --phy-iface1 a [--phy-iface2 b], as one list. */
static const char *phy_list(const char **flag, char *buf, size_t len)
{
	if (opt.phy_interface && (opt.phy_iface1 || opt.phy_iface2))
		arg_fail("argument %s: not allowed with argument --phy-interface",
			 opt.phy_iface1 ? "--phy-iface1" : "--phy-iface2");
	if (opt.phy_interface) {
		*flag = "--phy-interface";
		return opt.phy_interface;
	}
	if (!opt.phy_iface1)
		arg_fail("the following arguments are required: --phy-interface (or --phy-iface1)");
	*flag = opt.phy_iface2 ? "--phy-iface1/--phy-iface2" : "--phy-iface1";
	snprintf(buf, len, "%s%s%s", opt.phy_iface1, opt.phy_iface2 ? "," : "",
		 opt.phy_iface2 ? opt.phy_iface2 : "");
	return buf;
}

struct settings {
	const char *phy; /* the interface list as the banner echoes it */
	char phy_buf[128];
	double latency_ms;
};

static void build_config(struct rtt_config *cfg, struct settings *st)
{
	const char *flag;

	memset(cfg, 0, sizeof(*cfg));
	cfg->filter = pkt_filter_ipv4(host_ipv4(&opt.src_ip, "sender", src_text),
				      host_ipv4(&opt.dst_ip, "receiver", dst_text), 0, 0, IPPROTO_ICMP,
				      RTT_FILTER_FLAGS);
	st->latency_ms = opt.latency_ms;
	cfg->threshold_ns = (__u64)(st->latency_ms * 1e6);
	cfg->direction = opt.direction;
	cfg->stacks = !opt.disable_kernel_stacks;
	st->phy = phy_list(&flag, st->phy_buf, sizeof(st->phy_buf));
	netstage_phy_opt(flag, st->phy, &cfg->phy);
}

/* ---- probes ---- */

/* Where the sk_buff argument is when the kernel's BTF does not say (5.x/6.x prototypes). */
static const __u8 default_skb_arg[RTT_HOOKS] = {
	[RTT_HOOK_IP_OUTPUT] = 3,   [RTT_HOOK_INTERNAL_XMIT] = 1, [RTT_HOOK_FRAME_HOOK] = 1,
	[RTT_HOOK_OVS_PROCESS] = 1, [RTT_HOOK_OVS_UPCALL] = 2,    [RTT_HOOK_OVS_KEYEXT] = 3,
	[RTT_HOOK_OVS_SEND] = 2,    [RTT_HOOK_NIC_TX] = 1,        [RTT_HOOK_ICMP_RCV] = 1,
};

/* The sk_buff argument of each kprobe chosen, from the kernel's BTF where it tells. */
static void set_skb_args(const struct hook_set *hooks, struct rtt_config *cfg)
{
	for (int h = 0; h < RTT_HOOKS; h++) {
		const struct hook_candidate *c = hook_chosen(hooks, h);

		cfg->skb_arg[h] = default_skb_arg[h];
		if (c->kind != HOOK_KPROBE || h == RTT_HOOK_FRAME_HOOK)
			continue;
		/* The argument moved in some kernels (ip_output before 4.4, key extraction before 4.3). */
		int pos = kfunc_struct_arg(c->target, hook_defs[h].module, "sk_buff");

		if (pos > 0 && pos <= 5)
			cfg->skb_arg[h] = (__u8)pos;
	}
}

/* ---- events ---- */

struct tracer {
	struct system_network_icmp_rtt_bpf *skel;
	int direction;
	unsigned long long reported;
};

static struct stack_frames stage_stacks[RTT_STAGES];

static void render_stack(const struct tracer *t, int stack_id, int stage, struct rtt_report *r)
{
	struct stack_frames *sf = &stage_stacks[stage];
	int n, skip;

	n = stack_frames_read(sf, t->skel->maps.stacks, stack_id);
	if (n <= 0) {
		r->nframes[stage] = n;
		return;
	}
	skip = stack_tracepoint_frames(sf->frame, n);
	r->frames[stage] = sf->frame + skip;
	r->nframes[stage] = n - skip;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct rtt_session *s = data;
	struct rtt_report r = {
		.ev = s,
		.src_ip = src_text,
		.dst_ip = dst_text,
		.direction = t->direction,
		.stacks = !opt.disable_kernel_stacks,
	};
	char now[32];

	if (size < sizeof(*s))
		return;
	for (int i = 0; r.stacks && i < RTT_STAGES; i++)
		if (s->ts[i] && s->stack_id[i] >= 0)
			render_stack(t, s->stack_id[i], i, &r);
	r.time = fmt_datetime_ms(now, sizeof(now));
	if (g_common.json)
		rtt_print_json(stdout, &r);
	else
		rtt_print_event(stdout, &r);
	output_event_end();
	t->reported++;
}

int main(int argc, char **argv)
{
	struct hook_set hooks;
	struct system_network_icmp_rtt_bpf *skel;
	struct tracer tracer = { 0 };
	struct event_channel *ch;
	struct rtt_config cfg;
	struct settings st;
	char desc[160];

	args_parse(&parser, argc, argv);
	build_config(&cfg, &st);
	tool_init(TOOL);
	hook_set_init(&hooks, rtt_hook_table.defs, rtt_hook_table.n, 0);
	require_module("openvswitch", "the internal port and datapath stages are its functions");
	if (!g_common.json)
		rtt_print_banner(stdout, src_text, dst_text, st.phy, &cfg.phy, cfg.direction, st.latency_ms);

	skel = BPFNET_OPEN(system_network_icmp_rtt_bpf);
	hook_prepare(&hooks, skel->obj);
	set_skb_args(&hooks, &cfg);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	tracer.skel = skel;
	tracer.direction = cfg.direction;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &tracer);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		for (int h = 0; h < RTT_HOOKS; h++)
			printf("Probe: %s -> %s\n", hook_defs[h].role,
			       hook_describe(&hooks, h, desc, sizeof(desc)));
		printf("\nTracing ICMP RTT for src_ip=%s, dst_ip=%s, direction=%s ... Hit Ctrl-C to end.\n",
		       src_text, dst_text, direction_choices[opt.direction]);
	}
	events_trace(ch, &hooks, opt.duration, "\nDetaching...\n");
	rtt_print_totals(stdout, g_common.json, tracer.reported,
			 bpfload_percpu_sum(skel->maps.rtt_counters, RTT_CNT_BELOW_THRESHOLD),
			 bpfload_percpu_sum(skel->maps.rtt_counters, RTT_CNT_INCOMPLETE), events_lost(ch));
	if (!g_common.json)
		printf("Exiting.\n");
	events_close(ch);
	system_network_icmp_rtt_bpf__destroy(skel);
	return 0;
}
