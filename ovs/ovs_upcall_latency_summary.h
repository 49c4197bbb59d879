/* SPDX-License-Identifier: GPL-2.0-only */
/* ovs_upcall_latency_summary: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/pkt_key.h"

#define UPCALL_MAX_SESSIONS 10240 /* upcalls in flight (LRU: the oldest go first), as the original */
#define UPCALL_HIST_SLOTS 64 /* slot 0: < 1 us; slot s: 2^(s-1) .. 2^s - 1 us (BCC bpf_log2l) */
#define UPCALL_MAX_RECORDED 65536 /* latencies recorded per interval for exact percentiles */

struct upcall_config {
	struct pkt_filter filter;
};

/*
 * The packet both probes see, fully zeroed before it is filled: addresses, protocol, and
 * TCP ports + sequence / UDP ports + IP id + UDP length / ICMP id, sequence, type, code.
 */
struct upcall_key {
	__u32 saddr, daddr; /* network order */
	__u8 proto;
	__u8 pad[3];
	__u16 a, b; /* ports, or the ICMP echo id and sequence */
	__u32 c; /* TCP sequence; UDP IP id << 16 | length; ICMP type << 8 | code */
};

struct upcall_session {
	__u64 start_ns;
	__u32 cmd;
	__u32 pad;
};

/* Slots of the per-CPU counters array; all only grow. */
enum upcall_counter {
	UPCALL_CNT_TOTAL, /* upcalls of packets the filter kept */
	UPCALL_CNT_COMPLETED, /* of them, sent back by ovs-vswitchd (key extraction seen) */
	UPCALL_CNT_LATENCY_NS, /* sum of the completed ones' latencies */
	UPCALL_CNT_NOT_RECORDED, /* completed, but the table of recorded latencies was full */
	UPCALL_CNT_MISS, /* upcalls by command: OVS_PACKET_CMD_MISS, */
	UPCALL_CNT_ACTION, /* OVS_PACKET_CMD_ACTION (a userspace() action), */
	UPCALL_CNT_CMD_OTHER, /* another one */
	UPCALL_COUNTERS,
};

#ifndef __bpf__
#include <stdint.h>
#include <stdio.h>

/* One interval's report. */
struct upcall_report {
	const char *time; /* "YYYY-MM-DD HH:MM:SS" */
	double interval_s;
	uint64_t total, completed; /* since the start, as the original */
	const uint64_t *slots; /* UPCALL_HIST_SLOTS, this interval */
	uint64_t latency_sum_ns; /* this interval */
	const uint64_t *latencies_ns; /* this interval's recorded latencies, sorted */
	size_t nrecorded;
	uint64_t not_recorded; /* this interval's latencies that the table had no room for */
	uint64_t miss, action, other_cmd; /* this interval's upcalls by command */
	long long sessions; /* upcalls in flight; < 0: could not be read */
};

/* What the banner echoes: the filters (0 = not given) and one "Probe:" line per hook. */
struct upcall_banner {
	const char *protocol; /* the --protocol choice, "all" by default */
	uint32_t src_ip, dst_ip; /* network order */
	uint16_t src_port, dst_port;
	double interval_s;
	const char *const *probes; /* "ovs_dp_upcall -> tracepoint openvswitch:ovs_dp_upcall" */
	int nprobes;
};

/* The original's banner, with the probes chosen for this kernel. */
void upcall_print_banner(FILE *f, const struct upcall_banner *b);
/* The nearest-rank p-th percentile (0 < p <= 100) of n sorted values; 0 when n is 0. */
uint64_t upcall_percentile(const uint64_t *sorted, size_t n, double p);
/* "4-7us", "0.5-1.0ms", "1.0-2.0s": the original's label of histogram slot s. */
const char *upcall_slot_label(unsigned s, char *buf, size_t len);
/* The report as the original printed it, with the statistics and upcall types after the histogram. */
void upcall_print_report(FILE *f, const struct upcall_report *r);
/* The same as one JSON object; final marks the report printed at exit. */
void upcall_print_json(FILE *f, const struct upcall_report *r, int final);

struct prom;
/*
 * The metrics (--prometheus-textfile) into the exposition p begun by the caller, from a report
 * whose counts are all since the start: slots, latency_sum_ns and the commands cumulative too.
 */
void upcall_prom_write(struct prom *p, const struct upcall_report *cum);

struct hook_table;
extern const struct hook_table upcall_hook_table;
#endif
