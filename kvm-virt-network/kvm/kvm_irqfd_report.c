// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary and kvm_irqfd_stats_summary_arm: one interval's tables summed per VM
 * and irqfd (and for the arm tool per vGIC interrupt ID), as text or JSON.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "prom.h"
#include "kvm_irqfd_stats_summary.h"
#include "util.h"

#define RULE_BANNER "================================================================================"
#define RULE_REPORT RULE_BANNER "===================="

static void *grow(void *v, size_t n, size_t size)
{
	void *p = realloc(v, (n + 1) * size);

	if (!p)
		abort();
	memset((char *)p + n * size, 0, size);
	return p;
}

static struct kirq_vm *vm_of(struct kirq_report *r, __u64 kvm)
{
	for (size_t i = 0; i < r->n_vms; i++)
		if (r->vms[i].kvm == kvm)
			return &r->vms[i];
	r->vms = grow(r->vms, r->n_vms, sizeof(*r->vms));
	r->vms[r->n_vms].kvm = kvm;
	return &r->vms[r->n_vms++];
}

static const struct kirq_irqfd_info *info_of(const struct kirq_tables *t, __u64 irqfd)
{
	for (size_t i = 0; i < t->n_irqfds; i++)
		if (t->irqfds[i].irqfd == irqfd)
			return &t->irqfds[i].info;
	return NULL;
}

static struct kirq_queue *queue_of(struct kirq_vm *vm, const struct kirq_wakeup_key *k,
				   const struct kirq_irqfd_info *info)
{
	struct kirq_queue *q;

	for (size_t i = 0; i < vm->n_queues; i++)
		if (vm->queues[i].irqfd == k->irqfd)
			return &vm->queues[i];
	vm->queues = grow(vm->queues, vm->n_queues, sizeof(*vm->queues));
	q = &vm->queues[vm->n_queues++];
	q->irqfd = k->irqfd;
	q->gsi = k->gsi;
	q->msi_vector = info ? info->msi_vector : -1;
	q->eventfd = info ? info->eventfd : 0;
	return q;
}

/* The first queue (by irqfd address) of vm on gsi, as the original attributes injections. */
static struct kirq_queue *queue_on_gsi(struct kirq_vm *vm, __u32 gsi)
{
	for (size_t i = 0; i < vm->n_queues; i++)
		if (vm->queues[i].gsi == gsi)
			return &vm->queues[i];
	return NULL;
}

static void add_u32_sorted(__u32 **v, size_t *n, __u32 x)
{
	size_t i = 0;

	while (i < *n && (*v)[i] < x)
		i++;
	if (i < *n && (*v)[i] == x)
		return;
	*v = grow(*v, *n, sizeof(**v));
	memmove(*v + i + 1, *v + i, (*n - i) * sizeof(**v));
	(*v)[i] = x;
	(*n)++;
}

static void add_source(struct kirq_queue *q, const struct kirq_wakeup_key *k, __u64 count)
{
	char key[KIRQ_SOURCE_LEN];

	snprintf(key, sizeof(key), "wait:0x%llx_mode:%u_sync:%u_flags:0x%llx", (unsigned long long)k->wait,
		 k->mode, k->sync, (unsigned long long)k->poll_flags);
	for (size_t i = 0; i < q->n_sources; i++)
		if (!strcmp(q->sources[i].key, key)) {
			q->sources[i].count += count;
			return;
		}
	q->sources = grow(q->sources, q->n_sources, sizeof(*q->sources));
	memcpy(q->sources[q->n_sources].key, key, sizeof(key));
	q->sources[q->n_sources++].count = count;
}

static void add_wakeups(struct kirq_vm *vm, const struct kirq_wakeup_count *w,
			const struct kirq_irqfd_info *info)
{
	struct kirq_queue *q = queue_of(vm, &w->key, info);
	char comm[KIRQ_COMM_LEN + 1] = { 0 };
	bool seen = false;

	memcpy(comm, w->key.comm, KIRQ_COMM_LEN);
	vm->wakeups += w->count;
	q->count += w->count;
	if (!strncmp(comm, "qemu", 4)) {
		q->control_count += w->count;
		vm->control_count += w->count;
	} else if (!strncmp(comm, "vhost-", 6)) {
		q->data_count += w->count;
		vm->data_count += w->count;
	}
	add_u32_sorted(&q->cpus, &q->n_cpus, w->key.cpu);
	add_u32_sorted(&q->tgids, &q->n_tgids, w->key.tgid);
	for (size_t i = 0; i < q->n_comms; i++)
		seen |= !strcmp(q->comms[i], comm);
	if (!seen && q->n_comms < KIRQ_SET_MAX)
		memcpy(q->comms[q->n_comms++], comm, KIRQ_COMM_LEN);
	add_source(q, &w->key, w->count);
	if (info && (!vm->first_ns || info->first_ns < vm->first_ns))
		vm->first_ns = info->first_ns;
	if (info && info->last_ns > vm->last_ns)
		vm->last_ns = info->last_ns;
}

static int by_kvm(const void *a, const void *b)
{
	const struct kirq_vm *x = a, *y = b;

	return (x->kvm > y->kvm) - (x->kvm < y->kvm);
}

static int by_irqfd(const void *a, const void *b)
{
	const struct kirq_queue *x = a, *y = b;

	return (x->irqfd > y->irqfd) - (x->irqfd < y->irqfd);
}

static int by_count_desc(const void *a, const void *b)
{
	const struct kirq_source *x = a, *y = b;

	if (x->count != y->count)
		return (x->count < y->count) - (x->count > y->count);
	return strcmp(x->key, y->key);
}

static int by_vcpu(const void *a, const void *b)
{
	const struct kirq_vcpu_kicks *x = a, *y = b;

	return (x->vcpu_id > y->vcpu_id) - (x->vcpu_id < y->vcpu_id);
}

static int by_gsi(const void *a, const void *b)
{
	const struct kirq_gsi_result *x = a, *y = b;

	return (x->gsi > y->gsi) - (x->gsi < y->gsi);
}

static int by_intid(const void *a, const void *b)
{
	const struct kirq_intid_count *x = a, *y = b;

	return (x->intid > y->intid) - (x->intid < y->intid);
}

static struct kirq_intid_count *intid_of(struct kirq_intid_count **v, size_t *n, __u32 intid)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].intid == intid)
			return &(*v)[i];
	*v = grow(*v, *n, sizeof(**v));
	(*v)[*n].intid = intid;
	return &(*v)[(*n)++];
}

/* arm64: vGIC queueings (version 0) and list-register populations (2, 3) per VM and intid. */
static void add_vgic(struct kirq_report *r, const struct kirq_vgic_count *c)
{
	struct kirq_vm *vm = vm_of(r, c->key.kvm);
	struct kirq_intid_count *n;

	if (!c->key.version) {
		r->vgic_queue += c->count;
		vm->vgic_queue += c->count;
		intid_of(&vm->queued, &vm->n_queued, c->key.intid)->count += c->count;
		return;
	}
	r->populate_lr += c->count;
	vm->populate_lr += c->count;
	n = intid_of(&vm->populated, &vm->n_populated, c->key.intid);
	n->count += c->count;
	if (c->key.version == 2) {
		vm->gicv2 += c->count;
		n->gicv2 += c->count;
	} else {
		vm->gicv3 += c->count;
		n->gicv3 += c->count;
	}
}

void kirq_report_build(struct kirq_report *r, const struct kirq_tables *t)
{
	for (size_t i = 0; i < t->n_wakeups; i++) {
		if (!t->wakeups[i].count)
			continue;
		r->wakeups += t->wakeups[i].count;
		add_wakeups(vm_of(r, t->wakeups[i].key.kvm), &t->wakeups[i],
			    info_of(t, t->wakeups[i].key.irqfd));
	}
	/* Queues sorted before injections are attributed: "first queue on the GSI" is by address. */
	for (size_t i = 0; i < r->n_vms; i++)
		sort_array(r->vms[i].queues, r->vms[i].n_queues, sizeof(struct kirq_queue), by_irqfd);
	for (size_t i = 0; i < t->n_arch; i++) {
		struct kirq_vm *vm = vm_of(r, t->arch[i].key.kvm);
		struct kirq_queue *q = queue_on_gsi(vm, t->arch[i].key.gsi);

		r->arch += t->arch[i].count;
		vm->arch += t->arch[i].count;
		if (q)
			q->arch_count += t->arch[i].count;
	}
	for (size_t i = 0; i < t->n_msi; i++) {
		struct kirq_vm *vm = vm_of(r, t->msi[i].key.kvm);
		struct kirq_queue *q = queue_on_gsi(vm, t->msi[i].key.gsi);

		r->msi += t->msi[i].count;
		vm->msi += t->msi[i].count;
		if (q)
			q->msi_count += t->msi[i].count;
	}
	for (size_t i = 0; i < t->n_kicks; i++) {
		struct kirq_vm *vm = vm_of(r, t->kicks[i].key.kvm);

		r->kicks += t->kicks[i].count;
		vm->kicks += t->kicks[i].count;
		vm->vcpus = grow(vm->vcpus, vm->n_vcpus, sizeof(*vm->vcpus));
		vm->vcpus[vm->n_vcpus].vcpu_id = t->kicks[i].key.vcpu_id;
		vm->vcpus[vm->n_vcpus++].count = t->kicks[i].count;
	}
	for (size_t i = 0; i < t->n_rets; i++) {
		struct kirq_vm *vm = vm_of(r, t->rets[i].key.kvm);

		vm->results = grow(vm->results, vm->n_results, sizeof(*vm->results));
		vm->results[vm->n_results].gsi = t->rets[i].key.gsi;
		vm->results[vm->n_results++].stats = t->rets[i].stats;
	}
	for (size_t i = 0; i < t->n_vgic; i++)
		if (t->vgic[i].count)
			add_vgic(r, &t->vgic[i]);
	sort_array(r->vms, r->n_vms, sizeof(*r->vms), by_kvm);
	for (size_t i = 0; i < r->n_vms; i++) {
		struct kirq_vm *vm = &r->vms[i];

		for (size_t j = 0; j < vm->n_queues; j++)
			sort_array(vm->queues[j].sources, vm->queues[j].n_sources, sizeof(struct kirq_source),
				   by_count_desc);
		sort_array(vm->vcpus, vm->n_vcpus, sizeof(*vm->vcpus), by_vcpu);
		sort_array(vm->results, vm->n_results, sizeof(*vm->results), by_gsi);
		sort_array(vm->queued, vm->n_queued, sizeof(*vm->queued), by_intid);
		sort_array(vm->populated, vm->n_populated, sizeof(*vm->populated), by_intid);
	}
}

void kirq_report_free(struct kirq_report *r)
{
	for (size_t i = 0; i < r->n_vms; i++) {
		struct kirq_vm *vm = &r->vms[i];

		for (size_t j = 0; j < vm->n_queues; j++) {
			free(vm->queues[j].cpus);
			free(vm->queues[j].tgids);
			free(vm->queues[j].sources);
		}
		free(vm->queues);
		free(vm->vcpus);
		free(vm->results);
		free(vm->queued);
		free(vm->populated);
	}
	free(r->vms);
	memset(r, 0, sizeof(*r));
}

/* ---- text ---- */

static void print_banner(FILE *f, const struct kirq_config *cfg, int interval, bool vgic)
{
	static const char *const subcategories[] = { NULL, "rx", "tx" };

	fprintf(f, "\n%s\n", RULE_BANNER);
	fprintf(f, "VM Interrupt Statistics Monitor - Histogram Version\n%s\n", RULE_BANNER);
	fprintf(f, "Features:\n"
		   "  - Use BPF_HISTOGRAM for kernel-side statistics aggregation\n"
		   "  - Fixed vhost PID and COMM filtering issues\n"
		   "  - Periodic statistics histogram output\n"
		   "  - Call source analysis with irqfd_wakeup parameter tracking\n");
	if (vgic)
		fprintf(f, "  - Complete ARM interrupt chain tracking:\n"
			   "    irqfd_wakeup -> kvm_arch_set_irq_inatomic -> kvm_set_msi -> "
			   "vgic_queue_irq_unlock\n"
			   "    -> kvm_vcpu_kick -> vgic_v2/v3_populate_lr (actual hardware injection)\n");
	else
		fprintf(f,
			"  - Complete interrupt chain tracking: irqfd_wakeup -> kvm_arch_set_irq_inatomic -> "
			"kvm_set_msi -> kvm_vcpu_kick\n");
	fprintf(f, "  - Ultra-high performance, suitable for high-frequency scenarios\n\n");
	fprintf(f, "Monitoring VM with QEMU PID: %u\n\nFilter Conditions:\n", cfg->qemu_pid);
	if (cfg->category == KIRQ_DATA) {
		fprintf(f, "  - Category: data (vhost-%u threads only)\n", cfg->qemu_pid);
		if (cfg->vhost_pid)
			fprintf(f, "  - VHOST Thread PID: %u (specific thread)\n", cfg->vhost_pid);
	} else if (cfg->category == KIRQ_CONTROL) {
		fprintf(f, "  - Category: control (QEMU process only)\n");
	} else {
		fprintf(f, "  - Tracking both vhost-%u threads and control interrupts\n", cfg->qemu_pid);
	}
	if (cfg->subcategory)
		fprintf(f, "  - Subcategory: %s\n", subcategories[cfg->subcategory]);
	fprintf(f, "\nStatistics Interval: %d seconds\n\nStarting monitor... (Press Ctrl+C to exit)\n%s\n",
		interval, RULE_BANNER);
}

void kirq_print_banner(FILE *f, const struct kirq_config *cfg, int interval)
{
	print_banner(f, cfg, interval, false);
}

void kirq_arm_print_banner(FILE *f, const struct kirq_config *cfg, int interval)
{
	print_banner(f, cfg, interval, true);
}

static double rate(__u64 n, double seconds)
{
	return seconds > 0 ? (double)n / seconds : 0;
}

static double pct(__u64 n, __u64 of)
{
	return of ? 100.0 * (double)n / (double)of : 0;
}

static void print_u32_list(FILE *f, const __u32 *v, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? ", " : "", v[i]);
	fputc(']', f);
}

static void print_queue(FILE *f, const struct kirq_queue *q, size_t n, double secs)
{
	fprintf(f, "     Thread #%zu: IRQFD=0x%llx\n", n, (unsigned long long)q->irqfd);
	fprintf(f, "        GSI: %u\n", q->gsi);
	if (q->msi_vector >= 0)
		fprintf(f, "        MSI Vector: 0x%02x (%d)\n", q->msi_vector, q->msi_vector);
	if (q->eventfd)
		fprintf(f, "        EventFD: 0x%llx\n", (unsigned long long)q->eventfd);
	fprintf(f, "        Interrupts: %llu (%.2f/sec)\n", (unsigned long long)q->count,
		rate(q->count, secs));
	if (q->data_count && q->control_count)
		fprintf(f, "        Categories: Data:%llu, Control:%llu\n", (unsigned long long)q->data_count,
			(unsigned long long)q->control_count);
	else if (q->data_count)
		fprintf(f, "        Categories: Data:%llu\n", (unsigned long long)q->data_count);
	else if (q->control_count)
		fprintf(f, "        Categories: Control:%llu\n", (unsigned long long)q->control_count);
	fprintf(f, "        CPU Distribution: ");
	print_u32_list(f, q->cpus, q->n_cpus);
	fprintf(f, "\n        Process: ");
	for (size_t i = 0; i < q->n_comms; i++)
		fprintf(f, "%s%s", i ? ", " : "", q->comms[i]);
	fprintf(f, " (PID: ");
	for (size_t i = 0; i < q->n_tgids && i < KIRQ_SET_MAX; i++)
		fprintf(f, "%s%u", i ? ", " : "", q->tgids[i]);
	fprintf(f, ")\n");
	if (q->n_sources == 1) {
		fprintf(f, "        Single Call Source: %s\n", q->sources[0].key);
		return;
	}
	fprintf(f, "        Call Sources for GSI %u:\n", q->gsi);
	for (size_t i = 0; i < q->n_sources; i++)
		fprintf(f, "          Source #%zu: %s (%.2f/sec, %.1f%%)\n", i + 1, q->sources[i].key,
			rate(q->sources[i].count, secs), pct(q->sources[i].count, q->count));
}

static void print_intids(FILE *f, const char *title, const char *what, const struct kirq_intid_count *v,
			 size_t n, double secs)
{
	if (!n)
		return;
	fprintf(f, "   %s:\n", title);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "     intid %u: %llu %s (%.2f/sec)\n", v[i].intid, (unsigned long long)v[i].count,
			what, rate(v[i].count, secs));
}

static void print_vm(FILE *f, const struct kirq_vm *vm, size_t n, double secs, bool vgic,
		     const char *(*wall)(__u64 ns, char *buf, size_t len))
{
	char from[32], to[32];

	fprintf(f, "VM #%zu (KVM=0x%llx)\n", n, (unsigned long long)vm->kvm);
	fprintf(f, "   Total Interrupts: %llu (%.2f interrupts/sec)\n", (unsigned long long)vm->wakeups,
		rate(vm->wakeups, secs));
	fprintf(f, "   Arch set_irq calls: %llu (%.2f/sec)\n", (unsigned long long)vm->arch,
		rate(vm->arch, secs));
	fprintf(f, "   kvm_set_msi calls: %llu (%.2f/sec)\n", (unsigned long long)vm->msi,
		rate(vm->msi, secs));
	if (vgic)
		fprintf(f, "   vgic_queue calls: %llu (%.2f/sec)\n", (unsigned long long)vm->vgic_queue,
			rate(vm->vgic_queue, secs));
	fprintf(f, "   vcpu_kick calls: %llu (%.2f/sec)\n", (unsigned long long)vm->kicks,
		rate(vm->kicks, secs));
	if (vgic) {
		fprintf(f, "   populate_lr calls (actual injection): %llu (%.2f/sec)\n",
			(unsigned long long)vm->populate_lr, rate(vm->populate_lr, secs));
		if (vm->gicv2 || vm->gicv3)
			fprintf(f, "     GICv2: %llu, GICv3: %llu\n", (unsigned long long)vm->gicv2,
				(unsigned long long)vm->gicv3);
	}
	fprintf(f, "   Threads with interrupts in this interval: %zu\n", vm->n_queues);
	if (vm->first_ns)
		fprintf(f, "   Activity Time: %s -> %s\n", wall(vm->first_ns, from, sizeof(from)),
			wall(vm->last_ns, to, sizeof(to)));
	if (vm->data_count || vm->control_count) {
		fprintf(f, "   Interrupt Categories:\n");
		if (vm->data_count)
			fprintf(f, "     Data Plane: %llu (%.1f%%)\n", (unsigned long long)vm->data_count,
				pct(vm->data_count, vm->wakeups));
		if (vm->control_count)
			fprintf(f, "     Control Plane: %llu (%.1f%%)\n",
				(unsigned long long)vm->control_count, pct(vm->control_count, vm->wakeups));
	}
	if (vm->n_queues)
		fprintf(f, "   Thread Details:\n");
	for (size_t i = 0; i < vm->n_queues; i++)
		print_queue(f, &vm->queues[i], i + 1, secs);
	if (vgic)
		print_intids(f, "vgic_queue_irq_unlock breakdown by intid", "calls", vm->queued, vm->n_queued,
			     secs);
	if (vm->n_vcpus) {
		fprintf(f, "   kvm_vcpu_kick breakdown by VCPU ID:\n");
		for (size_t i = 0; i < vm->n_vcpus; i++)
			fprintf(f, "     VCPU %u: %llu kicks (%.2f/sec)\n", vm->vcpus[i].vcpu_id,
				(unsigned long long)vm->vcpus[i].count, rate(vm->vcpus[i].count, secs));
	}
	if (vgic)
		print_intids(f, "vgic_populate_lr breakdown by intid (actual hardware injection)",
			     "injections", vm->populated, vm->n_populated, secs);
	fputc('\n', f);
}

void kirq_print_text(FILE *f, const struct kirq_report *r,
		     const char *(*wall)(__u64 ns, char *buf, size_t len))
{
	double secs = r->interval_s;

	fprintf(f, "\n%s\nVM Interrupt Statistics Summary (Histogram Version)\n%s\n", RULE_REPORT,
		RULE_REPORT);
	fprintf(f, "Timestamp: %s\n", r->when);
	fprintf(f, "Statistics Duration: %.2f seconds (Current Interval: %.2f seconds)\n", r->duration_s,
		secs);
	fprintf(f, "DEBUG: Interrupt chain analysis:\n");
	fprintf(f, "  Total irqfd_wakeup calls: %llu\n", (unsigned long long)r->wakeups);
	fprintf(f, "  Total kvm_arch_set_irq_inatomic calls: %llu\n", (unsigned long long)r->arch);
	fprintf(f, "  Total kvm_set_msi calls: %llu\n", (unsigned long long)r->msi);
	if (r->vgic)
		fprintf(f, "  Total vgic_queue_irq_unlock calls: %llu\n", (unsigned long long)r->vgic_queue);
	fprintf(f, "  Total kvm_vcpu_kick calls: %llu\n", (unsigned long long)r->kicks);
	if (r->vgic)
		fprintf(f, "  Total vgic_populate_lr calls (actual injection): %llu\n",
			(unsigned long long)r->populate_lr);
	fprintf(f, "Total Interrupts: %llu (%.2f interrupts/sec)\n", (unsigned long long)r->wakeups,
		rate(r->wakeups, secs));
	fprintf(f, "Active VMs: %zu\n\n", r->n_vms);
	for (size_t i = 0; i < r->n_vms; i++)
		print_vm(f, &r->vms[i], i + 1, secs, r->vgic, wall);
}

/* ---- JSON ---- */

static void json_ptr(struct json *j, const char *key, __u64 ptr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ptr);
	json_str(j, key, buf);
}

static void json_u32_array(struct json *j, const char *key, const __u32 *v, size_t n)
{
	json_arr(j, key);
	for (size_t i = 0; i < n; i++)
		json_uint(j, NULL, v[i]);
	json_end_arr(j);
}

static void json_queue(struct json *j, const struct kirq_queue *q)
{
	json_obj(j, NULL);
	json_ptr(j, "irqfd", q->irqfd);
	json_uint(j, "gsi", q->gsi);
	if (q->msi_vector >= 0)
		json_uint(j, "msi_vector", (uint64_t)q->msi_vector);
	else
		json_null(j, "msi_vector");
	if (q->eventfd)
		json_ptr(j, "eventfd", q->eventfd);
	else
		json_null(j, "eventfd");
	json_uint(j, "wakeups", q->count);
	json_uint(j, "data", q->data_count);
	json_uint(j, "control", q->control_count);
	json_uint(j, "arch_set_irq", q->arch_count);
	json_uint(j, "kvm_set_msi", q->msi_count);
	json_u32_array(j, "cpus", q->cpus, q->n_cpus);
	json_arr(j, "comms");
	for (size_t i = 0; i < q->n_comms; i++)
		json_str(j, NULL, q->comms[i]);
	json_end_arr(j);
	json_u32_array(j, "pids", q->tgids, q->n_tgids);
	json_arr(j, "call_sources");
	for (size_t i = 0; i < q->n_sources; i++) {
		json_obj(j, NULL);
		json_str(j, "source", q->sources[i].key);
		json_uint(j, "count", q->sources[i].count);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

static void json_intids(struct json *j, const char *key, const struct kirq_intid_count *v, size_t n,
			bool versions)
{
	json_arr(j, key);
	for (size_t i = 0; i < n; i++) {
		json_obj(j, NULL);
		json_uint(j, "intid", v[i].intid);
		json_uint(j, "count", v[i].count);
		if (versions) {
			json_uint(j, "gicv2", v[i].gicv2);
			json_uint(j, "gicv3", v[i].gicv3);
		}
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_vm(struct json *j, const struct kirq_vm *vm, bool vgic,
		    const char *(*wall)(__u64 ns, char *buf, size_t len))
{
	char t[32];

	json_obj(j, NULL);
	json_ptr(j, "kvm", vm->kvm);
	json_uint(j, "wakeups", vm->wakeups);
	json_uint(j, "arch_set_irq", vm->arch);
	json_uint(j, "kvm_set_msi", vm->msi);
	json_uint(j, "vcpu_kick", vm->kicks);
	if (vgic) {
		json_uint(j, "vgic_queue", vm->vgic_queue);
		json_uint(j, "populate_lr", vm->populate_lr);
		json_uint(j, "gicv2", vm->gicv2);
		json_uint(j, "gicv3", vm->gicv3);
	}
	json_uint(j, "data", vm->data_count);
	json_uint(j, "control", vm->control_count);
	if (vm->first_ns) {
		json_str(j, "first_activity", wall(vm->first_ns, t, sizeof(t)));
		json_str(j, "last_activity", wall(vm->last_ns, t, sizeof(t)));
	}
	json_arr(j, "irqfds");
	for (size_t i = 0; i < vm->n_queues; i++)
		json_queue(j, &vm->queues[i]);
	json_end_arr(j);
	json_arr(j, "vcpu_kicks");
	for (size_t i = 0; i < vm->n_vcpus; i++) {
		json_obj(j, NULL);
		json_uint(j, "vcpu", vm->vcpus[i].vcpu_id);
		json_uint(j, "kicks", vm->vcpus[i].count);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_arr(j, "arch_set_irq_results");
	for (size_t i = 0; i < vm->n_results; i++) {
		const struct kirq_ret_stats *s = &vm->results[i].stats;

		json_obj(j, NULL);
		json_uint(j, "gsi", vm->results[i].gsi);
		json_uint(j, "calls", s->calls);
		json_uint(j, "success", s->success);
		json_uint(j, "fail", s->fail);
		json_uint(j, "delivered", s->delivered);
		json_end_obj(j);
	}
	json_end_arr(j);
	if (vgic) {
		json_intids(j, "vgic_queue_by_intid", vm->queued, vm->n_queued, false);
		json_intids(j, "populate_lr_by_intid", vm->populated, vm->n_populated, true);
	}
	json_end_obj(j);
}

void kirq_print_json(FILE *f, const struct kirq_report *r, bool final,
		     const char *(*wall)(__u64 ns, char *buf, size_t len))
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", r->when);
	if (final)
		json_bool(&j, "final", true);
	json_double(&j, "duration_s", r->duration_s);
	json_double(&j, "interval_s", r->interval_s);
	json_uint(&j, "irqfd_wakeup", r->wakeups);
	json_uint(&j, "kvm_arch_set_irq_inatomic", r->arch);
	json_uint(&j, "kvm_set_msi", r->msi);
	json_uint(&j, "kvm_vcpu_kick", r->kicks);
	if (r->vgic) {
		json_uint(&j, "vgic_queue_irq_unlock", r->vgic_queue);
		json_uint(&j, "vgic_populate_lr", r->populate_lr);
	}
	json_arr(&j, "vms");
	for (size_t i = 0; i < r->n_vms; i++)
		json_vm(&j, &r->vms[i], r->vgic, wall);
	json_end_arr(&j);
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- Prometheus ---- */

static void prom_vm_gsi(struct prom *p, const char *vm, __u32 gsi, const char *name, const char *value,
			double v)
{
	char g[16];
	const struct prom_label labels[] = { { "vm", vm }, { "gsi", g }, { name, value } };

	snprintf(g, sizeof(g), "%u", gsi);
	prom_value(p, labels, name ? 3 : 2, v);
}

void kirq_prom_write(struct prom *p, const struct kirq_report *r, uint64_t not_counted)
{
	char vm[24], id[24], irqfd[24];

	prom_family(p, "irqfd_wakeups_total", PROM_COUNTER,
		    "irqfd_wakeup calls per VM and irqfd, by who woke it: data (vhost threads), control "
		    "(QEMU) or other.");
	for (size_t i = 0; i < r->n_vms; i++) {
		snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
		for (size_t j = 0; j < r->vms[i].n_queues; j++) {
			const struct kirq_queue *q = &r->vms[i].queues[j];
			__u64 other = q->count - q->data_count - q->control_count;
			struct prom_label labels[] = {
				{ "vm", vm }, { "gsi", id }, { "irqfd", irqfd }, { "plane", "data" }
			};

			snprintf(id, sizeof(id), "%u", q->gsi);
			snprintf(irqfd, sizeof(irqfd), "0x%llx", (unsigned long long)q->irqfd);
			prom_value(p, labels, ARRAY_SIZE(labels), (double)q->data_count);
			labels[3].value = "control";
			prom_value(p, labels, ARRAY_SIZE(labels), (double)q->control_count);
			if (other) {
				labels[3].value = "other";
				prom_value(p, labels, ARRAY_SIZE(labels), (double)other);
			}
		}
	}
	prom_family(p, "injections_total", PROM_COUNTER,
		    "Interrupt injections per VM: kvm_arch_set_irq_inatomic and kvm_set_msi calls.");
	for (size_t i = 0; i < r->n_vms; i++) {
		struct prom_label labels[] = { { "vm", vm }, { "function", "kvm_arch_set_irq_inatomic" } };

		snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
		prom_value(p, labels, 2, (double)r->vms[i].arch);
		labels[1].value = "kvm_set_msi";
		prom_value(p, labels, 2, (double)r->vms[i].msi);
	}
	prom_family(p, "atomic_injections_total", PROM_COUNTER,
		    "kvm_arch_set_irq_inatomic results per VM and GSI: success, or fail (injected later "
		    "from a work item).");
	for (size_t i = 0; i < r->n_vms; i++) {
		snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
		for (size_t j = 0; j < r->vms[i].n_results; j++) {
			const struct kirq_gsi_result *g = &r->vms[i].results[j];

			prom_vm_gsi(p, vm, g->gsi, "result", "success", (double)g->stats.success);
			prom_vm_gsi(p, vm, g->gsi, "result", "fail", (double)g->stats.fail);
		}
	}
	prom_family(p, "atomic_injection_deliveries_total", PROM_COUNTER,
		    "vCPUs the successful kvm_arch_set_irq_inatomic calls delivered to, per VM and GSI.");
	for (size_t i = 0; i < r->n_vms; i++) {
		snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
		for (size_t j = 0; j < r->vms[i].n_results; j++)
			prom_vm_gsi(p, vm, r->vms[i].results[j].gsi, NULL, NULL,
				    (double)r->vms[i].results[j].stats.delivered);
	}
	prom_family(p, "vcpu_kicks_total", PROM_COUNTER, "kvm_vcpu_kick calls per VM and vCPU.");
	for (size_t i = 0; i < r->n_vms; i++) {
		snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
		for (size_t j = 0; j < r->vms[i].n_vcpus; j++) {
			const struct prom_label labels[] = { { "vm", vm }, { "vcpu", id } };

			snprintf(id, sizeof(id), "%u", r->vms[i].vcpus[j].vcpu_id);
			prom_value(p, labels, 2, (double)r->vms[i].vcpus[j].count);
		}
	}
	if (r->vgic) {
		prom_family(
			p, "vgic_queued_total", PROM_COUNTER,
			"vgic_queue_irq_unlock calls (interrupts queued to a vCPU) per VM and interrupt ID.");
		for (size_t i = 0; i < r->n_vms; i++) {
			snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
			for (size_t j = 0; j < r->vms[i].n_queued; j++) {
				const struct prom_label labels[] = { { "vm", vm }, { "intid", id } };

				snprintf(id, sizeof(id), "%u", r->vms[i].queued[j].intid);
				prom_value(p, labels, 2, (double)r->vms[i].queued[j].count);
			}
		}
		prom_family(p, "vgic_list_register_injections_total", PROM_COUNTER,
			    "vgic_v2/v3_populate_lr calls (the interrupt put in a list register on guest "
			    "entry) per VM, interrupt ID and GIC version.");
		for (size_t i = 0; i < r->n_vms; i++) {
			snprintf(vm, sizeof(vm), "0x%llx", (unsigned long long)r->vms[i].kvm);
			for (size_t j = 0; j < r->vms[i].n_populated; j++) {
				const struct kirq_intid_count *c = &r->vms[i].populated[j];
				struct prom_label labels[] = { { "vm", vm },
							       { "intid", id },
							       { "gic", "v2" } };

				snprintf(id, sizeof(id), "%u", c->intid);
				if (c->gicv2)
					prom_value(p, labels, 3, (double)c->gicv2);
				labels[2].value = "v3";
				if (c->gicv3)
					prom_value(p, labels, 3, (double)c->gicv3);
			}
		}
	}
	prom_family(p, "not_counted_table_full_total", PROM_COUNTER,
		    "Events not counted: a counter table was full.");
	prom_value(p, NULL, 0, (double)not_counted);
}
