// SPDX-License-Identifier: GPL-2.0-only
/* trace_virtio_net_rcvbuf: the original's lines, and the same events as JSON. */
#include <stdio.h>

#include "json.h"
#include "filter.h"
#include "trace_virtio_net_rcvbuf.h"

static const char *const kind_names[RCVBUF_KINDS] = {
	[RCVBUF_RECV_DONE] = "skb_recv_done",
	[RCVBUF_POLL] = "virtnet_poll",
	[RCVBUF_RX] = "rx",
	[RCVBUF_TX] = "tx",
	[RCVBUF_XMIT_DONE] = "skb_xmit_done",
};

static const char *proto_name(const struct rcvbuf_event *ev)
{
	if (ev->proto == RCVBUF_TCP)
		return "TCP";
	if (ev->proto == RCVBUF_ICMP)
		return "ICMP";
	return ev->kind == RCVBUF_RX ? "unkown" : ""; /* the original's spelling and empty TX type */
}

/* The seven ring values both line kinds end with. */
static void print_ring(FILE *f, const struct rcvbuf_ring *r)
{
	fprintf(f,
		" avail_flags:%u avail_idx:%u avail_flags_shadow:%u avail_idx_shadow:%u used_flags:%u "
		"used_idx:%u "
		"last_used_idx:%u\n",
		r->avail_flags, r->avail_idx, r->avail_flags_shadow, r->avail_idx_shadow, r->used_flags,
		r->used_idx, r->last_used_idx);
}

void rcvbuf_print_event(FILE *f, const struct rcvbuf_event *ev, const char *stamp)
{
	switch (ev->kind) {
	case RCVBUF_RECV_DONE:
	case RCVBUF_XMIT_DONE:
		fprintf(f, "%s %s Cpu:%u \n", stamp, kind_names[ev->kind], ev->cpu);
		break;
	case RCVBUF_POLL:
		fprintf(f, "%s virtnet_poll Cpu:%u budget:%d\n", stamp, ev->cpu, ev->budget);
		break;
	case RCVBUF_RX:
		fprintf(f, "%s RX Cpu:%u %.16s vring_len:%u num:%u Durate:%llu type:%s seq:%u ack_seq:%u",
			stamp, ev->cpu, ev->ring.name, ev->ring.num, ev->num,
			(unsigned long long)ev->delay_ns, proto_name(ev), ev->seq, ev->ack_seq);
		print_ring(f, &ev->ring);
		break;
	case RCVBUF_TX:
		fprintf(f, "%s TX Cpu:%u %.16s vring_len:%u type:%s seq:%u ack_seq:%u", stamp, ev->cpu,
			ev->ring.name, ev->ring.num, proto_name(ev), ev->seq, ev->ack_seq);
		print_ring(f, &ev->ring);
		break;
	}
}

static void json_ring(struct json *j, const struct rcvbuf_ring *r)
{
	json_str(j, "vq", r->name);
	json_uint(j, "vring_len", r->num);
	json_bool(j, "packed", r->packed);
	json_uint(j, "avail_flags", r->avail_flags);
	json_uint(j, "avail_idx", r->avail_idx);
	json_uint(j, "avail_flags_shadow", r->avail_flags_shadow);
	json_uint(j, "avail_idx_shadow", r->avail_idx_shadow);
	json_uint(j, "used_flags", r->used_flags);
	json_uint(j, "used_idx", r->used_idx);
	json_uint(j, "last_used_idx", r->last_used_idx);
}

static void json_packet(struct json *j, const struct rcvbuf_event *ev)
{
	char addr[16];

	json_str(j, "type", proto_name(ev));
	json_uint(j, "seq", ev->seq);
	json_uint(j, "ack_seq", ev->ack_seq);
	if (ev->saddr || ev->daddr) {
		json_str(j, "src", ipv4_format(ev->saddr, addr, sizeof(addr)));
		json_str(j, "dst", ipv4_format(ev->daddr, addr, sizeof(addr)));
		json_uint(j, "sport", ev->sport);
		json_uint(j, "dport", ev->dport);
	}
}

void rcvbuf_print_event_json(FILE *f, const struct rcvbuf_event *ev, const char *stamp)
{
	struct json j;

	if (ev->kind >= RCVBUF_KINDS)
		return;
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", stamp);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "event", kind_names[ev->kind]);
	json_uint(&j, "cpu", ev->cpu);
	switch (ev->kind) {
	case RCVBUF_POLL:
		json_int(&j, "budget", ev->budget);
		break;
	case RCVBUF_RX:
		json_uint(&j, "num", ev->num);
		json_uint(&j, "delay_ns", ev->delay_ns);
		json_packet(&j, ev);
		json_ring(&j, &ev->ring);
		break;
	case RCVBUF_TX:
		json_packet(&j, ev);
		json_ring(&j, &ev->ring);
		break;
	}
	json_end_obj(&j);
	json_finish(&j);
}
