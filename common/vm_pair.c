// SPDX-License-Identifier: GPL-2.0-only
/* The user side of the VM pair latency tools: see vm_pair.h. */
#include <bpf/bpf.h>
#include <net/if.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "vm_pair.h"
#include "vm_pair_config.h"

/*
 * Transmit before the driver owns the skb (net_dev_start_xmit); net_dev_xmit, the original's
 * hook, fires after tun handed the skb to its reader and is the fallback.
 */
static const struct hook_def hook_defs[] = {
	[VM_PAIR_HOOK_RX] = { "host receive from the sending VM",
			      { { HOOK_RAW_TP, "vm_pair_rx", "net:netif_receive_skb" } } },
	[VM_PAIR_HOOK_TX] = { "host transmit to the receiving VM",
			      { { HOOK_RAW_TP, "vm_pair_tx_start", "net:net_dev_start_xmit" },
				{ HOOK_RAW_TP, "vm_pair_tx_done", "net:net_dev_xmit" } } },
};
const struct hook_table vm_pair_hook_table = { hook_defs, 2 };

void vm_pair_add_dev(struct bpf_object *obj, bool rx, const char *name, uint32_t pair_id)
{
	struct vm_pair_dev key;

	memset(&key, 0, sizeof(key));
	strncpy(key.name, name, sizeof(key.name) - 1);
	if (bpf_map_update_elem(bpf_map__fd(bpfload_map(obj, rx ? "rx_devs" : "tx_devs")), &key, &pair_id,
				BPF_ANY))
		die("cannot add device %s: at most %d devices per side", name, VM_PAIR_MAX_DEVS);
}

void vm_pair_add_port(struct bpf_object *obj, uint16_t port)
{
	uint8_t one = 1;

	if (bpf_map_update_elem(bpf_map__fd(bpfload_map(obj, "ports")), &port, &one, BPF_ANY))
		die("cannot add port %u: at most %d ports", port, VM_PAIR_MAX_PORTS);
}

void vm_pair_print_totals(FILE *f, const struct vm_pair_totals *t, bool json)
{
	const struct final_count counts[] = {
		{ "latencies", t->matched },
		{ "flows_waiting", t->pending },
		{ "packets_not_timed_table_full", t->table_full },
	};

	if (json) {
		events_print_final_json(f, counts, sizeof(counts) / sizeof(counts[0]), t->lost_events);
		return;
	}
	fprintf(f, "Latencies reported: %llu, flows still waiting for a transmit: %llu\n",
		(unsigned long long)t->matched, (unsigned long long)t->pending);
	if (t->table_full)
		fprintf(f, "Packets not timed (flow table of %d full): %llu\n", VM_PAIR_MAX_FLOWS,
			(unsigned long long)t->table_full);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)t->lost_events);
}

uint64_t vm_pair_gap_min_ns(uint64_t threshold_us)
{
	return threshold_us ? (threshold_us + 1) * 1000 : 0;
}

void vm_pair_print_gap_json(FILE *f, const struct vm_pair_event *ev)
{
	char addr[16];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "event", "gap");
	json_str(&j, "at", ev->at_xmit ? "xmit" : "recv");
	json_str(&j, "dev", ev->at_xmit ? ev->tx_dev : ev->rx_dev);
	json_uint(&j, "gap_us", ev->gap_ns / 1000);
	json_uint(&j, "gap_ns", ev->gap_ns);
	json_uint(&j, "gap_start_ns", ev->ts_ns - ev->gap_ns);
	json_str(&j, "src_ip", ipv4_format(ev->flow.saddr, addr, sizeof(addr)));
	json_str(&j, "dst_ip", ipv4_format(ev->flow.daddr, addr, sizeof(addr)));
	json_uint(&j, "src_port", ev->flow.sport);
	json_uint(&j, "dst_port", ev->flow.dport);
	json_end_obj(&j);
	json_finish(&j);
}

const char *vm_pair_mac_format(const __u8 *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

void vm_pair_print_event_json(FILE *f, const struct vm_pair_event *ev, unsigned int extra)
{
	char addr[18];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	if (ev->kind == VM_PAIR_LATENCY) {
		json_str(&j, "event", "latency");
		if (extra & VM_PAIR_JSON_PAIR_ID)
			json_uint(&j, "pair_id", ev->flow.pair_id);
		json_uint(&j, "latency_us", ev->latency_ns / 1000);
		json_uint(&j, "latency_ns", ev->latency_ns);
		if (extra & VM_PAIR_JSON_MACS) {
			json_str(&j, "src_mac", vm_pair_mac_format(ev->flow.smac, addr, sizeof(addr)));
			json_str(&j, "dst_mac", vm_pair_mac_format(ev->flow.dmac, addr, sizeof(addr)));
		}
		json_str(&j, "src_ip", ipv4_format(ev->flow.saddr, addr, sizeof(addr)));
		json_str(&j, "dst_ip", ipv4_format(ev->flow.daddr, addr, sizeof(addr)));
		json_uint(&j, "src_port", ev->flow.sport);
		json_uint(&j, "dst_port", ev->flow.dport);
		json_str(&j, "send_dev", ev->rx_dev);
		json_str(&j, "recv_dev", ev->tx_dev);
	} else {
		json_str(&j, "event", ev->kind == VM_PAIR_NON_IP ? "non_ip" : "non_udp");
		json_str(&j, "at", ev->at_xmit ? "xmit" : "recv");
		json_str(&j, "dev", ev->at_xmit ? ev->tx_dev : ev->rx_dev);
		json_uint(&j, ev->kind == VM_PAIR_NON_IP ? "ethertype" : "ip_protocol", ev->protocol);
	}
	json_end_obj(&j);
	json_finish(&j);
}

void vm_pair_print_gap_totals(FILE *f, const struct vm_pair_totals *t, bool json)
{
	const struct final_count counts[] = {
		{ "gaps", t->matched },
		{ "flows_tracked", t->pending },
		{ "packets_not_tracked_table_full", t->table_full },
	};

	if (json) {
		events_print_final_json(f, counts, sizeof(counts) / sizeof(counts[0]), t->lost_events);
		return;
	}
	fprintf(f, "Gaps reported: %llu, flows tracked: %llu\n", (unsigned long long)t->matched,
		(unsigned long long)t->pending);
	if (t->table_full)
		fprintf(f, "Packets not tracked (flow table of %d full): %llu\n", VM_PAIR_MAX_FLOWS,
			(unsigned long long)t->table_full);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)t->lost_events);
}

const char *vm_pair_seconds(const struct vm_pair_event *ev, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%09llu", (unsigned long long)(ev->ts_ns / 1000000000ULL),
		 (unsigned long long)(ev->ts_ns % 1000000000ULL));
	return buf;
}

static uint64_t count_entries(struct bpf_map *m)
{
	struct vm_gap_key key, next; /* the larger of the two keys */
	void *prev = NULL;
	uint64_t n = 0;

	while (!bpf_map_get_next_key(bpf_map__fd(m), prev, &next)) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

static vm_pair_handler handler;

static void handle_event(void *ctx, const void *data, size_t size)
{
	(void)ctx;
	if (size < sizeof(struct vm_pair_event))
		return;
	handler(data);
	output_event_end();
}

void vm_pair_run(struct bpf_object *obj, struct hook_set *hooks, vm_pair_handler fn, double duration_s,
		 bool gaps)
{
	struct bpf_map *counters = bpfload_map(obj, "counters");
	struct vm_pair_totals t = { 0 };
	struct event_channel *ch;

	handler = fn;
	ch = events_open(bpfload_map(obj, "events"), bpfload_map(obj, "events_lost"), handle_event, NULL);
	tool_install_signals();
	hook_attach(hooks);
	tool_ready();
	events_run(ch, duration_s);
	hook_detach(hooks);
	events_drain(ch);
	t.matched = bpfload_percpu_sum(counters, gaps ? VPC_GAPS : VPC_MATCHED);
	t.started = bpfload_percpu_sum(counters, VPC_STARTED);
	t.table_full = bpfload_percpu_sum(counters, VPC_TABLE_FULL);
	t.pending = count_entries(bpfload_map(obj, gaps ? "last_seen" : "flows"));
	t.lost_events = events_lost(ch);
	if (gaps)
		vm_pair_print_gap_totals(stdout, &t, g_common.json);
	else
		vm_pair_print_totals(stdout, &t, g_common.json);
	events_close(ch);
}

/* Python int() text: optional sign, digits with single underscores between them, blanks around. */
static bool py_int(const char *text, long *out)
{
	const char *p = text;
	bool neg = false, digit = false;
	long v = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p; p++) {
		if (*p == '_' && digit && p[1] >= '0' && p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			break;
		digit = true;
		if (v < 1000000)
			v = v * 10 + (*p - '0');
	}
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!digit || *p)
		return false;
	*out = neg ? -v : v;
	return true;
}

int vm_pair_parse_ports(const struct arg_list *list, uint16_t *ports, int ndefault)
{
	long v;
	int i;

	if (!list->count)
		return ndefault;
	for (i = 0; i < list->count && i < VM_PAIR_MAX_PORTS; i++) {
		if (!py_int(list->items[i], &v))
			arg_fail_opt(list, "invalid int value: '%s'", list->items[i]);
		if (v < 0 || v > 65535)
			arg_fail_opt(list, "invalid port: %ld (must be between 0 and 65535)", v);
		ports[i] = (uint16_t)v;
	}
	if (list->count > VM_PAIR_MAX_PORTS)
		arg_fail_opt(list, "at most %d ports", VM_PAIR_MAX_PORTS);
	return i;
}

void vm_pair_load(struct bpf_object_skeleton *skel, struct hook_set *hooks, const struct vm_pair_config *cfg,
		  const uint16_t *ports, int nports)
{
	struct bpf_object *obj = *skel->obj;

	hook_set_init(hooks, vm_pair_hook_table.defs, vm_pair_hook_table.n, 0);
	hook_prepare(hooks, obj);
	bpfload_load(skel);
	bpfload_write_config(bpfload_map(obj, "config_map"), cfg, sizeof(*cfg));
	for (int i = 0; i < nports; i++)
		vm_pair_add_port(obj, ports[i]);
}

void vm_pair_add_config_devs(struct bpf_object *obj, const struct vm_pair_line *lines, int n,
			     vm_pair_dev_adder add)
{
	for (int i = 0; i < n; i++)
		for (int vm = 0; vm < 2; vm++)
			for (int d = 0; d < lines[i].vm[vm].ndevs; d++)
				add(obj, lines[i].vm[vm].devs[d], (uint32_t)i + 1);
}

const char *vm_pair_dev_where(const char *name, char *buf, size_t len)
{
	unsigned int ifindex = if_nametoindex(name);

	if (!ifindex)
		return "not in this network namespace: matched by name in all";
	snprintf(buf, len, "ifindex=%u", ifindex);
	return buf;
}

void vm_pair_print_ports(const uint16_t *ports, int n, const char *sep)
{
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? sep : "", ports[i]);
}

void vm_pair_print_probe(const struct hook_set *hooks)
{
	char tx[96];

	printf("Probe: transmit %s\n\n", hook_describe(hooks, VM_PAIR_HOOK_TX, tx, sizeof(tx)));
}
