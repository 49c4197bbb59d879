/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user side of the VM pair latency tools (kernel side: common/bpf/vm_pair.bpf.h): filling
 * the device and port maps, the hooks, the run loop and the end-of-run totals.
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/vm_pair.h"
#include "hook.h"

/* Host receive (from the sending VMs) and host transmit (to the receiving VMs). */
enum { VM_PAIR_HOOK_RX, VM_PAIR_HOOK_TX };
extern const struct hook_table vm_pair_hook_table;

/*
 * Adds a device of the sending (rx: the host receives from it) or the receiving side with its
 * pair id; exits 1 with a clear line when the map is full.
 */
void vm_pair_add_dev(struct bpf_object *obj, bool rx, const char *name, uint32_t pair_id);
struct arg_list;
struct vm_pair_line;
/*
 * Reads the --ports list (Python int() syntax) into ports and returns the count, or leaves the
 * ndefault defaults when the option was not given; a bad or out-of-range value or more than
 * VM_PAIR_MAX_PORTS of them is a usage error of --ports.
 */
int vm_pair_parse_ports(const struct arg_list *list, uint16_t *ports, int ndefault);
/*
 * Plans the hooks of an opened skeleton, loads it, writes cfg and adds the ports: what every
 * VM pair tool does between opening its skeleton and adding its devices.
 */
void vm_pair_load(struct bpf_object_skeleton *skel, struct hook_set *hooks, const struct vm_pair_config *cfg,
		  const uint16_t *ports, int nports);
/* Adds a device on both sides: a config pair is timed both ways. */
typedef void (*vm_pair_dev_adder)(struct bpf_object *obj, const char *name, uint32_t pair_id);
/* Calls add for every tap of both VMs of each config line, with the line's pair id (1, 2, ...). */
void vm_pair_add_config_devs(struct bpf_object *obj, const struct vm_pair_line *lines, int n,
			     vm_pair_dev_adder add);
/* Where a device is, as the startup lines say it: "ifindex=N", or matched by name. */
const char *vm_pair_dev_where(const char *name, char *buf, size_t len);
/* The ports joined by sep on stdout. */
void vm_pair_print_ports(const uint16_t *ports, int n, const char *sep);
/* The banner's "Probe: transmit <hook>" line and a blank line. */
void vm_pair_print_probe(const struct hook_set *hooks);
/* Adds a UDP port (a packet qualifies when its source or destination port is listed). */
void vm_pair_add_port(struct bpf_object *obj, uint16_t port);

/*
 * The gap tools' smallest reported interval for "longer than threshold_us" on whole
 * microseconds as the originals compared them (0: every interval).
 */
uint64_t vm_pair_gap_min_ns(uint64_t threshold_us);

/* A gap event as a JSON object on one line (the same in every gap tool). */
void vm_pair_print_gap_json(FILE *f, const struct vm_pair_event *ev);

/* "aa:bb:cc:dd:ee:ff" into buf (18 bytes). */
const char *vm_pair_mac_format(const __u8 *m, char *buf, size_t len);
/* Members a latency tool adds to vm_pair_print_event_json's objects. */
enum {
	VM_PAIR_JSON_PAIR_ID = 1, /* the pair id of the config file */
	VM_PAIR_JSON_MACS = 2, /* the flow's Ethernet addresses */
};
/*
 * A latency tool's event as a JSON object on one line: a latency with its flow and devices, or
 * a packet that was not IP / not UDP where it was seen; with the members extra asks for.
 */
void vm_pair_print_event_json(FILE *f, const struct vm_pair_event *ev, unsigned int extra);

/* matched: latencies, or gaps; pending: flows waiting for a transmit, or flows tracked. */
struct vm_pair_totals {
	uint64_t matched, started, pending, table_full, lost_events;
};

/* The end-of-run totals in text ("Latencies reported: ...") or as the JSON final object. */
void vm_pair_print_totals(FILE *f, const struct vm_pair_totals *t, bool json);
/* The gap tools' end-of-run totals in text ("Gaps reported: ...") or as the JSON final object. */
void vm_pair_print_gap_totals(FILE *f, const struct vm_pair_totals *t, bool json);

/* An event's time as the trace pipe showed it: ktime in seconds with 9 decimals. */
const char *vm_pair_seconds(const struct vm_pair_event *ev, char *buf, size_t len);

typedef void (*vm_pair_handler)(const struct vm_pair_event *ev);

/*
 * Runs a loaded object whose hooks are planned and config written: attaches, calls fn for
 * each event until Ctrl-C/SIGTERM or duration_s (> 0), detaches, delivers the rest and
 * prints the totals (of gaps when gaps).
 */
void vm_pair_run(struct bpf_object *obj, struct hook_set *hooks, vm_pair_handler fn, double duration_s,
		 bool gaps);
