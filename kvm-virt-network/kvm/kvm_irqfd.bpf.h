/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm_irqfd_stats_summary and kvm_irqfd_stats_summary_arm: the irqfd wakeups of one VM's QEMU
 * process and vhost threads, and the injections (kvm_arch_set_irq_inatomic, kvm_set_msi) and
 * vCPU kicks that follow for the VMs and GSIs those wakeups named, counted per interval. Each
 * tool's .bpf.c includes this once (the arm tool adds its vGIC probes).
 */
#pragma once
#include "bpfnet.bpf.h"
#include "kmod/kvm.h"
#include "kvm_irqfd_stats_summary.h"

#define EPOLLIN_BIT 0x1

#ifndef KIRQ_ATOMIC_INJECTED
/* x86: kvm_arch_set_irq_inatomic returns how many vCPUs took the interrupt, <= 0: deferred. */
#define KIRQ_ATOMIC_INJECTED(ret) ((ret) > 0)
#endif

BPFNET_CONFIG(struct kirq_config);
BPFNET_MAP(wakeup_counts, BPF_MAP_TYPE_HASH, struct kirq_wakeup_key, __u64, KIRQ_COUNTS_MAX);
BPFNET_MAP(arch_counts, BPF_MAP_TYPE_HASH, struct kirq_gsi_key, __u64, KIRQ_COUNTS_MAX);
BPFNET_MAP(msi_counts, BPF_MAP_TYPE_HASH, struct kirq_gsi_key, __u64, KIRQ_COUNTS_MAX);
BPFNET_MAP(kick_counts, BPF_MAP_TYPE_HASH, struct kirq_vcpu_key, __u64, KIRQ_COUNTS_MAX);
BPFNET_MAP(arch_results, BPF_MAP_TYPE_HASH, struct kirq_gsi_key, struct kirq_ret_stats, KIRQ_COUNTS_MAX);
BPFNET_MAP(irqfd_infos, BPF_MAP_TYPE_HASH, __u64, struct kirq_irqfd_info, KIRQ_IRQFDS_MAX);
/* The VMs and GSIs woken through a watched irqfd since the start: injections are gated by them. */
BPFNET_MAP(active_gsis, BPF_MAP_TYPE_HASH, struct kirq_gsi_key, __u8, KIRQ_INFLIGHT_MAX);
BPFNET_MAP(active_vms, BPF_MAP_TYPE_HASH, __u64, __u8, KIRQ_VMS_MAX);
BPFNET_MAP(arch_inflight, BPF_MAP_TYPE_HASH, __u64, struct kirq_gsi_key, KIRQ_INFLIGHT_MAX);
BPFNET_MAP(counters, BPF_MAP_TYPE_PERCPU_ARRAY, __u32, __u64, KIRQ_COUNTERS);

/* Whether comm is "vhost-<qemu_pid>": the name of a vhost-net worker of that QEMU. */
static __always_inline bool is_vhost_of(const char *comm, __u32 qemu_pid)
{
	__u32 pid = 0;
	int i, digits = 0;

	if (comm[0] != 'v' || comm[1] != 'h' || comm[2] != 'o' || comm[3] != 's' || comm[4] != 't' ||
	    comm[5] != '-')
		return false;
	for (i = 6; i < 14; i++) {
		if (comm[i] < '0' || comm[i] > '9')
			break;
		pid = pid * 10 + (comm[i] - '0');
		digits++;
	}
	return digits && pid == qemu_pid;
}

static __always_inline bool wanted(const struct kirq_config *cfg, const char *comm, __u64 pid_tgid)
{
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	bool vhost = is_vhost_of(comm, cfg->qemu_pid);

	switch (cfg->category) {
	case KIRQ_DATA:
		/* 6.4+: vhost workers are threads of QEMU (vhost_task), so the thread id counts too. */
		return vhost && (!cfg->vhost_pid || cfg->vhost_pid == tgid || cfg->vhost_pid == tid);
	case KIRQ_CONTROL:
		return tgid == cfg->qemu_pid && !vhost;
	default:
		return tgid == cfg->qemu_pid || vhost;
	}
}

static __always_inline void note_irqfd(__u64 irqfd, __u64 eventfd, __u32 gsi, __s32 vector)
{
	struct kirq_irqfd_info *info = bpf_map_lookup_elem(&irqfd_infos, &irqfd);
	__u64 now = bpf_ktime_get_ns();

	if (info) {
		info->last_ns = now;
		info->msi_vector = vector;
		return;
	}
	struct kirq_irqfd_info fresh = {
		.eventfd = eventfd,
		.first_ns = now,
		.last_ns = now,
		.gsi = gsi,
		.msi_vector = vector,
	};
	if (bpf_map_update_elem(&irqfd_infos, &irqfd, &fresh, BPF_NOEXIST))
		counter_add(&counters, KIRQ_FULL_IRQFDS, 1);
}

SEC("kprobe/irqfd_wakeup")
int BPF_KPROBE(kirq_wakeup, void *wait, unsigned int mode, int sync, void *poll_key)
{
	const struct kirq_config *cfg = get_config();
	struct kvm_kernel_irqfd___bpfnet *irqfd;
	struct kirq_wakeup_key key = {};
	struct kirq_gsi_key gsi_key = {};
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u8 one = 1;

	if (!cfg || !wait || !((__u64)poll_key & EPOLLIN_BIT))
		return 0;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	if (!wanted(cfg, key.comm, pid_tgid))
		return 0;
	irqfd = kvm_irqfd_of_wait(wait);
	key.kvm = (__u64)BPF_CORE_READ(irqfd, kvm);
	if (!key.kvm)
		return 0;
	key.irqfd = (__u64)irqfd;
	key.wait = (__u64)wait;
	key.poll_flags = (__u64)poll_key;
	key.gsi = BPF_CORE_READ(irqfd, gsi);
	key.cpu = bpf_get_smp_processor_id();
	key.tgid = pid_tgid >> 32;
	key.mode = mode;
	key.sync = sync;
	hash_counter_inc(&wakeup_counts, &key, &counters, KIRQ_FULL_WAKEUPS);
	note_irqfd(key.irqfd, (__u64)BPF_CORE_READ(irqfd, eventfd), key.gsi, kvm_irqfd_msi_vector(irqfd));
	gsi_key.kvm = key.kvm;
	gsi_key.gsi = key.gsi;
	bpf_map_update_elem(&active_gsis, &gsi_key, &one, BPF_ANY);
	bpf_map_update_elem(&active_vms, &key.kvm, &one, BPF_ANY);
	return 0;
}

/* The {kvm, gsi} of an injection if a watched irqfd woke that GSI of that VM before. */
static __always_inline bool active_injection(struct kirq_gsi_key *key, void *entry, void *kvm)
{
	if (!entry || !kvm)
		return false;
	key->kvm = (__u64)kvm;
	key->gsi = BPF_CORE_READ((struct kvm_kernel_irq_routing_entry___bpfnet *)entry, gsi);
	return bpf_map_lookup_elem(&active_gsis, key);
}

BPFNET_FUNC_ENTRY(kirq_arch_set_irq, kvm_arch_set_irq_inatomic, void *entry, void *kvm)
{
	struct kirq_gsi_key key = {};
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	if (!active_injection(&key, entry, kvm))
		return 0;
	hash_counter_inc(&arch_counts, &key, &counters, KIRQ_FULL_ARCH);
	bpf_map_update_elem(&arch_inflight, &pid_tgid, &key, BPF_ANY);
	return 0;
}

/* kvm_arch_set_irq_inatomic(e, kvm, irq_source_id, level, line_status) */
BPFNET_FUNC_RETURN(kirq_arch_set_irq_ret, kvm_arch_set_irq_inatomic, 5, int ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct kirq_gsi_key *key = bpf_map_lookup_elem(&arch_inflight, &pid_tgid);
	struct kirq_ret_stats *stats, fresh = {};

	if (!key)
		return 0;
	stats = bpf_map_lookup_elem(&arch_results, key);
	if (!stats) {
		bpf_map_update_elem(&arch_results, key, &fresh, BPF_NOEXIST);
		stats = bpf_map_lookup_elem(&arch_results, key);
	}
	if (stats) {
		__sync_fetch_and_add(&stats->calls, 1);
		if (KIRQ_ATOMIC_INJECTED(ret)) {
			__sync_fetch_and_add(&stats->success, 1);
			if (ret > 0)
				__sync_fetch_and_add(&stats->delivered, ret);
		} else {
			__sync_fetch_and_add(&stats->fail, 1);
		}
	}
	bpf_map_delete_elem(&arch_inflight, &pid_tgid);
	return 0;
}

BPFNET_FUNC_ENTRY(kirq_set_msi, kvm_set_msi, void *entry, void *kvm)
{
	struct kirq_gsi_key key = {};

	if (active_injection(&key, entry, kvm))
		hash_counter_inc(&msi_counts, &key, &counters, KIRQ_FULL_MSI);
	return 0;
}

BPFNET_FUNC_ENTRY(kirq_vcpu_kick, kvm_vcpu_kick, void *vcpu)
{
	struct kvm_vcpu___bpfnet *v = vcpu;
	struct kirq_vcpu_key key = {};

	if (!v)
		return 0;
	key.kvm = (__u64)BPF_CORE_READ(v, kvm);
	if (!key.kvm || !bpf_map_lookup_elem(&active_vms, &key.kvm))
		return 0;
	key.vcpu_id = BPF_CORE_READ(v, vcpu_id);
	hash_counter_inc(&kick_counts, &key, &counters, KIRQ_FULL_KICKS);
	return 0;
}
