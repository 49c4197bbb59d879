/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side of the GSO anomaly detectors (skb_gso.h): the configuration, the check every
 * probe makes (device name, GSO size without a type, DHCP excluded where the original did),
 * the skb snapshot and the event with its kernel stack.
 */
#pragma once
#include "bpfnet.bpf.h"
#include "skb_gso.h"
#include "skb_snapshot.bpf.h"

BPFNET_CONFIG(struct gso_config)
BPFNET_SCRATCH(gso_event, struct gso_event)

/* Anomalies reported, per probe number. */
BPFNET_MAP(gso_anomalies, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, GSO_MAX_PROBES);

#define GSO_UDP_PROTO 17
#define GSO_DHCP_SERVER_PORT 67
#define GSO_DHCP_CLIENT_PORT 68

/* A GSO size without a GSO type (bits of gso_type_ignore count as absent). */
static __always_inline bool skb_gso_anomalous(const struct gso_config *cfg, struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_snap_shinfo(skb);
	__u32 type = BPF_CORE_READ(sh, gso_type);

	return BPF_CORE_READ(sh, gso_size) && !(type & ~cfg->gso_type_ignore);
}

static __always_inline bool skb_gso_is_dhcp(const struct skb_snapshot *s)
{
	return s->ip_version == 4 && s->ip_protocol == GSO_UDP_PROTO &&
	       (s->sport == GSO_DHCP_SERVER_PORT || s->sport == GSO_DHCP_CLIENT_PORT);
}

/*
 * The check of every probe: skb's device is one of devices (any when the set is empty) and
 * skb has a GSO size without a type; with skip_dhcp, DHCP (IPv4 UDP from port 67 or 68) is
 * left out. Returns the event, filled but for the probe's own fields, or NULL.
 */
static __always_inline struct gso_event *gso_check(struct sk_buff *skb, const struct dev_name_set *devices,
						   const struct gso_config *cfg, bool skip_dhcp)
{
	struct gso_event *ev;
	char name[DEV_NAME_LEN];

	if (!skb || !dev_name_set_has(devices, BPF_CORE_READ(skb, dev), name) || !skb_gso_anomalous(cfg, skb))
		return NULL;
	ev = gso_event_get();
	if (!ev)
		return NULL;
	__builtin_memset(ev, 0, __builtin_offsetof(struct gso_event, stack));
	skb_snapshot_read(skb, &ev->skb);
	if (skip_dhcp && skb_gso_is_dhcp(&ev->skb))
		return NULL;
	return ev;
}

/* The socket's addresses and destination port, as the originals printed them. */
static __always_inline void gso_event_sock(struct gso_event *ev, struct sock *sk)
{
	if (!sk)
		return;
	ev->sk_saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	ev->sk_daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	ev->sk_dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
}

/* Counts the anomaly for probe and sends the event with the kernel stack of ctx. */
static __always_inline void gso_submit(void *ctx, struct gso_event *ev, __u32 probe)
{
	ev->probe = probe;
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->stack_bytes = bpf_get_stack(ctx, ev->stack, sizeof(ev->stack), 0);
	counter_add(&gso_anomalies, probe, 1);
	emit_event(ctx, ev, sizeof(*ev));
}

/* A probe on the tool's device list: the check, then the event. */
static __always_inline int gso_on_skb(void *ctx, struct sk_buff *skb, __u32 probe, bool skip_dhcp)
{
	const struct gso_config *cfg = get_config();
	struct gso_event *ev;

	if (!cfg)
		return 0;
	ev = gso_check(skb, &cfg->devices, cfg, skip_dhcp);
	if (ev)
		gso_submit(ctx, ev, probe);
	return 0;
}
