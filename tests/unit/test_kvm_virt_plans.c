// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kvm-virt-network tools' hook tables planned against the lab kernels 5.10, 6.1 and 6.12
 * (the fixture BTF and module symbols of tests/fixtures/btf), and the module types whose BTF
 * the tools require before loading. Each test runs once per kernel, in its own process.
 */
#include <check.h>
#include <string.h>

#include "btf_fixture.h"
#include "kernel_btf.h"
#include "unit_helpers.h"
#include "util.h"

#include "kvm_irqfd_stats_summary.h"
#include "trace_virtio_net_rcvbuf.h"
#include "tun-abnormal-gso-type.h"
#include "tun-tx-ring-stas.h"
#include "tun_ring_monitor.h"
#include "tun_tx_to_kvm_irq.h"
#include "tun_vhost_queue.h"
#include "vhost_buf_peek_stats.h"
#include "vhost_eventfd_count.h"
#include "vhost_queue_correlation_details.h"
#include "virtionet-rx-path-monitor.h"
#include "virtionet-rx-path-summary.h"
#include "virtnet_irq_monitor.h"
#include "virtnet_poll_monitor.h"

/* A function entry of BPFNET_FUNC_ENTRY: its fentry program. */
#define FENTRY(func, prog) "fentry " func " [" prog "_fentry]"
/* ... of a module: a kprobe on 5.10, whose modules have no BTF of their own. */
#define MODULE_FENTRY(func, prog)                                                                            \
	{                                                                                                    \
		"kprobe " func " [" prog "]", FENTRY(func, prog), FENTRY(func, prog)                         \
	}
/* A module function's return of BPFNET_FUNC_RETURN: fexit, a kretprobe on 5.10 (no module BTF). */
#define MODULE_FEXIT(func, prog)                                                                             \
	{                                                                                                    \
		"kretprobe " func " [" prog "]", "fexit " func " [" prog "_fexit]",                          \
			"fexit " func " [" prog "_fexit]"                                                    \
	}
/* A core kernel function's return of BPFNET_FUNC_RETURN: fexit on every lab kernel. */
#define FEXIT(func, prog) "fexit " func " [" prog "_fexit]"
/*
 * ... of virtio_ring, named without a module (the core kernel's BTF only): a module on 5.10 and
 * 6.1 (a kretprobe), built in on 6.12 (fexit).
 */
#define VIRTIO_RING_FEXIT(func, prog)                                                                        \
	{                                                                                                    \
		"kretprobe " func " [" prog "]", "kretprobe " func " [" prog "]", FEXIT(func, prog)          \
	}

/* The tap's transmit, the one probe of three tools. */
START_TEST(test_tun_xmit_tools)
{
	static const fixture_outcomes monitor[] = { MODULE_FENTRY("tun_net_xmit", "trm_xmit") };
	static const fixture_outcomes ring_stats[] = { MODULE_FENTRY("tun_net_xmit", "ttrs_xmit") };

	CHECK_PLAN("tun_ring_monitor", &trm_hook_table, monitor);
	CHECK_PLAN("tun-tx-ring-stas", &ttrs_hook_table, ring_stats);
}
END_TEST

START_TEST(test_tun_abnormal_gso_type)
{
	static const fixture_outcomes want[] = {
		MODULE_FENTRY("tun_net_xmit", "tagt_tun_net_xmit"),
		SAME(FENTRY("sch_direct_xmit", "tagt_sch_direct_xmit")),
		SAME("kprobe netdev_frame_hook [tagt_netdev_frame_hook]"),
		SAME("fexit skb_segment [tagt_skb_segment_ret_fexit]"),
		MODULE_FENTRY("queue_gso_packets", "tagt_queue_gso_packets"),
		MODULE_FENTRY("queue_userspace_packet", "tagt_queue_userspace_packet"),
		SAME(FENTRY("validate_xmit_skb_list", "tagt_validate_xmit_skb_list")),
		SAME(FENTRY("validate_xmit_skb", "tagt_validate_xmit_skb")),
	};

	CHECK_PLAN("tun-abnormal-gso-type", &tagt_hook_table, want);
}
END_TEST

/* tun_to_vhost_queue_stats_details; _status_simple plans the first two of the same table. */
START_TEST(test_tun_to_vhost_queue)
{
	static const fixture_outcomes want[] = {
		MODULE_FENTRY("tun_net_xmit", "tvq_xmit"),
		MODULE_FENTRY("vhost_add_used_and_signal_n", "tvq_signal"),
		MODULE_FENTRY("tun_recvmsg", "tvq_recvmsg"),
		MODULE_FENTRY("handle_rx", "tvq_handle_rx"),
	};

	CHECK_PLAN("tun_to_vhost_queue_stats_details", &tvq_details_hook_table, want);
}
END_TEST

/*
 * vhost_notify is only there as GCC's clone without the unused dev argument on all three
 * kernels: the vq is the clone's first argument (vqc_notify_arg1).
 */
START_TEST(test_vhost_queue_correlation)
{
	static const fixture_outcomes want[] = {
		MODULE_FENTRY("tun_net_xmit", "vqc_tun_xmit"),
		MODULE_FENTRY("vhost_add_used_and_signal_n", "vqc_signal"),
		SAME("kprobe vhost_notify.constprop.0 [vqc_notify_arg1]"),
		SAME("kretprobe vhost_notify.constprop.0 [vqc_notify_ret]"),
		MODULE_FENTRY("handle_rx", "vqcd_handle_rx"),
		MODULE_FENTRY("tun_recvmsg", "vqcd_recvmsg"),
	};

	CHECK_PLAN("vhost_queue_correlation_details", &vqcd_hook_table, want);
}
END_TEST

START_TEST(test_vhost_counters)
{
	static const fixture_outcomes peek[] = {
		MODULE_FENTRY("vhost_net_buf_peek", "vpeek_entry"),
		MODULE_FEXIT("vhost_net_buf_peek", "vpeek_return"),
	};
	static const fixture_outcomes eventfd[] = { MODULE_FENTRY("vhost_add_used_and_signal_n",
								  "vefd_signal") };

	CHECK_PLAN("vhost_buf_peek_stats", &vhost_peek_hook_table, peek);
	CHECK_PLAN("vhost_eventfd_count", &vhost_eventfd_hook_table, eventfd);
}
END_TEST

START_TEST(test_kvm_irqfd_stats_summary)
{
	static const fixture_outcomes want[] = {
		SAME("kprobe irqfd_wakeup [kirq_wakeup]"),
		MODULE_FENTRY("kvm_arch_set_irq_inatomic", "kirq_arch_set_irq"),
		MODULE_FEXIT("kvm_arch_set_irq_inatomic", "kirq_arch_set_irq_ret"),
		MODULE_FENTRY("kvm_set_msi", "kirq_set_msi"),
		MODULE_FENTRY("kvm_vcpu_kick", "kirq_vcpu_kick"),
	};

	CHECK_PLAN("kvm_irqfd_stats_summary", &kirq_hook_table, want);
}
END_TEST

START_TEST(test_tun_tx_to_kvm_irq)
{
	static const fixture_outcomes want[] = {
		MODULE_FENTRY("tun_net_xmit", "ttk_xmit"),
		MODULE_FENTRY("vhost_add_used_and_signal_n", "ttk_vhost_signal"),
		/* eventfd_signal became an inline wrapper of eventfd_signal_mask in 6.8 */
		{ FENTRY("eventfd_signal", "ttk_eventfd_signal"),
		  FENTRY("eventfd_signal", "ttk_eventfd_signal"),
		  FENTRY("eventfd_signal_mask", "ttk_eventfd_signal") },
		SAME("kprobe irqfd_wakeup [ttk_irqfd_wakeup]"),
		MODULE_FENTRY("__apic_accept_irq", "ttk_accept_irq"),
	};

	CHECK_PLAN("tun_tx_to_kvm_irq", &ttk_hook_table, want);
}
END_TEST

/* The arm64 variant on the x86 lab kernels: the same hooks, and no vGIC to probe. */
START_TEST(test_kvm_irqfd_stats_summary_arm)
{
	static const fixture_outcomes want[] = {
		SAME("kprobe irqfd_wakeup [kirq_wakeup]"),
		MODULE_FENTRY("kvm_arch_set_irq_inatomic", "kirq_arch_set_irq"),
		MODULE_FEXIT("kvm_arch_set_irq_inatomic", "kirq_arch_set_irq_ret"),
		MODULE_FENTRY("kvm_set_msi", "kirq_set_msi"),
		MODULE_FENTRY("kvm_vcpu_kick", "kirq_vcpu_kick"),
		SAME("none"),
		SAME("none"),
		SAME("none"),
	};

	CHECK_PLAN("kvm_irqfd_stats_summary_arm", &kirq_arm_hook_table, want);
}
END_TEST

/* The guest-side tools, on the lab kernels as guests (virtio_ring is built in on 6.12). */
START_TEST(test_virtio_net_guest_tools)
{
	static const fixture_outcomes poll[] = {
		MODULE_FENTRY("virtnet_poll", "vpoll_entry"),
		MODULE_FEXIT("virtnet_poll", "vpoll_exit"),
		MODULE_FENTRY("skb_recv_done", "vpoll_recv_done"),
	};
	static const fixture_outcomes irq[] = {
		SAME("raw_tracepoint irq:irq_handler_entry [virq_entry_raw]"),
		SAME("raw_tracepoint irq:irq_handler_exit [virq_exit_raw]"),
	};
	static const fixture_outcomes rcvbuf[] = {
		SAME("kprobe receive_buf [rcv_receive_buf]"),
		SAME("kretprobe receive_buf [rcv_receive_buf_ret]"),
		MODULE_FENTRY("virtnet_poll", "rcv_poll"),
		MODULE_FENTRY("skb_recv_done", "rcv_recv_done"),
		SAME(FENTRY("napi_gro_receive", "rcv_gro")),
		MODULE_FENTRY("start_xmit", "rcv_xmit"),
		MODULE_FEXIT("start_xmit", "rcv_xmit_ret"),
		MODULE_FENTRY("skb_xmit_done", "rcv_xmit_done"),
		SAME("kprobe virtqueue_notify [rcv_notify]"),
	};
	static const fixture_outcomes monitor[] = {
		MODULE_FENTRY("virtnet_poll", "rxmon_poll"),
		MODULE_FEXIT("virtnet_poll", "rxmon_poll_ret"),
		SAME("kprobe virtqueue_enable_cb_prepare [rxmon_enable_cb]"),
		VIRTIO_RING_FEXIT("virtqueue_enable_cb_prepare", "rxmon_enable_cb_ret"),
		SAME(FENTRY("napi_complete_done", "rxmon_complete")),
		SAME(FEXIT("napi_complete_done", "rxmon_complete_ret")),
		SAME("kprobe virtqueue_poll [rxmon_vq_poll]"),
		VIRTIO_RING_FEXIT("virtqueue_poll", "rxmon_vq_poll_ret"),
	};
	static const fixture_outcomes summary[] = {
		MODULE_FEXIT("virtnet_poll", "rxs_poll_ret"),
		VIRTIO_RING_FEXIT("virtqueue_enable_cb_prepare", "rxs_cb_prepare_ret"),
		SAME(FEXIT("napi_complete_done", "rxs_napi_complete_ret")),
		VIRTIO_RING_FEXIT("virtqueue_poll", "rxs_vq_poll_ret"),
		SAME("kprobe virtqueue_enable_cb_delayed [rxs_cb_delayed]"),
		VIRTIO_RING_FEXIT("virtqueue_enable_cb_delayed", "rxs_cb_delayed_ret"),
		SAME("kprobe virtqueue_get_buf_ctx [rxs_get_buf]"),
		SAME("raw_tracepoint irq:irq_handler_entry [rxs_irq_entry_raw]"),
		SAME("raw_tracepoint irq:irq_handler_exit [rxs_irq_exit_raw]"),
		SAME("kprobe vring_interrupt [rxs_vring]"),
		VIRTIO_RING_FEXIT("vring_interrupt", "rxs_vring_ret"),
	};

	CHECK_PLAN("virtnet_poll_monitor", &virtnet_poll_hook_table, poll);
	CHECK_PLAN("virtnet_irq_monitor", &virq_hook_table, irq);
	CHECK_PLAN("trace_virtio_net_rcvbuf", &rcvbuf_hook_table, rcvbuf);
	CHECK_PLAN("virtionet-rx-path-monitor", &rxmon_hook_table, monitor);
	CHECK_PLAN("virtionet-rx-path-summary", &rxsum_hook_table, summary);
	/* BPFNET_FORCE_KPROBE=1: the classic IRQ tracepoints (the fallback's test). */
	ck_assert_str_eq(fixture_forced_programs(K, &virq_hook_table), "virq_entry virq_exit");
	ck_assert_ptr_nonnull(
		strstr(fixture_forced_programs(K, &rxsum_hook_table), " rxs_irq_entry rxs_irq_exit "));
}
END_TEST

/*
 * The module structs the tools check before loading (each names the module whose BTF has it),
 * and vhost's call_ctx as struct vhost_vring_call (5.8 on): the layout the vhost tools print.
 */
START_TEST(test_module_types)
{
	static const struct {
		const char *type, *module;
	} types[] = {
		{ "tun_struct", "tun" },           { "tun_file", "tun" },
		{ "vhost_virtqueue", "vhost" },    { "vhost_vring_call", "vhost" },
		{ "vhost_net", "vhost_net" },      { "kvm_kernel_irqfd", "kvm" },
		{ "receive_queue", "virtio_net" }, { "vring_virtqueue", "virtio_ring" },
	};

	fixture_env(K);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		ck_assert_msg(kernel_struct_exists(types[i].type, types[i].module),
			      "struct %s (%s) missing on %s", types[i].type, types[i].module,
			      fixture_series(K));
	ck_assert(!kernel_struct_exists("no_such_struct", "tun"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kvm_virt_plans");
	TCase *tc = tcase_create("plans");

	tcase_add_loop_test(tc, test_tun_xmit_tools, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_tun_abnormal_gso_type, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_tun_to_vhost_queue, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_vhost_queue_correlation, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_vhost_counters, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_kvm_irqfd_stats_summary, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_kvm_irqfd_stats_summary_arm, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_tun_tx_to_kvm_irq, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_virtio_net_guest_tools, 0, FIXTURE_KERNELS);
	tcase_add_loop_test(tc, test_module_types, 0, FIXTURE_KERNELS);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
