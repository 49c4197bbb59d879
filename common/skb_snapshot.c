// SPDX-License-Identifier: GPL-2.0-only
#include "skb_snapshot.h"

#include "argparse.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "pktdecode.h"
#include "runtime.h"
#include "util.h"

int bt_kstack_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id)
{
	uint64_t ips[STACK_MAX_DEPTH];

	sf->n = stack_read(map, stack_id, ips, STACK_MAX_DEPTH);
	for (int i = 0; i < sf->n; i++)
		sf->frame[i] =
			ksyms_format(ksyms_kernel(), ips[i], KSYM_DEC, sf->text[i], sizeof(sf->text[i]));
	return sf->n;
}

void bt_print_kstack(FILE *f, const char *const *frames, int n)
{
	fputc('\n', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "        %s\n", frames[i]);
}

const char *skb_snap_flow(const struct skb_snapshot *s, bool with_ports, char *buf, size_t len)
{
	char src[16], dst[16];

	snprintf(buf, len, "%s:%u => %s:%u", ipv4_format(s->saddr, src, sizeof(src)),
		 with_ports ? s->sport : 0, ipv4_format(s->daddr, dst, sizeof(dst)),
		 with_ports ? s->dport : 0);
	return buf;
}

void skb_snap_print_macs(FILE *f, const char *prefix, const struct skb_snapshot *s)
{
	char src[24], dst[24];

	fprintf(f, "%sMAC src: %s, MAC dst: %s\n", prefix, mac_format(s->data + 6, src, sizeof(src)),
		mac_format(s->data, dst, sizeof(dst)));
}

int skb_snap_vlan_id(const struct skb_snapshot *s)
{
	unsigned tpid = (unsigned)s->data[12] << 8 | s->data[13];

	if (s->hw_vlan)
		return s->hw_vlan_tci & 0x0fff;
	if (tpid == 0x8100 || tpid == 0x88a8)
		return ((s->data[14] << 8) | s->data[15]) & 0x0fff;
	return -1;
}

void skb_snap_print_vlan(FILE *f, const struct skb_snapshot *s)
{
	int id = skb_snap_vlan_id(s);

	if (id >= 0)
		fprintf(f, "####### vlan tag: %d\n", id);
}

void skb_snap_print_hw(FILE *f, const char *dev_label, const struct skb_snapshot *s)
{
	fprintf(f,
		"####### %s hardware features, netdev_features: %llx\t hw_features: %llx\t wanted_features: "
		"%llx\t "
		"hwenc_features: %llx\t gso_partial_features: %llx\n",
		dev_label, (unsigned long long)s->features, (unsigned long long)s->hw_features,
		(unsigned long long)s->wanted_features, (unsigned long long)s->hw_enc_features,
		(unsigned long long)s->gso_partial_features);
}

void skb_snap_print_info(FILE *f, const char *name_label, bool with_ignore_df, const struct skb_snapshot *s,
			 const char *func)
{
	fprintf(f, "####### skb info, %s: %-4s\t, skb dev features: %llx\t, ", name_label, s->dev,
		(unsigned long long)s->features);
	if (with_ignore_df)
		fprintf(f, "ignore df: %d\t ", s->ignore_df);
	fprintf(f,
		"skb_len: %u,\t network_header: %u,\t transport_header: %u,\t encap: %-3u,\t "
		"inner_network_header: %u,\t inner_transport_header: %u,\t | gso_size: %-4u,\t gso_segs: "
		"%-4u,\t "
		"gso_type: 0x%02x,\t nr_frags: %u\t, func: %s\n",
		s->len, s->network_header, s->transport_header, s->encapsulation, s->inner_network_header,
		s->inner_transport_header, s->gso_size, s->gso_segs, s->gso_type, s->nr_frags, func);
}

static void json_snapshot(struct json *j, const struct skb_snapshot *s)
{
	char a[32];
	int vlan = skb_snap_vlan_id(s);

	json_str(j, "dev", s->dev);
	json_int(j, "ifindex", s->ifindex);
	json_uint(j, "len", s->len);
	json_uint(j, "pkt_type", s->pkt_type);
	json_uint(j, "ip_summed", s->ip_summed);
	json_uint(j, "ignore_df", s->ignore_df);
	json_uint(j, "encapsulation", s->encapsulation);
	json_uint(j, "inner_protocol", s->inner_protocol);
	json_uint(j, "inner_protocol_type", s->inner_protocol_type);
	json_uint(j, "network_header", s->network_header);
	json_uint(j, "transport_header", s->transport_header);
	json_uint(j, "inner_network_header", s->inner_network_header);
	json_uint(j, "inner_transport_header", s->inner_transport_header);
	json_uint(j, "gso_size", s->gso_size);
	json_uint(j, "gso_segs", s->gso_segs);
	json_uint(j, "gso_type", s->gso_type);
	json_uint(j, "nr_frags", s->nr_frags);
	json_bool(j, "frag_list", s->frag_list != 0);
	json_uint(j, "frag_max_size", s->frag_max_size);
	json_uint(j, "features", s->features);
	json_uint(j, "hw_features", s->hw_features);
	json_uint(j, "wanted_features", s->wanted_features);
	json_uint(j, "hw_enc_features", s->hw_enc_features);
	json_uint(j, "gso_partial_features", s->gso_partial_features);
	json_uint(j, "ip_protocol", s->ip_protocol);
	json_str(j, "src_ip", ipv4_format(s->saddr, a, sizeof(a)));
	json_str(j, "dst_ip", ipv4_format(s->daddr, a, sizeof(a)));
	if (s->ip_protocol == 17 || s->ip_protocol == 6) {
		json_uint(j, "src_port", s->sport);
		json_uint(j, "dst_port", s->dport);
	}
	json_str(j, "mac_src", mac_format(s->data + 6, a, sizeof(a)));
	json_str(j, "mac_dst", mac_format(s->data, a, sizeof(a)));
	if (vlan >= 0)
		json_int(j, "vlan", vlan);
	else
		json_null(j, "vlan");
}

void skb_probe_print_json(FILE *f, const struct skb_probe_view *v)
{
	const struct skb_probe_event *ev = v->ev;
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "func", v->func);
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "pid", ev->pid);
	json_uint(&j, "arg", ev->arg);
	json_snapshot(&j, &ev->skb);
	json_str_array(&j, "stack", v->frames, v->nframes);
	json_end_obj(&j);
	json_finish(&j);
}

struct tracer_printer {
	struct hook_set *hooks;
	const struct bpf_map *stacks;
	skb_probe_printer print;
	uint64_t events;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	static struct stack_frames stack;
	struct tracer_printer *p = ctx;
	const struct skb_probe_event *ev = data;
	struct skb_probe_view v = { ev, "?", stack.frame, 0 };

	if (size < sizeof(*ev) || (g_common.json && !(ev->flags & SKB_EV_MATCH)))
		return;
	if (ev->probe < p->hooks->n && p->hooks->c[ev->probe].symbol)
		v.func = p->hooks->c[ev->probe].symbol;
	if (ev->stack_id >= 0 && bt_kstack_read(&stack, p->stacks, ev->stack_id) > 0)
		v.nframes = stack.n;
	p->events++;
	if (g_common.json)
		skb_probe_print_json(stdout, &v);
	else
		p->print(stdout, &v);
	output_event_end();
}

void skb_tracer_run(struct hook_set *hooks, struct bpf_map *events, struct bpf_map *lost,
		    struct bpf_map *stacks, skb_probe_printer print, double duration_s)
{
	struct tracer_printer printer = { hooks, stacks, print, 0 };
	struct event_channel *ch = events_open(events, lost, handle_event, &printer);
	int attached = 0;

	tool_install_signals();
	hook_attach(hooks);
	for (int i = 0; i < hooks->n; i++)
		attached += hook_active(hooks, i);
	if (!attached)
		die("no probe could be attached (see the warnings above)");
	if (!g_common.json)
		printf("Attaching %d probes...\n", attached);
	output_flush();
	events_trace(ch, hooks, duration_s, "\n\n");
	if (g_common.json) {
		struct final_count c = { "events", printer.events };

		events_print_final_json(stdout, &c, 1, events_lost(ch));
	} else if (events_lost(ch)) {
		log_warn("%llu events lost", (unsigned long long)events_lost(ch));
	}
	events_close(ch);
}
