/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_ip_defrag: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

enum defrag_event_type {
	DEFRAG_EV_IP_DEFRAG = 1, /* a fragment entered ip_defrag */
	DEFRAG_EV_DUP_INSERT, /* inet_frag_queue_insert: IPFRAG_DUP, the fragment is dropped */
	DEFRAG_EV_KFREE, /* an IPv4 skb was freed */
	DEFRAG_EV_OVERLAP_INSERT, /* IPFRAG_OVERLAP: the whole queue is discarded */
	DEFRAG_EV_REASSEMBLED, /* ip_defrag returned 0: the datagram is complete */
	DEFRAG_EV_FAILED, /* ip_defrag failed for another reason (no queue, bad fragment) */
	DEFRAG_EV_TIMEOUT, /* ip_expire: the queue timed out incomplete */
};

/* How the free event was seen. */
enum defrag_free_hook { DEFRAG_FREE_KPROBE, DEFRAG_FREE_TP_KFREE, DEFRAG_FREE_TP_CONSUME };

/* inet_frag_queue->flags */
#define DEFRAG_Q_FIRST_IN 0x01
#define DEFRAG_Q_LAST_IN 0x02
#define DEFRAG_Q_COMPLETE 0x04

#define DEFRAG_IP_MF 0x2000
#define DEFRAG_IP_OFFSET 0x1FFF

struct defrag_config {
	struct pkt_filter filter; /* IPv4 addresses, L4 protocol */
};

/* What the original printed of an skb. */
struct defrag_pkt {
	__u32 saddr, daddr; /* network order */
	__u16 sport, dport; /* host order */
	__u16 ip_id; /* host order */
	__u16 frag_off; /* host order: flags and offset in 8-byte units */
	__u8 protocol;
	__u8 l4_hdr_set; /* ports read (TCP/UDP first fragment), or ICMP */
	__u8 pad[2];
	char dev[16];
};

/* A reassembly queue (struct ipq / inet_frag_queue). */
struct defrag_queue {
	__u32 saddr, daddr; /* network order */
	__u16 id; /* host order */
	__u8 protocol;
	__u8 flags; /* DEFRAG_Q_* */
	__s32 iif;
	__s32 meat; /* bytes received */
	__s32 len; /* datagram length, known once the last fragment arrived */
};

struct defrag_event {
	__u64 ts_ns;
	__u32 pid; /* tgid */
	__s32 stack_id;
	__s32 retval; /* DEFRAG_EV_FAILED */
	__s32 offset, end; /* *_INSERT */
	__u32 user; /* DEFRAG_EV_IP_DEFRAG: enum ip_defrag_users */
	__u32 reason; /* DEFRAG_EV_KFREE: drop reason, 0 if not reported */
	__u32 skb_len; /* DEFRAG_EV_REASSEMBLED */
	__u8 type; /* enum defrag_event_type */
	__u8 free_hook; /* enum defrag_free_hook */
	__u8 pad[2];
	char comm[16];
	struct defrag_pkt pkt;
	struct defrag_queue q;
};

#ifndef __bpf__
#include <stdio.h>

/*
 * Prints one event in the original's layout (plus the events it lacked); hms is the event's
 * local time; frames are the rendered stack of a free event, innermost first (nframes < 0:
 * the stack could not be read, -nframes is the errno); reason_name is the free's drop reason
 * or NULL.
 */
void defrag_print_event(FILE *f, const struct defrag_event *ev, const char *hms, const char *const *frames,
			int nframes, const char *reason_name);
/* Prints one event as a JSON object on one line. */
void defrag_print_json(FILE *f, const struct defrag_event *ev, const char *hms, const char *const *frames,
		       int nframes, const char *reason_name);
/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table defrag_hook_table;
#endif
