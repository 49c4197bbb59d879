// SPDX-License-Identifier: GPL-2.0-only
/* virtnet_irq_monitor: per-IRQ handler calls, CPU spread, return values and durations per interval. */
#include <bpf/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "timefmt.h"
#include "util.h"
#include "virtio_dev.h"
#include "virtnet_irq_monitor.h"
#include "virtnet_irq_monitor.skel.h"

static struct {
	const char *irqs;
	const char *device;
	int interval;
	bool trace_cpu;
} opt = { .interval = 5 };

static const struct arg_opt options[] = {
	OPT_STR("irqs", 0, &opt.irqs, "Comma-separated list of IRQ numbers to monitor (e.g., 69,71,73,75)"),
	OPT_INT("interval", 0, &opt.interval, 1, 86400, "Reporting interval in seconds"),
	OPT_FLAG("trace-cpu", 0, &opt.trace_cpu, "Enable CPU tracking"),
	OPT_STR("device", 0, &opt.device,
		"a virtio-net interface (eth0) or virtio device (virtio0): monitor its IRQs, as listed in "
		"/proc/interrupts (with or instead of --irqs)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "virtnet_irq_monitor",
	.description = "Enhanced Virtio IRQ Monitor",
	.epilog = "examples:\n"
		  "  virtnet_irq_monitor --irqs 69,71,73,75\n"
		  "  virtnet_irq_monitor --irqs 69 --interval 1 --trace-cpu\n"
		  "  virtnet_irq_monitor --device eth0 --interval 1     # eth0's virtio IRQs",
	.opts = options,
};

enum { VQ_ENTRY, VQ_EXIT, VQ_HOOKS };

static const struct hook_def hook_defs[VQ_HOOKS] = {
	[VQ_ENTRY] = { "IRQ handler entry", { HOOK_RAW_TRACEPOINT("virq_entry", "irq:irq_handler_entry") } },
	[VQ_EXIT] = { "IRQ handler exit", { HOOK_RAW_TRACEPOINT("virq_exit", "irq:irq_handler_exit") } },
};
const struct hook_table virq_hook_table = { hook_defs, VQ_HOOKS };

#define MAX_LIST (VIRQ_MAX_IRQS * 2)

/* A counter of a (IRQ, CPU) or (IRQ, return value) map as last seen, for the differences. */
struct pair_seen {
	struct virq_pair key;
	uint64_t count;
};

struct pair_table {
	struct pair_seen *seen;
	int n, cap;
};

/* A watched IRQ and its handlers' names. */
struct watched_irq {
	int irq;
	char name[128];
};

struct run {
	struct virtnet_irq_monitor_bpf *skel;
	int given[MAX_LIST]; /* the IRQs as given (duplicates kept), for the banner */
	struct watched_irq list[MAX_LIST]; /* the same in ascending order, the order of the reports */
	int nlist;
	struct virq_stats prev[MAX_LIST];
	struct pair_table cpus, rets;
	struct virq_irq_report irqs[MAX_LIST];
};

/* The --irqs and --device IRQs into r->given, in the order given. */
static void collect_irqs(struct run *r)
{
	struct virtio_irq found[64];
	char err[160], vdev[64];
	int n;

	if (!opt.irqs && !opt.device)
		arg_fail("the following arguments are required: --irqs");
	if (opt.irqs) {
		n = virq_parse_list(opt.irqs, r->given, VIRQ_MAX_IRQS, err, sizeof(err));
		if (n < 0)
			arg_fail_opt(&opt.irqs, "Invalid IRQ number: %s", err);
		r->nlist = n;
	}
	if (!opt.device)
		return;
	if (!virtio_dev_of_iface(opt.device, vdev, sizeof(vdev))) {
		if (!virtio_dev_exists(opt.device))
			die("--device %s: no such virtio-net interface or virtio device", opt.device);
		snprintf(vdev, sizeof(vdev), "%s", opt.device);
	}
	n = virtio_dev_irqs(vdev, found, ARRAY_SIZE(found));
	if (n <= 0)
		die("--device %s: %s has no interrupt in /proc/interrupts", opt.device, vdev);
	for (int i = 0; i < n && r->nlist < MAX_LIST; i++)
		r->given[r->nlist++] = found[i].irq;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* r->list: the given IRQs sorted, named after their handlers; dies on one the kernel does not have. */
static void name_irqs(struct run *r)
{
	char path[64];

	for (int i = 0; i < r->nlist; i++)
		r->list[i].irq = r->given[i];
	qsort(r->list, (size_t)r->nlist, sizeof(r->list[0]), cmp_int);
	for (int i = 0; i < r->nlist; i++) {
		struct watched_irq *w = &r->list[i];

		snprintf(path, sizeof(path), "/sys/kernel/irq/%d", w->irq);
		if (irq_action_name(w->irq, w->name, sizeof(w->name)))
			continue;
		if (w->irq < 0 || access(path, F_OK))
			die("IRQ %d does not exist (neither in /proc/interrupts nor in /sys/kernel/irq)",
			    w->irq);
		snprintf(w->name, sizeof(w->name), "unknown");
	}
}

/* The change of the counter under key since the last call, remembered in t. */
static uint64_t pair_delta(struct pair_table *t, const struct virq_pair *key, uint64_t now)
{
	uint64_t before;

	for (int i = 0; i < t->n; i++) {
		if (t->seen[i].key.irq == key->irq && t->seen[i].key.value == key->value) {
			before = t->seen[i].count;
			t->seen[i].count = now;
			return now - before;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->seen = realloc(t->seen, (size_t)t->cap * sizeof(*t->seen));
		if (!t->seen)
			die("out of memory");
	}
	t->seen[t->n++] = (struct pair_seen){ *key, now };
	return now;
}

static int cmp_count(const void *a, const void *b)
{
	return cmp_int(&((const struct virq_count *)a)->key, &((const struct virq_count *)b)->key);
}

/* The interval's counts of map into each IRQ's list (cpus or rets, chosen by which). */
static void read_pairs(struct run *r, struct bpf_map *map, struct pair_table *t, bool cpus)
{
	struct virq_pair key, next, *prev = NULL;
	int fd = bpf_map__fd(map);
	uint64_t count, delta;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		delta = pair_delta(t, &key, count);
		if (!delta)
			continue;
		for (int i = 0; i < r->nlist; i++) {
			struct virq_irq_report *q = &r->irqs[i];
			struct virq_count **list = cpus ? &q->cpus : &q->rets;
			int *n = cpus ? &q->ncpus : &q->nrets;

			if (q->irq != key.irq)
				continue;
			*list = realloc(*list, (size_t)(*n + 1) * sizeof(**list));
			if (!*list)
				die("out of memory");
			(*list)[(*n)++] = (struct virq_count){ key.value, delta };
		}
	}
	for (int i = 0; i < r->nlist; i++) {
		struct virq_irq_report *q = &r->irqs[i];

		qsort(cpus ? q->cpus : q->rets, cpus ? q->ncpus : q->nrets, sizeof(struct virq_count),
		      cmp_count);
	}
}

static void report(void *ctx)
{
	struct run *r = ctx;
	int stats_fd = bpf_map__fd(r->skel->maps.stats), max_fd = bpf_map__fd(r->skel->maps.max_ns);
	struct virq_report rep = { .irqs = r->irqs, .nirqs = r->nlist };
	uint64_t zero = 0, max;
	struct virq_stats now;
	char hms[16];

	for (int i = 0; i < r->nlist; i++) {
		struct virq_irq_report *q = &r->irqs[i];

		free(q->cpus);
		free(q->rets);
		memset(q, 0, sizeof(*q));
		q->irq = r->list[i].irq;
		q->name = r->list[i].name;
		if (bpf_map_lookup_elem(stats_fd, &q->irq, &now))
			continue;
		q->calls = now.calls - r->prev[i].calls;
		q->timed = now.timed - r->prev[i].timed;
		q->duration_ns = now.duration_ns - r->prev[i].duration_ns;
		r->prev[i] = now;
		if (!bpf_map_lookup_elem(max_fd, &q->irq, &max)) {
			q->max_ns = max;
			/* A duplicate in the list reads the same maximum before it is reset. */
			if (i + 1 == r->nlist || r->list[i + 1].irq != q->irq)
				bpf_map_update_elem(max_fd, &q->irq, &zero, BPF_EXIST);
		}
	}
	read_pairs(r, r->skel->maps.cpu_calls, &r->cpus, true);
	read_pairs(r, r->skel->maps.ret_calls, &r->rets, false);
	rep.hms = fmt_time_hms(hms, sizeof(hms));
	if (g_common.json)
		virq_print_json(stdout, &rep);
	else
		virq_print_report(stdout, &rep);
}

static void final_report(void *ctx)
{
	if (!g_common.json)
		printf("\nStopping IRQ monitoring...\n");
	report(ctx);
}

/* Warns about counts the kernel side could not keep per CPU or per return value. */
static void report_overflow(struct run *r)
{
	uint64_t full[VIRQ_COUNTERS];

	bpfload_percpu_sums(r->skel->maps.counters, VIRQ_COUNTERS, full);
	if (full[VIRQ_CPU_FULL])
		log_warn("%llu handler calls were not counted per CPU: the table of %d (IRQ, CPU) pairs was "
			 "full",
			 (unsigned long long)full[VIRQ_CPU_FULL], VIRQ_MAX_CPU_KEYS);
	if (full[VIRQ_RET_FULL])
		log_warn("%llu handler exits were not counted per return value: the table of %d pairs was "
			 "full",
			 (unsigned long long)full[VIRQ_RET_FULL], VIRQ_MAX_RET_KEYS);
}

int main(int argc, char **argv)
{
	static struct run r;
	struct hook_set hooks;
	struct virq_stats none = { 0 };
	uint64_t zero = 0;

	args_parse(&parser, argc, argv);
	collect_irqs(&r);
	tool_init("virtnet_irq_monitor");
	hook_set_init(&hooks, virq_hook_table.defs, virq_hook_table.n, 0);
	name_irqs(&r);
	if (!g_common.json)
		virq_print_banner(stdout, r.given, r.nlist, opt.interval, opt.trace_cpu);

	r.skel = BPFNET_OPEN(virtnet_irq_monitor_bpf);
	hook_prepare(&hooks, r.skel->obj);
	bpfload_load(r.skel->skeleton);
	for (int i = 0; i < r.nlist; i++) {
		bpf_map_update_elem(bpf_map__fd(r.skel->maps.stats), &r.list[i].irq, &none, BPF_ANY);
		bpf_map_update_elem(bpf_map__fd(r.skel->maps.max_ns), &r.list[i].irq, &zero, BPF_ANY);
	}
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json)
		virq_print_started(stdout);
	output_flush();
	tool_ready();
	interval_run(&(struct interval_loop){
		.interval_s = opt.interval, .report = report, .final = final_report, .ctx = &r });
	hook_detach(&hooks);
	report_overflow(&r);
	virtnet_irq_monitor_bpf__destroy(r.skel);
	return 0;
}
