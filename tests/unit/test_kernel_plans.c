// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every tool's hook table planned against the lab kernels 5.10, 6.1 and 6.12 (the fixture BTF
 * of tests/fixtures/btf), and the BTF questions the tools and their BPF objects ask there.
 * Each loop test runs once per kernel, in its own process (the BTF is cached per process).
 */
#include <bpf/btf.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "btf_fixture.h"
#include "drop_probe.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "netstage.h"
#include "unit_helpers.h"
#include "util.h"

#include "cpu_monitor.h"
#include "iface_netstat.h"
#include "vm_pair.h"
#include "qdisc_drop_trace.h"
#include "qdisc_lateny_details.h"
#include "offcputime-ts.h"
#include "ovs_upcall_latency_summary.h"
#include "sched_latency_monitor.h"
#include "system_network_icmp_rtt.h"
#include "trace-qdisc-dequeue.h"
#include "trace_conntrack.h"
#include "trace_dev_queue_xmit.h"
#include "trace_ip_defrag.h"
#include "vmnet_stages.h"

typedef fixture_outcomes outcomes;

/* A function entry of BPFNET_FUNC_ENTRY: its fentry program. */
#define FENTRY(func, prog) "fentry " func " [" prog "_fentry]"
/* ... of a module: a kprobe on 5.10, whose modules have no BTF of their own. */
#define MODULE_FENTRY(func, prog)                                                                            \
	{                                                                                                    \
		"kprobe " func " [" prog "]", FENTRY(func, prog), FENTRY(func, prog)                         \
	}
/* A function return of BPFNET_FUNC_RETURN: its fexit program. */
#define FEXIT(func, prog) "fexit " func " [" prog "_fexit]"
/* ... of a module: a kretprobe on 5.10. */
#define MODULE_FEXIT(func, prog)                                                                             \
	{                                                                                                    \
		"kretprobe " func " [" prog "]", FEXIT(func, prog), FEXIT(func, prog)                        \
	}

/* eth_drop, kernel_drop_stack_stats*: the raw tracepoint, on every lab kernel. */
START_TEST(test_drop_hook)
{
	static const struct hook_table drop_table = { &drop_hook, 1 };
	static const outcomes want[] = { SAME("raw_tracepoint skb:kfree_skb [drop_raw_tp]") };

	CHECK_PLAN("eth_drop", &drop_table, want);
}
END_TEST

/* The system_network latency tools' hooks (each tool uses a part of them). */
START_TEST(test_netstage_hooks)
{
	static const struct hook_table table = { netstage_hook_defs, NS_HOOKS_COMMON };
	static const outcomes want[] = {
		SAME(FENTRY("__ip_queue_xmit", "ns_ip_queue_xmit")),
		SAME(FENTRY("ip_send_skb", "ns_ip_send_skb")),
		SAME(FENTRY("ip_output", "ns_ip_output")),
		MODULE_FENTRY("internal_dev_xmit", "ns_internal_dev_xmit"),
		MODULE_FENTRY("ovs_vport_receive", "ns_ovs_vport_receive"),
		MODULE_FENTRY("ovs_dp_process_packet", "ns_ovs_dp_process_packet"),
		MODULE_FENTRY("ovs_dp_upcall", "ns_ovs_dp_upcall"),
		MODULE_FENTRY("ovs_flow_key_extract_userspace", "ns_ovs_flow_key_extract_userspace"),
		MODULE_FENTRY("ovs_ct_fill_key", "ns_ovs_ct_fill_key"),
		/* the skb is the 1st argument from 4.20 */
		MODULE_FENTRY("nf_conntrack_in", "ns_nf_conntrack_in"),
		MODULE_FEXIT("nf_conntrack_in", "ns_nf_conntrack_in_ret"),
		MODULE_FENTRY("ovs_vport_send", "ns_ovs_vport_send"),
		SAME("raw_tracepoint net:net_dev_queue [ns_net_dev_queue]"),
		SAME("raw_tracepoint qdisc:qdisc_dequeue [ns_qdisc_dequeue]"),
		SAME("raw_tracepoint net:net_dev_start_xmit [ns_net_dev_start_xmit]"),
		SAME("raw_tracepoint net:netif_receive_skb [ns_netif_receive_skb]"),
		SAME("kprobe netdev_frame_hook [ns_netdev_frame_hook]"),
		MODULE_FENTRY("internal_dev_recv", "ns_internal_dev_recv"),
		SAME(FENTRY("ip_rcv", "ns_ip_rcv")),
		SAME(FENTRY("tcp_v4_rcv", "ns_tcp_v4_rcv")),
		SAME(FENTRY("udp_rcv", "ns_udp_rcv")),
		SAME(FENTRY("icmp_rcv", "ns_icmp_rcv")),
	};

	CHECK_PLAN("system_network_latency_summary", &table, want);
}
END_TEST

/* The vm-network tools' own hooks (after the common ones): TX_QUEUE/VNET_TX, TX_S6_tun_net_xmit. */
START_TEST(test_vmnet_hooks)
{
	const struct hook_table table = { vmnet_model.hooks, (int)vmnet_model.nhooks };
	static const outcomes want[] = {
		SAME(FENTRY("dev_hard_start_xmit", "vm_dev_hard_start_xmit")),
		MODULE_FENTRY("tun_net_xmit", "vm_tun_net_xmit"),
	};

	CHECK_PLAN("vm_network_latency_summary", &table, want);
}
END_TEST

/* The BTF tracepoints on every lab kernel; the classic ones under BPFNET_FORCE_KPROBE=1. */
START_TEST(test_iface_netstat)
{
	static const outcomes want[] = {
		SAME("tp_btf net:net_dev_start_xmit [tx_btf]"),
		SAME("tp_btf net:netif_receive_skb [rx_btf]"),
	};

	CHECK_PLAN("iface_netstat", &netstat_hook_table, want);
	ck_assert_str_eq(fixture_forced_programs(K, &netstat_hook_table), "tx_tracepoint rx_tracepoint");
}
END_TEST

START_TEST(test_vm_pair)
{
	static const outcomes want[] = {
		SAME("raw_tracepoint net:netif_receive_skb [vm_pair_rx]"),
		SAME("raw_tracepoint net:net_dev_start_xmit [vm_pair_tx_start]"),
	};

	CHECK_PLAN("vm_pair_latency", &vm_pair_hook_table, want);
}
END_TEST

START_TEST(test_sched_latency_monitor)
{
	static const outcomes want[] = {
		SAME("raw_tracepoint sched:sched_switch [slm_switch_raw]"),
		SAME("raw_tracepoint sched:sched_wakeup [slm_wakeup_raw]"),
		SAME("raw_tracepoint sched:sched_wakeup_new [slm_wakeup_new_raw]"),
	};

	CHECK_PLAN("sched_latency_monitor", &slm_hook_table, want);
	ck_assert_str_eq(fixture_forced_programs(K, &slm_hook_table),
			 "slm_switch_tp slm_wakeup_tp slm_wakeup_new_tp");
}
END_TEST

START_TEST(test_cpu_monitor)
{
	static const outcomes want[] = {
		SAME("raw_tracepoint sched:sched_switch [cpum_switch_raw]"),
	};

	CHECK_PLAN("cpu_monitor", &cpum_hook_table, want);
	ck_assert_str_eq(fixture_forced_programs(K, &cpum_hook_table), "cpum_switch_tp");
}
END_TEST

/* offcputime-ts: the sched_switch BTF tracepoint everywhere (raw tracepoint, kprobe: the fallbacks). */
START_TEST(test_offcputime_ts)
{
	static const outcomes want[] = { SAME("tp_btf sched:sched_switch [offcpu_sched_switch_btf]") };

	CHECK_PLAN("offcputime-ts", &offcpu_hook_table, want);
}
END_TEST

/* The qdisc_enqueue tracepoint came in 5.15: 5.10 takes the kprobe pair. */
START_TEST(test_qdisc_lateny_details)
{
	static const outcomes want[] = {
		SAME("raw_tracepoint skb:kfree_skb [drop_raw_tp]"),
		{ FENTRY("sch_direct_xmit", "dequeue_sch_direct_xmit"),
		  "raw_tracepoint qdisc:qdisc_dequeue [dequeue_raw_tp]",
		  "raw_tracepoint qdisc:qdisc_dequeue [dequeue_raw_tp]" },
		{ FENTRY("__dev_queue_xmit", "enqueue_dev_queue_xmit"),
		  "raw_tracepoint qdisc:qdisc_enqueue [enqueue_raw_tp]",
		  "raw_tracepoint qdisc:qdisc_enqueue [enqueue_raw_tp]" },
	};

	CHECK_PLAN("qdisc_lateny_details", &qdisc_lat_hook_table, want);
}
END_TEST

/* The GSO detectors' tracepoints: raw tracepoints on every lab kernel (the classic ones are the fallback). */
START_TEST(test_gso_tracepoints)
{
	static const outcomes dequeue[] = {
		SAME("raw_tracepoint qdisc:qdisc_dequeue [qdq_tp_qdisc_dequeue_raw]"),
		SAME("raw_tracepoint net:net_dev_queue [qdq_tp_net_dev_queue_raw]"),
		SAME(FENTRY("sch_direct_xmit", "qdq_sch_direct_xmit")),
		MODULE_FENTRY("tun_net_xmit", "qdq_tun_net_xmit"),
		SAME(FENTRY("__ip_queue_xmit", "qdq_ip_queue_xmit")),
		SAME(FENTRY("__tcp_transmit_skb", "qdq_tcp_transmit_skb")),
		SAME(FENTRY("tcp_add_backlog", "qdq_tcp_add_backlog")),
		SAME(FENTRY("tcp_v4_do_rcv", "qdq_tcp_v4_do_rcv")),
	};
	static const outcomes xmit[] = {
		SAME(FENTRY("sch_direct_xmit", "dqx_sch_direct_xmit")),
		SAME(FENTRY("__dev_queue_xmit", "dqx_dev_queue_xmit")),
	};

	CHECK_PLAN("trace-qdisc-dequeue", &qdq_hook_table, dequeue);
	CHECK_PLAN("trace_dev_queue_xmit", &dqx_hook_table, xmit);
}
END_TEST

/* openvswitch's tracepoints came in 5.14 (its record struct is module BTF). */
START_TEST(test_system_network_icmp_rtt)
{
	static const outcomes want[] = {
		SAME(FENTRY("ip_output", "kp_ip_output")),
		MODULE_FENTRY("internal_dev_xmit", "kp_internal_dev_xmit"),
		SAME("raw_tracepoint net:netif_receive_skb [tp_netif_receive_skb_raw]"),
		SAME("kprobe netdev_frame_hook [kp_netdev_frame_hook]"),
		MODULE_FENTRY("ovs_dp_process_packet", "kp_ovs_dp_process_packet"),
		{ "kprobe ovs_dp_upcall [kp_ovs_dp_upcall]",
		  "tracepoint openvswitch:ovs_dp_upcall [tp_ovs_dp_upcall]",
		  "tracepoint openvswitch:ovs_dp_upcall [tp_ovs_dp_upcall]" },
		MODULE_FENTRY("ovs_flow_key_extract_userspace", "kp_ovs_flow_key_extract_userspace"),
		MODULE_FENTRY("ovs_vport_send", "kp_ovs_vport_send"),
		SAME("raw_tracepoint net:net_dev_queue [tp_net_dev_queue_raw]"),
		SAME(FENTRY("icmp_rcv", "kp_icmp_rcv")),
	};

	CHECK_PLAN("system_network_icmp_rtt", &rtt_hook_table, want);
}
END_TEST

/* The upcall tracepoint where the module's BTF has its record (5.14+), else the kprobe. */
START_TEST(test_ovs_upcall_latency_summary)
{
	static const outcomes want[] = {
		{ "kprobe ovs_dp_upcall [kp_ovs_dp_upcall]",
		  "tracepoint openvswitch:ovs_dp_upcall [tp_ovs_dp_upcall]",
		  "tracepoint openvswitch:ovs_dp_upcall [tp_ovs_dp_upcall]" },
		MODULE_FENTRY("ovs_flow_key_extract_userspace", "kp_ovs_flow_key_extract_userspace"),
	};

	CHECK_PLAN("ovs_upcall_latency_summary", &upcall_hook_table, want);
}
END_TEST

/*
 * kprobes win over the net: tracepoint fallbacks; the qdisc_enqueue tracepoint came in 5.15,
 * the drop reasons (qdisc drops counted from kfree_skb) in 5.17.
 */
START_TEST(test_qdisc_drop_trace)
{
	static const outcomes want[] = {
		SAME(FENTRY("__dev_queue_xmit", "kp_dev_queue_xmit")),
		SAME(FEXIT("__dev_queue_xmit", "krp_dev_queue_xmit")),
		SAME("n/a"),
		/* its program reads an int * argument: fentry from 5.17 */
		{ "kprobe dev_hard_start_xmit [kp_hard_start_xmit]",
		  FENTRY("dev_hard_start_xmit", "kp_hard_start_xmit"),
		  FENTRY("dev_hard_start_xmit", "kp_hard_start_xmit") },
		/* the return's fexit goes with the entry's fentry */
		{ "kretprobe dev_hard_start_xmit [krp_hard_start_xmit]",
		  FEXIT("dev_hard_start_xmit", "krp_hard_start_xmit"),
		  FEXIT("dev_hard_start_xmit", "krp_hard_start_xmit") },
		SAME("n/a"),
		SAME("n/a"),
		MODULE_FENTRY("erspan_xmit", "kp_erspan_xmit"),
		MODULE_FEXIT("erspan_xmit", "krp_erspan_xmit"),
		MODULE_FENTRY("fq_codel_enqueue", "kp_fq_codel_enqueue"), /* a module on 5.10 */
		MODULE_FEXIT("fq_codel_enqueue", "krp_fq_codel_enqueue"),
		{ "none", "raw_tracepoint qdisc:qdisc_enqueue [raw_qdisc_enqueue]",
		  "raw_tracepoint qdisc:qdisc_enqueue [raw_qdisc_enqueue]" },
		SAME("raw_tracepoint qdisc:qdisc_dequeue [raw_qdisc_dequeue]"),
		{ "n/a", "raw_tracepoint skb:kfree_skb [raw_kfree_skb]",
		  "raw_tracepoint skb:kfree_skb [raw_kfree_skb]" },
	};

	CHECK_PLAN("qdisc_drop_trace", &qdt_hook_table, want);
}
END_TEST

START_TEST(test_trace_ip_defrag)
{
	static const outcomes want[] = {
		SAME(FENTRY("ip_defrag", "df_ip_defrag")),
		SAME(FEXIT("ip_defrag", "df_ip_defrag_ret")),
		SAME(FENTRY("inet_frag_queue_insert", "df_frag_insert")),
		SAME(FEXIT("inet_frag_queue_insert", "df_frag_insert_ret")),
		SAME(FENTRY("ip_expire", "df_ip_expire")),
		SAME("raw_tracepoint skb:kfree_skb [df_raw_kfree_skb]"),
		SAME("raw_tracepoint skb:consume_skb [df_raw_consume_skb]"),
	};

	CHECK_PLAN("trace_ip_defrag", &defrag_hook_table, want);
}
END_TEST

/*
 * ovs_ct_update_key is only a GCC clone (no BTF; the kprobe takes the clone); the 5.4+ TCP
 * tracker; __nf_ct_refresh_acct lost its skb argument in 6.12 (BTF tells which program);
 * 5.10's nf_ct_delete is split, and the module's own callers call the body directly.
 */
START_TEST(test_trace_conntrack)
{
	static const outcomes want[] = {
		MODULE_FENTRY("nf_conntrack_in", "ct_nf_conntrack_in"),
		MODULE_FENTRY("__ovs_ct_lookup", "ct_ovs_ct_lookup"),
		SAME("kprobe ovs_ct_update_key.isra.0 [ct_ovs_ct_update_key]"),
		{ "kprobe __nf_ct_refresh_acct [ct_refresh_acct]",
		  FENTRY("__nf_ct_refresh_acct", "ct_refresh_acct"),
		  FENTRY("__nf_ct_refresh_acct", "ct_refresh_acct_noskb") },
		MODULE_FENTRY("ovs_ct_execute", "ct_ovs_ct_execute"),
		MODULE_FENTRY("nf_conntrack_tcp_packet", "ct_tcp_packet"),
		SAME("n/a"),
		SAME("n/a"),
		{ "kprobe nf_ct_delete.part.0 [ct_nf_ct_delete]", FENTRY("nf_ct_delete", "ct_nf_ct_delete"),
		  FENTRY("nf_ct_delete", "ct_nf_ct_delete") },
	};

	CHECK_PLAN("trace_conntrack", &ct_hook_table, want);
}
END_TEST

/*
 * The planner's clone lookup against the lab kernels' symbols: 5.10 split nf_ct_delete's
 * body off, the others did not; the .cold parts GCC moved out of nf_conntrack_in and others
 * are never taken for a clone.
 */
START_TEST(test_clone_symbols)
{
	static const struct {
		const char *func;
		unsigned kinds;
		const char *clone[FIXTURE_KERNELS];
	} want[] = {
		{ "nf_ct_delete", KSYM_CLONE_PART, { "nf_ct_delete.part.0", NULL, NULL } },
		{ "nf_ct_delete", KSYM_CLONE_ISRA | KSYM_CLONE_CONSTPROP, { NULL, NULL, NULL } },
		{ "ovs_ct_update_key", KSYM_CLONES_ANY, SAME("ovs_ct_update_key.isra.0") },
		{ "ovs_ct_update_key", KSYM_CLONE_PART, { NULL, NULL, NULL } },
		{ "nf_conntrack_in", KSYM_CLONES_ANY, { NULL, NULL, NULL } },
		{ "nf_conntrack_tcp_packet", KSYM_CLONES_ANY, { NULL, NULL, NULL } },
		{ "ovs_ct_execute", KSYM_CLONES_ANY, { NULL, NULL, NULL } },
		{ "ovs_vport_send", KSYM_CLONES_ANY, { NULL, NULL, NULL } },
	};
	const struct ksyms *functions = fixture_env(K)->functions();

	/* The .cold parts are there to be refused (5.10 and 6.1 have them). */
	ck_assert(ksyms_has(functions, "nf_conntrack_in.cold") == (K != K6_12));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const char *got = ksyms_clone_name(functions, want[i].func, want[i].kinds);
		const char *w = want[i].clone[K];

		ck_assert_msg(got == w || (got && w && !strcmp(got, w)),
			      "%s (kinds %#x) on %s: got %s, want %s", want[i].func, want[i].kinds,
			      fixture_series(K), got ? got : "none", w ? w : "none");
	}
}
END_TEST

/* ---- what user space reads from BTF ---- */

/* system_network_icmp_rtt's sk_buff argument of each kprobe, and trace_conntrack's. */
START_TEST(test_skb_arguments)
{
	static const struct {
		const char *func, *module;
		int pos[FIXTURE_KERNELS];
	} want[] = {
		{ "ip_output", NULL, { 3, 3, 3 } },
		{ "internal_dev_xmit", "openvswitch", { 1, 1, 1 } },
		{ "ovs_dp_process_packet", "openvswitch", { 1, 1, 1 } },
		{ "ovs_dp_upcall", "openvswitch", { 2, 2, 2 } },
		{ "ovs_flow_key_extract_userspace", "openvswitch", { 3, 3, 3 } },
		{ "ovs_vport_send", "openvswitch", { 2, 2, 2 } },
		{ "__dev_queue_xmit", NULL, { 1, 1, 1 } },
		{ "icmp_rcv", NULL, { 1, 1, 1 } },
		{ "nf_conntrack_in", "nf_conntrack", { 1, 1, 1 } },
		{ "__nf_ct_refresh_acct", "nf_conntrack", { 3, 3, 0 } },
		{ "ovs_ct_update_key", "openvswitch", { -1, -1, -1 } }, /* a clone: no BTF */
	};

	fixture_env(K);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		ck_assert_msg(kfunc_struct_arg(want[i].func, want[i].module, "sk_buff") == want[i].pos[K],
			      "%s on %s: sk_buff is argument %d, want %d", want[i].func, fixture_series(K),
			      kfunc_struct_arg(want[i].func, want[i].module, "sk_buff"), want[i].pos[K]);
}
END_TEST

/* eth_drop, trace_ip_defrag, qdisc_drop_trace: reason names from the kernel's own enum. */
START_TEST(test_drop_reason_names)
{
	static const struct {
		unsigned value;
		const char *name[FIXTURE_KERNELS];
	} want[] = {
		{ 2, { NULL, "NO_SOCKET", "NOT_SPECIFIED" } },
		{ 3, { NULL, "PKT_TOO_SMALL", "NO_SOCKET" } },
		{ 45, { NULL, "QDISC_DROP", "TCP_ACK_UNSENT_DATA" } },
		{ 57, { NULL, "HDR_TRUNC", "QDISC_DROP" } },
	};

	fixture_env(K);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const char *got = drop_reason_name(want[i].value);

		ck_assert_msg(got == want[i].name[K] ||
				      (got && want[i].name[K] && !strcmp(got, want[i].name[K])),
			      "reason %u on %s: got %s, want %s", want[i].value, fixture_series(K),
			      got ? got : "(none)", want[i].name[K] ? want[i].name[K] : "(none)");
	}
}
END_TEST

/* The member named field of struct name, looking into anonymous members as CO-RE does. */
static bool has_member(const struct btf *btf, __u32 id, const char *field)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt = btf__type_by_id(btf, m->type);

		if (!strcmp(n, field))
			return true;
		if (!*n && btf_is_composite(mt) && has_member(btf, m->type, field))
			return true;
	}
	return false;
}

static bool field_exists(const char *type, const char *field)
{
	const struct btf *btf = kernel_btf();
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);

	return id > 0 && has_member(btf, (__u32)id, field);
}

static bool enum_value_exists(const char *type, const char *value)
{
	const struct btf *btf = kernel_btf();

	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e = btf_enum(t);

		if (!btf_is_enum(t) || strcmp(btf__name_by_offset(btf, t->name_off), type))
			continue;
		for (int i = 0; i < btf_vlen(t); i++, e++)
			if (!strcmp(btf__name_by_offset(btf, e->name_off), value))
				return true;
	}
	return false;
}

/*
 * The bpf_core_*_exists checks of the BPF objects, as libbpf resolves them against the merged
 * fixture: the kfree_skb reason (5.17), skb->vlan_present (gone in 6.2, vlan_all instead),
 * SKB_CONSUMED (6.3), the ovs_dp_upcall record (module BTF, 5.14), conntrack zones.
 */
START_TEST(test_core_decisions)
{
	static const struct {
		const char *type, *field;
		bool exists[FIXTURE_KERNELS];
	} fields[] = {
		{ "trace_event_raw_kfree_skb", "reason", { false, true, true } },
		{ "sk_buff", "vlan_present", { true, true, false } },
		{ "sk_buff", "vlan_all", { false, false, true } },
		{ "sk_buff", "_nfct", { true, true, true } },
		{ "nf_conn", "zone", { true, true, true } },
		{ "trace_event_raw_ovs_dp_upcall", "skbaddr", { false, true, true } },
	};

	fixture_env(K);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		ck_assert_msg(field_exists(fields[i].type, fields[i].field) == fields[i].exists[K],
			      "%s.%s on %s: want %s", fields[i].type, fields[i].field, fixture_series(K),
			      fields[i].exists[K] ? "present" : "absent");
	ck_assert(enum_value_exists("skb_drop_reason", "SKB_CONSUMED") == (K == K6_12));
	ck_assert(kernel_struct_exists("trace_event_raw_ovs_dp_upcall", "openvswitch") == (K != K5_10));
	ck_assert(kernel_struct_exists("ovs_conntrack_info", "openvswitch"));
}
END_TEST

static Suite *kernel_plans_suite(void)
{
	Suite *s = suite_create("kernel_plans");
	TCase *plans = tcase_create("plans");
	TCase *btf = tcase_create("btf");

	tcase_add_loop_test(plans, test_drop_hook, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_netstage_hooks, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_vmnet_hooks, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_iface_netstat, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_vm_pair, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_qdisc_lateny_details, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_system_network_icmp_rtt, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_gso_tracepoints, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_ovs_upcall_latency_summary, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_qdisc_drop_trace, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_trace_ip_defrag, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_trace_conntrack, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_sched_latency_monitor, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_offcputime_ts, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_clone_symbols, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(plans, test_cpu_monitor, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(btf, test_skb_arguments, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(btf, test_drop_reason_names, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(btf, test_core_decisions, 0, FIXTURE_KERNELS);
	suite_add_tcase(s, plans);
	suite_add_tcase(s, btf);
	return s;
}

int main(void)
{
	return unit_run(kernel_plans_suite());
}
