/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User side of the skb snapshot (bpf/skb_snapshot.h) shared by the bpftrace-era offload
 * tracers of other/: bpftrace-style kernel stacks, the lines the tracers
 * print alike, the JSON object of one probe hit, and the run of such a tracer.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/skb_snapshot.h"
#include "stack.h"

struct bpf_map;
struct hook_set;
struct json;

/* Reads stack_id from map and renders each frame as bpftrace's kstack does: "func+26". */
int bt_kstack_read(struct stack_frames *sf, const struct bpf_map *map, int stack_id);
/* bpftrace's kstack in a printf "%s": a newline, then "        <frame>\n" per frame. */
void bt_print_kstack(FILE *f, const char *const *frames, int n);

/* One probe hit as the printers get it. */
struct skb_probe_view {
	const struct skb_probe_event *ev;
	const char *func; /* the probed function (bpftrace's func): the kallsyms name attached to */
	const char *const *frames; /* its kernel stack, innermost first */
	int nframes;
};

/* "<sip>:<sport> => <dip>:<dport>" of the snapshot (ports 0 unless with_ports). */
const char *skb_snap_flow(const struct skb_snapshot *s, bool with_ports, char *buf, size_t len);
/* "<prefix>MAC src: <data[6..11]>, MAC dst: <data[0..5]>\n". */
void skb_snap_print_macs(FILE *f, const char *prefix, const struct skb_snapshot *s);
/*
 * The 802.1Q tag the skb carries: the accelerated one, else one in the frame at skb->data
 * (TPID 0x8100 or 0x88a8 after the MACs). Returns the VLAN id, or -1 without a tag.
 */
int skb_snap_vlan_id(const struct skb_snapshot *s);
/* "####### vlan tag: <id>\n" when the skb carries a tag (the manual's "collects VLAN tags"). */
void skb_snap_print_vlan(FILE *f, const struct skb_snapshot *s);
/*
 * "####### skb_dev hardware features, ..." (or with dev_label "dev" instead of "skb_dev"):
 * the device's five feature masks.
 */
void skb_snap_print_hw(FILE *f, const char *dev_label, const struct skb_snapshot *s);
/*
 * The "####### skb info, <name_label>: <dev>\t, skb dev features: ..." line of the tracers
 * (with_ignore_df: vpc-vm-udp-datapath's variant with "ignore df: <n>\t").
 */
void skb_snap_print_info(FILE *f, const char *name_label, bool with_ignore_df, const struct skb_snapshot *s,
			 const char *func);

/*
 * The JSON object of one probe hit, on one line: func, comm, pid, arg, the snapshot, stack.
 * (Hits without SKB_EV_MATCH only stand for their probe's banner line: JSON leaves them out.)
 */
void skb_probe_print_json(FILE *f, const struct skb_probe_view *v);

/* Prints one probe hit in the tool's layout. */
typedef void (*skb_probe_printer)(FILE *f, const struct skb_probe_view *v);

/*
 * The run of an offload tracer once its programs are loaded: attaches (a hook that cannot be
 * attached is a warning; none at all is an error), prints "Attaching N probes..." (N attached),
 * prints each event with print (JSON with --json) until Ctrl-C/SIGTERM or duration_s, then
 * bpftrace's two newlines (with --json the totals: events printed and lost). events, lost and
 * stacks are the object's event, lost-event and stack maps.
 */
void skb_tracer_run(struct hook_set *hooks, struct bpf_map *events, struct bpf_map *lost,
		    struct bpf_map *stacks, skb_probe_printer print, double duration_s);
