// SPDX-License-Identifier: GPL-2.0-only
/* eth_drop: per-packet view of kernel packet drops with protocol, VLAN and address filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "pktdecode.h"
#include "runtime.h"
#include "stack.h"
#include "timefmt.h"
#include "eth_drop.h"
#include "eth_drop.skel.h"
#include "util.h"

#define SEPARATOR "--------------------------------------------------------------------------------"

static struct {
	const char *type, *interface;
	struct ip_addr src_ip, dst_ip;
	uint16_t src_port, dst_port;
	int vlan_id;
	uint8_t l4_protocol;
	bool verbose, no_stack_trace, disable_normal_filter;
} opt = { .type = "all" };

static const char *const l4_choices[] = { "all", "icmp", "tcp", "udp", NULL };

static const struct arg_opt options[] = {
	OPT_STR("type", 0, &opt.type,
		"EtherType filter: arp, rarp, ipv4, ipv6, lldp, flow_control, other, all, or 0x<hex>"),
	OPT_PROTO("l4-protocol", 0, &opt.l4_protocol, "L4 protocol filter (IPv4/IPv6)",
		  .choices = l4_choices),
	OPT_IP("src-ip", 0, &opt.src_ip, "source IPv4 or IPv6 address filter"),
	OPT_IP("dst-ip", 0, &opt.dst_ip, "destination IPv4 or IPv6 address filter"),
	OPT_PORT("src-port", 0, &opt.src_port, "TCP/UDP source port filter (0 = any)"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "TCP/UDP destination port filter (0 = any)"),
	OPT_INT("vlan-id", 0, &opt.vlan_id, 0, 4095, "outer 802.1Q VLAN id filter (0 = any)"),
	OPT_IFNAME("interface", 0, &opt.interface, "network interface filter (exact name)"),
	OPT_FLAG("verbose", 0, &opt.verbose, "show debug information and the payload of other protocols"),
	OPT_FLAG("no-stack-trace", 0, &opt.no_stack_trace, "do not print kernel stacks"),
	OPT_FLAG("disable-normal-filter", 0, &opt.disable_normal_filter,
		 "also show frees that match the normal kfree patterns"),
	OPT_EVENT_BUFFER,
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "eth_drop",
	.description = "Enhanced network packet drop tracing with protocol filtering and VLAN "
		       "support (ARM compatible)",
	.epilog = "examples:\n"
		  "  eth_drop --src-ip 10.132.114.11 --dst-ip 10.132.114.12 --l4-protocol tcp\n"
		  "  eth_drop --type ipv4 --src-ip 192.168.1.100 --dst-port 80 --interface eth0 --verbose\n"
		  "  eth_drop --type arp --interface br-int",
	.opts = options,
};

static const struct {
	const char *name;
	__u16 value;
} ethertypes[] = {
	{ "all", 0 },       { "arp", 0x0806 },  { "rarp", 0x8035 },         { "ipv4", 0x0800 },
	{ "ipv6", 0x86DD }, { "lldp", 0x88CC }, { "flow_control", 0x8808 }, { "other", ETHERTYPE_OTHER },
};

bool eth_drop_parse_type(const char *text, __u16 *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(ethertypes); i++) {
		if (!strcmp(text, ethertypes[i].name)) {
			*out = ethertypes[i].value;
			return true;
		}
	}
	if (!strncasecmp(text, "0x", 2) && text[2]) {
		char *end;
		unsigned long v = strtoul(text + 2, &end, 16);

		if (!*end && v <= 0xFFFF) {
			*out = (__u16)v;
			return true;
		}
	}
	return false;
}

static const char *arp_op_name(const struct pkt_decoded *d, char *buf, size_t len)
{
	unsigned req = d->kind == PKT_RARP ? 3 : 1;

	if (d->arp.op == req)
		return "Request";
	if (d->arp.op == req + 1)
		return "Reply";
	snprintf(buf, len, "Unknown(%u)", d->arp.op);
	return buf;
}

static void print_debug_info(FILE *f, const struct eth_drop_event *ev)
{
	fprintf(f, "Debug Info:\n");
	fprintf(f, "  SKB Length: %u bytes, Data Length: %u bytes\n", ev->len, ev->data_len);
	fprintf(f, "  MAC Header Offset: %u, Network Header Offset: %u, Transport Header Offset: %u\n",
		ev->mac_header, ev->network_header, ev->transport_header);
	fprintf(f, "  Execution Context: CPU=%u, PID=%u, TGID=%u, COMM=%s\n", ev->cpu, ev->pid, ev->tgid,
		ev->comm);
	/* The original printed a constant 0 here; the value is not observable from this probe. */
	fprintf(f, "  Interrupt Context: in_interrupt=n/a\n");
}

static void print_l2(FILE *f, const struct eth_drop_event *ev, const struct pkt_decoded *d)
{
	char a[32], b[32];
	bool hw_vlan = ev->snap.hw_vlan && !d->vlan_tags;

	if (d->vlan_tags)
		fprintf(f, "VLAN ID: %u, Priority: %u, Inner Protocol: 0x%04x\n", d->vlan_id, d->vlan_prio,
			d->vlan_inner);
	else if (hw_vlan)
		fprintf(f, "VLAN ID: %u, Priority: %u, Inner Protocol: 0x%04x (hardware-accelerated tag)\n",
			ev->snap.hw_vlan_tci & 0x0fff, ev->snap.hw_vlan_tci >> 13, d->proto);
	fprintf(f, "Ethernet Header:\n");
	if (d->has_l2) {
		fprintf(f, "  Source MAC: %s\n", mac_format(d->src_mac, a, sizeof(a)));
		fprintf(f, "  Dest MAC:   %s\n", mac_format(d->dst_mac, b, sizeof(b)));
		fprintf(f, "  EtherType:  0x%04x\n", d->outer_type);
	} else {
		fprintf(f, "  Source MAC: --\n");
		fprintf(f, "  Dest MAC:   --\n");
		fprintf(f, "  EtherType:  0x%04x (skb->protocol; no link-layer header built yet)\n",
			d->proto);
	}
}

static unsigned vlan_of(const struct eth_drop_event *ev, const struct pkt_decoded *d, bool *tagged)
{
	*tagged = d->vlan_tags || ev->snap.hw_vlan;
	return d->vlan_tags ? d->vlan_id : ev->snap.hw_vlan_tci & 0x0fff;
}

static void print_ports(FILE *f, const struct pkt_decoded *d, __u8 proto)
{
	if (d->has_ports && (proto == 6 || proto == 17))
		fprintf(f, "  %s Ports: %u -> %u\n", proto == 6 ? "TCP" : "UDP", d->sport, d->dport);
}

static void print_l3(FILE *f, const struct pkt_decoded *d, const char *prefix, bool verbose)
{
	char a[64], b[64], op[24];

	switch (d->kind) {
	case PKT_IPV4:
		fprintf(f, "%sIPv4 PACKET\n", prefix);
		if (!d->l3_complete) {
			fprintf(f, "IPv4 Header: (not captured)\n");
			break;
		}
		fprintf(f, "IPv4 Header:\n");
		fprintf(f, "  Version:    4\n");
		fprintf(f, "  ToS:        0x%02x\n", d->ip4.tos);
		fprintf(f, "  Length:     %u\n", d->ip4.tot_len);
		fprintf(f, "  ID:         0x%04x\n", d->ip4.id);
		fprintf(f, "  TTL:        %u\n", d->ip4.ttl);
		fprintf(f, "  Protocol:   %u\n", d->ip4.protocol);
		fprintf(f, "  Source IP:  %s\n", ipv4_format(d->ip4.saddr, a, sizeof(a)));
		fprintf(f, "  Dest IP:    %s\n", ipv4_format(d->ip4.daddr, b, sizeof(b)));
		print_ports(f, d, d->ip4.protocol);
		break;
	case PKT_IPV6: {
		struct ip_addr s = { .family = 6 }, t = { .family = 6 };

		fprintf(f, "%sIPv6 PACKET\n", prefix);
		if (!d->l3_complete) {
			fprintf(f, "IPv6 Header: (not captured)\n");
			break;
		}
		memcpy(s.bytes, d->ip6.saddr, 16);
		memcpy(t.bytes, d->ip6.daddr, 16);
		fprintf(f, "IPv6 Header:\n");
		fprintf(f, "  Version:     6\n");
		fprintf(f, "  Payload Len: %u\n", d->ip6.payload_len);
		fprintf(f, "  Next Header: %u\n", d->ip6.nexthdr);
		fprintf(f, "  Hop Limit:   %u\n", d->ip6.hop_limit);
		fprintf(f, "  Source IP:   %s\n", ip_format(&s, a, sizeof(a)));
		fprintf(f, "  Dest IP:     %s\n", ip_format(&t, b, sizeof(b)));
		print_ports(f, d, d->ip6.nexthdr);
		break;
	}
	case PKT_ARP:
	case PKT_RARP: {
		const char *name = d->kind == PKT_ARP ? "ARP" : "RARP";
		__u32 spa, tpa;

		fprintf(f, "%s%s PACKET\n", prefix, name);
		fprintf(f, "%s Header:\n", name);
		memcpy(&spa, d->arp.spa, 4);
		memcpy(&tpa, d->arp.tpa, 4);
		fprintf(f, "  Hardware Type: 0x%04x\n", d->arp.htype);
		fprintf(f, "  Protocol Type: 0x%04x\n", d->arp.ptype);
		fprintf(f, "  Operation:     %s\n", arp_op_name(d, op, sizeof(op)));
		fprintf(f, "  Sender MAC:    %s\n", mac_format(d->arp.sha, a, sizeof(a)));
		fprintf(f, "  Sender IP:     %s\n", ipv4_format(spa, b, sizeof(b)));
		fprintf(f, "  Target MAC:    %s\n", mac_format(d->arp.tha, a, sizeof(a)));
		fprintf(f, "  Target IP:     %s\n", ipv4_format(tpa, b, sizeof(b)));
		break;
	}
	case PKT_OTHER:
		fprintf(f, "%sOTHER PROTOCOL\n", prefix);
		fprintf(f, "  EtherType: 0x%04x\n", d->proto);
		if (verbose) {
			size_t n = d->l3_len < 32 ? d->l3_len : 32;

			fprintf(f, "  Payload (first %zu bytes):", n);
			for (size_t i = 0; i < n; i++)
				fprintf(f, " %02x", d->l3[i]);
			fputc('\n', f);
		}
		break;
	}
}

static void print_stack(FILE *f, const struct eth_drop_event *ev, const char *const *frames, int n)
{
	fprintf(f, "Stack trace:\n");
	if (ev->stack_id == -14)
		fprintf(f, "  <Stack trace unavailable in current context (EFAULT)>\n");
	else if (ev->stack_id < 0)
		fprintf(f, "  <BPF get_stackid failed with error code: %d>\n", ev->stack_id);
	else if (!n)
		fprintf(f, "  <Stack trace walk for ID %d yielded no symbols>\n", ev->stack_id);
	for (int i = 0; i < n; i++)
		fprintf(f, "  %s\n", frames[i]);
}

static void decode(const struct eth_drop_event *ev, struct pkt_decoded *d)
{
	pkt_decode(ev->snap.bytes, ev->snap.len, ev->snap.at == PKT_AT_ETH, ev->snap.skb_protocol, d);
}

void eth_drop_print_event(FILE *f, const struct eth_drop_event *ev, const char *hms,
			  const char *const *frames, int nframes, const struct eth_drop_print_opts *o)
{
	struct pkt_decoded d;
	char prefix[32] = "";
	bool tagged;
	unsigned vlan;
	const char *reason = ev->reason ? drop_reason_name(ev->reason) : NULL;

	decode(ev, &d);
	vlan = vlan_of(ev, &d, &tagged);
	if (tagged)
		snprintf(prefix, sizeof(prefix), "[VLAN %u] ", vlan);
	fprintf(f, "[%s] PID: %u TGID: %u COMM: %s CPU: %u\n", hms, ev->pid, ev->tgid, ev->comm, ev->cpu);
	if (o->verbose)
		print_debug_info(f, ev);
	print_l2(f, ev, &d);
	print_l3(f, &d, prefix, o->verbose);
	fprintf(f, "Interface: %s\n", ev->ifname);
	if (reason)
		fprintf(f, "Drop reason: %s\n", reason);
	else if (ev->reason)
		fprintf(f, "Drop reason: %u\n", ev->reason);
	if (o->show_stack)
		print_stack(f, ev, frames, nframes);
	fprintf(f, "%s\n", SEPARATOR);
}

static const char *kind_name(enum pkt_kind k)
{
	static const char *const names[] = { "other", "ipv4", "ipv6", "arp", "rarp" };

	return names[k];
}

void eth_drop_print_json(FILE *f, const struct eth_drop_event *ev, const char *hms, const char *const *frames,
			 int nframes)
{
	struct pkt_decoded d;
	struct json j;
	char a[64], b[64];
	bool tagged;
	unsigned vlan;
	const char *reason = ev->reason ? drop_reason_name(ev->reason) : NULL;

	decode(ev, &d);
	vlan = vlan_of(ev, &d, &tagged);
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_uint(&j, "pid", ev->pid);
	json_uint(&j, "tgid", ev->tgid);
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "cpu", ev->cpu);
	json_str(&j, "interface", ev->ifname);
	if (reason)
		json_str(&j, "reason", reason);
	else
		json_null(&j, "reason");
	json_uint(&j, "len", ev->len);
	if (d.has_l2) {
		json_str(&j, "src_mac", mac_format(d.src_mac, a, sizeof(a)));
		json_str(&j, "dst_mac", mac_format(d.dst_mac, b, sizeof(b)));
	}
	json_uint(&j, "ethertype", d.proto);
	if (tagged)
		json_uint(&j, "vlan_id", vlan);
	json_str(&j, "protocol", kind_name(d.kind));
	if (d.kind == PKT_IPV4 && d.l3_complete) {
		json_str(&j, "src_ip", ipv4_format(d.ip4.saddr, a, sizeof(a)));
		json_str(&j, "dst_ip", ipv4_format(d.ip4.daddr, b, sizeof(b)));
		json_uint(&j, "l4_protocol", d.ip4.protocol);
	} else if (d.kind == PKT_IPV6 && d.l3_complete) {
		struct ip_addr s = { .family = 6 }, t = { .family = 6 };

		memcpy(s.bytes, d.ip6.saddr, 16);
		memcpy(t.bytes, d.ip6.daddr, 16);
		json_str(&j, "src_ip", ip_format(&s, a, sizeof(a)));
		json_str(&j, "dst_ip", ip_format(&t, b, sizeof(b)));
		json_uint(&j, "l4_protocol", d.ip6.nexthdr);
	}
	if (d.has_ports) {
		json_uint(&j, "src_port", d.sport);
		json_uint(&j, "dst_port", d.dport);
	}
	json_str_array(&j, "stack", frames, nframes);
	json_end_obj(&j);
	json_finish(&j);
}

struct printer {
	struct eth_drop_bpf *skel;
	struct eth_drop_print_opts opts;
	unsigned long long hidden;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct printer *p = ctx;
	const struct eth_drop_event *ev = data;
	static struct stack_frames stack;
	const char *const *frames = stack.frame;
	int n = 0;
	char hms[16];

	if (size < sizeof(*ev))
		return;
	if (ev->stack_id >= 0)
		n = stack_frames_read(&stack, p->skel->maps.stacks, ev->stack_id);
	n = n < 0 ? 0 : n;
	if (!opt.disable_normal_filter && drop_is_normal_pattern(frames, n)) {
		p->hidden++;
		return;
	}
	fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		eth_drop_print_json(stdout, ev, hms, frames, n);
	else
		eth_drop_print_event(stdout, ev, hms, frames, n, &p->opts);
	output_event_end();
}

static void build_config(struct eth_drop_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!eth_drop_parse_type(opt.type, &cfg->filter.ethertype))
		arg_fail_opt(&opt.type,
			     "unknown protocol: '%s' (choose from arp, rarp, ipv4, ipv6, "
			     "lldp, flow_control, other, all, or 0x<hex>)",
			     arg_shown(opt.type));
	cfg->filter.l4proto = opt.l4_protocol;
	filter_set_addr(&cfg->filter, true, &opt.src_ip);
	filter_set_addr(&cfg->filter, false, &opt.dst_ip);
	cfg->filter.sport = opt.src_port;
	cfg->filter.dport = opt.dst_port;
	cfg->filter.vlan_id = (uint16_t)opt.vlan_id;
	if (opt.interface)
		snprintf(cfg->ifname, sizeof(cfg->ifname), "%s", opt.interface);
}

static const char *l4_choice_name(uint8_t proto)
{
	for (int i = 0; l4_choices[i]; i++)
		if (l4proto_parse(l4_choices[i]) == proto)
			return l4_choices[i];
	return "?";
}

static void print_banner(const struct eth_drop_config *cfg)
{
	char buf[64];

	printf("Enhanced Ethernet Packet Drop Monitor (ARM Compatible)\n");
	printf("Protocol filter: %s (0x%04x)\n", opt.type, cfg->filter.ethertype);
	printf("L4 Protocol filter: %s\n", l4_choice_name(opt.l4_protocol));
	if (opt.src_ip.family)
		printf("Source IP: %s (IPv%d)\n", ip_format(&opt.src_ip, buf, sizeof(buf)),
		       opt.src_ip.family);
	else
		printf("Source IP: any\n");
	if (opt.dst_ip.family)
		printf("Destination IP: %s (IPv%d)\n", ip_format(&opt.dst_ip, buf, sizeof(buf)),
		       opt.dst_ip.family);
	else
		printf("Destination IP: any\n");
	if (cfg->filter.sport || cfg->filter.dport)
		printf("Source port: %u, Destination port: %u\n", cfg->filter.sport, cfg->filter.dport);
	if (cfg->filter.vlan_id)
		printf("VLAN ID filter: %u\n", cfg->filter.vlan_id);
	if (opt.interface)
		printf("Interface filter: %s\n", opt.interface);
	printf("Verbose mode: %s\n", opt.verbose ? "ON" : "OFF");
	printf("Stack trace: %s\n", opt.no_stack_trace ? "OFF" : "ON");
	printf("Normal pattern filter: %s\n", opt.disable_normal_filter ? "OFF" : "ON");
	printf("%s\n", SEPARATOR);
}

int main(int argc, char **argv)
{
	struct eth_drop_config cfg;
	struct printer printer = { .opts = { .verbose = opt.verbose } };
	struct eth_drop_bpf *skel;
	struct event_channel *ch;
	struct hook_set hooks;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("eth_drop");
	hook_set_init(&hooks, &drop_hook, 1, 0);
	if (opt.interface)
		iface_name_check(opt.interface);
	if (!g_common.json)
		print_banner(&cfg);

	skel = BPFNET_OPEN(eth_drop_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	printer.opts.verbose = opt.verbose;
	printer.opts.show_stack = !opt.no_stack_trace;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		hook_print(stdout, &hooks);
		printf("Starting packet drop monitoring... Press Ctrl+C to stop\n");
	}
	events_trace(ch, &hooks, 0, "\nStopping packet drop monitoring...\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	eth_drop_bpf__destroy(skel);
	return 0;
}
