// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irqfd_stats_summary and kvm_irqfd_stats_summary_arm: the command line, the load and
 * attach, and the interval reports both tools make from the same counter maps.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "interval.h"
#include "kernel_btf.h"
#include "kvm_irqfd_stats_summary.h"
#include "log.h"
#include "output.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"

/* The original's choices; the index + 1 is the enum value (not given: -1, all/none). */
static const char *const categories[] = { "data", "control", NULL };
static const char *const subcategories[] = { "rx", "tx", NULL };

static struct {
	int qemu_pid, qemu_pid_opt, vhost_pid;
	double interval;
	int category, subcategory;
	struct prom_opts prom;
} opt = { .interval = 5, .category = -1, .subcategory = -1 };

static const struct arg_opt options[] = {
	OPT_INT("qemu-pid", 0, &opt.qemu_pid_opt, 1, 4194304,
		"QEMU process ID (the manual's spelling of the positional qemu_pid; default: the "
		"positional)"),
	OPT_SECONDS("interval", 0, &opt.interval, ARG_WHOLE, "Statistics interval in seconds (default: 5)"),
	OPT_INT("vhost-pid", 0, &opt.vhost_pid, 0, 4194304,
		"Only this vhost thread (PID or thread ID; requires --category data; default: any)"),
	OPT_ENUM("category", 0, &opt.category, categories,
		 "data: vhost-<qemu_pid> threads only; control: the QEMU process only (default: both)"),
	OPT_ENUM("subcategory", 0, &opt.subcategory, subcategories,
		 "rx or tx: echoed in the banner, no effect on counting, as in the original (requires "
		 "--category; default: none)"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_positional positionals[] = {
	POS_INT("qemu_pid", &opt.qemu_pid, "QEMU process ID", false),
	{ 0 },
};

/* The counter maps: cumulative in the kernel, so an interval is the change since the last report. */
enum { T_WAKEUPS, T_ARCH, T_MSI, T_KICKS, T_RETS, T_VGIC, T_TABLES };
static const char *const table_maps[T_TABLES] = { "wakeup_counts", "arch_counts",  "msi_counts",
						  "kick_counts",   "arch_results", "vgic_counts" };
static const size_t table_vals[T_TABLES] = { 1, 1, 1, 1, 4, 1 };

struct run {
	const struct kirq_tool *tool;
	struct bpf_object *obj;
	struct bpf_map *maps[T_TABLES]; /* T_VGIC: the arm tool's only */
	struct kirq_entries before[T_TABLES], now[T_TABLES], delta[T_TABLES], irqfds;
	double last_report_s;
	struct prom prom;
};

static struct bpf_map *map_named(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		die("internal error: the BPF object has no map %s", name);
	return map;
}

static const char *activity_time(__u64 ktime_ns, char *buf, size_t len)
{
	char full[40];

	/* "YYYY-MM-DD HH:MM:SS.mmm": the original prints the time of day only. */
	fmt_wall_ns_ms(ktime_to_wall_ns(ktime_ns), full, sizeof(full));
	snprintf(buf, len, "%s", full + 11);
	return buf;
}

static struct kirq_tables tables_of(const struct kirq_entries *e, const struct kirq_entries *irqfds)
{
	return (struct kirq_tables){
		.wakeups = (void *)e[T_WAKEUPS].v,
		.n_wakeups = e[T_WAKEUPS].n,
		.arch = (void *)e[T_ARCH].v,
		.n_arch = e[T_ARCH].n,
		.msi = (void *)e[T_MSI].v,
		.n_msi = e[T_MSI].n,
		.kicks = (void *)e[T_KICKS].v,
		.n_kicks = e[T_KICKS].n,
		.rets = (void *)e[T_RETS].v,
		.n_rets = e[T_RETS].n,
		.irqfds = (void *)irqfds->v,
		.n_irqfds = irqfds->n,
		.vgic = (void *)e[T_VGIC].v,
		.n_vgic = e[T_VGIC].n,
	};
}

static uint64_t not_counted(const struct run *r, uint64_t *full)
{
	bpfload_percpu_sums(map_named(r->obj, "counters"), KIRQ_COUNTERS, full);
	return full[KIRQ_FULL_WAKEUPS] + full[KIRQ_FULL_ARCH] + full[KIRQ_FULL_MSI] + full[KIRQ_FULL_KICKS] +
	       full[KIRQ_FULL_VGIC];
}

/* The metrics: the kernel's tables are cumulative, so the report of their current values. */
static void write_metrics(struct run *r)
{
	struct kirq_report cum = { .vgic = r->tool->vgic };
	struct kirq_tables t = tables_of(r->now, &r->irqfds);
	uint64_t full[KIRQ_COUNTERS];

	kirq_report_build(&cum, &t);
	prom_begin(&r->prom, r->tool->prog);
	kirq_prom_write(&r->prom, &cum, not_counted(r, full));
	prom_commit(&r->prom, opt.prom.path);
	kirq_report_free(&cum);
}

static void report(struct run *r, bool final)
{
	struct kirq_report rep = { .vgic = r->tool->vgic };
	struct kirq_tables t;
	double now = tool_elapsed();

	for (int i = 0; i < T_TABLES; i++) {
		if (!r->maps[i])
			continue;
		kirq_entries_read(&r->now[i], r->maps[i], table_vals[i]);
		kirq_entries_since(&r->delta[i], &r->now[i], &r->before[i]);
		free(r->before[i].v);
		kirq_entries_copy(&r->before[i], &r->now[i]);
	}
	kirq_entries_read(&r->irqfds, map_named(r->obj, "irqfd_infos"),
			  sizeof(struct kirq_irqfd_info) / sizeof(__u64));
	t = tables_of(r->delta, &r->irqfds);
	kirq_report_build(&rep, &t);
	rep.duration_s = now;
	rep.interval_s = now - r->last_report_s;
	r->last_report_s = now;
	fmt_datetime_ms(rep.when, sizeof(rep.when));
	if (g_common.json) {
		kirq_print_json(stdout, &rep, final, activity_time);
	} else {
		if (final)
			printf("\n\nReceived interrupt signal, displaying final statistics...\n");
		kirq_print_text(stdout, &rep, activity_time);
	}
	output_flush();
	kirq_report_free(&rep);
	if (opt.prom.path)
		write_metrics(r);
}

static void report_interval(void *ctx)
{
	report(ctx, false);
}

static void report_final(void *ctx)
{
	report(ctx, true);
}

static void check_options(void)
{
	if (opt.qemu_pid && opt.qemu_pid_opt && opt.qemu_pid != opt.qemu_pid_opt)
		arg_fail("argument --qemu-pid: %d differs from the positional qemu_pid %d", opt.qemu_pid_opt,
			 opt.qemu_pid);
	if (!opt.qemu_pid)
		opt.qemu_pid = opt.qemu_pid_opt;
	if (opt.qemu_pid <= 0)
		arg_fail("the following arguments are required: qemu_pid");
	if (opt.vhost_pid && opt.category + 1 != KIRQ_DATA)
		arg_fail("argument --vhost-pid: can only be used with --category=data");
	if (opt.subcategory >= 0 && opt.category < 0)
		arg_fail("argument --subcategory: requires --category to be specified");
}

static void warn_full(const struct run *r)
{
	uint64_t full[KIRQ_COUNTERS];
	unsigned long long lost = not_counted(r, full);

	if (lost)
		log_warn("%llu events not counted: a table of %d entries was full", lost, KIRQ_COUNTS_MAX);
	if (full[KIRQ_FULL_IRQFDS])
		log_warn("%llu irqfds without EventFD and activity times: the table of %d irqfds was full",
			 (unsigned long long)full[KIRQ_FULL_IRQFDS], KIRQ_IRQFDS_MAX);
}

int kirq_run(const struct kirq_tool *tool, int argc, char **argv)
{
	struct run r = { .tool = tool };
	struct hook_set hooks;
	struct kirq_config cfg;
	struct bpf_object_skeleton *skeleton;
	void *skel;
	char proc[32], epilog[512];
	const char *p = tool->prog;
	struct arg_parser parser = {
		.prog = p,
		.description = tool->description,
		.epilog = epilog,
		.opts = options,
		.positionals = positionals,
	};

	snprintf(epilog, sizeof(epilog),
		 "examples:\n"
		 "  %s 12345                    # every irqfd of the VM, every 5 s\n"
		 "  %s --qemu-pid 12345 --interval 1\n"
		 "  %s 12345 --category data    # vhost-12345 threads only\n"
		 "  %s 12345 --category data --vhost-pid 12399",
		 p, p, p, p);
	args_parse(&parser, argc, argv);
	check_options();
	prom_opts_check(&opt.prom);
	cfg = (struct kirq_config){ opt.qemu_pid, opt.vhost_pid, opt.category + 1, opt.subcategory + 1 };
	tool_init(p);
	hook_set_init(&hooks, tool->hooks->defs, tool->hooks->n, 0);
	hooks.quiet = tool->vgic; /* the arm tool prints its own Note: lines for the optional probes */
	if (tool->check_kernel)
		tool->check_kernel();
	snprintf(proc, sizeof(proc), "/proc/%d", opt.qemu_pid);
	if (access(proc, F_OK))
		die("no process with PID %d: qemu_pid must be the QEMU process of the VM", opt.qemu_pid);
	require_module("kvm", "its irqfds and injections are what the tool counts");
	require_function_hooks("irqfd_wakeup and the injection functions have no tracepoint");
	skel = tool->open(&r.obj, &skeleton);
	hook_prepare(&hooks, r.obj);
	if (!kernel_struct_exists("kvm_kernel_irqfd", "kvm"))
		die("no BTF describes kvm's struct kvm_kernel_irqfd (module BTF came in 5.11): "
		    "pass --btf DIR with a kvm file, or BPFNET_BTF (README, \"Kernels without BTF\")");
	bpfload_load(skeleton);
	bpfload_write_config(map_named(r.obj, "config_map"), &cfg, sizeof(cfg));
	for (int i = 0; i < T_TABLES; i++)
		if (i != T_VGIC || tool->vgic)
			r.maps[i] = map_named(r.obj, table_maps[i]);
	tool_install_signals();
	hook_attach(&hooks);
	if (!g_common.json) {
		printf("Loading VM interrupt statistics program (histogram version)...\n");
		tool->print_attached(&hooks);
		tool->print_banner(stdout, &cfg, (int)opt.interval);
	}
	output_flush();
	tool_ready();
	interval_run(&(struct interval_loop){
		.interval_s = opt.interval, .report = report_interval, .final = report_final, .ctx = &r });
	hook_detach(&hooks);
	if (!g_common.json)
		printf("\nMonitoring ended\n");
	warn_full(&r);
	for (int i = 0; i < T_TABLES; i++) {
		free(r.before[i].v);
		free(r.now[i].v);
		free(r.delta[i].v);
	}
	free(r.irqfds.v);
	prom_free(&r.prom);
	tool->destroy(skel);
	return 0;
}
