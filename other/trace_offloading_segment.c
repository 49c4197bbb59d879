// SPDX-License-Identifier: GPL-2.0-only
/* trace_offloading_segment: GSO and encapsulation state of UDP tunnel (Geneve) packets. */
#include <stdio.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "runtime.h"
#include "skb_snapshot.h"
#include "trace_offloading_segment.h"
#include "trace_offloading_segment.skel.h"

static struct {
	uint16_t dst_port;
	bool no_free;
	double duration;
} opt = { .dst_port = 6081 };

static const struct arg_opt options[] = {
	OPT_PORT("dst-port", 0, &opt.dst_port,
		 "UDP destination port of the tunnel packets shown (default: 6081, Geneve, as the original)"),
	OPT_FLAG("no-free", 0, &opt.no_free,
		 "do not probe __kfree_skb (it is called for every freed packet)"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_offloading_segment",
	.description = "Trace the GSO and encapsulation state of UDP tunnel (Geneve) packets at tunnel "
		       "transmit (iptunnel_xmit), UDP-tunnel segmentation (skb_udp_tunnel_segment) and "
		       "free (__kfree_skb), with kernel stacks, like the bpftrace script",
	.epilog = "examples:\n"
		  "  trace_offloading_segment                  # Geneve (UDP 6081), until Ctrl-C\n"
		  "  trace_offloading_segment --dst-port 4789  # VXLAN instead\n"
		  "  trace_offloading_segment --no-free -d 10  # without the __kfree_skb probe, 10 seconds",
	.opts = options,
};

static const struct hook_def hook_defs[OFFSEG_PROBES] = {
	[OFFSEG_IPTUNNEL_XMIT] = { "tunnel transmit",
				   { { HOOK_KPROBE, "os_iptunnel_xmit", "iptunnel_xmit" } },
				   .optional = true },
	[OFFSEG_UDP_TUNNEL_SEGMENT] = { "UDP tunnel segmentation",
					{ HOOK_FUNC_ENTRY("os_udp_tunnel_segment",
							  "skb_udp_tunnel_segment") },
					.optional = true },
	[OFFSEG_KFREE_SKB] = { "freed tunnel packets",
			       { HOOK_FUNC_ENTRY("os_kfree_skb", "__kfree_skb") },
			       .optional = true },
};
const struct hook_table offseg_hook_table = { hook_defs, OFFSEG_PROBES };

void offseg_print_event(FILE *f, const struct skb_probe_view *v)
{
	const struct skb_probe_event *ev = v->ev;
	const struct skb_snapshot *s = &ev->skb;
	char flow[64];

	if (ev->probe == OFFSEG_IPTUNNEL_XMIT)
		fputs("ip tunnel xmit probe\n", f);
	else if (ev->probe == OFFSEG_UDP_TUNNEL_SEGMENT)
		fputs("udp tunnel segemtation probe\n", f);
	if (!(ev->flags & SKB_EV_MATCH))
		return;
	fprintf(f, "********* command: %s, func: %s\n", ev->comm, v->func);
	fprintf(f, "pkt_type:%d, ifindex: %d \n kstack: ", s->pkt_type, s->ifindex);
	bt_print_kstack(f, v->frames, v->nframes);
	fprintf(f, "geneve tunnel encaped data: %s\n", skb_snap_flow(s, true, flow, sizeof(flow)));
	fprintf(f, "inner_protocol_type: %d, encapsulation: %d\n", s->inner_protocol_type, s->encapsulation);
	skb_snap_print_macs(f, "", s);
	fprintf(f, "gso_size: %d, gso_type: %d\n", s->gso_size, s->gso_type);
	fprintf(f, "Dev features: %llx\n", (unsigned long long)s->features);
	fputs("end ********** \n\n\n\n", f);
}

int main(int argc, char **argv)
{
	struct offseg_config cfg = { .dst_port = 0 };
	struct trace_offloading_segment_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	cfg.dst_port = opt.dst_port;
	tool_init("trace_offloading_segment");
	hook_set_init(&hooks, offseg_hook_table.defs, offseg_hook_table.n,
		      opt.no_free ? 1ull << OFFSEG_KFREE_SKB : 0);
	require_function_hooks("its probe points are kernel functions without tracepoints");

	skel = BPFNET_OPEN(trace_offloading_segment_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	skb_tracer_run(&hooks, skel->maps.events, skel->maps.events_lost, skel->maps.stacks,
		       offseg_print_event, opt.duration);
	trace_offloading_segment_bpf__destroy(skel);
	return 0;
}
