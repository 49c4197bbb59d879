// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_virtio_net_rcvbuf: the bpftrace script trace_virtio_net_rcvbuf.bt as a binary, run
 * inside a guest: every packet virtio-net receives with the RX split ring's indexes and its
 * TCP seq/ack, every TX kick with the TX ring's, and the interrupts and polls between them.
 */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "trace_virtio_net_rcvbuf.h"
#include "trace_virtio_net_rcvbuf.skel.h"

static struct {
	double duration;
	bool all_tx;
} opt;

static const struct arg_opt options[] = {
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	OPT_FLAG("all-tx", 0, &opt.all_tx,
		 "read the TCP/ICMP fields of every transmit (default, as the original: only of those "
		 "sent while receive_buf runs on the CPU, e.g. ACKs sent from the receive path)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_virtio_net_rcvbuf",
	.description = "Trace virtio-net receive buffers inside a guest: each packet receive_buf hands to "
		       "GRO with the RX ring's avail/used indexes and TCP seq/ack, each TX kick with the TX "
		       "ring's, and the RX/TX interrupts and NAPI polls",
	.epilog = "examples:\n"
		  "  trace_virtio_net_rcvbuf             # until Ctrl-C\n"
		  "  trace_virtio_net_rcvbuf -d 5 --all-tx  # 5 seconds, TCP fields of every transmit",
	.opts = options,
};

enum {
	RCV_RECEIVE_BUF,
	RCV_RECEIVE_BUF_RET,
	RCV_POLL,
	RCV_RECV_DONE,
	RCV_GRO,
	RCV_XMIT,
	RCV_XMIT_RET,
	RCV_XMIT_DONE,
	RCV_NOTIFY,
	RCV_HOOKS
};

/* receive_buf itself: a GCC clone may have lost the receive_queue argument. */
static bool receive_buf_whole(const struct hook_set *plan)
{
	return ksyms_has(plan->env->functions(), "receive_buf");
}

static bool receive_buf_chosen(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, RCV_RECEIVE_BUF);

	return c && !strcmp(c->target, "receive_buf");
}

/* The dequeue stands in for an inlined receive_buf only if virtio_net's types say which queue is polled. */
static bool queue_types_known(const struct hook_set *plan)
{
	(void)plan;
	return kernel_struct_exists("receive_queue", "virtio_net");
}

static const struct hook_def hook_defs[RCV_HOOKS] = {
	[RCV_RECEIVE_BUF] = { "packets received",
			      { { HOOK_KPROBE, "rcv_receive_buf", "receive_buf", receive_buf_whole },
				{ HOOK_KPROBE, "rcv_get_buf", "virtqueue_get_buf_ctx", queue_types_known } } },
	[RCV_RECEIVE_BUF_RET] = { "end of a packet's receive",
				  { { HOOK_KRETPROBE, "rcv_receive_buf_ret", "receive_buf",
				      receive_buf_chosen } },
				  "virtio_net" },
	[RCV_POLL] = { "NAPI polls", { HOOK_FUNC_ENTRY("rcv_poll", "virtnet_poll") }, "virtio_net" },
	[RCV_RECV_DONE] = { "RX interrupts",
			    { HOOK_FUNC_ENTRY("rcv_recv_done", "skb_recv_done") },
			    "virtio_net",
			    true },
	/* napi_gro_receive is gro_receive_skb on newer kernels (6.18); the skb is the second argument of both. */
	[RCV_GRO] = { "packets handed to GRO",
		      { HOOK_FUNC_ENTRY("rcv_gro", "napi_gro_receive"),
			HOOK_FUNC_ENTRY("rcv_gro", "gro_receive_skb") } },
	[RCV_XMIT] = { "transmits", { HOOK_FUNC_ENTRY("rcv_xmit", "start_xmit") }, "virtio_net", true },
	[RCV_XMIT_RET] = { "end of transmits",
			   { HOOK_FUNC_RETURN("rcv_xmit_ret", "start_xmit") },
			   "virtio_net",
			   true },
	[RCV_XMIT_DONE] = { "TX interrupts",
			    { HOOK_FUNC_ENTRY("rcv_xmit_done", "skb_xmit_done") },
			    "virtio_net",
			    true },
	[RCV_NOTIFY] = { "TX kicks", { { HOOK_KPROBE, "rcv_notify", "virtqueue_notify" } }, NULL, true },
};
const struct hook_table rcvbuf_hook_table = { hook_defs, RCV_HOOKS };

static uint64_t per_kind[RCVBUF_KINDS];

/* bpftrace's strftime("%H:%M:%S.%f"): wall-clock time with microseconds. */
static const char *stamp_of(uint64_t ktime_ns, char *buf, size_t len)
{
	uint64_t wall = ktime_to_wall_ns(ktime_ns);
	char hms[16];

	fmt_wall_ns_hms(wall, hms, sizeof(hms));
	snprintf(buf, len, "%s.%06llu", hms, (unsigned long long)(wall % 1000000000ULL / 1000));
	return buf;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	const struct rcvbuf_event *ev = data;
	char stamp[32];

	(void)ctx;
	if (size < sizeof(*ev) || ev->kind >= RCVBUF_KINDS)
		return;
	per_kind[ev->kind]++;
	stamp_of(ev->ts_ns, stamp, sizeof(stamp));
	if (g_common.json)
		rcvbuf_print_event_json(stdout, ev, stamp);
	else
		rcvbuf_print_event(stdout, ev, stamp);
}

static int active_hooks(const struct hook_set *hooks)
{
	int n = 0;

	for (int i = 0; i < hooks->n; i++)
		n += hook_active(hooks, i);
	return n;
}

int main(int argc, char **argv)
{
	struct rcvbuf_config cfg = { 0 };
	struct trace_virtio_net_rcvbuf_bpf *skel;
	struct event_channel *ch;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	tool_init(parser.prog);
	hook_set_init(&hooks, rcvbuf_hook_table.defs, rcvbuf_hook_table.n, 0);
	require_function_hooks("receive_buf has no tracepoint to use instead");
	cfg.all_tx = opt.all_tx;

	skel = BPFNET_OPEN(trace_virtio_net_rcvbuf_bpf);
	hook_prepare(&hooks, skel->obj);
	if (!kernel_struct_exists("receive_queue", "virtio_net") ||
	    !kernel_struct_exists("vring_virtqueue", "virtio_ring"))
		die("no BTF describes virtio_net's receive queues and virtio_ring's rings (module BTF came "
		    "in 5.11): "
		    "pass --btf DIR with virtio_net and virtio_ring files (README: Kernels without BTF)");
	cfg.rx_at_get_buf = !receive_buf_chosen(&hooks);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		hook_print(stdout, &hooks);
		printf("Attaching %d probes...\n", active_hooks(&hooks) + 1); /* bpftrace counts END too */
	}
	output_flush();
	events_trace(ch, &hooks, opt.duration, "");
	if (g_common.json) {
		struct final_count counts[RCVBUF_KINDS] = {
			{ "skb_recv_done", per_kind[RCVBUF_RECV_DONE] },
			{ "virtnet_poll", per_kind[RCVBUF_POLL] },
			{ "rx", per_kind[RCVBUF_RX] },
			{ "tx", per_kind[RCVBUF_TX] },
			{ "skb_xmit_done", per_kind[RCVBUF_XMIT_DONE] },
		};

		events_print_final_json(stdout, counts, RCVBUF_KINDS, events_lost(ch));
	} else {
		events_print_totals(stdout, false, events_lost(ch));
	}
	events_close(ch);
	trace_virtio_net_rcvbuf_bpf__destroy(skel);
	return 0;
}
