// SPDX-License-Identifier: GPL-2.0-only
/* tun-tx-ring-stas: per packet into one tap, a TX ptr_ring's indices and the sender's stacks. */
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "bt_ustack.h"
#include "events.h"
#include "hook.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "skb_snapshot.h"
#include "timefmt.h"
#include "tun-tx-ring-stas.h"
#include "tun-tx-ring-stas.skel.h"
#include "tun_dev.h"
#include "usyms.h"

static struct {
	const char *device;
	int queue;
} opt = { .device = "vnet11", .queue = 1 };

static const struct arg_opt options[] = {
	OPT_IFNAME("device", 'd', &opt.device,
		   "the tap whose transmits are shown (default: vnet11, the original's)"),
	OPT_INT("queue", 'q', &opt.queue, 0, 255,
		"the queue whose TX ring is read, whatever the packet's queue (default: 1, the original's)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "tun-tx-ring-stas",
	.description = "Print, for every packet sent into a tap device, the TX ptr_ring indices of one of "
		       "its queues with the kernel and user stacks of the sender.",
	.epilog = "examples:\n"
		  "  tun-tx-ring-stas                      # vnet11, the ring of queue 1 (the original)\n"
		  "  tun-tx-ring-stas --device vnet3 -q 0  # vnet3, the ring of queue 0",
	.opts = options,
};

static const struct hook_def hook_defs[] = {
	{ "transmit into a tap", { HOOK_FUNC_ENTRY("ttrs_xmit", "tun_net_xmit") }, "tun" },
};
const struct hook_table ttrs_hook_table = { hook_defs, 1 };

static struct tun_tx_ring_stas_bpf *skel;
static struct usyms_cache usyms;

static void handle_event(void *ctx, const void *data, size_t size)
{
	static struct stack_frames kstack, ustack;
	const struct ttrs_event *ev = data;
	char when[40];

	(void)ctx;
	if (size < sizeof(*ev))
		return;
	if (ev->kstack_id < 0 || bt_kstack_read(&kstack, skel->maps.stacks, ev->kstack_id) < 0)
		kstack.n = 0;
	bt_ustack_read(&ustack, skel->maps.stacks, ev->ustack_id, (int)ev->pid, &usyms);
	if (g_common.json) {
		fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
		ttrs_print_json(stdout, ev, when + 11, &kstack, &ustack);
	} else {
		ttrs_print_event(stdout, ev, &kstack, &ustack);
	}
	output_event_end();
}

int main(int argc, char **argv)
{
	struct event_channel *ch;
	struct hook_set hooks;
	struct ttrs_config cfg = { 0 };

	args_parse(&parser, argc, argv);
	tool_init("tun-tx-ring-stas");
	hook_set_init(&hooks, ttrs_hook_table.defs, ttrs_hook_table.n, 0);
	strncpy((char *)cfg.device.name[0], opt.device, DEV_NAME_LEN - 1);
	cfg.device.count = 1;
	cfg.queue = (__u32)opt.queue;
	tun_require();
	tun_device_require(opt.device);
	skel = BPFNET_OPEN(tun_tx_ring_stas_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, NULL);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json)
		printf("Attaching 1 probe...\n");
	output_flush();
	events_trace(ch, &hooks, 0, "");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	usyms_cache_free(&usyms);
	tun_tx_ring_stas_bpf__destroy(skel);
	return 0;
}
