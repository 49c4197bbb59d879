// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-qdisc-dequeue: the bpftrace script trace-qdisc-dequeue.bt as a binary: skbs with a GSO
 * size but no GSO type at qdisc dequeue, device queue entry, direct transmit, tun transmit
 * and the TCP send/receive functions, each with its skb, socket and header details and the
 * kernel stack.
 */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "filter.h"
#include "hook.h"
#include "runtime.h"
#include "skb_gso_report.h"
#include "trace-qdisc-dequeue.h"
#include "trace-qdisc-dequeue.skel.h"
#include "util.h"

static struct {
	const char *device;
	const char *kprobe_device;
	double duration;
} opt = { .device = "vnet0,port-storage" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.device,
		"devices the two tracepoints watch, by name, comma-separated (default: vnet0,port-storage, "
		"as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_STR("kprobe-device", 0, &opt.kprobe_device,
		"devices the function probes watch (default: every device, as the original)",
		.metavar = "NAME[,NAME...]"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace-qdisc-dequeue",
	.description = "Report skbs with a GSO size but no GSO type (gso_size != 0, gso_type == 0) at "
		       "qdisc dequeue, device queue entry, sch_direct_xmit, tun_net_xmit and the TCP "
		       "transmit/receive functions, with the skb's details and the kernel stack",
	.epilog = "examples:\n"
		  "  trace-qdisc-dequeue                          # vnet0 and port-storage, as the original\n"
		  "  trace-qdisc-dequeue --device vnet3           # the tracepoints watch vnet3\n"
		  "  trace-qdisc-dequeue --kprobe-device eth0 -d 60",
	.opts = options,
};

static const char *const probe_names[QDQ_PROBES] = {
	[QDQ_QDISC_DEQUEUE] = "qdisc_dequeue",     [QDQ_NET_DEV_QUEUE] = "net_dev_queue",
	[QDQ_SCH_DIRECT_XMIT] = "sch_direct_xmit", [QDQ_TUN_NET_XMIT] = "tun_net_xmit",
	[QDQ_IP_QUEUE_XMIT] = "__ip_queue_xmit",   [QDQ_TCP_TRANSMIT_SKB] = "__tcp_transmit_skb",
	[QDQ_TCP_ADD_BACKLOG] = "tcp_add_backlog", [QDQ_TCP_V4_DO_RCV] = "tcp_v4_do_rcv",
};

const char *qdq_probe_name(unsigned probe)
{
	return probe < QDQ_PROBES ? probe_names[probe] : "?";
}

static void print_tracepoint_block(FILE *f, const char *name, const struct gso_event *ev,
				   const struct gso_frames *fr)
{
	char tail[64];

	gso_line_unexpected(f, name, &ev->skb);
	fprintf(f, ", skb_len: %d, data_len: %d\n", (int)ev->skb.len, (int)ev->skb.data_len);
	snprintf(tail, sizeof(tail), "end %s ", name);
	gso_lines_stack(f, &ev->skb, fr, tail);
	gso_block_end(f);
}

static void print_function_block(FILE *f, const char *name, const struct gso_event *ev,
				 const struct gso_frames *fr)
{
	const struct skb_snapshot *s = &ev->skb;
	char saddr[32], daddr[32], tail[64];

	fprintf(f, "%s probe\n", name);
	fprintf(f, "###### inet socket info : saddr: %s, daddr: %s, dport: %d \n",
		ipv4_format(ev->sk_saddr, saddr, sizeof(saddr)),
		ipv4_format(ev->sk_daddr, daddr, sizeof(daddr)), ev->sk_dport);
	gso_line_unexpected(f, name, s);
	fprintf(f, ", data len: %d, dataref: %d\n", (int)s->data_len, s->dataref);
	fprintf(f,
		"####### dev_name: %s\t, skb dev features: %llx\t, ignore df: %d\t skb_len: %u,\t "
		"skb_cloned: "
		"%d,\t network_header: %u,\t transport_header: %u,\t encap: %-3u,\t inner_network_header: "
		"%u,\t "
		"inner_transport_header: %u,\t | gso_size: %-4u,\t gso_segs: %-4u,\t gso_type: 0x%02x,\t "
		"nr_frags: %u\t, func: %s\n",
		s->dev, (unsigned long long)s->features, s->ignore_df, s->len, s->cloned, s->network_header,
		s->transport_header, s->encapsulation, s->inner_network_header, s->inner_transport_header,
		s->gso_size, s->gso_segs, s->gso_type, s->nr_frags, name);
	/* The original printed the device's feature masks only in the TCP/IP functions. */
	if (ev->probe >= QDQ_IP_QUEUE_XMIT)
		gso_line_hw_features(f, s);
	if (gso_is_udp(s) || gso_is_tcp(s)) {
		gso_lines_frag(f, s);
		gso_lines_ports_mac(f, s);
	}
	snprintf(tail, sizeof(tail), "end %s probe", name);
	gso_lines_stack(f, s, fr, tail);
	gso_block_end(f);
}

void qdq_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *fr)
{
	const char *name = qdq_probe_name(ev->probe);

	if (ev->probe <= QDQ_NET_DEV_QUEUE)
		print_tracepoint_block(f, name, ev, fr);
	else
		print_function_block(f, name, ev, fr);
}

static const struct hook_def hook_defs[QDQ_PROBES] = {
	[QDQ_QDISC_DEQUEUE] = { "qdisc dequeue",
				{ HOOK_RAW_TRACEPOINT("qdq_tp_qdisc_dequeue", "qdisc:qdisc_dequeue") },
				.optional = true },
	[QDQ_NET_DEV_QUEUE] = { "device queue entry",
				{ HOOK_RAW_TRACEPOINT("qdq_tp_net_dev_queue", "net:net_dev_queue") },
				.optional = true },
	[QDQ_SCH_DIRECT_XMIT] = { "direct transmit",
				  { HOOK_FUNC_ENTRY("qdq_sch_direct_xmit", "sch_direct_xmit") },
				  .optional = true },
	[QDQ_TUN_NET_XMIT] = { "tun transmit",
			       { HOOK_FUNC_ENTRY("qdq_tun_net_xmit", "tun_net_xmit") },
			       .module = "tun",
			       .optional = true },
	/* ip_queue_xmit itself took these arguments before 4.19 made it a wrapper. */
	[QDQ_IP_QUEUE_XMIT] = { "IP transmit",
				{ HOOK_FUNC_ENTRY("qdq_ip_queue_xmit", "__ip_queue_xmit"),
				  HOOK_FUNC_ENTRY("qdq_ip_queue_xmit", "ip_queue_xmit") },
				.optional = true },
	/* static: may be inlined or a GCC clone on some builds */
	[QDQ_TCP_TRANSMIT_SKB] = { "TCP transmit",
				   { HOOK_FUNC_ENTRY("qdq_tcp_transmit_skb", "__tcp_transmit_skb") },
				   .optional = true },
	[QDQ_TCP_ADD_BACKLOG] = { "TCP backlog",
				  { HOOK_FUNC_ENTRY("qdq_tcp_add_backlog", "tcp_add_backlog") },
				  .optional = true },
	[QDQ_TCP_V4_DO_RCV] = { "TCP receive",
				{ HOOK_FUNC_ENTRY("qdq_tcp_v4_do_rcv", "tcp_v4_do_rcv") },
				.optional = true },
};
const struct hook_table qdq_hook_table = { hook_defs, QDQ_PROBES };

int main(int argc, char **argv)
{
	static const struct gso_tool tool = { probe_names, QDQ_PROBES, qdq_print_event };
	struct gso_config cfg = { 0 };
	struct trace_qdisc_dequeue_bpf *skel;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	dev_name_set_parse(&cfg.devices, opt.device, &opt.device);
	if (opt.kprobe_device)
		dev_name_set_parse(&cfg.devices2, opt.kprobe_device, &opt.kprobe_device);
	tool_init("trace-qdisc-dequeue");
	hook_set_init(&hooks, qdq_hook_table.defs, qdq_hook_table.n, 0);
	cfg.gso_type_ignore = gso_type_ignore_from_env();

	skel = BPFNET_OPEN(trace_qdisc_dequeue_bpf);
	gso_tool_run(&tool, &hooks, skel->skeleton, &cfg, opt.duration);
	trace_qdisc_dequeue_bpf__destroy(skel);
	return 0;
}
