// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace_tc_qdisc: skbs with a GSO size but no GSO type in TC classification and actions, the
 * HTB and fq_codel enqueues and direct transmit on the named devices (DHCP left out), and a
 * second check at fq_codel_enqueue for --fq-codel-device with the qdisc's enqueue callback.
 */
#include "skb_gso.bpf.h"
#include "trace_tc_qdisc.h"

BPFNET_FUNC_ENTRY(tcq_sch_direct_xmit, sch_direct_xmit, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_SCH_DIRECT_XMIT, true);
}

BPFNET_FUNC_ENTRY(tcq_htb_enqueue, htb_enqueue, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_HTB_ENQUEUE, true);
}

BPFNET_FUNC_ENTRY(tcq_fq_codel_enqueue, fq_codel_enqueue, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_FQ_CODEL_ENQUEUE, true);
}

/* 5.13 put the block between skb and tp: the skb stays the first argument. */
BPFNET_FUNC_ENTRY(tcq_tcf_classify, tcf_classify, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_TCF_CLASSIFY, true);
}

BPFNET_FUNC_ENTRY(tcq_tcf_action_exec, tcf_action_exec, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_TCF_ACTION_EXEC, true);
}

BPFNET_FUNC_ENTRY(tcq_cls_cgroup_classify, cls_cgroup_classify, struct sk_buff *skb)
{
	return gso_on_skb(ctx, skb, TCQ_CLS_CGROUP_CLASSIFY, true);
}

BPFNET_FUNC_ENTRY(tcq_fq_codel_qdisc, fq_codel_enqueue, struct sk_buff *skb, struct Qdisc *sch)
{
	const struct gso_config *cfg = get_config();
	struct gso_event *ev;
	__u64 enqueue;

	if (!cfg || !sch)
		return 0;
	enqueue = (__u64)BPF_CORE_READ(sch, enqueue);
	if (!enqueue)
		return 0;
	ev = gso_check(skb, &cfg->devices2, cfg, true);
	if (!ev)
		return 0;
	ev->enqueue_fn = enqueue;
	gso_submit(ctx, ev, TCQ_FQ_CODEL_QDISC);
	return 0;
}

BPFNET_LICENSE;
