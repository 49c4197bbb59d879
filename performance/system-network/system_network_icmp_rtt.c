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
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "netstage.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "system_network_icmp_rtt.h"
#include "system_network_icmp_rtt.skel.h"

#define TOOL "system_network_icmp_rtt"
#define TRAILER "=================================================="

static struct {
	uint32_t src_ip, dst_ip;	/* network order */
	const char *phy_interface, *phy_iface1, *phy_iface2;
	double latency_ms;
	const char *direction;
	bool disable_kernel_stacks;
	double duration;
} opt = { .direction = "tx" };

/* The addresses as the banner and reports print them. */
static char src_text[16], dst_text[16];

static const char *const direction_choices[] = { "tx", "rx", NULL };

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
	OPT_CHOICE("direction", 0, &opt.direction, direction_choices,
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
	.epilog =
		"examples:\n"
		"  this host (192.168.1.10) pings 192.168.1.20 through OVS and eth0:\n"
		"    " TOOL " --src-ip 192.168.1.10 --dst-ip 192.168.1.20 --phy-interface eth0\n"
		"  192.168.1.20 pings this host (192.168.1.10), bond members eth0 and eth1, RTT >= 2 ms:\n"
		"    " TOOL " --src-ip 192.168.1.20 --dst-ip 192.168.1.10 \\\n"
		"        --phy-interface eth0,eth1 --direction rx --latency-ms 2\n"
		"--src-ip is always the sender of the echo request and --dst-ip its receiver.",
	.opts = options,
};

/* ---- stage names, segments and latencies ---- */

static const char *const stage_base[RTT_PATH_STAGES] = {
	"S0_INIT", "S1_STACK_PROC", "S2_OVS_DP_PROC", "S3_OVS_UPCALL", "S4_OVS_KEYEXT",
	"S5_OVS_VPORT_SND", "S6_FINAL",
};

/* The tracepoint's record is a module type: usable only where BTF describes it. */
static bool upcall_tracepoint_usable(const struct hook_set *plan)
{
	(void)plan;
	return kernel_struct_exists("trace_event_raw_ovs_dp_upcall", "openvswitch");
}

/* The candidates and module of a hook on a function of the openvswitch module. */
#define OVS_KPROBE(prog, func) { { HOOK_KPROBE, prog, func } }, "openvswitch"

/* Each hook's role is the function name the original printed for it. */
static const struct hook_def hook_defs[RTT_HOOKS] = {
	[RTT_HOOK_IP_OUTPUT] = { "ip_output", { { HOOK_KPROBE, "kp_ip_output", "ip_output" } } },
	[RTT_HOOK_INTERNAL_XMIT] = { "internal_dev_xmit", OVS_KPROBE("kp_internal_dev_xmit", "internal_dev_xmit") },
	[RTT_HOOK_NIC_RX] = { "__netif_receive_skb",
			      { { HOOK_TP, "tp_netif_receive_skb", "net:netif_receive_skb" } } },
	[RTT_HOOK_FRAME_HOOK] = { "netdev_frame_hook", OVS_KPROBE("kp_netdev_frame_hook", "netdev_frame_hook") },
	[RTT_HOOK_OVS_PROCESS] = { "ovs_dp_process_packet",
				   OVS_KPROBE("kp_ovs_dp_process_packet", "ovs_dp_process_packet") },
	[RTT_HOOK_OVS_UPCALL] = { "ovs_dp_upcall",
				  { { HOOK_TP, "tp_ovs_dp_upcall", "openvswitch:ovs_dp_upcall", upcall_tracepoint_usable },
				    { HOOK_KPROBE, "kp_ovs_dp_upcall", "ovs_dp_upcall" } },
				  "openvswitch" },
	[RTT_HOOK_OVS_KEYEXT] = { "ovs_flow_key_extract_userspace",
				  OVS_KPROBE("kp_ovs_flow_key_extract_userspace", "ovs_flow_key_extract_userspace") },
	[RTT_HOOK_OVS_SEND] = { "ovs_vport_send", OVS_KPROBE("kp_ovs_vport_send", "ovs_vport_send") },
	/* net_dev_queue fires in __dev_queue_xmit before the qdisc, where the kprobe would. */
	[RTT_HOOK_NIC_TX] = { "dev_queue_xmit",
			      { { HOOK_TP, "tp_net_dev_queue", "net:net_dev_queue" },
				{ HOOK_KPROBE, "kp_dev_queue_xmit", "__dev_queue_xmit" },
				{ HOOK_KPROBE, "kp_dev_queue_xmit", "dev_queue_xmit" } } },
	[RTT_HOOK_ICMP_RCV] = { "icmp_rcv", { { HOOK_KPROBE, "kp_icmp_rcv", "icmp_rcv" } } },
};

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

static double latency_us(__u64 start, __u64 end)
{
	return (double)(int64_t)(end - start) / 1000.0;
}

const char *rtt_format_latency(__u64 start, __u64 end, char *buf, size_t len)
{
	if (!start || !end)
		snprintf(buf, len, "%7s", " N/A ");
	else
		snprintf(buf, len, "%7.3f", latency_us(start, end));
	return buf;
}

struct segment {
	int from, to;
	char note[20];		/* "(OVS No Upcall)", "(S4 N/A)" or empty */
};

/*
 * The segments printed for one path: the stack and port segments always, the OVS segments
 * that the packet's stages show (kernel fast path, or upcall with or without key extraction).
 */
static void add_segment(struct segment *seg, int *n, int from, int to, const char *note)
{
	seg[*n] = (struct segment){ .from = from, .to = to };
	snprintf(seg[*n].note, sizeof(seg[*n].note), "%s", note);
	(*n)++;
}

static int path_segments(const struct rtt_session *s, int path, struct segment *seg)
{
	const __u64 *ts = s->ts + path * RTT_PATH_STAGES;
	int b = path * RTT_PATH_STAGES, n = 0;
	char s4_na[16];

	add_segment(seg, &n, b, b + 1, "");
	add_segment(seg, &n, b + 1, b + 2, "");
	if (ts[2] && ts[3])
		add_segment(seg, &n, b + 2, b + 3, "");
	if (ts[3] && ts[4] && ts[5]) {
		add_segment(seg, &n, b + 3, b + 4, "");
		add_segment(seg, &n, b + 4, b + 5, "");
	} else if (ts[3] && !ts[4] && ts[5]) {
		snprintf(s4_na, sizeof(s4_na), "(S%d N/A)", b + 4);
		add_segment(seg, &n, b + 3, b + 5, s4_na);
	} else if (ts[2] && !ts[3] && !ts[4] && ts[5]) {
		add_segment(seg, &n, b + 2, b + 5, "(OVS No Upcall)");
	}
	add_segment(seg, &n, b + 5, b + 6, "");
	return n;
}

/* ---- text layout ---- */

void rtt_print_banner(FILE *f, const char *src_ip, const char *dst_ip, const char *phy,
		      const __u32 *ifindex, int nphy, int direction, double latency_ms)
{
	struct in_addr s = { 0 }, d = { 0 };
	bool rx = direction == RTT_RX;

	inet_aton(src_ip, &s);
	inet_aton(dst_ip, &d);
	fprintf(f, "=== ICMP Round-Trip Latency Tracer ===\n");
	fprintf(f, "Trace Direction: %s\n", rx ? "RX" : "TX");
	fprintf(f, "SRC_IP_FILTER (Configured %s IP): %s (0x%x)\n", rx ? "Remote" : "Local", src_ip,
		ntohl(s.s_addr));
	fprintf(f, "DST_IP_FILTER (Configured %s IP): %s (0x%x)\n", rx ? "Local" : "Remote", dst_ip,
		ntohl(d.s_addr));
	fprintf(f, "Physical interfaces: %s (ifindex", phy);
	for (int i = 0; i < nphy; i++)
		fprintf(f, "%s %u", i ? "," : "", ifindex[i]);
	fprintf(f, ")\n");
	if (latency_ms * 1e6 >= 1)
		fprintf(f, "Reporting only round trips with latency >= %.3f ms\n", latency_ms);
}

static void print_segment(FILE *f, const struct rtt_session *s, const struct segment *g,
			  int direction)
{
	char a[96], b[96], desc[200], lat[32];

	snprintf(desc, sizeof(desc), "%s -> %s", rtt_stage_name(g->from, direction, a, sizeof(a)),
		 rtt_stage_name(g->to, direction, b, sizeof(b)));
	fprintf(f, "  [%2d->%-2d] %-105s: %s us%s%s\n", g->from, g->to, desc,
		rtt_format_latency(s->ts[g->from], s->ts[g->to], lat, sizeof(lat)), g->note[0] ? " " : "",
		g->note);
}

static void print_path(FILE *f, const struct rtt_session *s, int path, int direction)
{
	struct segment seg[8];
	int n = path_segments(s, path, seg), b = path * RTT_PATH_STAGES;
	char lat[32];

	fprintf(f, "\nPath %d Latencies (us):\n", path + 1);
	for (int i = 0; i < n; i++)
		print_segment(f, s, &seg[i], direction);
	if (s->ts[b] && s->ts[b + 6])
		fprintf(f, "  Total Path %d: %s us\n", path + 1,
			rtt_format_latency(s->ts[b], s->ts[b + 6], lat, sizeof(lat)));
}

static void print_stacks(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	char name[96];

	fprintf(f, "\nKernel Stack Traces (Path1: 0-6, Path2: 7-13):\n");
	for (int i = 0; i < RTT_STAGES; i++) {
		if (!s->ts[i])
			continue;
		fprintf(f, "  Stage %d (%s):\n", i, rtt_stage_name(i, r->direction, name, sizeof(name)));
		if (s->stack_id[i] < 0)
			fprintf(f, "    <BPF 'get_stackid' call failed or returned no stack: id=%d>\n",
				s->stack_id[i]);
		else if (r->nframes[i] <= 0)
			fprintf(f, "    <Stack trace walk for id %d yielded no symbols>\n", s->stack_id[i]);
		for (int k = 0; k < r->nframes[i]; k++)
			fprintf(f, "    %s\n", r->frames[i][k]);
	}
}

void rtt_print_event(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	bool rx = r->direction == RTT_RX;
	char a[32], b[32], desc[2][96], name[96], lat[32];

	fprintf(f, "=== ICMP RTT Trace: %s (%s) ===\n", r->time,
		rx ? "RX (Remote -> Local)" : "TX (Local -> Remote)");
	fprintf(f, "Session: %s (%s) -> %s (%s) (ID: %u, Seq: %u)\n", r->src_ip,
		ipv4_format(s->key.sip, a, sizeof(a)), r->dst_ip, ipv4_format(s->key.dip, b, sizeof(b)),
		ntohs(s->key.id), ntohs(s->key.seq));
	if (rx) {
		snprintf(desc[0], sizeof(desc[0]), "Path 1 (Request: RX from %s)", r->src_ip);
		snprintf(desc[1], sizeof(desc[1]), "Path 2 (Reply:   TX to %s)", r->src_ip);
	} else {
		snprintf(desc[0], sizeof(desc[0]), "Path 1 (Request: TX to %s)", r->dst_ip);
		snprintf(desc[1], sizeof(desc[1]), "Path 2 (Reply:   RX from %s)", r->dst_ip);
	}
	for (int p = 0; p < 2; p++)
		fprintf(f, "%-45s: PID=%-6u COMM=%-12.16s IF=%-10.16s ICMP_Type=%u\n", desc[p],
			s->path[p].pid, s->path[p].comm, s->path[p].ifname, s->path[p].icmp_type);

	fprintf(f, "\nSKB Pointers (Path1: 0-6, Path2: 7-13):\n");
	for (int i = 0; i < RTT_STAGES; i++)
		if (s->skb[i])
			fprintf(f, "  Stage %2d (%-45s): 0x%llx\n", i,
				rtt_stage_name(i, r->direction, name, sizeof(name)),
				(unsigned long long)s->skb[i]);

	print_path(f, s, 0, r->direction);
	print_path(f, s, 1, r->direction);
	if (s->ts[0] && s->ts[RTT_LAST_STAGE]) {
		fprintf(f, "\nTotal RTT (Path1 Start to Path2 End): %s us\n",
			rtt_format_latency(s->ts[0], s->ts[RTT_LAST_STAGE], lat, sizeof(lat)));
		if (s->ts[6] && s->ts[7])
			fprintf(f, "Inter-Path Latency (P1 end -> P2 start): %s us\n",
				rtt_format_latency(s->ts[6], s->ts[7], lat, sizeof(lat)));
	}
	if (r->stacks)
		print_stacks(f, r);
	fprintf(f, "\n%s\n\n", TRAILER);
}

/* ---- JSON layout ---- */

static void json_latency(struct json *j, const char *key, __u64 start, __u64 end)
{
	if (start && end)
		json_double(j, key, latency_us(start, end));
	else
		json_null(j, key);
}

static void json_path(struct json *j, const struct rtt_session *s, int path)
{
	const struct rtt_path_start *p = &s->path[path];
	struct segment seg[8];
	int n = path_segments(s, path, seg), b = path * RTT_PATH_STAGES;
	char comm[17], ifname[17];

	snprintf(comm, sizeof(comm), "%.16s", p->comm);
	snprintf(ifname, sizeof(ifname), "%.16s", p->ifname);
	json_obj(j, path ? "path2" : "path1");
	json_uint(j, "pid", p->pid);
	json_str(j, "comm", comm);
	json_str(j, "interface", ifname);
	json_uint(j, "icmp_type", p->icmp_type);
	json_arr(j, "segments");
	for (int i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_int(j, "from", seg[i].from);
		json_int(j, "to", seg[i].to);
		json_latency(j, "latency_us", s->ts[seg[i].from], s->ts[seg[i].to]);
		if (seg[i].note[0])
			json_str(j, "note", seg[i].note);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_latency(j, "total_us", s->ts[b], s->ts[b + 6]);
	json_end_obj(j);
}

void rtt_print_json(FILE *f, const struct rtt_report *r)
{
	const struct rtt_session *s = r->ev;
	struct json j;
	char a[32], name[96], ptr[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", r->time);
	json_str(&j, "direction", r->direction == RTT_RX ? "rx" : "tx");
	json_str(&j, "src_ip", ipv4_format(s->key.sip, a, sizeof(a)));
	json_str(&j, "dst_ip", ipv4_format(s->key.dip, a, sizeof(a)));
	json_uint(&j, "id", ntohs(s->key.id));
	json_uint(&j, "seq", ntohs(s->key.seq));
	json_latency(&j, "rtt_us", s->ts[0], s->ts[RTT_LAST_STAGE]);
	json_latency(&j, "inter_path_us", s->ts[6], s->ts[7]);
	json_path(&j, s, 0);
	json_path(&j, s, 1);
	json_arr(&j, "stages");
	for (int i = 0; i < RTT_STAGES; i++) {
		if (!s->ts[i])
			continue;
		json_obj(&j, NULL);
		json_int(&j, "stage", i);
		json_str(&j, "name", rtt_stage_name(i, r->direction, name, sizeof(name)));
		json_uint(&j, "ktime_ns", s->ts[i]);
		snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)s->skb[i]);
		json_str(&j, "skb", ptr);
		if (r->stacks) {
			json_int(&j, "stack_id", s->stack_id[i]);
			json_arr(&j, "stack");
			for (int k = 0; k < r->nframes[i]; k++)
				json_str(&j, NULL, r->frames[i][k]);
			json_end_arr(&j);
		}
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

void rtt_print_totals(FILE *f, bool json, uint64_t reported, uint64_t below, uint64_t incomplete, uint64_t lost)
{
	struct json j;

	if (!json) {
		fprintf(f, "Round trips reported: %llu, below --latency-ms: %llu, incomplete: %llu, lost events: %llu\n",
			(unsigned long long)reported, (unsigned long long)below, (unsigned long long)incomplete,
			(unsigned long long)lost);
		return;
	}
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_bool(&j, "final", true);
	json_uint(&j, "reported", reported);
	json_uint(&j, "below_threshold", below);
	json_uint(&j, "incomplete", incomplete);
	json_uint(&j, "lost_events", lost);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- options ---- */

/* The original had no wildcard: 0.0.0.0 silently matched nothing. */
static __u32 host_ipv4(const uint32_t *addr, const char *role, char *text)
{
	if (!*addr)
		arg_fail_opt(addr, "0.0.0.0 matches no packet: give the address of the echo request's %s", role);
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
	const char *phy;	/* the interface list as the banner echoes it */
	char phy_buf[128];
	int nphy;
	double latency_ms;
};

static void build_config(struct rtt_config *cfg, struct settings *st)
{
	const char *flag;

	_Static_assert(RTT_MAX_PHY == NS_MAX_PHY, "netstage_phy_opt fills NS_MAX_PHY slots");
	memset(cfg, 0, sizeof(*cfg));
	cfg->filter = pkt_filter_ipv4(host_ipv4(&opt.src_ip, "sender", src_text),
				      host_ipv4(&opt.dst_ip, "receiver", dst_text), 0, 0, IPPROTO_ICMP, RTT_FILTER_FLAGS);
	st->latency_ms = opt.latency_ms;
	cfg->threshold_ns = (__u64)(st->latency_ms * 1e6);
	cfg->direction = strcmp(opt.direction, "rx") ? RTT_TX : RTT_RX;
	cfg->stacks = !opt.disable_kernel_stacks;
	st->phy = phy_list(&flag, st->phy_buf, sizeof(st->phy_buf));
	st->nphy = netstage_phy_opt(flag, st->phy, cfg->phy_ifindex);
	if (st->nphy < 2)
		st->nphy = 2;	/* one NIC fills both of the original's slots */
}

/* ---- probes ---- */

/* Where the sk_buff argument is when the kernel's BTF does not say (5.x/6.x prototypes). */
static const __u8 default_skb_arg[RTT_HOOKS] = {
	[RTT_HOOK_IP_OUTPUT] = 3,    [RTT_HOOK_INTERNAL_XMIT] = 1, [RTT_HOOK_FRAME_HOOK] = 1,
	[RTT_HOOK_OVS_PROCESS] = 1,  [RTT_HOOK_OVS_UPCALL] = 2,	   [RTT_HOOK_OVS_KEYEXT] = 3,
	[RTT_HOOK_OVS_SEND] = 2,     [RTT_HOOK_NIC_TX] = 1,	   [RTT_HOOK_ICMP_RCV] = 1,
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
	skip = drop_tracing_frames(sf->frame, n);
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
	fflush(stdout);
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
	hook_set_init(&hooks, hook_defs, RTT_HOOKS, 0);
	require_module("openvswitch", "the internal port and datapath stages are its functions");
	if (!g_common.json)
		rtt_print_banner(stdout, src_text, dst_text, st.phy, cfg.phy_ifindex, st.nphy,
				 cfg.direction, st.latency_ms);

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
			printf("Probe: %s -> %s\n", hook_defs[h].role, hook_describe(&hooks, h, desc, sizeof(desc)));
		printf("\nTracing ICMP RTT for src_ip=%s, dst_ip=%s, direction=%s ... Hit Ctrl-C to end.\n",
		       src_text, dst_text, opt.direction);
	}
	tool_ready();

	events_run(ch, opt.duration);

	hook_detach(&hooks);
	events_drain(ch);
	if (!g_common.json)
		printf("\nDetaching...\n");
	rtt_print_totals(stdout, g_common.json, tracer.reported,
			 bpfload_percpu_sum(skel->maps.rtt_counters, RTT_CNT_BELOW_THRESHOLD),
			 bpfload_percpu_sum(skel->maps.rtt_counters, RTT_CNT_INCOMPLETE), events_lost(ch));
	if (!g_common.json)
		printf("Exiting.\n");
	events_close(ch);
	system_network_icmp_rtt_bpf__destroy(skel);
	return 0;
}
