/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_virtio_net_rcvbuf: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"

struct rcvbuf_config {
	__u8 rx_at_get_buf; /* receive_buf is inlined: a packet starts at its first buffer's dequeue */
	__u8 all_tx; /* read every transmit's headers, not only those sent while receive_buf runs */
	__u8 pad[6];
};

enum rcvbuf_kind {
	RCVBUF_RECV_DONE, /* skb_recv_done: the RX interrupt callback */
	RCVBUF_POLL, /* virtnet_poll entry */
	RCVBUF_RX, /* a packet handed to GRO from receive_buf */
	RCVBUF_TX, /* start_xmit kicked its TX virtqueue */
	RCVBUF_XMIT_DONE, /* skb_xmit_done: the TX interrupt callback */
	RCVBUF_KINDS,
};

/* What the headers say, as the original reads them. */
enum rcvbuf_proto {
	RCVBUF_UNKNOWN, /* RX: "unkown" (sic); TX: nothing was read, empty */
	RCVBUF_TCP,
	RCVBUF_ICMP,
};

/* A split ring's indexes: the driver's shadows and the shared ring's values. */
struct rcvbuf_ring {
	char name[16]; /* the virtqueue's name: input.0, output.0 */
	__u32 num; /* ring size */
	__u16 avail_flags, avail_idx;
	__u16 avail_flags_shadow, avail_idx_shadow;
	__u16 used_flags, used_idx;
	__u16 last_used_idx;
	__u8 packed; /* a packed ring: only last_used_idx is read */
	__u8 pad;
};

struct rcvbuf_event {
	__u64 ts_ns;
	__u64 delay_ns; /* RX: since receive_buf entry (the original's "Durate") */
	__u32 cpu;
	__s32 budget; /* virtnet_poll */
	__u32 num; /* RX: receive_buf calls since virtnet_poll on this CPU */
	__u32 seq, ack_seq; /* TCP seq/ack_seq; ICMP: RX echo id, TX echo sequence, ack 0 */
	__u32 saddr, daddr; /* IPv4, network order (JSON) */
	__u16 sport, dport;
	__u8 kind; /* enum rcvbuf_kind */
	__u8 proto; /* enum rcvbuf_proto */
	__u8 pad[2];
	struct rcvbuf_ring ring;
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* One event as the original's line, stamped with wall-clock "HH:MM:SS.uuuuuu". */
void rcvbuf_print_event(FILE *f, const struct rcvbuf_event *ev, const char *stamp);
void rcvbuf_print_event_json(FILE *f, const struct rcvbuf_event *ev, const char *stamp);

struct hook_table;
extern const struct hook_table rcvbuf_hook_table;
#endif
