/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * system_network_icmp_rtt's goldens: round trips recorded in the kernel lab (6.12), and their
 * replay through the session bookkeeping the kernel side does (track() in the BPF program).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "system_network_icmp_rtt.h"

/* One stage of a round trip as the tool reported it in the lab (6.12), top 3 stack frames. */
struct recorded_stage {
	int stage;
	__u64 ktime_ns;
	__u64 skb;
	const char *frames[3];
};

/* ping -e 4242 from 10.71.0.254 (internal port int0) to 10.71.0.1 behind phys0, seq 2. */
extern const struct recorded_stage tx_fast_path[10];
/* ping -e 4343 from 10.71.0.1 to this host's 10.71.0.254, every packet through userspace, seq 2. */
extern const struct recorded_stage rx_upcall[14];

/* Who sent each path's first packet (request, reply). */
struct path_who {
	__u32 pid;
	const char *comm, *ifname;
};

/* The kernel side's session table and what it reported, counted or dropped. */
struct replay {
	int direction;
	__u64 threshold_ns;
	__u32 sip, dip;
	struct path_who who[2];
	struct rtt_session table[8];
	bool used[8];
	struct rtt_session reported[8];
	int nreported, below, incomplete;
};

/* Empties r for round trips in direction from src to dst. */
void replay_init(struct replay *r, int direction, const char *src, const char *dst);
/* Sets who sent the first packet of each path. */
void replay_who(struct replay *r, __u32 pid1, const char *comm1, const char *if1, __u32 pid2,
		const char *comm2, const char *if2);
/* The live session of ping id/seq, or NULL. */
struct rtt_session *lookup(struct replay *r, __u16 id, __u16 seq);
/* A parsed hit of a hook: what track() in system_network_icmp_rtt.bpf.c does with it. */
void hit(struct replay *r, enum rtt_hook hook, int reply, __u16 id, __u16 seq, __u64 ts, __u64 skb);
/* The hook and packet (request or reply) of a recorded stage. */
enum rtt_hook hook_of(int stage, int direction);
/* Hits every recorded stage as ping id/seq, shift nanoseconds later. */
void replay_recorded(struct replay *r, const struct recorded_stage *rec, size_t n, __u16 id, __u16 seq,
		     __u64 shift);
/* The report of a replayed session with the recorded stacks. */
struct rtt_report report_of(const struct rtt_session *s, const struct recorded_stage *rec, size_t n,
			    int direction, const char *src, const char *dst, bool stacks);
/* Asserts that session s holds exactly the recorded stages' times and skbs. */
void expect_recorded(const struct rtt_session *s, const struct recorded_stage *rec, size_t n);
