/* SPDX-License-Identifier: GPL-2.0-only */
/* eth_drop: shared by the BPF program and user space. */
#pragma once
#include "bpf/pkt_key.h"

struct eth_drop_config {
	struct pkt_filter filter;
	char ifname[16]; /* exact device name, empty = any */
};

struct eth_drop_event {
	__u64 ts_ns;
	__u32 pid; /* thread id */
	__u32 tgid;
	__u32 cpu;
	__s32 stack_id; /* negative: bpf_get_stackid() error */
	__u32 reason; /* kernel drop reason, 0 if not reported */
	__u32 len;
	__u32 data_len;
	__u16 mac_header;
	__u16 network_header;
	__u16 transport_header;
	__u16 pad;
	char comm[16];
	char ifname[16];
	struct pkt_snap snap;
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdio.h>

struct eth_drop_print_opts {
	bool verbose;
	bool show_stack;
};

/* EtherType filter value for a --type argument (0 = all); false if the text is invalid. */
bool eth_drop_parse_type(const char *text, __u16 *out);
/* Prints one event in the original layout; frames are rendered stack frames, innermost first. */
void eth_drop_print_event(FILE *f, const struct eth_drop_event *ev, const char *hms,
			  const char *const *frames, int nframes, const struct eth_drop_print_opts *o);
/* Prints one event as a JSON object on one line. */
void eth_drop_print_json(FILE *f, const struct eth_drop_event *ev, const char *hms, const char *const *frames,
			 int nframes);
#endif
