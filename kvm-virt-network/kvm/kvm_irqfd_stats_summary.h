/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm_irqfd_stats_summary and kvm_irqfd_stats_summary_arm (the same plus the arm64 vGIC
 * counts): shared by the BPF programs and user space.
 */
#pragma once
#include "bpf/both_sides.h"

#define KIRQ_COMM_LEN 16
#define KIRQ_COUNTS_MAX 10240 /* each counter table (the original's BCC default: 64, silently full) */
#define KIRQ_IRQFDS_MAX 4096
#define KIRQ_VMS_MAX 256
#define KIRQ_INFLIGHT_MAX 1024

enum kirq_category {
	KIRQ_ALL, /* vhost-<qemu_pid> threads and the QEMU process */
	KIRQ_DATA, /* vhost-<qemu_pid> threads only */
	KIRQ_CONTROL, /* the QEMU process, its vhost threads excepted */
};

enum kirq_subcategory {
	KIRQ_SUB_NONE,
	KIRQ_SUB_RX,
	KIRQ_SUB_TX,
};

struct kirq_config {
	__u32 qemu_pid;
	__u32 vhost_pid; /* 0: any; else the vhost thread's TGID or thread id */
	__u32 category; /* enum kirq_category */
	__u32 subcategory; /* enum kirq_subcategory: echoed only, as in the original */
};

/* One counter of irqfd wakeups: which irqfd, woken by whom, where and how. */
struct kirq_wakeup_key {
	__u64 kvm;
	__u64 irqfd;
	__u64 wait;
	__u64 poll_flags;
	__u32 gsi;
	__u32 cpu;
	__u32 tgid;
	__u32 mode;
	__u32 sync;
	__u32 pad;
	char comm[KIRQ_COMM_LEN];
};

/* Injections (kvm_arch_set_irq_inatomic, kvm_set_msi) of a VM's GSI. */
struct kirq_gsi_key {
	__u64 kvm;
	__u32 gsi;
	__u32 pad;
};

struct kirq_vcpu_key {
	__u64 kvm;
	__u32 vcpu_id;
	__u32 pad;
};

/* arm64: an interrupt a VM's vGIC queued (version 0) or put in a GICv2/GICv3 list register (2, 3). */
struct kirq_vgic_key {
	__u64 kvm;
	__u32 intid;
	__u32 version;
};

/* kvm_arch_set_irq_inatomic's results for one VM's GSI. */
struct kirq_ret_stats {
	__u64 calls;
	__u64 success; /* x86: returned > 0 (delivered to that many vCPUs); arm64: returned 0 */
	__u64 fail; /* else (-EWOULDBLOCK: injected later from a work item) */
	__u64 delivered;
};

/* What the last wakeup of an irqfd showed; kept across intervals. */
struct kirq_irqfd_info {
	__u64 eventfd;
	__u64 first_ns; /* bpf_ktime_get_ns of its first wakeup since the tool started */
	__u64 last_ns;
	__u32 gsi;
	__s32 msi_vector; /* -1: the route is not an MSI */
};

/* Slots of the per-CPU counters array. */
enum kirq_counter {
	KIRQ_FULL_WAKEUPS, /* events not counted: a table was full */
	KIRQ_FULL_ARCH,
	KIRQ_FULL_MSI,
	KIRQ_FULL_KICKS,
	KIRQ_FULL_IRQFDS,
	KIRQ_FULL_VGIC,
	KIRQ_COUNTERS,
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One interval's counter tables as read from the maps (plus the persistent irqfd table). */
struct kirq_wakeup_count {
	struct kirq_wakeup_key key;
	__u64 count;
};
struct kirq_gsi_count {
	struct kirq_gsi_key key;
	__u64 count;
};
struct kirq_vcpu_count {
	struct kirq_vcpu_key key;
	__u64 count;
};
struct kirq_ret_entry {
	struct kirq_gsi_key key;
	struct kirq_ret_stats stats;
};
struct kirq_irqfd_entry {
	__u64 irqfd;
	struct kirq_irqfd_info info;
};
struct kirq_vgic_count {
	struct kirq_vgic_key key;
	__u64 count;
};

struct kirq_tables {
	struct kirq_wakeup_count *wakeups;
	size_t n_wakeups;
	struct kirq_gsi_count *arch, *msi;
	size_t n_arch, n_msi;
	struct kirq_vcpu_count *kicks;
	size_t n_kicks;
	struct kirq_ret_entry *rets;
	size_t n_rets;
	struct kirq_irqfd_entry *irqfds;
	size_t n_irqfds;
	struct kirq_vgic_count *vgic; /* the arm tool's only */
	size_t n_vgic;
};

#define KIRQ_SET_MAX 3 /* distinct comms / TGIDs printed per irqfd, as the original */
#define KIRQ_SOURCE_LEN 96

struct kirq_source {
	char key[KIRQ_SOURCE_LEN]; /* "wait:0x.._mode:M_sync:S_flags:0x.." */
	__u64 count;
};

/* One irqfd ("Thread" in the original's report) of a VM, summed over an interval. */
struct kirq_queue {
	__u64 irqfd;
	__u32 gsi;
	__s32 msi_vector;
	__u64 eventfd; /* 0: unknown */
	__u64 count, data_count, control_count, arch_count, msi_count;
	__u32 *cpus; /* sorted, distinct */
	size_t n_cpus;
	char comms[KIRQ_SET_MAX][KIRQ_COMM_LEN]; /* first seen first */
	size_t n_comms;
	__u32 *tgids; /* sorted, distinct */
	size_t n_tgids;
	struct kirq_source *sources; /* highest count first */
	size_t n_sources;
};

struct kirq_vcpu_kicks {
	__u32 vcpu_id;
	__u64 count;
};

/* arm64: one interrupt ID's vGIC queueings, or its list-register populations (v2 + v3). */
struct kirq_intid_count {
	__u32 intid;
	__u64 count, gicv2, gicv3;
};

struct kirq_gsi_result {
	__u32 gsi;
	struct kirq_ret_stats stats;
};

struct kirq_vm {
	__u64 kvm;
	__u64 wakeups, arch, msi, kicks;
	__u64 data_count, control_count;
	__u64 first_ns, last_ns; /* activity of its irqfds (ktime); 0: none known */
	struct kirq_queue *queues; /* by irqfd address */
	size_t n_queues;
	struct kirq_vcpu_kicks *vcpus; /* by vCPU id */
	size_t n_vcpus;
	struct kirq_gsi_result *results; /* kvm_arch_set_irq_inatomic results by GSI */
	size_t n_results;
	/* arm64 vGIC: queueings and list-register populations, in all and by intid */
	__u64 vgic_queue, populate_lr, gicv2, gicv3;
	struct kirq_intid_count *queued, *populated;
	size_t n_queued, n_populated;
};

/* One report: the VMs of an interval, by kvm address, and the interval's totals. */
struct kirq_report {
	struct kirq_vm *vms;
	size_t n_vms;
	__u64 wakeups, arch, msi, kicks;
	double duration_s, interval_s;
	char when[32]; /* local "YYYY-MM-DD HH:MM:SS.mmm" */
	bool vgic; /* the arm tool's report: its vGIC lines and fields (set before kirq_report_build) */
	__u64 vgic_queue, populate_lr;
};

/* Sums the tables of one interval per VM and irqfd as the original's report does. */
void kirq_report_build(struct kirq_report *r, const struct kirq_tables *t);
void kirq_report_free(struct kirq_report *r);

/* The start-up lines after the attach lines: title, features, filters, interval. */
void kirq_print_banner(FILE *f, const struct kirq_config *cfg, int interval);
/* The same for the arm tool (its interrupt chain, vGIC steps included). */
void kirq_arm_print_banner(FILE *f, const struct kirq_config *cfg, int interval);
/* One report in the original's layout; activity times through wall (ktime ns to "HH:MM:SS.mmm"). */
void kirq_print_text(FILE *f, const struct kirq_report *r,
		     const char *(*wall)(__u64 ns, char *buf, size_t len));
/* One report as one JSON object. */
void kirq_print_json(FILE *f, const struct kirq_report *r, bool final,
		     const char *(*wall)(__u64 ns, char *buf, size_t len));

struct prom;
/*
 * The metrics of a report of the cumulative tables (since the tool started) into the exposition p
 * begun by the caller; not_counted: events lost to full tables.
 */
void kirq_prom_write(struct prom *p, const struct kirq_report *r, uint64_t not_counted);

/* A hash map's entries read at once: each a key then nvals u64 values, sorted by key. */
struct kirq_entries {
	size_t key_size, entry_size, n;
	unsigned char *v;
};
struct bpf_map;
#define KIRQ_ENTRY_VALUES_MAX 8
/* Reads every entry of map (values of nvals u64s) into e, sorted by key. */
void kirq_entries_read(struct kirq_entries *e, struct bpf_map *map, size_t nvals);
/* delta = now - before, value by value, for the keys of now; unchanged entries are left out. */
void kirq_entries_since(struct kirq_entries *delta, const struct kirq_entries *now,
			const struct kirq_entries *before);
/* dst = a copy of src (dst's old buffer is not freed). */
void kirq_entries_copy(struct kirq_entries *dst, const struct kirq_entries *src);

/* The probes both tools have, first in their hook tables (KIRQ_COMMON_HOOK_DEFS). */
enum { KIRQ_HOOK_WAKEUP, KIRQ_HOOK_ARCH, KIRQ_HOOK_ARCH_RET, KIRQ_HOOK_MSI, KIRQ_HOOK_KICK, KIRQ_HOOKS };
/* The arm tool's after them. */
enum { KIRQ_HOOK_VGIC_QUEUE = KIRQ_HOOKS, KIRQ_HOOK_VGIC_V2, KIRQ_HOOK_VGIC_V3, KIRQ_ARM_HOOKS };

#define KIRQ_COMMON_HOOK_DEFS                                                                                \
	[KIRQ_HOOK_WAKEUP] = { "irqfd wakeup", { { HOOK_KPROBE, "kirq_wakeup", "irqfd_wakeup" } }, "kvm" },  \
	[KIRQ_HOOK_ARCH] = { "atomic injection",                                                             \
			     { HOOK_FUNC_ENTRY("kirq_arch_set_irq", "kvm_arch_set_irq_inatomic") },          \
			     "kvm" },                                                                        \
	[KIRQ_HOOK_ARCH_RET] = { "atomic injection result",                                                  \
				 { HOOK_FUNC_RETURN("kirq_arch_set_irq_ret", "kvm_arch_set_irq_inatomic") }, \
				 "kvm" },                                                                    \
	[KIRQ_HOOK_MSI] = { "MSI injection", { HOOK_FUNC_ENTRY("kirq_set_msi", "kvm_set_msi") }, "kvm" },    \
	[KIRQ_HOOK_KICK] = { "vCPU kick", { HOOK_FUNC_ENTRY("kirq_vcpu_kick", "kvm_vcpu_kick") }, "kvm" }

struct hook_table;
extern const struct hook_table kirq_hook_table;
extern const struct hook_table kirq_arm_hook_table;
struct ksyms;
/* Whether the kernel functions ks has one of the arm tool's vGIC functions (none: not arm64 KVM). */
bool kirq_has_vgic(const struct ksyms *ks);

struct hook_set;
struct bpf_object;
struct bpf_object_skeleton;
/* What the two tools differ in; kirq_run() is the rest of both. */
struct kirq_tool {
	const char *prog;
	const char *description;
	const struct hook_table *hooks;
	bool vgic; /* the arm tool: its vGIC probes, map and report lines */
	/* Opens the tool's skeleton (BPFNET_OPEN): returns it, with its object and skeleton. */
	void *(*open)(struct bpf_object **obj, struct bpf_object_skeleton **skeleton);
	void (*destroy)(void *skel);
	/* Before anything is opened: dies if this kernel cannot have the tool's probes at all. */
	void (*check_kernel)(void);
	/* The attach lines, after attaching (text output only). */
	void (*print_attached)(const struct hook_set *hooks);
	void (*print_banner)(FILE *f, const struct kirq_config *cfg, int interval);
};
/* kirq_tool's open and destroy (kirq_open_skel, kirq_destroy_skel) for the skeleton type name. */
#define KIRQ_SKELETON_OPS(name)                                                                              \
	static void *kirq_open_skel(struct bpf_object **obj, struct bpf_object_skeleton **skeleton)          \
	{                                                                                                    \
		struct name *skel = BPFNET_OPEN(name);                                                       \
		*obj = skel->obj;                                                                            \
		*skeleton = skel->skeleton;                                                                  \
		return skel;                                                                                 \
	}                                                                                                    \
	static void kirq_destroy_skel(void *skel)                                                            \
	{                                                                                                    \
		name##__destroy(skel);                                                                       \
	}

/* Parses the command line, loads, attaches and reports every interval until Ctrl-C or SIGTERM. */
int kirq_run(const struct kirq_tool *tool, int argc, char **argv);
#endif
