/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User side of the GSO anomaly detectors (common/bpf/skb_gso.h): the output lines the three
 * bpftrace originals built their blocks from, the kernel stack as bpftrace's kstack, the
 * --json record, the exit summary and the test switch.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/skb_gso.h"
#include "stack.h"

/* A kernel stack rendered as bpftrace does: "func+decimal_offset", innermost first. */
struct gso_frames {
	int n;
	const char *frame[GSO_STACK_MAX];
	char text[GSO_STACK_MAX][STACK_FRAME_LEN];
};

/* Renders the event's stack with the kernel's symbols. */
void gso_frames_render(struct gso_frames *fr, const struct gso_event *ev);

/* "###### <func> unexpected gso type:0x<type>, gso size: <size>" without the end of line. */
void gso_line_unexpected(FILE *f, const char *func, const struct skb_snapshot *s);
/* "####### skb info, dev_name: ..." up to "func: <func>" (trace_dev_queue_xmit, trace_tc_qdisc). */
void gso_line_skb_info(FILE *f, const char *func, const struct skb_snapshot *s);
/* "####### dev hardware features, netdev_features: ..." */
void gso_line_hw_features(FILE *f, const struct skb_snapshot *s);
/* "####### frag_list: ...,  ip_summed: ..." and "####### skb cb frag_max_size: ...". */
void gso_lines_frag(FILE *f, const struct skb_snapshot *s);
/* "####### udp header info: ..." or "####### tcp header info data: ...", then the MAC line. */
void gso_lines_ports_mac(FILE *f, const struct skb_snapshot *s);
/*
 * trace_dev_queue_xmit's and trace_tc_qdisc's details of an IPv4 UDP or TCP packet (nothing
 * for others): the frag lines, the skb info line, the feature line, the ports and MAC lines.
 */
void gso_lines_ip_details(FILE *f, const char *func, const struct skb_snapshot *s);
/* Whether the IPv4 header says UDP or TCP: the originals print their header lines only then. */
bool gso_is_udp(const struct skb_snapshot *s);
bool gso_is_tcp(const struct skb_snapshot *s);
/* "netdev name: <dev>", then ", kstack: " and the stack (a newline, 8-space frames), then tail. */
void gso_lines_stack(FILE *f, const struct skb_snapshot *s, const struct gso_frames *fr, const char *tail);
/* The four empty lines that end a block. */
void gso_block_end(FILE *f);

/*
 * One event as a JSON line: hms is its local time, probe the probe's name; the qdisc's enqueue
 * callback (when the event has one) is named enqueue_name (NULL: not a known symbol).
 */
void gso_print_json(FILE *f, const struct gso_event *ev, const char *hms, const char *probe,
		    const struct gso_frames *fr, const char *enqueue_name);

/*
 * At exit, after bpftrace's two empty lines: "@anomalies[<probe>]: N" for the probes that
 * reported any (by count ascending, as bpftrace prints a map), then "Lost events: N"; with json,
 * the final object {"final": true, "anomalies": {probe: N...}, "lost_events"}.
 */
void gso_print_exit(FILE *f, bool json, const char *const *names, const uint64_t *counts, unsigned n,
		    uint64_t lost);

/*
 * The gso_type bits to treat as absent: 0, or the value of the test switch
 * BPFNET_TEST_GSO_TYPE_IGNORE (warned about), so that tests can make skbs of a chosen type
 * count as anomalies.
 */
uint32_t gso_type_ignore_from_env(void);

struct hook_set;
struct bpf_object_skeleton;

/* What a GSO anomaly detector tells gso_tool_run. */
struct gso_tool {
	const char *const *probe_names; /* by probe number */
	unsigned nprobes;
	/* Prints one event in the tool's layout. */
	void (*print_event)(FILE *f, const struct gso_event *ev, const struct gso_frames *fr);
};

/*
 * The run of a tool whose skeleton is open and whose hooks are initialised: plans, loads,
 * writes cfg, attaches ("Probe:" lines and bpftrace's "Attaching N probes..."; dies if no probe
 * could be attached), prints events until Ctrl-C/SIGTERM or duration_s, then the exit summary.
 */
void gso_tool_run(const struct gso_tool *t, struct hook_set *hooks, struct bpf_object_skeleton *skel,
		  const struct gso_config *cfg, double duration_s);
