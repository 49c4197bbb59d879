// SPDX-License-Identifier: GPL-2.0-only
/*
 * README.md's "kernel needs" column is written from the tools' hook tables: this test renders
 * each tool's needs and fails when its README row says otherwise. BPFNET_README_UPDATE=1
 * rewrites the column (review the diff before committing it).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drop_probe.h"
#include "netstage.h"
#include "strbuf.h"
#include "unit_helpers.h"
#include "util.h"

#include "cpu_monitor.h"
#include "futex.h"
#include "trace-abnormal-arp.h"
#include "trace-qdisc-dequeue.h"
#include "trace_dev_queue_xmit.h"
#include "trace_tc_qdisc.h"
#include "iface_netstat.h"
#include "offcputime-ts.h"
#include "ovs_upcall_latency_summary.h"
#include "ovs-kernel-module-drop-monitor.h"
#include "ovs_userspace_megaflow.h"
#include "pthread_rwlock_wrlock.h"
#include "qdisc_drop_trace.h"
#include "qdisc_lateny_details.h"
#include "sched_latency_monitor.h"
#include "sysnet_stages.h"
#include "system_network_icmp_rtt.h"
#include "trace_conntrack.h"
#include "trace_ip_defrag.h"
#include "trace_offloading_segment.h"
#include "trace_vlanvm_udp_workload.h"
#include "vpc-vm-udp-datapath.h"
#include "trace_virtio_net_rcvbuf.h"
#include "virtionet-rx-path-monitor.h"
#include "trace-ovs-ct-invalid.h"
#include "tun_vhost_queue.h"
#include "virtionet-rx-path-summary.h"
#include "virtnet_irq_monitor.h"
#include "virtnet_poll_monitor.h"
#include "vhost_buf_peek_stats.h"
#include "vhost_eventfd_count.h"
#include "tun-abnormal-gso-type.h"
#include "kvm_irqfd_stats_summary.h"
#include "tun_tx_to_kvm_irq.h"
#include "tun_ring_monitor.h"
#include "tun-tx-ring-stas.h"
#include "vmnet_stages.h"
#include "vm_pair.h"
#include "vhost_queue_correlation_details.h"
#include "vhost_queue_correlation_simple.h"

#define README PROJECT_DIR "/README.md"

static const struct hook_table drop_table = { &drop_hook, 1 };

static const struct tool_hooks {
	const char *tool;
	const struct hook_table *table; /* NULL: a netstage model's hooks, or none */
	const struct netstage_model *model;
	const char *required_module; /* what the tool's require_module() call asks for */
} tools[] = {
	{ "eth_drop", &drop_table },
	{ "kernel_drop_stack_stats_summary", &drop_table },
	{ "kernel_drop_stack_stats_summary_all", &drop_table },
	{ "kernel_drop_stack_stats", &drop_table },
	{ "qdisc_drop_trace", &qdt_hook_table },
	{ "drop_monitor_controller" },
	{ "trace_conntrack", &ct_hook_table, .required_module = "nf_conntrack" },
	{ "trace_ip_defrag", &defrag_hook_table },
	{ "qdisc_lateny_details", &qdisc_lat_hook_table },
	{ "iface_netstat", &netstat_hook_table },
	{ "vm_pair_latency", &vm_pair_hook_table },
	{ "multi_vm_pair_latency", &vm_pair_hook_table },
	{ "multi_vm_pair_latency_pairid", &vm_pair_hook_table },
	{ "vm_pair_gap", &vm_pair_hook_table },
	{ "multi_port_gap", &vm_pair_hook_table },
	{ "multi_vm_pair_multi_port_gap", &vm_pair_hook_table },
	{ "system_network_icmp_rtt", &rtt_hook_table },
	{ "system_network_latency_summary", NULL, &sysnet_latency_model },
	{ "system_network_latency_details", NULL, &sysnet_latency_model },
	{ "system_network_perfomance_metrics", NULL, &sysnet_metrics_model },
	{ "futex", &futex_hook_table },
	{ "sched_latency_monitor", &slm_hook_table },
	{ "offcputime-ts", &offcpu_hook_table },
	{ "pthread_rwlock_wrlock", &rwl_hook_table },
	{ "pthread_rwlock_wrlock-stack", &rwl_hook_table },
	{ "cpu_monitor", &cpum_hook_table },
	{ "ovs_upcall_latency_summary", &upcall_hook_table, .required_module = "openvswitch" },
	{ "trace_offloading_segment", &offseg_hook_table },
	{ "trace_vlanvm_udp_workload", &vlanvm_hook_table },
	{ "vpc-vm-udp-datapath", &vpc_hook_table },
	{ "virtnet_poll_monitor", &virtnet_poll_hook_table },
	{ "vhost_eventfd_count", &vhost_eventfd_hook_table },
	{ "kvm_irqfd_stats_summary", &kirq_hook_table },
	{ "kvm_irqfd_stats_summary_arm", &kirq_arm_hook_table },
	{ "tun_tx_to_kvm_irq", &ttk_hook_table },
	{ "vhost_buf_peek_stats", &vhost_peek_hook_table },
	{ "vhost_queue_correlation_simple", &vqc_simple_hook_table, .required_module = "vhost_net" },
	{ "vhost_queue_correlation_details", &vqcd_hook_table, .required_module = "vhost_net" },
	{ "virtnet_irq_monitor", &virq_hook_table },
	{ "virtionet-rx-path-summary", &rxsum_hook_table },
	{ "trace-qdisc-dequeue", &qdq_hook_table },
	{ "trace_dev_queue_xmit", &dqx_hook_table },
	{ "trace_tc_qdisc", &tcq_hook_table },
	{ "ovs-kernel-module-drop-monitor", &ovsdrop_hook_table, .required_module = "openvswitch" },
	{ "virtionet-rx-path-monitor", &rxmon_hook_table },
	{ "trace_virtio_net_rcvbuf", &rcvbuf_hook_table },
	{ "trace-abnormal-arp", &arp_hook_table },
	{ "trace-ovs-ct-invalid", &ctinv_hook_table, .required_module = "openvswitch" },
	{ "ovs_userspace_megaflow", &megaflow_hook_table, .required_module = "openvswitch" },
	{ "tun_ring_monitor", &trm_hook_table, .required_module = "tun" },
	{ "tun-tx-ring-stas", &ttrs_hook_table, .required_module = "tun" },
	{ "tun-abnormal-gso-type", &tagt_hook_table, .required_module = "tun" },
	{ "vm_network_latency_summary", NULL, &vmnet_model },
	{ "vm_network_latency_details", NULL, &vmnet_details_model },
	{ "vm_network_performance_metrics", NULL, &vmnet_model },
	{ "tun_to_vhost_queue_status_simple", &tvq_simple_hook_table },
	{ "tun_to_vhost_queue_status_simple_summary", &tvq_simple_hook_table },
	{ "tun_to_vhost_queue_stats_details", &tvq_details_hook_table },
	{ "tun_to_vhost_queue_stats_full_summary", &tvq_details_hook_table },
};

/*
 * One hook's alternatives: "tracepoint `skb:kfree_skb` or kprobe", "kprobes" (kprobes only); a
 * return (fexit, kretprobe) reads as its entry would ("fentry or kprobe").
 */
static void hook_phrase(const struct hook_def *d, struct strbuf *out)
{
	struct strbuf seen = { 0 };

	for (int k = 0; k < HOOK_MAX_CANDIDATES && d->cand[k].kind != HOOK_NONE; k++) {
		const struct hook_candidate *c = &d->cand[k];
		char item[160];

		if (c->kind == HOOK_TP || c->kind == HOOK_RAW_TP || c->kind == HOOK_TP_BTF)
			snprintf(item, sizeof(item), "%s `%s`",
				 c->kind == HOOK_TP       ? "tracepoint"
				 : c->kind == HOOK_RAW_TP ? "raw tracepoint"
							  : "BTF tracepoint",
				 c->target);
		else
			snprintf(item, sizeof(item), "%s",
				 c->kind == HOOK_KRETPROBE   ? "kprobe"
				 : c->kind == HOOK_URETPROBE ? "uprobe"
				 : c->kind == HOOK_FEXIT     ? "fentry" /* a return reads like its entry */
							     : hook_kind_name(c->kind));
		char key[170];

		snprintf(key, sizeof(key), "|%s|", item);
		if (seen.buf && strstr(seen.buf, key))
			continue;
		sb_addf(&seen, "%s", key);
		sb_addf(out, "%s%s", out->len ? " or " : "", item);
	}
	sb_free(&seen);
	if (!strcmp(out->buf, "kprobe"))
		sb_addf(out, "s");
}

/* A ", "-joined list without repeats. */
struct list {
	const char *items[64];
	int n;
};

static bool list_has(const struct list *l, const char *item)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], item))
			return true;
	return false;
}

static void list_add(struct list *l, const char *item)
{
	if (list_has(l, item))
		return;
	ck_assert_int_lt(l->n, 64);
	l->items[l->n++] = item;
}

/* The items of l that are not in except, ", "-joined after sep (plural_sep for several). */
static void list_print(struct strbuf *out, const char *sep, const char *plural_sep, const char *quote,
		       const struct list *l, const struct list *except)
{
	int n = 0, k = 0;

	for (int i = 0; i < l->n; i++)
		n += !except || !list_has(except, l->items[i]);
	for (int i = 0; i < l->n; i++) {
		const char *lead = n > 1 ? plural_sep : sep;

		if (except && list_has(except, l->items[i]))
			continue;
		sb_addf(out, "%s%s%s%s", k++ ? ", " : lead, quote, l->items[i], quote);
	}
}

struct needs {
	struct list required, optional, modules, optional_modules;
	struct strbuf phrases[64];
	int nphrases;
};

static void add_hook(struct needs *n, const struct hook_def *d, bool optional)
{
	struct strbuf *phrase = &n->phrases[n->nphrases++];

	hook_phrase(d, phrase);
	list_add(optional ? &n->optional : &n->required, phrase->buf);
	if (d->module)
		list_add(optional ? &n->optional_modules : &n->modules, d->module);
}

/* Whether any rule of the model uses hook h. */
static bool model_uses(const struct netstage_model *m, unsigned h)
{
	for (unsigned i = 0; i < m->nrules; i++)
		if (m->rules[i].hook == h)
			return true;
	return false;
}

/* "a, b; optional: c; module `x`; optional module `y`" (the parts that apply). */
static char *needs_of(const struct tool_hooks *t)
{
	struct needs *n = calloc(1, sizeof(*n));
	struct strbuf out = { 0 };

	if (t->required_module)
		list_add(&n->modules, t->required_module);
	if (t->table)
		for (int i = 0; i < t->table->n; i++)
			add_hook(n, &t->table->defs[i], t->table->defs[i].optional);
	if (t->model)
		for (unsigned h = 0; h < NS_HOOKS_COMMON + t->model->nhooks; h++)
			if (model_uses(t->model, h))
				add_hook(n,
					 h < NS_HOOKS_COMMON ? &netstage_hook_defs[h]
							     : &t->model->hooks[h - NS_HOOKS_COMMON],
					 t->model->optional & (1ull << h));
	if (!n->required.n && !n->optional.n)
		sb_addf(&out, "no probes of its own");
	list_print(&out, "", "", "", &n->required, NULL);
	list_print(&out, out.len ? "; optional: " : "optional: ", out.len ? "; optional: " : "optional: ", "",
		   &n->optional, &n->required);
	list_print(&out, "; module ", "; modules ", "`", &n->modules, NULL);
	list_print(&out, "; optional module ", "; optional modules ", "`", &n->optional_modules, &n->modules);
	for (int i = 0; i < n->nphrases; i++)
		sb_free(&n->phrases[i]);
	free(n);
	return out.buf;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

static const struct tool_hooks *tool_of(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
		if (strlen(tools[i].tool) == len && !strncmp(tools[i].tool, name, len))
			return &tools[i];
	return NULL;
}

/*
 * Every "| `tool` | status | kernel needs | page |" row of README.md: the needs are what the
 * tool's hooks say, and every tool of the list has its row.
 */
START_TEST(test_readme_kernel_needs)
{
	char *readme = read_file(README), *line = readme, *next;
	bool update = getenv("BPFNET_README_UPDATE") != NULL;
	struct strbuf rewritten = { 0 }, errors = { 0 };
	bool seen[ARRAY_SIZE(tools)] = { 0 };

	for (; *line; line = next) {
		char *end = strchr(line, '\n');
		char *name = line + 3, *status, *cell, *cell_end;
		const struct tool_hooks *t;

		next = end ? end + 1 : line + strlen(line);
		status = strncmp(line, "| `", 3) ? NULL : strstr(line, "` | ");
		cell = status && status < next ? strstr(status + 4, " | ") : NULL;
		cell_end = cell && cell < next ? strstr(cell + 3, " | ") : NULL;
		t = cell_end && cell_end < next ? tool_of(name, (size_t)(status - name)) : NULL;
		if (!cell_end || cell_end >= next) {
			sb_addf(&rewritten, "%.*s", (int)(next - line), line);
			continue;
		}
		ck_assert_msg(
			t, "README.md has a row for %.*s, a tool this test does not know: add it to tools[]",
			(int)(status - name), name);
		seen[t - tools] = true;
		cell += 3;

		char *want = needs_of(t);

		if (strlen(want) != (size_t)(cell_end - cell) || strncmp(cell, want, strlen(want)))
			sb_addf(&errors, "%s: README says \"%.*s\", the hook tables say \"%s\"\n", t->tool,
				(int)(cell_end - cell), cell, want);
		sb_addf(&rewritten, "%.*s%s%.*s", (int)(cell - line), line, want, (int)(next - cell_end),
			cell_end);
		free(want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
		ck_assert_msg(seen[i], "README.md has no row for %s", tools[i].tool);
	if (update && errors.len) {
		FILE *f = fopen(README, "w");

		ck_assert_ptr_nonnull(f);
		fputs(rewritten.buf, f);
		fclose(f);
	}
	ck_assert_msg(!errors.len,
		      "README.md's kernel needs differ (BPFNET_README_UPDATE=1 rewrites them):\n%s",
		      errors.buf);
	sb_free(&rewritten);
	sb_free(&errors);
	free(readme);
}
END_TEST

int main(void)
{
	const TTest *readme_tests[] = { test_readme_kernel_needs };

	return unit_run(unit_suite("readme_needs", "readme", readme_tests, ARRAY_SIZE(readme_tests)));
}
