// SPDX-License-Identifier: GPL-2.0-only
#include "skb_gso_report.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "filter.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "pktdecode.h"

#define GSO_IPPROTO_TCP 6
#define GSO_IPPROTO_UDP 17

void gso_frames_render(struct gso_frames *fr, const struct gso_event *ev)
{
	int n = ev->stack_bytes > 0 ? ev->stack_bytes / (int)sizeof(__u64) : 0, depth = 0;
	uint64_t ips[GSO_STACK_MAX];

	while (depth < n && depth < GSO_STACK_MAX && ev->stack[depth]) {
		ips[depth] = ev->stack[depth];
		depth++;
	}
	fr->n = stack_from_kernel(ips, depth); /* without a BPF program's frames */
	for (int i = 0; i < fr->n; i++)
		fr->frame[i] =
			ksyms_format(ksyms_kernel(), ips[i], KSYM_DEC, fr->text[i], sizeof(fr->text[i]));
}

void gso_line_unexpected(FILE *f, const char *func, const struct skb_snapshot *s)
{
	fprintf(f, "###### %s unexpected gso type:0x%02x, gso size: %-4u", func, s->gso_type, s->gso_size);
}

void gso_line_skb_info(FILE *f, const char *func, const struct skb_snapshot *s)
{
	fprintf(f,
		"####### skb info, dev_name: %-4s\t, skb dev features: %llx\t, ignore df: %d\t skb_len: "
		"%u,\t "
		"network_header: %u,\t transport_header: %u,\t encap: %-3u,\t inner_network_header: %u,\t "
		"inner_transport_header: %u,\t | gso_size: %-4u,\t gso_segs: %-4u,\t gso_type: 0x%02x,\t "
		"nr_frags: %u\t, func: %s\n",
		s->dev, (unsigned long long)s->features, s->ignore_df, s->len, s->network_header,
		s->transport_header, s->encapsulation, s->inner_network_header, s->inner_transport_header,
		s->gso_size, s->gso_segs, s->gso_type, s->nr_frags, func);
}

void gso_line_hw_features(FILE *f, const struct skb_snapshot *s)
{
	fprintf(f,
		"####### dev hardware features, netdev_features: %llx\t hw_features: %llx\t wanted_features: "
		"%llx\t hwenc_features: %llx\t gso_partial_features: %llx\n",
		(unsigned long long)s->features, (unsigned long long)s->hw_features,
		(unsigned long long)s->wanted_features, (unsigned long long)s->hw_enc_features,
		(unsigned long long)s->gso_partial_features);
}

void gso_lines_frag(FILE *f, const struct skb_snapshot *s)
{
	fprintf(f, "####### frag_list: %lld,  ip_summed: %x\n", (long long)s->frag_list, s->ip_summed);
	fprintf(f, "####### skb cb frag_max_size: %d\n", s->frag_max_size);
}

bool gso_is_udp(const struct skb_snapshot *s)
{
	return s->ip_version == 4 && s->ip_protocol == GSO_IPPROTO_UDP;
}

bool gso_is_tcp(const struct skb_snapshot *s)
{
	return s->ip_version == 4 && s->ip_protocol == GSO_IPPROTO_TCP;
}

void gso_lines_ports_mac(FILE *f, const struct skb_snapshot *s)
{
	char src[32], dst[32], smac[24], dmac[24];

	fprintf(f, "####### %s: %s:%d => %s:%d\n", gso_is_udp(s) ? "udp header info" : "tcp header info data",
		ipv4_format(s->saddr, src, sizeof(src)), s->sport, ipv4_format(s->daddr, dst, sizeof(dst)),
		s->dport);
	fprintf(f, "####### MAC src: %s, MAC dst: %s\n", mac_format(s->data + 6, smac, sizeof(smac)),
		mac_format(s->data, dmac, sizeof(dmac)));
}

void gso_lines_ip_details(FILE *f, const char *func, const struct skb_snapshot *s)
{
	if (!gso_is_udp(s) && !gso_is_tcp(s))
		return;
	gso_lines_frag(f, s);
	gso_line_skb_info(f, func, s);
	gso_line_hw_features(f, s);
	gso_lines_ports_mac(f, s);
}

void gso_lines_stack(FILE *f, const struct skb_snapshot *s, const struct gso_frames *fr, const char *tail)
{
	fprintf(f, "netdev name: %s\n, kstack: \n", s->dev);
	for (int i = 0; i < fr->n; i++)
		fprintf(f, "        %s\n", fr->frame[i]);
	fprintf(f, "%s\n", tail);
}

void gso_block_end(FILE *f)
{
	fputs("\n\n\n\n", f);
}

static void json_features(struct json *j, const struct skb_snapshot *s)
{
	json_uint(j, "features", s->features);
	json_uint(j, "hw_features", s->hw_features);
	json_uint(j, "wanted_features", s->wanted_features);
	json_uint(j, "hw_enc_features", s->hw_enc_features);
	json_uint(j, "gso_partial_features", s->gso_partial_features);
}

static void json_headers(struct json *j, const struct skb_snapshot *s)
{
	char a[32];

	json_uint(j, "network_header", s->network_header);
	json_uint(j, "transport_header", s->transport_header);
	json_uint(j, "inner_network_header", s->inner_network_header);
	json_uint(j, "inner_transport_header", s->inner_transport_header);
	json_str(j, "mac_src", mac_format(s->data + 6, a, sizeof(a)));
	json_str(j, "mac_dst", mac_format(s->data, a, sizeof(a)));
	if (s->ip_version != 4)
		return;
	json_uint(j, "ip_protocol", s->ip_protocol);
	json_str(j, "src_ip", ipv4_format(s->saddr, a, sizeof(a)));
	json_str(j, "dst_ip", ipv4_format(s->daddr, a, sizeof(a)));
	if (gso_is_udp(s) || gso_is_tcp(s)) {
		json_uint(j, "src_port", s->sport);
		json_uint(j, "dst_port", s->dport);
	}
}

static void json_tun_ring(struct json *j, const struct gso_event *ev)
{
	const struct tun_ring_state *r = &ev->ring;
	char ptr[24];

	json_obj(j, "tun_ring");
	json_str(j, "tun_dev", ev->tun_dev);
	json_bool(j, "queue_attached", r->tfile != 0);
	json_uint(j, "queue_index", r->queue_index);
	json_int(j, "ptr_ring_size", r->size);
	json_int(j, "batch", r->batch);
	json_int(j, "producer", r->producer);
	json_int(j, "consumer_head", r->consumer_head);
	json_int(j, "consumer_tail", r->consumer_tail);
	snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)r->queue);
	json_str(j, "ring_queue", ptr);
	json_bool(j, "ring_full", r->full);
	json_end_obj(j);
}

void gso_print_json(FILE *f, const struct gso_event *ev, const char *hms, const char *probe,
		    const struct gso_frames *fr, const char *enqueue_name)
{
	const struct skb_snapshot *s = &ev->skb;
	char a[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "probe", probe);
	json_str(&j, "dev", s->dev);
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_uint(&j, "gso_size", s->gso_size);
	json_uint(&j, "gso_segs", s->gso_segs);
	json_uint(&j, "gso_type", s->gso_type);
	json_uint(&j, "len", s->len);
	json_uint(&j, "data_len", s->data_len);
	json_int(&j, "dataref", s->dataref);
	json_uint(&j, "nr_frags", s->nr_frags);
	json_uint(&j, "frag_list", s->frag_list);
	json_uint(&j, "ip_summed", s->ip_summed);
	json_uint(&j, "ignore_df", s->ignore_df);
	json_uint(&j, "cloned", s->cloned);
	json_uint(&j, "encapsulation", s->encapsulation);
	json_uint(&j, "frag_max_size", s->frag_max_size);
	json_features(&j, s);
	json_headers(&j, s);
	if (ev->sk_saddr || ev->sk_daddr || ev->sk_dport) {
		json_obj(&j, "socket");
		json_str(&j, "saddr", ipv4_format(ev->sk_saddr, a, sizeof(a)));
		json_str(&j, "daddr", ipv4_format(ev->sk_daddr, a, sizeof(a)));
		json_uint(&j, "dport", ntohs(ev->sk_dport));
		json_end_obj(&j);
	}
	if (ev->ring.tun)
		json_tun_ring(&j, ev);
	if (ev->enqueue_fn) {
		json_uint(&j, "enqueue_fn", ev->enqueue_fn);
		if (enqueue_name)
			json_str(&j, "enqueue_fn_name", enqueue_name);
		else
			json_null(&j, "enqueue_fn_name");
	}
	json_str_array(&j, "stack", fr->frame, fr->n);
	json_end_obj(&j);
	json_finish(&j);
}

struct probe_count {
	const char *name;
	uint64_t count;
};

static int by_count(const void *a, const void *b)
{
	const struct probe_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

void gso_print_exit(FILE *f, bool json, const char *const *names, const uint64_t *counts, unsigned n,
		    uint64_t lost)
{
	struct probe_count rows[GSO_MAX_PROBES];
	unsigned k = 0;

	for (unsigned i = 0; i < n && i < GSO_MAX_PROBES; i++)
		if (counts[i])
			rows[k++] = (struct probe_count){ names[i], counts[i] };
	if (json) {
		struct json j;

		json_begin(&j, f);
		json_obj(&j, NULL);
		json_bool(&j, "final", true);
		json_obj(&j, "anomalies");
		for (unsigned i = 0; i < k; i++)
			json_uint(&j, rows[i].name, rows[i].count);
		json_end_obj(&j);
		json_uint(&j, "lost_events", lost);
		json_end_obj(&j);
		json_finish(&j);
		return;
	}
	qsort(rows, k, sizeof(rows[0]), by_count);
	fputs("\n\n", f);
	for (unsigned i = 0; i < k; i++)
		fprintf(f, "@anomalies[%s]: %llu\n", rows[i].name, (unsigned long long)rows[i].count);
	if (k)
		fputc('\n', f);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)lost);
}

uint32_t gso_type_ignore_from_env(void)
{
	const char *v = getenv("BPFNET_TEST_GSO_TYPE_IGNORE");
	uint32_t bits;

	if (!v || !*v)
		return 0;
	bits = (uint32_t)strtoul(v, NULL, 0);
	log_warn("test switch BPFNET_TEST_GSO_TYPE_IGNORE=0x%x: GSO types with only these bits count as "
		 "missing",
		 bits);
	return bits;
}
