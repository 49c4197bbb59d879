/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What vhost_queue_correlation_simple and _details share, BPF and user space: the TAP queues
 * followed (by the socket vhost-net reads them through), the virtqueue state, the events of
 * the vhost signal and vhost_notify stages and their text.
 */
#pragma once
#include "bpf/both_sides.h"

#define VQC_MAX_QUEUES 256 /* TAP queues followed at once (the original's table size) */
#define VIRTIO_RING_F_EVENT_IDX 29

enum vqc_event_type {
	VQC_TUN_XMIT = 1,
	VQC_HANDLE_RX,
	VQC_TUN_RECVMSG,
	VQC_SIGNAL,
	VQC_NOTIFY,
};

struct vqc_config {
	char dev[16]; /* "": every TUN/TAP device */
	__u32 queue; /* with queue_filter */
	__u8 queue_filter;
	__u8 debug;
	__u8 pad[2];
};

/* A TAP queue followed: its socket (tun_file.socket) is the vhost vq's private_data. */
struct vqc_target {
	__u64 sock;
	__u32 queue;
	char dev[16];
};

/* The virtqueue's indices and negotiated features. */
struct vqc_vq_state {
	__u64 log_addr;
	__u64 acked_features;
	__u64 acked_backend_features;
	__u16 avail_idx;
	__u16 last_avail_idx;
	__u16 last_used_idx;
	__u16 used_flags;
	__u16 signalled_used;
	__u8 signalled_used_valid;
	__u8 log_used;
};

/* --debug counters (simple): slots of the debug array. */
enum vqc_debug_slot {
	VQC_DBG_TUN_CALLS,
	VQC_DBG_TUN_TRACKED,
	VQC_DBG_SIGNAL_CALLS,
	VQC_DBG_SIGNAL_MATCHED,
	VQC_DBG_NOTIFY_CALLS,
	VQC_DBG_NOTIFY_MATCHED,
	VQC_DBG_LAST_TUN_SOCK,
	VQC_DBG_LAST_SIGNAL_SOCK,
	VQC_DBG_LAST_NOTIFY_SOCK,
	VQC_DBG_LAST_NOTIFY_VQ,
	VQC_DBG_PRIVATE_DATA_OFFSET,
	VQC_DBG_SLOTS,
};

/* One vhost signal (add used and signal) or vhost_notify decision of a followed queue. */
struct vqc_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u64 sock;
	__u64 vq;
	__u32 pid; /* TGID */
	__u32 tid;
	__u32 queue;
	__s32 ret; /* vhost_notify: its decision */
	char comm[16];
	char dev[16];
	struct vqc_vq_state st;
	__u16 avail_flags; /* the guest's avail->flags */
	__u16 used_event; /* the guest's avail->ring[num] (EVENT_IDX) */
	__u8 type; /* enum vqc_event_type */
	__u8 has_event_idx;
	__u8 guest_flags_valid;
	__u8 guest_event_valid;
	__u8 pad[4];
};

#ifndef __bpf__
#include <stdbool.h>
#include <stdio.h>

/*
 * The block of a vhost_signal or vhost_notify event: the separator, the common lines and the
 * stage's lines, then a blank line; hms_ms is the event's local "HH:MM:SS.mmm".
 */
void vqc_print_event(FILE *f, const struct vqc_event *ev, const char *hms_ms, bool with_timestamp);
/* The separator and the lines every event starts with (Event, Queue/Device/Process, Sock). */
void vqc_print_event_head(FILE *f, const struct vqc_event *ev, const char *hms_ms, bool with_timestamp);
/* The lines of a vhost_signal or vhost_notify event after its head (none for other types). */
void vqc_print_vq_event_lines(FILE *f, const struct vqc_event *ev);
/* The "VQ State:", "Signal:" and "Features:" lines of a virtqueue's state. */
void vqc_print_state_lines(FILE *f, const struct vqc_vq_state *st);
/* The same event as one JSON object. */
void vqc_print_event_json(FILE *f, const struct vqc_event *ev, const char *hms_ms);
struct json;
/* The members every event's JSON object starts with (event, time, ..., sock). */
void vqc_json_event_head(struct json *j, const struct vqc_event *ev, const char *hms_ms);
/* The members of the virtqueue and its state (vq, indices, features; notify: the guest's flags). */
void vqc_json_vq_members(struct json *j, const struct vqc_event *ev);
/* key: "0x<hex>" of v. */
void vqc_json_ptr(struct json *j, const char *key, __u64 v);
/* The two warning lines of an optional stage that could not be had. */
void vqc_print_missing(FILE *f, bool signal_missing, bool notify_missing);

struct hook_set;
struct hook_table;
/* Hooks shared by both tools, indices into their tables (in this order, first). */
enum vqc_hook {
	VQC_HOOK_TUN_XMIT,
	VQC_HOOK_SIGNAL,
	VQC_HOOK_NOTIFY,
	VQC_HOOK_NOTIFY_RET,
	VQC_SHARED_HOOKS,
};
struct hook_def;
/* The four shared hooks' definitions, for a tool's table. */
#define VQC_SHARED_HOOK_DEFS                                                                                 \
	[VQC_HOOK_TUN_XMIT] = { "TAP transmit (queue to socket)",                                            \
				{ HOOK_FUNC_ENTRY("vqc_tun_xmit", "tun_net_xmit") },                         \
				"tun" },                                                                     \
	[VQC_HOOK_SIGNAL] = { "vhost signal (add used and signal)",                                          \
			      { HOOK_FUNC_ENTRY("vqc_signal", "vhost_add_used_and_signal_n") },              \
			      "vhost",                                                                       \
			      .optional = true },                                                            \
	[VQC_HOOK_NOTIFY] = { "vhost_notify entry",                                                          \
			      { { HOOK_KPROBE, "vqc_notify_arg1", "vhost_notify",                            \
				  .clones = KSYM_CLONE_CONSTPROP },                                          \
				{ HOOK_KPROBE, "vqc_notify_arg2", "vhost_notify" } },                        \
			      "vhost",                                                                       \
			      .optional = true },                                                            \
	[VQC_HOOK_NOTIFY_RET] = { "vhost_notify return",                                                     \
				  { { HOOK_KRETPROBE, "vqc_notify_ret", "vhost_notify",                      \
				      .clones = KSYM_CLONE_CONSTPROP, .usable = vqc_notify_clone },          \
				    { HOOK_KRETPROBE, "vqc_notify_ret", "vhost_notify",                      \
				      .usable = vqc_notify_plain } },                                        \
				  "vhost",                                                                   \
				  .optional = true }

/*
 * vhost_notify.constprop.N lost its unused dev argument (vq is the first): prefer it, and let
 * the return hook follow the entry's choice.
 */
bool vqc_notify_plain(const struct hook_set *plan);
bool vqc_notify_clone(const struct hook_set *plan);

/*
 * Before load: dies unless tun, vhost and vhost_net are loaded, kprobes work, the tun and vhost
 * types have BTF, and a --device names an existing interface. Fills cfg from the filters.
 */
void vqc_prepare(struct vqc_config *cfg, const char *dev, int queue);
struct bpf_object_skeleton;
/*
 * Plans the table's hooks on an opened skeleton (with --verbose, then the lines naming the
 * vhost layout and the chosen vhost functions), loads it and writes cfg.
 */
void vqc_load(struct bpf_object_skeleton *skel, struct hook_set *hooks, const struct hook_table *table,
	      const struct vqc_config *cfg, bool verbose);
/*
 * Attaches, warns of the optional hooks that are missing (the original's two pairs) and, with
 * --verbose, lists the probes.
 */
void vqc_attach(struct hook_set *hooks, bool verbose);
struct bpf_map;
/* Warns on stderr if xmits of TAP queues were left unfollowed because target_queues was full. */
void vqc_warn_table_full(struct bpf_map *target_queues_full);
#endif
