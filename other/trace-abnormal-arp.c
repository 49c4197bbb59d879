// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-abnormal-arp: the bpftrace script trace-abnormal-arp.bt as a binary: ARP packets
 * claiming one sender IP address on a VM's tap (received from it or sent into it), with their
 * addresses, opcode, process and kernel stack, and the packets seen on the tap per process.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "dev_names.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "pktdecode.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "trace-abnormal-arp.h"
#include "trace-abnormal-arp.skel.h"

static struct {
	const char *device;
	uint32_t sender_ip;
	bool no_stack;
	double duration;
} opt = { .device = "vnet42" };

static const struct arg_opt options[] = {
	OPT_STR("device", 0, &opt.device,
		"the tap(s) to watch, by name, comma-separated (default: vnet42, as the original)",
		.metavar = "IFNAME[,IFNAME...]"),
	OPT_IPV4("sender-ip", 0, &opt.sender_ip,
		 "report ARP packets with this sender protocol address (default: 192.168.25.218, as the "
		 "original)",
		 .metavar = "A.B.C.D"),
	OPT_FLAG("no-stack", 0, &opt.no_stack, "do not capture and print the kernel stack"),
	OPT_SECONDS("duration", 'd', &opt.duration, ARG_ZERO_OFF,
		    "stop after this many seconds (default: until Ctrl-C)", .metavar = "SECONDS"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace-abnormal-arp",
	.description = "Report ARP packets with a given sender IP address on a tap device (received from "
		       "the VM or sent into it): addresses, opcode, process and kernel stack; at exit the "
		       "packets seen on the tap per process",
	.epilog = "examples:\n"
		  "  trace-abnormal-arp                                  # vnet42 and 192.168.25.218, as the "
		  "original\n"
		  "  trace-abnormal-arp --device vnet3 --sender-ip 10.0.0.5 --no-stack",
	.opts = options,
};

static const char *const probe_names[ARP_PROBES] = {
	[ARP_RECEIVE] = "__netif_receive_skb",
	[ARP_TUN_XMIT] = "tun_net_xmit",
};

const char *arp_probe_name(unsigned probe)
{
	return probe < ARP_PROBES ? probe_names[probe] : "?";
}

static const char *op_name(unsigned op)
{
	return op == 1 ? "Request" : op == 2 ? "Reply" : "Other";
}

void arp_print_event(FILE *f, const struct arp_event *ev, const char *const *frames, int nframes)
{
	char a[24], b[24], ip[32];

	fprintf(f, "Packet type: %u, dev name: %s, skb protocol: %x\n", ev->pkt_type, ev->dev, ev->protocol);
	fprintf(f, "ARP fields from ARP header:\n  Sender MAC (sha): %s\n  Target MAC (tha): %s\n",
		mac_format(ev->sha, a, sizeof(a)), mac_format(ev->tha, b, sizeof(b)));
	fprintf(f, "Ethernet header MAC addresses:\n  Source MAC: %s\n  Dest MAC: %s\n",
		mac_format(ev->eth_src, a, sizeof(a)), mac_format(ev->eth_dst, b, sizeof(b)));
	fprintf(f, "ARP packet operation: %s\n  Interface: %s\n  Process: %s (PID: %u)\n",
		arp_probe_name(ev->probe), ev->dev, ev->comm, ev->pid);
	fprintf(f, "  ARP op code: %u (%s)\n  Sender Protocol Address (spa): %s\n", ev->op, op_name(ev->op),
		ipv4_format(ev->spa, ip, sizeof(ip)));
	if (frames) {
		fputs("  Stack trace:\n\n", f);
		for (int i = 0; i < nframes; i++)
			fprintf(f, "        %s\n", frames[i]);
	}
	fputc('\n', f);
}

void arp_print_json(FILE *f, const struct arp_event *ev, const char *hms, const char *const *frames,
		    int nframes)
{
	char a[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "probe", arp_probe_name(ev->probe));
	json_str(&j, "dev", ev->dev);
	json_uint(&j, "pkt_type", ev->pkt_type);
	json_uint(&j, "protocol", ev->protocol);
	json_uint(&j, "op", ev->op);
	json_str(&j, "op_name", op_name(ev->op));
	json_str(&j, "spa", ipv4_format(ev->spa, a, sizeof(a)));
	json_str(&j, "sha", mac_format(ev->sha, a, sizeof(a)));
	json_str(&j, "tha", mac_format(ev->tha, a, sizeof(a)));
	json_str(&j, "eth_src", mac_format(ev->eth_src, a, sizeof(a)));
	json_str(&j, "eth_dst", mac_format(ev->eth_dst, a, sizeof(a)));
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	if (frames)
		json_str_array(&j, "stack", frames, nframes);
	json_end_obj(&j);
	json_finish(&j);
}

static int by_packets(const void *a, const void *b)
{
	const struct arp_count *x = a, *y = b;
	int c;

	if (x->packets != y->packets)
		return x->packets < y->packets ? -1 : 1;
	c = strncmp(x->key.comm, y->key.comm, sizeof(x->key.comm));
	return c ? c : strncmp(x->key.dev, y->key.dev, sizeof(x->key.dev));
}

void arp_sort_counts(struct arp_count *c, size_t n)
{
	qsort(c, n, sizeof(*c), by_packets);
}

void arp_print_exit(FILE *f, bool json, const struct arp_count *c, size_t n, uint64_t not_counted,
		    uint64_t lost)
{
	if (json) {
		struct json j;

		json_begin(&j, f);
		json_obj(&j, NULL);
		json_bool(&j, "final", true);
		json_arr(&j, "packets");
		for (size_t i = 0; i < n; i++) {
			json_obj(&j, NULL);
			json_str(&j, "comm", c[i].key.comm);
			json_str(&j, "dev", c[i].key.dev);
			json_uint(&j, "count", c[i].packets);
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_uint(&j, "not_counted", not_counted);
		json_uint(&j, "lost_events", lost);
		json_end_obj(&j);
		json_finish(&j);
		return;
	}
	fputs("\nDrop count by process and interface:\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "@[%.16s, %.16s]: %llu\n", c[i].key.comm, c[i].key.dev,
			(unsigned long long)c[i].packets);
	fputs("\n\n\n", f);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)lost);
}

static const struct hook_def hook_defs[ARP_PROBES] = {
	/* The tracepoints fire in the same paths, for kernels without kprobes. */
	[ARP_RECEIVE] = { "packets from the tap",
			  { HOOK_FUNC_ENTRY("arp_kprobe_receive", "__netif_receive_skb"),
			    { HOOK_TP, "arp_tp_receive", "net:netif_receive_skb" } },
			  .optional = true },
	[ARP_TUN_XMIT] = { "packets into the tap",
			   { HOOK_FUNC_ENTRY("arp_kprobe_tun_xmit", "tun_net_xmit"),
			     { HOOK_TP, "arp_tp_xmit", "net:net_dev_start_xmit" } },
			   .optional = true },
};
const struct hook_table arp_hook_table = { hook_defs, ARP_PROBES };

/* The event's stack rendered as bpftrace's kstack. */
struct rendered_stack {
	int n;
	const char *frame[ARP_STACK_MAX];
	char text[ARP_STACK_MAX][STACK_FRAME_LEN];
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct rendered_stack *st = ctx;
	const struct arp_event *ev = data;
	int n = 0;

	if (size < sizeof(*ev))
		return;
	for (int i = 0; ev->stack_bytes > 0 && i < ev->stack_bytes / 8 && i < ARP_STACK_MAX && ev->stack[i];
	     i++) {
		st->frame[i] = ksyms_format(ksyms_kernel(), ev->stack[i], KSYM_DEC, st->text[i],
					    sizeof(st->text[i]));
		n = i + 1;
	}
	if (g_common.json) {
		char hms[16];

		fmt_wall_ns_hms(ktime_to_wall_ns(ev->ts_ns), hms, sizeof(hms));
		arp_print_json(stdout, ev, hms, opt.no_stack ? NULL : st->frame, n);
	} else {
		arp_print_event(stdout, ev, opt.no_stack ? NULL : st->frame, n);
	}
	output_event_end();
}

/* The per-(process, interface) counts left in the map. */
static size_t read_counts(struct bpf_map *map, struct arp_count **out)
{
	int fd = bpf_map__fd(map);
	size_t n = 0, cap = 64;
	struct arp_count *c = malloc(cap * sizeof(*c));
	struct arp_count_key key, *prev = NULL;

	if (!c)
		die("out of memory");
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (n == cap && !(c = realloc(c, (cap *= 2) * sizeof(*c))))
			die("out of memory");
		c[n].key = key;
		prev = &c[n].key;
		if (!bpf_map_lookup_elem(fd, &key, &c[n].packets))
			n++;
	}
	arp_sort_counts(c, n);
	*out = c;
	return n;
}

static int attached(const struct hook_set *hooks)
{
	int n = 0;

	for (int i = 0; i < hooks->n; i++)
		n += hook_active(hooks, i);
	return n;
}

int main(int argc, char **argv)
{
	static struct rendered_stack stack;
	struct arp_config cfg = { 0 };
	struct trace_abnormal_arp_bpf *skel;
	struct event_channel *ch;
	struct hook_set hooks;
	struct arp_count *counts;
	uint64_t not_counted;
	size_t n;

	inet_pton(AF_INET, "192.168.25.218", &opt.sender_ip); /* the script's address */
	args_parse(&parser, argc, argv);
	dev_name_set_parse(&cfg.devices, opt.device, &opt.device);
	cfg.sender_ip = opt.sender_ip;
	cfg.stack = !opt.no_stack;
	tool_init("trace-abnormal-arp");
	hook_set_init(&hooks, arp_hook_table.defs, arp_hook_table.n, 0);

	skel = BPFNET_OPEN(trace_abnormal_arp_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &stack);
	tool_install_signals();
	hook_attach(&hooks);
	if (!attached(&hooks))
		die("none of the %d probes could be attached (see the warnings above)", hooks.n);
	if (!g_common.json) {
		hook_print(stdout, &hooks);
		printf("Attaching %d probes...\n", attached(&hooks) + 1); /* bpftrace counts END too */
	}
	output_flush();
	events_trace(ch, &hooks, opt.duration, "");
	n = read_counts(skel->maps.packet_counts, &counts);
	not_counted = bpfload_percpu_sum(skel->maps.counts_full, 0);
	arp_print_exit(stdout, g_common.json, counts, n, not_counted, events_lost(ch));
	if (not_counted)
		log_warn("%llu packets were not counted: more than %d (process, interface) pairs",
			 (unsigned long long)not_counted, ARP_MAX_COUNTS);
	free(counts);
	events_close(ch);
	trace_abnormal_arp_bpf__destroy(skel);
	return 0;
}
