// SPDX-License-Identifier: GPL-2.0-only
/*
 * system_network_icmp_rtt: timestamps of one ICMP echo request and its reply at every stage
 * between the host's IP stack, the OVS internal port, the OVS datapath and the physical NIC,
 * sent to user space once the reply has reached its last stage.
 */
#include "bpfnet.bpf.h"
#include "events.bpf.h"
#include "kmod/openvswitch.h"
#include "skb_pkt.bpf.h"
#include "system_network_icmp_rtt.h"

BPFNET_CONFIG(struct rtt_config)
BPFNET_SCRATCH(fresh, struct rtt_session)
BPFNET_SCRATCH(snap, struct pkt_snap)

BPFNET_MAP(sessions, BPF_MAP_TYPE_LRU_HASH, struct rtt_key, struct rtt_session, 10240);

BPFNET_STACK_MAP(stacks, 16384);

BPFNET_MAP(rtt_counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, RTT_COUNTERS);

#define ICMP_ECHOREPLY_ 0
#define ICMP_ECHO_ 8

/* Reads an ICMP echo request or reply between the two hosts; non-zero if the packet is something else. */
static __always_inline int echo_parse(const struct rtt_config *cfg, struct sk_buff *skb, const int at,
				      struct pkt_key *k)
{
	struct pkt_snap *snap = snap_get();

	if (!snap || skb_pkt_key(skb, at, NULL, snap, k) || k->family != 4 || !(k->flags & PKT_K_ICMP) ||
	    !pkt_filter_match(&cfg->filter, k))
		return -1;
	return k->icmp_type == ICMP_ECHO_ || k->icmp_type == ICMP_ECHOREPLY_ ? 0 : -1;
}

/* The device of the packet; at ip_output, which has not set it yet, its route's device. */
static __always_inline void path_ifname(struct sk_buff *skb, char *name)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	if (!dev) {
		struct dst_entry *dst = (void *)(BPF_CORE_READ(skb, _skb_refdst) & ~1UL);

		if (dst)
			dev = BPF_CORE_READ(dst, dev);
	}
	if (!dev || bpf_core_read_str(name, 16, &dev->name) <= 0)
		__builtin_memcpy(name, "unknown", 8);
}

static __always_inline void path_start(struct rtt_session *s, int reply, struct sk_buff *skb, __u8 type)
{
	struct rtt_path_start *p = &s->path[reply ? 1 : 0];

	p->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(p->comm, sizeof(p->comm));
	path_ifname(skb, p->ifname);
	p->icmp_type = type;
}

static __always_inline struct rtt_session *session_start(const struct rtt_key *key)
{
	struct rtt_session *fresh = fresh_zeroed();

	if (!fresh)
		return NULL;
	fresh->key = *key;
	if (bpf_map_update_elem(&sessions, key, fresh, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(&sessions, key);
}

static __always_inline int track(void *ctx, const struct rtt_config *cfg, struct sk_buff *skb,
				 enum rtt_hook hook, const int at)
{
	__u32 sip = cfg->filter.saddr[0], dip = cfg->filter.daddr[0];
	struct rtt_session *s;
	struct rtt_key key = {};
	struct pkt_key e;
	int reply, stage;

	if (!skb)
		return 0;
	if ((hook == RTT_HOOK_NIC_RX || hook == RTT_HOOK_NIC_TX) &&
	    !iface_set_has(&cfg->phy, BPF_CORE_READ(skb, dev)))
		return 0;
	if (echo_parse(cfg, skb, at, &e))
		return 0;
	if (e.icmp_type == ICMP_ECHO_ && e.saddr[0] == sip && e.daddr[0] == dip)
		reply = 0;
	else if (e.icmp_type == ICMP_ECHOREPLY_ && e.saddr[0] == dip && e.daddr[0] == sip)
		reply = 1;
	else
		return 0;
	stage = rtt_stage(hook, reply, cfg->direction);
	if (stage < 0)
		return 0;

	key.sip = sip;
	key.dip = dip;
	key.proto = IPPROTO_ICMP;
	key.id = bpf_htons(e.icmp_id);
	key.seq = bpf_htons(e.icmp_seq);
	s = bpf_map_lookup_elem(&sessions, &key);
	switch (rtt_hit_action(s, stage, (__u64)skb)) {
	case RTT_START:
		s = session_start(&key);
		break;
	case RTT_RECORD:
		break;
	default:
		return 0;
	}
	if (!s)
		return 0;
	rtt_record(s, stage, bpf_ktime_get_ns(), (__u64)skb,
		   cfg->stacks ? bpf_get_stackid(ctx, &stacks, 0) : RTT_NO_STACK);
	if (stage == 0 || stage == RTT_PATH_STAGES)
		path_start(s, reply, skb, e.icmp_type);
	switch (rtt_outcome(s, stage, cfg->threshold_ns)) {
	case RTT_PENDING:
		return 0;
	case RTT_REPORT:
		emit_event(ctx, s, sizeof(*s));
		break;
	case RTT_BELOW_THRESHOLD:
		counter_add(&rtt_counters, RTT_CNT_BELOW_THRESHOLD, 1);
		break;
	default:
		counter_add(&rtt_counters, RTT_CNT_INCOMPLETE, 1);
		break;
	}
	bpf_map_delete_elem(&sessions, &key);
	return 0;
}

/* The sk_buff argument of a kprobe, at the position user space found in the kernel's BTF. */
static __always_inline struct sk_buff *skb_arg(struct pt_regs *ctx, __u8 pos)
{
	unsigned long a1 = PT_REGS_PARM1(ctx), a2 = PT_REGS_PARM2(ctx), a3 = PT_REGS_PARM3(ctx);
	unsigned long a4 = PT_REGS_PARM4(ctx), a5 = PT_REGS_PARM5(ctx);

	/* Loaded up front: a context field chosen at run time would be a variable ctx offset. */
	barrier_var(a1);
	barrier_var(a2);
	barrier_var(a3);
	barrier_var(a4);
	barrier_var(a5);
	switch (pos) {
	case 1:
		return (struct sk_buff *)a1;
	case 2:
		return (struct sk_buff *)a2;
	case 3:
		return (struct sk_buff *)a3;
	case 4:
		return (struct sk_buff *)a4;
	default:
		return (struct sk_buff *)a5;
	}
}

static __always_inline int on_kprobe(struct pt_regs *ctx, enum rtt_hook hook, const int at)
{
	const struct rtt_config *cfg = get_config();

	if (!cfg)
		return 0;
	return track(ctx, cfg, skb_arg(ctx, cfg->skb_arg[hook]), hook, at);
}

/* A tracepoint or fentry program: the sk_buff comes typed. */
static __always_inline int on_tracepoint(void *ctx, void *skbaddr, enum rtt_hook hook, const int at)
{
	const struct rtt_config *cfg = get_config();

	if (!cfg)
		return 0;
	return track(ctx, cfg, skbaddr, hook, at);
}

/* A kprobe program prog tracking hook's sk_buff argument, read at. */
#define RTT_KPROBE(prog, hook, at)                                                                           \
	SEC("kprobe")                                                                                        \
	int prog(struct pt_regs *ctx)                                                                        \
	{                                                                                                    \
		return on_kprobe(ctx, hook, at);                                                             \
	}

/*
 * The same hook served by an fentry program prog_fentry on func, where the kernel has BPF
 * trampolines and func's BTF: that BTF is the one args declare (the sk_buff named skb).
 */
#define RTT_FUNC_ENTRY(prog, func, hook, at, args...)                                                        \
	RTT_KPROBE(prog, hook, at)                                                                           \
	SEC("fentry/" #func)                                                                                 \
	int BPF_PROG(prog##_fentry, args)                                                                    \
	{                                                                                                    \
		return on_tracepoint(ctx, skb, hook, at);                                                    \
	}

/* A tracepoint program prog on tp (its record type: record) tracking hook's skbaddr, read at. */
#define RTT_TRACEPOINT(prog, tp, record, hook, at)                                                           \
	SEC(tp)                                                                                              \
	int prog(struct record *ctx)                                                                         \
	{                                                                                                    \
		return on_tracepoint(ctx, ctx->skbaddr, hook, at);                                           \
	}

/*
 * The same hook served first by the raw tracepoint prog_raw on tp, whose one argument (on every
 * kernel) is the sk_buff: no trace event record to fill.
 */
#define RTT_RAW_TRACEPOINT(prog, tp, record, hook, at)                                                       \
	RTT_TRACEPOINT(prog, "tp/net/" #tp, record, hook, at)                                                \
	SEC("raw_tp/" #tp)                                                                                   \
	int BPF_PROG(prog##_raw, struct sk_buff *skb)                                                        \
	{                                                                                                    \
		return on_tracepoint(ctx, skb, hook, at);                                                    \
	}

RTT_FUNC_ENTRY(kp_ip_output, ip_output, RTT_HOOK_IP_OUTPUT, PKT_AT_NET, struct net *net, struct sock *sk,
	       struct sk_buff *skb)

RTT_FUNC_ENTRY(kp_internal_dev_xmit, internal_dev_xmit, RTT_HOOK_INTERNAL_XMIT, PKT_AT_NET,
	       struct sk_buff *skb)

RTT_RAW_TRACEPOINT(tp_netif_receive_skb, netif_receive_skb, trace_event_raw_net_dev_template, RTT_HOOK_NIC_RX,
		   RTT_AT_NIC_RX)

/* rx_handler_result_t netdev_frame_hook(struct sk_buff **pskb) */
SEC("kprobe")
int kp_netdev_frame_hook(struct pt_regs *ctx)
{
	const struct rtt_config *cfg = get_config();
	struct sk_buff *skb = NULL;

	if (!cfg || bpf_probe_read_kernel(&skb, sizeof(skb), (void *)PT_REGS_PARM1(ctx)))
		return 0;
	return track(ctx, cfg, skb, RTT_HOOK_FRAME_HOOK, PKT_AT_NET);
}

RTT_FUNC_ENTRY(kp_ovs_dp_process_packet, ovs_dp_process_packet, RTT_HOOK_OVS_PROCESS, PKT_AT_NET,
	       struct sk_buff *skb)

SEC("tp/openvswitch/ovs_dp_upcall")
int tp_ovs_dp_upcall(struct trace_event_raw_ovs_dp_upcall *ctx)
{
	/* User space picks this hook only where the module's BTF describes the record. */
	if (!bpf_core_field_exists(ctx->skbaddr))
		return 0;
	return on_tracepoint(ctx, ctx->skbaddr, RTT_HOOK_OVS_UPCALL, PKT_AT_NET);
}

RTT_FUNC_ENTRY(kp_ovs_dp_upcall, ovs_dp_upcall, RTT_HOOK_OVS_UPCALL, PKT_AT_NET, void *dp,
	       struct sk_buff *skb)

RTT_FUNC_ENTRY(kp_ovs_flow_key_extract_userspace, ovs_flow_key_extract_userspace, RTT_HOOK_OVS_KEYEXT,
	       PKT_AT_ETH, struct net *net, const void *attr, struct sk_buff *skb)

RTT_FUNC_ENTRY(kp_ovs_vport_send, ovs_vport_send, RTT_HOOK_OVS_SEND, PKT_AT_NET, void *vport,
	       struct sk_buff *skb)

RTT_RAW_TRACEPOINT(tp_net_dev_queue, net_dev_queue, trace_event_raw_net_dev_template, RTT_HOOK_NIC_TX,
		   PKT_AT_NET)

/* __dev_queue_xmit, or dev_queue_xmit before 5.19. */
RTT_FUNC_ENTRY(kp_dev_queue_xmit, __dev_queue_xmit, RTT_HOOK_NIC_TX, PKT_AT_NET, struct sk_buff *skb)

RTT_FUNC_ENTRY(kp_icmp_rcv, icmp_rcv, RTT_HOOK_ICMP_RCV, PKT_AT_NET, struct sk_buff *skb)

BPFNET_LICENSE;
