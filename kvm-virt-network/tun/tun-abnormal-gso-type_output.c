// SPDX-License-Identifier: GPL-2.0-only
/* tun-abnormal-gso-type: the bpftrace original's blocks, one layout per kind of probe. */
#include "skb_gso_report.h"
#include "skb_snapshot.h"
#include "tun-abnormal-gso-type.h"

static const char *const probe_names[TAGT_PROBES] = {
	[TAGT_TUN_NET_XMIT] = "tun_net_xmit",
	[TAGT_SCH_DIRECT_XMIT] = "sch_direct_xmit",
	[TAGT_NETDEV_FRAME_HOOK] = "netdev_frame_hook",
	[TAGT_SKB_SEGMENT] = "skb_segment",
	[TAGT_QUEUE_GSO_PACKETS] = "queue_gso_packets",
	[TAGT_QUEUE_USERSPACE_PACKET] = "queue_userspace_packet",
	[TAGT_VALIDATE_XMIT_SKB_LIST] = "validate_xmit_skb_list",
	[TAGT_VALIDATE_XMIT_SKB] = "validate_xmit_skb",
};

const char *tagt_probe_name(unsigned probe)
{
	return probe < TAGT_PROBES ? probe_names[probe] : "?";
}

static void print_tun_net_xmit(FILE *f, const struct gso_event *ev, const struct gso_frames *fr,
			       const struct stack_frames *ustack)
{
	const struct tun_ring_state *r = &ev->ring;
	const struct skb_snapshot *s = &ev->skb;

	gso_line_unexpected(f, "tun_net_xmit", s);
	/* The queue pointer as the original's %d: a kernel address as a signed 64-bit number. */
	fprintf(f,
		"\n##### tun dev name: %s, ptr_ring_size: %d, ptr_ring batch: %d, producer: %d, "
		"consumer_head: "
		"%d, consumer_tail: %d, queue: %lld\n",
		ev->tun_dev, r->size, r->batch, r->producer, r->consumer_head, r->consumer_tail,
		(long long)r->queue);
	fprintf(f, "tun_net_xmit probe: %s (PID: %u): dev %s, gso_type: %u, gso_size: %u, kstack: ", ev->comm,
		ev->pid, s->dev, s->gso_type, s->gso_size);
	bt_print_kstack(f, fr->frame, fr->n);
	fprintf(f, ", ustack: ");
	bt_print_kstack(f, ustack->frame, ustack->n);
	fprintf(f, "\n##### end tun_net_xmit probe\n\n\n");
}

/* The frag, skb info and feature lines, then the header and MAC lines of UDP and TCP. */
static void print_skb_lines(FILE *f, const char *func, const struct skb_snapshot *s)
{
	gso_lines_frag(f, s);
	gso_line_skb_info(f, func, s);
	gso_line_hw_features(f, s);
	if (gso_is_udp(s) || gso_is_tcp(s))
		gso_lines_ports_mac(f, s);
}

static void print_stack(FILE *f, const struct skb_snapshot *s, const struct gso_frames *fr)
{
	fprintf(f, "netdev name: %s\n, kstack: ", s->dev);
	bt_print_kstack(f, fr->frame, fr->n);
}

void tagt_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *fr,
		      const struct stack_frames *ustack)
{
	const char *name = tagt_probe_name(ev->probe);
	const struct skb_snapshot *s = &ev->skb;

	switch (ev->probe) {
	case TAGT_TUN_NET_XMIT:
		print_tun_net_xmit(f, ev, fr, ustack);
		return;
	case TAGT_SKB_SEGMENT:
		fputs("skb_segment probe\n", f);
		print_stack(f, s, fr);
		return;
	case TAGT_SCH_DIRECT_XMIT:
		gso_line_unexpected(f, name, s);
		fputc('\n', f);
		return;
	case TAGT_NETDEV_FRAME_HOOK:
		gso_line_unexpected(f, name, s);
		fprintf(f, "\n\n\n\n%s probe\n", name);
		print_skb_lines(f, name, s);
		break;
	case TAGT_QUEUE_GSO_PACKETS:
	case TAGT_QUEUE_USERSPACE_PACKET:
		gso_line_unexpected(f, name, s);
		fprintf(f, "\n%s probe\n", name);
		print_stack(f, s, fr);
		if (gso_is_udp(s) || gso_is_tcp(s))
			print_skb_lines(f, name, s);
		break;
	default: /* validate_xmit_skb[_list] */
		gso_line_unexpected(f, name, s);
		fprintf(f, "\n%s probe\n", name);
		if (gso_is_udp(s) || gso_is_tcp(s))
			print_skb_lines(f, name, s);
		break;
	}
	print_stack(f, s, fr);
	fprintf(f, "end %s skb probe\n", name);
	gso_block_end(f);
}
