/* SPDX-License-Identifier: GPL-2.0-only */
/* tun-abnormal-gso-type: shared by the BPF program and user space. */
#pragma once
#include "bpf/skb_gso.h"

/* The original's active probes, in its order (the event's probe number). */
enum tagt_probe {
	TAGT_TUN_NET_XMIT, /* --device only, with the tap queue's TX ring and both stacks */
	TAGT_SCH_DIRECT_XMIT, /* any device: the banner line only */
	TAGT_NETDEV_FRAME_HOOK, /* openvswitch's rx handler, any device */
	TAGT_SKB_SEGMENT, /* every segmentation (kretprobe), anomalous or not */
	TAGT_QUEUE_GSO_PACKETS, /* openvswitch upcalls, any device */
	TAGT_QUEUE_USERSPACE_PACKET,
	TAGT_VALIDATE_XMIT_SKB_LIST, /* --device and --extra-device */
	TAGT_VALIDATE_XMIT_SKB,
	TAGT_PROBES,
};

#ifndef __bpf__
#include <stdio.h>

struct gso_frames;
struct stack_frames;

/* The probed function's name in the output. */
const char *tagt_probe_name(unsigned probe);
/* One event in the original's layout; ustack is the sender's user stack (tun_net_xmit only). */
void tagt_print_event(FILE *f, const struct gso_event *ev, const struct gso_frames *frames,
		      const struct stack_frames *ustack);

/*
 * The devices each probe watches: tun_net_xmit *device's (cfg->devices), validate_xmit_skb[_list]
 * those and *extra_device's (cfg->devices2); the option values' addresses name the option in a
 * usage error.
 */
void tagt_build_config(struct gso_config *cfg, const char *const *device, const char *const *extra_device);

struct hook_table;
extern const struct hook_table tagt_hook_table;
#endif
