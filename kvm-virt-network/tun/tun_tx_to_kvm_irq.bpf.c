// SPDX-License-Identifier: GPL-2.0-only
/*
 * tun_tx_to_kvm_irq: one packet's way from a tap to the guest's interrupt. tun_net_xmit notes
 * the packet against its queue's socket; the vhost signal of the guest-RX virtqueue reading that
 * socket starts a chain under the virtqueue's call eventfd; eventfd_signal on it, KVM's irqfd
 * woken by it and the interrupt delivered to a vCPU for that irqfd's VM and vector follow.
 * Every stage is an event with the delay since the stage before.
 */
#include "bpfnet.bpf.h"
#include "dev_name_set.bpf.h"
#include "events.bpf.h"
#include "kmod/kvm.h"
#include "kmod/tun.h"
#include "kmod/vhost.h"
#include "skb_pkt.bpf.h"
#include "tun_tx_to_kvm_irq.h"

#define EPOLLIN_BIT 0x1
#define FIRST_VECTOR 0x20 /* below: exceptions, never a device's MSI */

BPFNET_CONFIG(struct ttk_config);
BPFNET_MAP(pending, BPF_MAP_TYPE_HASH, __u64, struct ttk_pending, TTK_MAX_QUEUES);
BPFNET_MAP(chains, BPF_MAP_TYPE_HASH, __u64, struct ttk_chain, TTK_MAX_CHAINS);
BPFNET_MAP(vectors, BPF_MAP_TYPE_HASH, struct ttk_vector_key, __u64, TTK_MAX_CHAINS);
BPFNET_SCRATCH(ev, struct ttk_event)
BPFNET_SCRATCH(snap, struct pkt_snap)

/* The vhost device a virtqueue belongs to (drivers/vhost/vhost.h); vhost-net's vqs[0] is RX. */
struct vhost_dev___ttk {
	struct mm_struct *mm;
	void **vqs;
} __attribute__((preserve_access_index));

/* CONFIG_MEMCG: the task that owns an mm (QEMU for a vhost device's). */
struct mm_struct___ttk {
	struct task_struct *owner;
} __attribute__((preserve_access_index));

/* arch/x86/kvm/lapic.h */
struct kvm_lapic___ttk {
	void *vcpu;
} __attribute__((preserve_access_index));

/* arch/x86/kvm/lapic.h */
struct kvm_lapic_irq___ttk {
	__u32 vector;
} __attribute__((preserve_access_index));

/* x86's local APIC types: absent on arm64, where the APIC probes' reads stay dead code. */
#define TTK_HAVE_LAPIC (bpf_core_field_exists(((struct kvm_lapic___ttk *)0)->vcpu))
#define TTK_HAVE_LAPIC_IRQ (bpf_core_field_exists(((struct kvm_lapic_irq___ttk *)0)->vector))

/*
 * Whether the modules' types have BTF; the programs return at once otherwise, so that the
 * object still loads (the verifier drops the unrelocated code) where user space refused to run.
 */
static __always_inline bool vhost_types_known(void)
{
	return bpf_core_type_exists(struct tun_struct___bpfnet) &&
	       bpf_core_type_exists(struct vhost_virtqueue___bpfnet) &&
	       bpf_core_type_exists(struct vhost_dev___ttk);
}

static __always_inline bool kvm_types_known(void)
{
	return bpf_core_type_exists(struct kvm_kernel_irqfd___bpfnet) &&
	       bpf_core_type_exists(struct kvm_vcpu___bpfnet);
}

static __always_inline struct ttk_event *event_head(__u32 stage)
{
	struct ttk_event *e = ev_zeroed();
	__u64 id = bpf_get_current_pid_tgid();

	if (!e)
		return NULL;
	e->ts_ns = bpf_ktime_get_ns();
	e->stage = stage;
	e->cpu = bpf_get_smp_processor_id();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->gsi = -1;
	e->vector = -1;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* The event of a stage of chain c at e->ts_ns; moves the chain on to that stage. */
static __always_inline void chain_event(struct ttk_event *e, struct ttk_chain *c, __u64 eventfd)
{
	e->chain = c->id;
	e->delay_ns = e->ts_ns > c->last_ns ? e->ts_ns - c->last_ns : 0;
	e->total_ns = e->ts_ns > c->start_ns ? e->ts_ns - c->start_ns : 0;
	e->sock = c->sock;
	e->eventfd = eventfd;
	e->kvm = c->kvm;
	e->queue = c->queue;
	e->packets = c->packets;
	e->qemu_pid = c->qemu_pid;
	__builtin_memcpy(e->dev, c->dev, sizeof(e->dev));
	c->last_ns = e->ts_ns > c->last_ns ? e->ts_ns : c->last_ns;
	c->stage = e->stage;
}

static __always_inline bool icmp_match(const struct ttk_config *cfg, const struct pkt_key *k)
{
	if (!cfg->filter_icmp)
		return true;
	/* The original applies the echo id/seq filters to ICMP packets only. */
	if (k->l4proto != IPPROTO_ICMP)
		return true;
	return (!cfg->icmp_id || k->icmp_id == cfg->icmp_id) &&
	       (!cfg->icmp_seq || k->icmp_seq == cfg->icmp_seq);
}

BPFNET_FUNC_ENTRY(ttk_xmit, tun_net_xmit, struct sk_buff *skb, struct net_device *dev)
{
	const struct ttk_config *cfg = get_config();
	struct pkt_snap *s = snap_get();
	struct tun_file___bpfnet *tfile;
	struct ttk_pending *p, fresh = {};
	struct ttk_event *e;
	struct pkt_key k;
	__u32 q, numqueues;

	if (!cfg || !s || !skb || !dev || !vhost_types_known())
		return 0;
	if (!dev_name_set_has(&cfg->device, dev, fresh.dev))
		return 0;
	q = BPF_CORE_READ(skb, queue_mapping);
	if (cfg->filter_queue && q != cfg->queue)
		return 0;
	tfile = tun_tfile(tun_of_dev(dev), q, &numqueues);
	if (!tfile)
		return 0;
	if (skb_pkt_key(skb, PKT_AT_MAC, NULL, s, &k) || k.family != 4)
		__builtin_memset(&k, 0, sizeof(k));
	if (!pkt_filter_match(&cfg->filter, &k) || !icmp_match(cfg, &k))
		return 0;
	e = event_head(TTK_XMIT);
	if (!e)
		return 0;
	e->sock = (__u64)&tfile->socket;
	e->queue = q;
	__builtin_memcpy(e->dev, fresh.dev, sizeof(e->dev));
	e->saddr = k.saddr[0];
	e->daddr = k.daddr[0];
	e->protocol = k.l4proto;
	e->sport = k.sport;
	e->dport = k.dport;
	if (k.flags & PKT_K_ICMP) {
		e->icmp_type = k.icmp_type;
		e->icmp_code = k.icmp_code;
		e->icmp_id = k.icmp_id;
		e->icmp_seq = k.icmp_seq;
	}
	/* One entry per queue: the packets since its last signal, timed from the last of them. */
	p = bpf_map_lookup_elem(&pending, &e->sock);
	if (p) {
		p->last_ns = e->ts_ns;
		__sync_fetch_and_add(&p->packets, 1);
	} else {
		fresh.last_ns = e->ts_ns;
		fresh.packets = 1;
		fresh.queue = q;
		bpf_map_update_elem(&pending, &e->sock, &fresh, BPF_ANY);
	}
	emit_event(ctx, e, sizeof(*e));
	return 0;
}

/* The QEMU process of a vhost device: the owner of the mm it works in (0 if unknown). */
static __always_inline __u32 vhost_owner_tgid(struct vhost_dev___ttk *vdev)
{
	struct mm_struct___ttk *mm = (void *)BPF_CORE_READ(vdev, mm);
	struct task_struct *owner;

	if (!mm || !bpf_core_field_exists(mm->owner))
		return 0;
	owner = BPF_CORE_READ(mm, owner);
	return owner ? BPF_CORE_READ(owner, tgid) : 0;
}

BPFNET_FUNC_ENTRY(ttk_vhost_signal, vhost_add_used_and_signal_n, struct vhost_dev___ttk *vdev,
		  struct vhost_virtqueue___bpfnet *vq)
{
	struct ttk_pending *p;
	struct ttk_chain c = {};
	struct ttk_event *e;
	__u64 sock, eventfd;
	void *rx_vq = NULL;

	if (!vdev || !vq || !vhost_types_known())
		return 0;
	sock = (__u64)BPF_CORE_READ(vq, private_data);
	p = bpf_map_lookup_elem(&pending, &sock);
	if (!p)
		return 0;
	/* The TX virtqueue reads the same socket: its completions are the guest's packets. */
	bpf_probe_read_kernel(&rx_vq, sizeof(rx_vq), BPF_CORE_READ(vdev, vqs));
	if (rx_vq != (void *)vq)
		return 0;
	eventfd = (__u64)vhost_vq_call_eventfd(vq);
	if (!eventfd)
		return 0;
	e = event_head(TTK_VHOST_SIGNAL);
	if (!e)
		return 0;
	c.id = e->ts_ns;
	c.start_ns = p->last_ns;
	c.last_ns = p->last_ns;
	c.sock = sock;
	c.packets = p->packets;
	c.queue = p->queue;
	c.qemu_pid = vhost_owner_tgid(vdev);
	__builtin_memcpy(c.dev, p->dev, sizeof(c.dev));
	bpf_map_delete_elem(&pending, &sock);
	chain_event(e, &c, eventfd);
	e->vq = (__u64)vq;
	bpf_map_update_elem(&chains, &eventfd, &c, BPF_ANY);
	emit_event(ctx, e, sizeof(*e));
	return 0;
}

static __always_inline void eventfd_stage(void *ctx, __u64 eventfd)
{
	struct ttk_chain *c = bpf_map_lookup_elem(&chains, &eventfd);
	struct ttk_event *e;

	if (!c || c->stage != TTK_VHOST_SIGNAL)
		return;
	e = event_head(TTK_EVENTFD);
	if (!e)
		return;
	chain_event(e, c, eventfd);
	emit_event(ctx, e, sizeof(*e));
}

BPFNET_FUNC_ENTRY(ttk_eventfd_signal, eventfd_signal, void *eventfd)
{
	eventfd_stage(ctx, (__u64)eventfd);
	return 0;
}

SEC("kprobe/irqfd_wakeup")
int BPF_KPROBE(ttk_irqfd_wakeup, void *wait, unsigned int mode, int sync, void *poll_key)
{
	const struct ttk_config *cfg = get_config();
	struct kvm_kernel_irqfd___bpfnet *irqfd;
	struct ttk_vector_key vk = {};
	struct ttk_chain *c;
	struct ttk_event *e;
	__u64 eventfd;

	if (!cfg || !wait || !((__u64)poll_key & EPOLLIN_BIT) || !kvm_types_known())
		return 0;
	irqfd = kvm_irqfd_of_wait(wait);
	eventfd = (__u64)BPF_CORE_READ(irqfd, eventfd);
	c = bpf_map_lookup_elem(&chains, &eventfd);
	/* Without stage 3's probe a chain goes from the signal to the irqfd. */
	if (!c || c->stage != (cfg->eventfd_probe ? TTK_EVENTFD : TTK_VHOST_SIGNAL))
		return 0;
	e = event_head(TTK_IRQFD);
	if (!e)
		return 0;
	c->kvm = (__u64)BPF_CORE_READ(irqfd, kvm);
	chain_event(e, c, eventfd);
	e->gsi = BPF_CORE_READ(irqfd, gsi);
	e->vector = kvm_irqfd_msi_vector(irqfd);
	if (e->vector >= 0)
		e->msi_data = BPF_CORE_READ(irqfd, irq_entry.msi.data);
	if (e->vector >= FIRST_VECTOR) {
		vk.kvm = c->kvm;
		vk.vector = e->vector;
		bpf_map_update_elem(&vectors, &vk, &eventfd, BPF_ANY);
	}
	emit_event(ctx, e, sizeof(*e));
	return 0;
}

/* Stage 5: vector delivered to vcpu; the chain its VM's irqfd for that vector started. */
static __always_inline void delivered(void *ctx, void *vcpu, int vector)
{
	struct ttk_vector_key vk = {};
	struct ttk_chain *c;
	struct ttk_event *e;
	__u64 *eventfd;

	if (!vcpu || vector < FIRST_VECTOR || vector > 255 || !kvm_types_known())
		return;
	vk.kvm = (__u64)BPF_CORE_READ((struct kvm_vcpu___bpfnet *)vcpu, kvm);
	vk.vector = vector;
	eventfd = bpf_map_lookup_elem(&vectors, &vk);
	if (!eventfd)
		return;
	c = bpf_map_lookup_elem(&chains, eventfd);
	if (!c || c->stage != TTK_IRQFD)
		return;
	e = event_head(TTK_POSTED);
	if (!e)
		return;
	chain_event(e, c, *eventfd);
	e->vector = vector;
	e->vq = (__u64)vcpu;
	emit_event(ctx, e, sizeof(*e));
	bpf_map_delete_elem(&chains, eventfd);
	bpf_map_delete_elem(&vectors, &vk);
}

/*
 * Every x86 host (Intel, AMD; posted or not): the local APIC accepting the interrupt, the
 * caller of the vendors' delivery callbacks below. Static, but out of line in every kernel seen.
 */
BPFNET_FUNC_ENTRY(ttk_accept_irq, __apic_accept_irq, struct kvm_lapic___ttk *apic, int delivery_mode,
		  int vector)
{
	if (TTK_HAVE_LAPIC && apic)
		delivered(ctx, BPF_CORE_READ(apic, vcpu), vector);
	return 0;
}

/* 5.10 - 5.16: the kvm_x86_ops callback for every fixed interrupt (posted or not). */
SEC("kprobe/vmx_deliver_posted_interrupt")
int BPF_KPROBE(ttk_posted_interrupt, void *vcpu, int vector)
{
	delivered(ctx, vcpu, vector);
	return 0;
}

/* 5.17+: the callback that posts the interrupt or sets it in the IRR (svm_deliver_interrupt alike). */
SEC("kprobe/vmx_deliver_interrupt")
int BPF_KPROBE(ttk_deliver_interrupt, struct kvm_lapic___ttk *apic, int delivery_mode, int trig_mode,
	       int vector)
{
	if (TTK_HAVE_LAPIC && apic)
		delivered(ctx, BPF_CORE_READ(apic, vcpu), vector);
	return 0;
}

/* The exported entry of the above (the MSI fast path inlines it: its last resort). */
SEC("kprobe/kvm_apic_set_irq")
int BPF_KPROBE(ttk_apic_set_irq, void *vcpu, struct kvm_lapic_irq___ttk *irq)
{
	if (TTK_HAVE_LAPIC_IRQ && irq)
		delivered(ctx, vcpu, BPF_CORE_READ(irq, vector));
	return 0;
}

BPFNET_LICENSE;
