// SPDX-License-Identifier: GPL-2.0-only
/*
 * ovs_upcall_latency_summary: the time from ovs_dp_upcall() (a packet sent to ovs-vswitchd)
 * until ovs-vswitchd sends the same packet back (ovs_flow_key_extract_userspace() of its
 * OVS_PACKET_CMD_EXECUTE), matched by the packet's content; a log2 histogram, counters by
 * upcall command, and each latency recorded for exact percentiles.
 */
#include "bpfnet.bpf.h"
#include "hist.bpf.h"
#include "ovs_upcall.bpf.h"
#include "skb_pkt.bpf.h"
#include "ovs_upcall_latency_summary.h"

BPFNET_CONFIG(struct upcall_config)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_MAP(sessions, BPF_MAP_TYPE_LRU_HASH, struct upcall_key, struct upcall_session, UPCALL_MAX_SESSIONS);
HIST_MAP(latency_hist, UPCALL_HIST_SLOTS);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, UPCALL_COUNTERS);

#ifdef BPFNET_LEGACY
/* No queue maps before 4.20: nothing recorded, user space prints no percentiles. */
BPFNET_MAP(latencies, BPF_MAP_TYPE_ARRAY, __u32, __u64, 1);
#else
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, UPCALL_MAX_RECORDED);
	__type(value, __u64);
} latencies SEC(".maps");
#endif

static __always_inline void record_latency(__u64 ns)
{
#ifdef BPFNET_LEGACY
	counter_add(&counters, UPCALL_CNT_NOT_RECORDED, 1);
#else
	if (bpf_map_push_elem(&latencies, &ns, 0))
		counter_add(&counters, UPCALL_CNT_NOT_RECORDED, 1);
#endif
}

/* The key of an IPv4 TCP, UDP or ICMP packet the filter keeps; non-zero for any other. */
static __always_inline int packet_key(struct sk_buff *skb, const int at, struct upcall_key *key)
{
	const struct upcall_config *cfg = get_config();
	struct pkt_snap *snap = snap_get();
	struct pkt_key k;

	__builtin_memset(key, 0, sizeof(*key));
	if (!cfg || !snap || skb_pkt_key(skb, at, NULL, snap, &k) || k.family != 4 ||
	    !pkt_filter_match(&cfg->filter, &k))
		return -1;
	key->saddr = k.saddr[0];
	key->daddr = k.daddr[0];
	key->proto = k.l4proto;
	if (k.l4proto == IPPROTO_TCP && (k.flags & PKT_K_PORTS)) {
		key->a = k.sport;
		key->b = k.dport;
		key->c = k.tcp_seq;
	} else if (k.l4proto == IPPROTO_UDP && (k.flags & PKT_K_PORTS)) {
		key->a = k.sport;
		key->b = k.dport;
		key->c = (__u32)k.ip_id << 16 | k.udp_len;
	} else if (k.l4proto == IPPROTO_ICMP && (k.flags & PKT_K_ICMP)) {
		key->a = k.icmp_id;
		key->b = k.icmp_seq;
		key->c = (__u32)k.icmp_type << 8 | k.icmp_code;
	} else {
		return -1;
	}
	return 0;
}

static __always_inline int upcall_start(const struct ovs_upcall *u)
{
	struct upcall_session s = { .start_ns = bpf_ktime_get_ns(), .cmd = u->cmd };
	struct upcall_key key;

	/* Its network header was set by the datapath's key extraction. */
	if (packet_key(u->skb, PKT_AT_NET, &key))
		return 0;
	bpf_map_update_elem(&sessions, &key, &s, BPF_ANY);
	counter_add(&counters, UPCALL_CNT_TOTAL, 1);
	/* OVS_PACKET_CMD_MISS 1, OVS_PACKET_CMD_ACTION 2 */
	counter_add(&counters,
		    u->cmd == 1   ? UPCALL_CNT_MISS
		    : u->cmd == 2 ? UPCALL_CNT_ACTION
				  : UPCALL_CNT_CMD_OTHER,
		    1);
	return 0;
}

SEC("tp/openvswitch/ovs_dp_upcall")
int tp_ovs_dp_upcall(struct trace_event_raw_ovs_dp_upcall *ctx)
{
	struct ovs_upcall u;

	return ovs_upcall_from_tp(ctx, &u) ? 0 : upcall_start(&u);
}

SEC("kprobe")
int kp_ovs_dp_upcall(struct pt_regs *ctx)
{
	struct ovs_upcall u;

	return ovs_upcall_from_kprobe(ctx, &u) ? 0 : upcall_start(&u);
}

/*
 * int ovs_flow_key_extract_userspace(struct net *net, const struct nlattr *attr,
 *                                    struct sk_buff *skb, struct sw_flow_key *key, bool log)
 * skb: the packet of ovs-vswitchd's OVS_PACKET_CMD_EXECUTE, an Ethernet frame at skb->data.
 */
BPFNET_FUNC_ENTRY(kp_ovs_flow_key_extract_userspace, ovs_flow_key_extract_userspace, struct net *net,
		  const void *attr, struct sk_buff *skb)
{
	struct upcall_session *s;
	struct upcall_key key;
	__u64 now = bpf_ktime_get_ns(), ns, *count;
	__u32 slot;

	if (!skb || packet_key(skb, PKT_AT_ETH, &key))
		return 0;
	s = bpf_map_lookup_elem(&sessions, &key);
	if (!s)
		return 0;
	ns = now > s->start_ns ? now - s->start_ns : 0;
	bpf_map_delete_elem(&sessions, &key);
	slot = bt_hist_slot(ns / 1000);
	if (slot >= UPCALL_HIST_SLOTS)
		slot = UPCALL_HIST_SLOTS - 1;
	count = bpf_map_lookup_elem(&latency_hist, &slot);
	if (count)
		*count += 1;
	counter_add(&counters, UPCALL_CNT_COMPLETED, 1);
	counter_add(&counters, UPCALL_CNT_LATENCY_NS, ns);
	record_latency(ns);
	return 0;
}

BPFNET_LICENSE;
