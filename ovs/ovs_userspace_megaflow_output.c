// SPDX-License-Identifier: GPL-2.0-only
/* ovs_userspace_megaflow: the filters, and the events in the manual's layout and in JSON. */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "filter.h"
#include "json.h"
#include "ovs_upcall.h"
#include "pktdecode.h"
#include "ovs_flow_netlink.h"
#include "ovs_userspace_megaflow.h"

bool megaflow_filter_enabled(const struct megaflow_filter *f)
{
	return f->eth_src_set || f->eth_dst_set || f->eth_type_set || f->src_ip_set || f->dst_ip_set ||
	       f->proto_set || f->sport_set || f->dport_set;
}

/* The header fields both kinds of events are filtered on. */
struct seen {
	bool eth, eth_type, ipv4, ports;
	const uint8_t *eth_src, *eth_dst;
	uint16_t type;
	uint32_t src, dst; /* network order */
	uint8_t proto;
	uint16_t sport, dport;
};

static const char *mismatch(const struct megaflow_filter *f, const struct seen *s)
{
	if ((f->eth_src_set || f->eth_dst_set) && !s->eth)
		return "no_ethernet_field";
	if (f->eth_src_set && memcmp(f->eth_src, s->eth_src, 6))
		return "eth_src_mismatch";
	if (f->eth_dst_set && memcmp(f->eth_dst, s->eth_dst, 6))
		return "eth_dst_mismatch";
	if (f->eth_type_set && !s->eth_type)
		return "no_eth_type_field";
	if (f->eth_type_set && f->eth_type != s->type)
		return "eth_type_mismatch";
	if ((f->src_ip_set || f->dst_ip_set || f->proto_set) && !s->ipv4)
		return "no_ipv4_field";
	if (f->src_ip_set && f->src_ip != s->src)
		return "ip_src_mismatch";
	if (f->dst_ip_set && f->dst_ip != s->dst)
		return "ip_dst_mismatch";
	if (f->proto_set && f->proto != s->proto)
		return "ip_proto_mismatch";
	if ((f->sport_set || f->dport_set) && !s->ports)
		return "no_l4_port_field";
	if (f->sport_set && f->sport != s->sport)
		return "l4_src_port_mismatch";
	if (f->dport_set && f->dport != s->dport)
		return "l4_dst_port_mismatch";
	return NULL;
}

const char *megaflow_upcall_mismatch(const struct megaflow_filter *f, const struct megaflow_event *ev)
{
	struct pkt_decoded d;
	struct seen s = { 0 };

	pkt_decode(ev->snap.bytes, ev->snap.len, true, 0, &d);
	s.eth = s.eth_type = d.has_l2;
	s.eth_src = d.src_mac;
	s.eth_dst = d.dst_mac;
	s.type = d.proto;
	if (d.kind == PKT_IPV4 && d.l3_complete) {
		s.ipv4 = true;
		s.src = d.ip4.saddr;
		s.dst = d.ip4.daddr;
		s.proto = d.ip4.protocol;
	}
	s.ports = d.has_ports;
	s.sport = d.sport;
	s.dport = d.dport;
	return mismatch(f, &s);
}

const char *megaflow_flow_mismatch(const struct megaflow_filter *f, const struct ovs_flow_msg *msg)
{
	const struct ovs_flow_match *k;
	struct seen s = { 0 };

	if (!msg || !msg->has_key)
		return "parse_failed_or_no_key";
	k = &msg->key;
	s.eth = k->attrs & (1u << OVS_KEY_ATTR_ETHERNET);
	s.eth_src = k->eth_src;
	s.eth_dst = k->eth_dst;
	s.eth_type = k->attrs & (1u << OVS_KEY_ATTR_ETHERTYPE);
	s.type = ntohs(k->eth_type);
	s.ipv4 = k->attrs & (1u << OVS_KEY_ATTR_IPV4);
	s.src = k->ipv4.src;
	s.dst = k->ipv4.dst;
	s.proto = k->ipv4.proto;
	s.ports = k->attrs &
		  ((1u << OVS_KEY_ATTR_TCP) | (1u << OVS_KEY_ATTR_UDP) | (1u << OVS_KEY_ATTR_SCTP));
	s.sport = ntohs(k->l4_src);
	s.dport = ntohs(k->l4_dst);
	return mismatch(f, &s);
}

void megaflow_print_banner(FILE *f, const struct megaflow_filter *flt, bool debug, const char *const *probes,
			   int nprobes)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(f, "OVS Megaflow Tracker V8\n");
	if (!megaflow_filter_enabled(flt)) {
		fprintf(f, "No filters configured - showing all events\n");
	} else {
		fprintf(f, "Filter Configuration:\n");
		if (flt->eth_src_set)
			fprintf(f, "  Ethernet Source: %s\n", mac_format(flt->eth_src, buf, sizeof(buf)));
		if (flt->eth_dst_set)
			fprintf(f, "  Ethernet Destination: %s\n",
				mac_format(flt->eth_dst, buf, sizeof(buf)));
		if (flt->eth_type_set)
			fprintf(f, "  Ethernet Type: 0x%04x\n", flt->eth_type);
		if (flt->src_ip_set)
			fprintf(f, "  IP Source: %s\n", ipv4_format(flt->src_ip, buf, sizeof(buf)));
		if (flt->dst_ip_set)
			fprintf(f, "  IP Destination: %s\n", ipv4_format(flt->dst_ip, buf, sizeof(buf)));
		if (flt->proto_set)
			fprintf(f, "  IP Protocol: %s (%u)\n", l4proto_name(flt->proto, buf, sizeof(buf)),
				flt->proto);
		if (flt->sport_set)
			fprintf(f, "  L4 Source Port: %u\n", flt->sport);
		if (flt->dport_set)
			fprintf(f, "  L4 Destination Port: %u\n", flt->dport);
		if (!debug)
			fprintf(f, "Filter mode: only showing matching events\n");
	}
	if (debug)
		fprintf(f, "Debug mode: showing all events (including non-matching)\n");
	fputc('\n', f);
	for (int i = 0; i < nprobes; i++)
		fprintf(f, "Attached to %s\n", probes[i]);
	fprintf(f, "Starting monitoring...\n\n");
}

static const char *upcall_type(unsigned cmd, char *buf, size_t len)
{
	const char *name = ovs_upcall_cmd_name(cmd);

	if (name)
		return name;
	snprintf(buf, len, "cmd %u", cmd);
	return buf;
}

static void print_packet(FILE *f, const struct megaflow_event *ev)
{
	struct pkt_decoded d;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	pkt_decode(ev->snap.bytes, ev->snap.len, true, 0, &d);
	fprintf(f, "  Packet info:\n");
	if (d.has_l2)
		fprintf(f, "    - Ethernet: %s -> %s\n", mac_format(d.src_mac, a, sizeof(a)),
			mac_format(d.dst_mac, b, sizeof(b)));
	if (d.vlan_tags)
		fprintf(f, "    - VLAN: %u\n", d.vlan_id);
	if (d.kind == PKT_IPV4 && d.l3_complete)
		fprintf(f, "    - IP: %s -> %s\n", ipv4_format(d.ip4.saddr, a, sizeof(a)),
			ipv4_format(d.ip4.daddr, b, sizeof(b)));
	else if (d.kind == PKT_IPV6 && d.l3_complete)
		fprintf(f, "    - IPv6: %s -> %s\n", inet_ntop(AF_INET6, d.ip6.saddr, a, sizeof(a)),
			inet_ntop(AF_INET6, d.ip6.daddr, b, sizeof(b)));
	else if (d.kind == PKT_ARP)
		fprintf(f, "    - ARP: %s\n", d.arp.op == 1 ? "request" : d.arp.op == 2 ? "reply" : "other");
	else if (d.has_l2)
		fprintf(f, "    - EtherType: 0x%04x\n", d.proto);
	if (d.has_ports) {
		int proto = d.kind == PKT_IPV4 ? d.ip4.protocol : d.ip6.nexthdr;

		fprintf(f, "    - %s: %u -> %u\n", l4proto_name(proto, a, sizeof(a)), d.sport, d.dport);
	} else if (d.has_icmp) {
		fprintf(f, "    - ICMP: type %u code %u\n", d.icmp_type, d.icmp_code);
	}
	fprintf(f, "    - Packet length: %u bytes\n", ev->skb_len);
}

void megaflow_print_event(FILE *f, const struct megaflow_view *v)
{
	const struct megaflow_event *ev = v->ev;
	char buf[32];

	if (ev->kind == MEGAFLOW_UPCALL) {
		fprintf(f, "[%s] UPCALL_EVENT:\n", v->time);
		if (v->mismatch)
			fprintf(f, "  Filter: does not match (%s)\n", v->mismatch);
		fprintf(f, "  Netlink PID: %u\n  Upcall type: %s\n", ev->portid,
			upcall_type(ev->cmd, buf, sizeof(buf)));
		fprintf(f, "  Device: %s\n", ev->ifname[0] ? ev->ifname : "unknown");
		print_packet(f, ev);
		fprintf(f, "  Kernel timestamp: %lluns\n\n", (unsigned long long)ev->ts_ns);
		return;
	}
	fprintf(f, "[%s] FLOW_INSTALL:\n", v->time);
	if (v->mismatch)
		fprintf(f, "  Filter: does not match (%s)\n", v->mismatch);
	fprintf(f, "  Netlink PID: %u\n", ev->portid);
	if (!v->msg) {
		fprintf(f, "  Warning: Netlink message parsing failed: %s\n\n",
			v->error ? v->error : "unknown");
		return;
	}
	fprintf(f, "  Flow key:\n");
	for (int i = 0; i < v->msg->nfields; i++)
		fprintf(f, "    - %s: %s\n", v->msg->fields[i].name, v->msg->fields[i].value);
	fprintf(f, "  Actions: %s\n\n", v->msg->actions);
}

static void packet_json(struct json *j, const struct megaflow_event *ev)
{
	struct pkt_decoded d;
	char a[INET6_ADDRSTRLEN];

	pkt_decode(ev->snap.bytes, ev->snap.len, true, 0, &d);
	json_obj(j, "packet");
	if (d.has_l2) {
		json_str(j, "eth_src", mac_format(d.src_mac, a, sizeof(a)));
		json_str(j, "eth_dst", mac_format(d.dst_mac, a, sizeof(a)));
		json_uint(j, "eth_type", d.proto);
	}
	if (d.vlan_tags)
		json_uint(j, "vlan", d.vlan_id);
	if (d.kind == PKT_IPV4 && d.l3_complete) {
		json_str(j, "ip_src", ipv4_format(d.ip4.saddr, a, sizeof(a)));
		json_str(j, "ip_dst", ipv4_format(d.ip4.daddr, a, sizeof(a)));
		json_uint(j, "ip_proto", d.ip4.protocol);
	}
	if (d.has_ports) {
		json_uint(j, "sport", d.sport);
		json_uint(j, "dport", d.dport);
	}
	json_uint(j, "len", ev->skb_len);
	json_end_obj(j);
}

void megaflow_print_event_json(FILE *f, const struct megaflow_view *v)
{
	const struct megaflow_event *ev = v->ev;
	struct json j;
	char buf[32];

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "event", ev->kind == MEGAFLOW_UPCALL ? "UPCALL_EVENT" : "FLOW_INSTALL");
	json_str(&j, "time", v->time);
	json_uint(&j, "ts_ns", ev->ts_ns);
	json_uint(&j, "netlink_pid", ev->portid);
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "pid", ev->pid);
	json_bool(&j, "match", !v->mismatch);
	if (v->mismatch)
		json_str(&j, "mismatch", v->mismatch);
	if (ev->kind == MEGAFLOW_UPCALL) {
		json_str(&j, "upcall_type", upcall_type(ev->cmd, buf, sizeof(buf)));
		json_str(&j, "device", ev->ifname);
		json_uint(&j, "mark", ev->mark);
		packet_json(&j, ev);
	} else if (!v->msg) {
		json_str(&j, "error", v->error);
	} else {
		json_uint(&j, "dp_ifindex", v->msg->dp_ifindex);
		json_bool(&j, "has_mask", v->msg->has_mask);
		json_obj(&j, "key");
		for (int i = 0; i < v->msg->nfields; i++)
			json_str(&j, v->msg->fields[i].name, v->msg->fields[i].value);
		json_end_obj(&j);
		json_str(&j, "actions", v->msg->actions);
	}
	if (ev->kind == MEGAFLOW_FLOW_NEW && v->hex) {
		static const char digits[] = "0123456789abcdef";
		static char hex[2 * MEGAFLOW_MSG_MAX + 1];
		uint32_t n = ev->captured < MEGAFLOW_MSG_MAX ? ev->captured : MEGAFLOW_MSG_MAX;

		for (uint32_t i = 0; i < n; i++) {
			hex[2 * i] = digits[ev->msg[i] >> 4];
			hex[2 * i + 1] = digits[ev->msg[i] & 15];
		}
		hex[2 * n] = '\0';
		json_str(&j, "netlink_hex", hex);
	}
	json_end_obj(&j);
	json_finish(&j);
}

static void rate(FILE *f, const char *what, uint64_t part, uint64_t all)
{
	if (all)
		fprintf(f, "   %s filter rate: %.2f%%\n", what, 100.0 * part / all);
}

void megaflow_print_totals(FILE *f, const struct megaflow_totals *t)
{
	fprintf(f, "\nUser interrupted...\n\n");
	fprintf(f,
		"============================================================\n=== Statistics Summary ===\n");
	fprintf(f, "\nStatistics:\n   Total upcalls: %llu\n   Filtered upcalls: %llu\n",
		(unsigned long long)t->upcalls, (unsigned long long)t->filtered_upcalls);
	fprintf(f, "   Total flows: %llu\n   Filtered flows: %llu\n", (unsigned long long)t->flows,
		(unsigned long long)t->filtered_flows);
	rate(f, "Upcall", t->filtered_upcalls, t->upcalls);
	rate(f, "Flow", t->filtered_flows, t->flows);
	fprintf(f, "   Lost events: %llu\n", (unsigned long long)t->lost);
	fprintf(f, "============================================================\n");
}

void megaflow_print_totals_json(FILE *f, const struct megaflow_totals *t)
{
	const struct final_count counts[] = {
		{ "upcalls", t->upcalls },
		{ "filtered_upcalls", t->filtered_upcalls },
		{ "flows", t->flows },
		{ "filtered_flows", t->filtered_flows },
	};

	events_print_final_json(f, counts, sizeof(counts) / sizeof(counts[0]), t->lost);
}
