/* SPDX-License-Identifier: GPL-2.0-only */
/* tun_tx_to_kvm_irq: shared by the BPF program and user space. */
#pragma once
#include "bpf/both_sides.h"
#include "bpf/dev_name_set.h"
#include "bpf/pkt_key.h"

#define TTK_COMM_LEN 16
#define TTK_DEV_LEN 16
#define TTK_MAX_QUEUES 1024 /* tap queues with a packet waiting for its vhost signal */
#define TTK_MAX_CHAINS 1024 /* chains between their vhost signal and their injection */
#define TTK_NO_QUEUE 0xffffffffu

/* The stages of one chain, numbered as the original prints them. */
enum ttk_stage {
	TTK_XMIT = 1, /* tun_net_xmit: a packet into a tap queue */
	TTK_VHOST_SIGNAL, /* vhost_add_used_and_signal_n on the guest-RX virtqueue of that queue */
	TTK_EVENTFD, /* eventfd_signal (eventfd_signal_mask, 6.8+) on the virtqueue's call eventfd */
	TTK_IRQFD, /* irqfd_wakeup: KVM's irqfd on that eventfd injects its MSI */
	TTK_POSTED, /* the interrupt delivered to a vCPU (posted interrupt or IRR) */
	TTK_STAGES = TTK_POSTED,
};

struct ttk_config {
	struct dev_name_set device; /* empty: every tap */
	struct pkt_filter filter; /* addresses, protocol, ports (IPv4 only) */
	__u32 queue; /* with filter_queue */
	__u8 filter_queue;
	__u8 filter_icmp; /* icmp_id/icmp_seq below are set (0 = unset, as the original) */
	__u16 icmp_id; /* host order */
	__u16 icmp_seq;
	__u8 eventfd_probe; /* stage 3 is traced: stage 4 follows it, else stage 2 */
	__u8 pad;
};

/* A tap queue's packets since its last vhost signal (by the tun_file's socket). */
struct ttk_pending {
	__u64 last_ns; /* the last packet's tun_net_xmit */
	__u32 packets; /* how many packets (all passed the filters) */
	__u32 queue;
	char dev[TTK_DEV_LEN];
};

/* One chain, from its vhost signal on (by the call eventfd). */
struct ttk_chain {
	__u64 id; /* the vhost signal's time: unique per chain, the same in all its events */
	__u64 start_ns; /* the last packet's tun_net_xmit: end-to-end delays start here */
	__u64 last_ns; /* the chain's latest stage: each delay is since the stage before */
	__u64 sock;
	__u64 kvm; /* from the irqfd (stage 4) */
	__u32 packets;
	__u32 queue;
	__u32 qemu_pid; /* the vhost device's owner (its mm's owner): the VM's QEMU */
	__u32 stage; /* the last stage seen */
	char dev[TTK_DEV_LEN];
};

/* Stage 5's key: the VM and the vector (the original keyed by the vector alone). */
struct ttk_vector_key {
	__u64 kvm;
	__u32 vector;
	__u32 pad;
};

struct ttk_event {
	__u64 ts_ns; /* bpf_ktime_get_ns */
	__u64 chain; /* ttk_chain.id; 0 at stage 1 */
	__u64 delay_ns; /* since the chain's previous stage (stage 1: 0) */
	__u64 total_ns; /* since the chain's (last) packet at tun_net_xmit (stage 1: 0) */
	__u64 sock;
	__u64 eventfd;
	__u64 vq; /* stage 5: the vCPU */
	__u64 kvm;
	__u32 stage; /* enum ttk_stage */
	__u32 cpu;
	__u32 pid; /* TGID */
	__u32 tid;
	__u32 queue; /* TTK_NO_QUEUE: unknown */
	__u32 packets; /* stages 2-5: the packets the chain covers */
	__u32 qemu_pid; /* stages 2-5; 0: unknown */
	__s32 gsi; /* stage 4: irqfd->gsi; -1: none */
	__s32 vector; /* stages 4 and 5: the MSI vector; -1: none */
	__u32 msi_data; /* stage 4: the MSI data word the original printed as "GSI" */
	__u32 saddr, daddr; /* stage 1, network order */
	__u16 sport, dport; /* host order */
	__u16 icmp_id, icmp_seq; /* host order */
	__u8 protocol;
	__u8 icmp_type, icmp_code;
	__u8 pad;
	char comm[TTK_COMM_LEN];
	char dev[TTK_DEV_LEN];
};

#ifndef __bpf__
#include <stdio.h>

/* Per queue ("<dev>:q<queue>" or "unknown"), the events of each stage: the chain analysis. */
#define TTK_QUEUE_KEY_LEN 32
struct ttk_queue_stats {
	char key[TTK_QUEUE_KEY_LEN];
	unsigned long long stage[TTK_STAGES + 1];
};

#define TTK_MAX_STAT_QUEUES 256

/* What the statistics summary counts; cumulative since the start, as the original. */
struct ttk_stats {
	unsigned long long stage[TTK_STAGES + 1];
	struct ttk_queue_stats queues[TTK_MAX_STAT_QUEUES]; /* first seen first */
	int n_queues;
	unsigned long long queues_dropped; /* events of queues beyond the table */
	unsigned long long protocols[256]; /* stage-1 events with protocol > 0 */
	unsigned long long *delays; /* every delay > 0, ns */
	size_t n_delays, cap_delays;
};

/* "vnet0:q0", or "unknown" without a device name or with a queue of 256 or more. */
const char *ttk_queue_key(const struct ttk_event *ev, char *buf, size_t len);
/* The name the original gives a stage: tun_net_xmit, vhost_signal, ... */
const char *ttk_stage_name(unsigned stage);
void ttk_stats_add(struct ttk_stats *s, const struct ttk_event *ev);
void ttk_stats_free(struct ttk_stats *s);
struct ttk_latency {
	size_t n;
	double avg_us, p50_us, p90_us, p99_us;
};
/*
 * Over every delay > 0, all stages mixed (the original's): the average and the percentiles
 * sorted[n/2], sorted[int(n*0.9)], sorted[int(n*0.99)]; false without delays.
 */
bool ttk_latency(const struct ttk_stats *s, struct ttk_latency *l);
/* The classification line of a queue's chain analysis ("  COMPLETE CHAIN: ..."). */
const char *ttk_chain_class(const unsigned long long stage[TTK_STAGES + 1]);

/* One event's line; when is the local "YYYY-MM-DD HH:MM:SS.mmm" of its time. */
void ttk_print_event(FILE *f, const struct ttk_event *ev, const char *when);
/* One event as a JSON object (one line); also the objects of the --output file. */
void ttk_print_event_json(FILE *f, const struct ttk_event *ev, const char *when, bool in_array);
/* The statistics summary (--analyze-chains, and at exit). */
void ttk_print_stats(FILE *f, const struct ttk_stats *s);
void ttk_print_stats_json(FILE *f, const struct ttk_stats *s, bool final);

struct ttk_banner {
	const char *release; /* "5.10" */
	const char *distro;
	bool irqbypass;
	bool vring_call; /* struct vhost_vring_call exists */
	const char *device; /* NULL: all */
	int queue; /* -1: all */
	const char *protocol; /* NULL: all */
	__u32 saddr, daddr;
	__u16 sport, dport, icmp_id, icmp_seq;
	bool analyze;
	int interval;
	const char *attached[TTK_STAGES + 1]; /* "Successfully attached to ..." lines, NULL: none */
	const char *stage5; /* the stage-5 probe's function */
};
/* The start-up lines up to "Maps cleared. Ready for tracing." */
void ttk_print_banner(FILE *f, const struct ttk_banner *b);
void ttk_print_traffic_help(FILE *f);

/* The --output file: a JSON array of the events, written as they come. */
struct ttk_output {
	FILE *f;
	unsigned long long n;
};
void ttk_output_event(struct ttk_output *o, const struct ttk_event *ev, const char *when);
void ttk_output_close(struct ttk_output *o);

struct hook_table;
extern const struct hook_table ttk_hook_table;
#endif
