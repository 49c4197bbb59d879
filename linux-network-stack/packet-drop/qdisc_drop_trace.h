/* SPDX-License-Identifier: GPL-2.0-only */
/* qdisc_drop_trace: shared by the BPF program and user space. */
#pragma once
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* What the tool watches; each is fed by a kprobe pair or by a tracepoint, whichever exists. */
enum qdt_hook {
	QDT_DEV_QUEUE_XMIT, /* __dev_queue_xmit (or dev_queue_xmit) */
	QDT_HARD_START_XMIT, /* dev_hard_start_xmit */
	QDT_ERSPAN_XMIT, /* erspan_xmit (ip_gre) */
	QDT_FQ_CODEL_ENQUEUE, /* fq_codel_enqueue (sch_fq_codel) */
	QDT_QDISC_ENQUEUE, /* tracepoint qdisc:qdisc_enqueue: a root qdisc accepted a packet */
	QDT_QDISC_DEQUEUE, /* tracepoint qdisc:qdisc_dequeue: packets left a root qdisc */
	QDT_QDISC_DROP, /* a qdisc dropped a packet (drop reason, or __dev_queue_xmit's code) */
	QDT_HOOKS,
};

enum qdt_event_type {
	QDT_EV_ENTRY,
	QDT_EV_DROP,
};

/* NET_XMIT_* values (include/linux/netdevice.h) and the flag bits qdiscs add internally. */
#define QDT_NET_XMIT_DROP 1
#define QDT_NET_XMIT_CN 2
#define QDT_NETDEV_TX_BUSY 0x10
#define QDT_XMIT_STOLEN 0x10000
#define QDT_XMIT_BYPASS 0x20000

#define QDT_REASON_WORDS 4 /* bitmap of drop reasons 0-255 */

struct qdt_config {
	char ifname[16]; /* exact device name, zero-padded; empty = any */
	__u64 qdisc_reasons[QDT_REASON_WORDS]; /* skb_drop_reason values that are qdisc drops */
	__u8 entry_events; /* submit ENTRY events of the four functions */
	__u8 queue_events; /* submit qdisc_enqueue / qdisc_dequeue events too */
	__u8 drop_events; /* submit DROP events */
	__u8 drops_from_return; /* no drop reasons: __dev_queue_xmit returning DROP/CN is the drop */
	__u8 pad[4];
};

/* Key of the return-code and drop-reason counters. */
struct qdt_code_key {
	__u32 hook;
	__u32 code; /* return code (low 32 bits), or drop reason for QDT_QDISC_DROP */
};

struct qdt_qdisc {
	char kind[16]; /* Qdisc_ops id: "tbf", "fq_codel" */
	__u32 handle;
	__u32 parent;
	__u32 flags;
	__u32 qlen; /* packets queued (sch->q.qlen) */
	__u32 backlog; /* bytes queued */
	__u32 drops;
	__u32 requeues;
	__u32 overlimits;
};

struct qdt_event {
	__u64 ts_ns;
	char comm[16];
	char ifname[16]; /* 8-byte aligned: the kernel side compares it as two words */
	__u8 type; /* enum qdt_event_type */
	__u8 hook; /* enum qdt_hook */
	__u8 has_qdisc;
	__u8 has_ip;
	__u32 pid; /* thread id, as the original printed */
	__u32 len; /* skb->len */
	__u32 txq; /* skb->queue_mapping (dev_hard_start_xmit) */
	__u32 code; /* DROP: drop reason or return code */
	__u32 packets; /* qdisc_dequeue: packets dequeued at once */
	__u32 saddr; /* IPv4, network order */
	__u32 daddr;
	__u16 proto; /* EtherType, host order; 0 if unknown */
	__u16 pad[3];
	struct qdt_qdisc qdisc;
};

#ifndef __bpf__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The name the original printed for a hook ("__dev_queue_xmit", ..., "qdisc_drop"). */
const char *qdt_hook_name(enum qdt_hook h);
/*
 * The name of a return code: NET_XMIT_SUCCESS, NET_XMIT_DROP, NET_XMIT_CN, NET_XMIT_POLICED,
 * NETDEV_TX_BUSY, qdisc flag bits as "+__NET_XMIT_STOLEN", negative errnos as "-ENETDOWN",
 * anything else UNKNOWN.
 */
const char *qdt_code_name(uint32_t code, char *buf, size_t len);

/* One counter of a statistics block, with its label rendered. */
struct qdt_row {
	uint32_t hook;
	uint32_t code;
	uint64_t count;
	char name[64]; /* code or drop-reason name */
};

/* Counters read from the kernel at one moment. */
struct qdt_snapshot {
	struct qdt_row *rows; /* sorted by hook, then code */
	size_t n;
	uint64_t entries[QDT_HOOKS];
};

/* Sorts rows by hook, then code. */
void qdt_rows_sort(struct qdt_row *rows, size_t n);
/*
 * The interval's counts: cur minus prev for every counter that grew (rows keep cur's names),
 * in cur's order. out must hold cur->n rows; returns how many were written. entries too.
 */
size_t qdt_snapshot_delta(const struct qdt_snapshot *prev, const struct qdt_snapshot *cur,
			  struct qdt_row *out, uint64_t *entries_out);

/* What a statistics block shows. */
struct qdt_report {
	bool returns[QDT_HOOKS]; /* hooks whose return codes are traced: sections printed */
	bool attached[QDT_HOOKS]; /* hooks whose entries are counted */
	const struct qdt_row *rows; /* interval counts (return codes and drop reasons) */
	size_t n;
	const uint64_t *entries; /* interval entry counts per hook */
	uint64_t not_counted; /* counters the kernel could not create (table full) */
};

/* The statistics block in the original layout, plus the qdisc drop section. */
void qdt_print_report(FILE *f, const struct qdt_report *r);
/* The block as one JSON object; final marks the one printed at exit. */
void qdt_print_report_json(FILE *f, const struct qdt_report *r, const char *hms, bool final,
			   uint64_t lost_events);
/* One event line (and its IP / QDISC lines); reason names a DROP event's code. */
void qdt_print_event(FILE *f, const struct qdt_event *ev, const char *hms, const char *reason);
void qdt_print_event_json(FILE *f, const struct qdt_event *ev, const char *hms, const char *reason);
/* tc's notation of a qdisc handle: "8001:" or "1:10". */
const char *qdt_handle_format(uint32_t handle, char *buf, size_t len);

/* ---- the probe points (qdisc_drop_trace_probes.c) ---- */

struct hook_env;
struct hook_set;
struct strbuf;

/* The hook table, for the unit tests that plan it against the lab kernels' BTF. */
extern const struct hook_table qdt_hook_table;

/* The report's view of a function: which programs serve it, and how. */
struct qdt_func {
	bool attached; /* every hook of the function is attached */
	bool returns; /* its return codes (or drop reasons) are counted */
	const char *why_not; /* when nothing was chosen */
	char desc[256]; /* for the banner's "Probe:" line */
	int hooks[2];
	int nhooks;
};

/* The hooks of qdt_hook_table (the tool sets them up and prepares them) and each function's plan. */
extern struct hook_set qdt_hooks;
extern struct qdt_func qdt_funcs[QDT_HOOKS];

/* Whether tracepoints may be used: BPFNET_FORCE_KPROBE=1 leaves them all out, as on kernels that lack them (tests). */
bool qdt_tracepoints_usable(const struct hook_env *env);
/* Marks the drop reasons that mean "a qdisc dropped it" in cfg, lists them in names; returns how many. */
int qdt_qdisc_reasons(struct qdt_config *cfg, struct strbuf *names);
/*
 * After hook_prepare: what each function of the report gets from the plan, given the
 * nreasons qdisc drop reasons listed in reasons; sets cfg->drops_from_return when drops are
 * counted from __dev_queue_xmit's return codes instead.
 */
void qdt_plan_funcs(struct qdt_config *cfg, int nreasons, const struct strbuf *reasons);
/* Attaches every planned function's hooks; fills the "Attached probes:" list and the warnings; dies if none. */
void qdt_attach_all(const struct qdt_config *cfg, struct strbuf *attached, struct strbuf *warnings);
#endif
