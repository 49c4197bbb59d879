// SPDX-License-Identifier: GPL-2.0-only
/*
 * qdisc_drop_trace's probe points: the hook table, which hooks serve each function of the
 * report on this kernel (kprobe pairs, else tracepoints), and attaching them.
 */
#include <errno.h>
#include <string.h>

#include "drop_probe.h"
#include "hook.h"
#include "log.h"
#include "runtime.h"
#include "strbuf.h"
#include "qdisc_drop_trace.h"

/* One BPF program each; a function of the report (enum qdt_hook) is one or two of them. */
enum {
	H_DQX,
	H_DQX_RET,
	H_DQX_TP,
	H_HSX,
	H_HSX_RET,
	H_HSX_TP,
	H_HSX_TP_RET,
	H_ERSPAN,
	H_ERSPAN_RET,
	H_FQ,
	H_FQ_RET,
	H_QDISC_ENQ,
	H_QDISC_DEQ,
	H_QDISC_DROP,
	H_COUNT,
};

static bool chosen(const struct hook_set *plan, int h)
{
	return hook_chosen(plan, h) != NULL;
}

bool qdt_tracepoints_usable(const struct hook_env *env)
{
	return !env->force_kprobe;
}

/* When a candidate applies, given the hooks planned before it. */
static bool dqx_kprobe(const struct hook_set *p)
{
	return chosen(p, H_DQX);
}

/*
 * A return's fexit program goes with its entry's fentry program on the same function (the
 * kernel runs or skips the two alike); a kprobe entry, or an fentry on another name, gets the
 * kretprobe.
 */
static bool entry_fentry_on(const struct hook_set *p, int entry, const char *func)
{
	const struct hook_candidate *c = hook_chosen(p, entry);

	return c && c->kind == HOOK_FENTRY && !strcmp(c->target, func);
}

static bool dqx_fentry(const struct hook_set *p)
{
	return entry_fentry_on(p, H_DQX, "__dev_queue_xmit");
}

static bool hsx_fentry(const struct hook_set *p)
{
	return entry_fentry_on(p, H_HSX, "dev_hard_start_xmit");
}

static bool erspan_fentry(const struct hook_set *p)
{
	return entry_fentry_on(p, H_ERSPAN, "erspan_xmit");
}

static bool fq_fentry(const struct hook_set *p)
{
	return entry_fentry_on(p, H_FQ, "fq_codel_enqueue");
}

static bool dqx_fallback(const struct hook_set *p)
{
	return qdt_tracepoints_usable(p->env) && !chosen(p, H_DQX);
}

static bool hsx_kprobe(const struct hook_set *p)
{
	return chosen(p, H_HSX);
}

static bool hsx_fallback(const struct hook_set *p)
{
	return qdt_tracepoints_usable(p->env) && !chosen(p, H_HSX);
}

static bool hsx_tracepoint(const struct hook_set *p)
{
	return chosen(p, H_HSX_TP);
}

static bool erspan_kprobe(const struct hook_set *p)
{
	return chosen(p, H_ERSPAN);
}

static bool fq_kprobe(const struct hook_set *p)
{
	return chosen(p, H_FQ);
}

static bool tracepoint(const struct hook_set *p)
{
	return qdt_tracepoints_usable(p->env);
}

/* A drop reason that means "a qdisc dropped it", within the reasons cfg can mark. */
static bool qdisc_reason(unsigned value, const char *name)
{
	return (!strncmp(name, "QDISC_", 6) || !strncmp(name, "FQ_", 3) || !strncmp(name, "CAKE_", 5)) &&
	       value < 64 * QDT_REASON_WORDS;
}

static void count_qdisc_reason(unsigned value, const char *name, void *ctx)
{
	*(int *)ctx += qdisc_reason(value, name);
}

static bool qdisc_drop_reasons(const struct hook_set *p)
{
	int n = 0;

	if (tracepoint(p))
		drop_reason_foreach(count_qdisc_reason, &n);
	return n > 0;
}

/*
 * An fentry + fexit (or kprobe + kretprobe) pair on func of module (NULL: the core kernel): the
 * return probe only with the entry probe, fexit with fentry.
 */
// clang-format off
#define PAIR(entry, ret, func, prog, retprog, entry_chosen, entry_fentry, mod)                           \
	[entry] = { func " entry", { HOOK_FUNC_ENTRY(prog, func) }, mod, .optional = true },             \
	[ret] = { func " return",                                                                        \
		  { { HOOK_FEXIT, retprog "_fexit", func, entry_fentry },                                \
		    { HOOK_KRETPROBE, retprog, func, entry_chosen } },                                     \
		  mod, .optional = true }
// clang-format on

static const struct hook_def hook_defs[H_COUNT] = {
	[H_DQX] = { "__dev_queue_xmit entry",
		    { HOOK_FUNC_ENTRY("kp_dev_queue_xmit", "__dev_queue_xmit"),
		      HOOK_FUNC_ENTRY("kp_dev_queue_xmit", "dev_queue_xmit") },
		    .optional = true },
	[H_DQX_RET] = { "__dev_queue_xmit return",
			{ { HOOK_FEXIT, "krp_dev_queue_xmit_fexit", "__dev_queue_xmit", dqx_fentry },
			  { HOOK_KRETPROBE, "krp_dev_queue_xmit", "__dev_queue_xmit", dqx_kprobe },
			  { HOOK_KRETPROBE, "krp_dev_queue_xmit", "dev_queue_xmit", dqx_kprobe } },
			.optional = true },
	[H_DQX_TP] = { "__dev_queue_xmit entries without kprobes",
		       { { HOOK_RAW_TP, "raw_net_dev_queue", "net:net_dev_queue", dqx_fallback } },
		       .optional = true },
	/* its program reads the int *ret argument: fentry only where the verifier allows that */
	[H_HSX] = { "dev_hard_start_xmit entry",
		    { { HOOK_FENTRY, "kp_hard_start_xmit_fentry", "dev_hard_start_xmit",
			hook_fentry_int_ptr_usable },
		      { HOOK_KPROBE, "kp_hard_start_xmit", "dev_hard_start_xmit" } },
		    .optional = true },
	[H_HSX_RET] = { "dev_hard_start_xmit return",
			{ { HOOK_FEXIT, "krp_hard_start_xmit_fexit", "dev_hard_start_xmit", hsx_fentry },
			  { HOOK_KRETPROBE, "krp_hard_start_xmit", "dev_hard_start_xmit", hsx_kprobe } },
			.optional = true },
	[H_HSX_TP] = { "dev_hard_start_xmit entries without kprobes",
		       { { HOOK_RAW_TP, "raw_net_dev_start_xmit", "net:net_dev_start_xmit", hsx_fallback } },
		       .optional = true },
	[H_HSX_TP_RET] = { "dev_hard_start_xmit driver status without kprobes",
			   { { HOOK_RAW_TP, "raw_net_dev_xmit", "net:net_dev_xmit", hsx_tracepoint } },
			   .optional = true },
	PAIR(H_ERSPAN, H_ERSPAN_RET, "erspan_xmit", "kp_erspan_xmit", "krp_erspan_xmit", erspan_kprobe,
	     erspan_fentry, "ip_gre"),
	PAIR(H_FQ, H_FQ_RET, "fq_codel_enqueue", "kp_fq_codel_enqueue", "krp_fq_codel_enqueue", fq_kprobe,
	     fq_fentry, NULL),
	[H_QDISC_ENQ] = { "qdisc_enqueue",
			  { { HOOK_RAW_TP, "raw_qdisc_enqueue", "qdisc:qdisc_enqueue", tracepoint } },
			  .optional = true },
	[H_QDISC_DEQ] = { "qdisc_dequeue",
			  { { HOOK_RAW_TP, "raw_qdisc_dequeue", "qdisc:qdisc_dequeue", tracepoint } },
			  .optional = true },
	[H_QDISC_DROP] = { "qdisc_drop",
			   { { HOOK_RAW_TP, "raw_kfree_skb", "skb:kfree_skb", qdisc_drop_reasons } },
			   .optional = true },
};
const struct hook_table qdt_hook_table = { hook_defs, H_COUNT };

struct hook_set qdt_hooks;
struct qdt_func qdt_funcs[QDT_HOOKS];

static void use(struct qdt_func *f, int h)
{
	f->hooks[f->nhooks++] = h;
}

static bool plan_pair(struct qdt_func *f, int entry, const char *missing)
{
	if (!chosen(&qdt_hooks, entry)) {
		f->why_not = kernel_has_kprobes() ? missing : "this kernel cannot attach kprobes";
		return false;
	}
	use(f, entry);
	use(f, entry + 1);
	f->returns = true;
	/* the return has a candidate wherever the entry has one (a kretprobe at worst) */
	snprintf(
		f->desc, sizeof(f->desc), "%s+%s %s", hook_kind_name(qdt_hooks.c[entry].cand->kind),
		hook_kind_name(chosen(&qdt_hooks, entry + 1) ? qdt_hooks.c[entry + 1].cand->kind : HOOK_NONE),
		qdt_hooks.c[entry].symbol);
	return true;
}

static bool plan_tracepoint(struct qdt_func *f, int h)
{
	if (!qdt_tracepoints_usable(qdt_hooks.env)) {
		f->why_not = "tracepoints disabled";
		return false;
	}
	if (!chosen(&qdt_hooks, h)) {
		f->why_not = "no such tracepoint";
		return false;
	}
	use(f, h);
	return true;
}

struct reason_marks {
	struct qdt_config *cfg;
	struct strbuf *names;
	int n;
};

static void mark_qdisc_reason(unsigned value, const char *name, void *ctx)
{
	struct reason_marks *m = ctx;

	if (!qdisc_reason(value, name))
		return;
	m->cfg->qdisc_reasons[value >> 6] |= 1ULL << (value & 63);
	sb_addf(m->names, "%s%s", m->n++ ? ", " : "", name);
}

int qdt_qdisc_reasons(struct qdt_config *cfg, struct strbuf *names)
{
	struct reason_marks m = { cfg, names, 0 };

	drop_reason_foreach(mark_qdisc_reason, &m);
	return m.n;
}

void qdt_plan_funcs(struct qdt_config *cfg, int nreasons, const struct strbuf *reasons)
{
	struct qdt_func *f;

	f = &qdt_funcs[QDT_DEV_QUEUE_XMIT];
	if (!plan_pair(f, H_DQX, "function not found") && plan_tracepoint(f, H_DQX_TP))
		snprintf(f->desc, sizeof(f->desc),
			 "raw_tracepoint net:net_dev_queue (entries only: return codes need kprobes)");

	f = &qdt_funcs[QDT_HARD_START_XMIT];
	if (!plan_pair(f, H_HSX, "function not found") && plan_tracepoint(f, H_HSX_TP)) {
		f->returns = plan_tracepoint(f, H_HSX_TP_RET);
		snprintf(f->desc, sizeof(f->desc), "raw_tracepoint%s (per packet: entries%s)",
			 f->returns ? "s net:net_dev_start_xmit + net:net_dev_xmit"
				    : " net:net_dev_start_xmit",
			 f->returns ? " and driver status" : "");
	}

	plan_pair(&qdt_funcs[QDT_ERSPAN_XMIT], H_ERSPAN, "module ip_gre not loaded");
	plan_pair(&qdt_funcs[QDT_FQ_CODEL_ENQUEUE], H_FQ, "module sch_fq_codel not loaded");

	f = &qdt_funcs[QDT_QDISC_ENQUEUE];
	if (plan_tracepoint(f, H_QDISC_ENQ))
		snprintf(f->desc, sizeof(f->desc),
			 "raw_tracepoint qdisc:qdisc_enqueue (root qdisc accepted a packet)");
	f = &qdt_funcs[QDT_QDISC_DEQUEUE];
	if (plan_tracepoint(f, H_QDISC_DEQ))
		snprintf(f->desc, sizeof(f->desc),
			 "raw_tracepoint qdisc:qdisc_dequeue (packets left the root qdisc)");

	f = &qdt_funcs[QDT_QDISC_DROP];
	if (qdt_tracepoints_usable(qdt_hooks.env) && nreasons && plan_tracepoint(f, H_QDISC_DROP)) {
		f->returns = true;
		snprintf(f->desc, sizeof(f->desc), "raw_tracepoint skb:kfree_skb (reasons %s)", reasons->buf);
	} else if (qdt_funcs[QDT_DEV_QUEUE_XMIT].returns) {
		cfg->drops_from_return = 1;
		f->returns = true;
		snprintf(f->desc, sizeof(f->desc),
			 "%s %s returning NET_XMIT_DROP or NET_XMIT_CN (no drop reasons on this kernel)",
			 hook_kind_name(qdt_hooks.c[H_DQX_RET].cand->kind), qdt_hooks.c[H_DQX].symbol);
	} else {
		f->why_not = "no drop reasons and no kprobes on this kernel";
	}
}

static void attach_func(struct qdt_func *f)
{
	for (int i = 0; i < f->nhooks; i++) {
		if (hook_attach_one(&qdt_hooks, f->hooks[i]))
			continue;
		f->why_not = strerror(errno);
		for (int k = 0; k < i; k++) {
			bpf_link__destroy(qdt_hooks.c[f->hooks[k]].link);
			qdt_hooks.c[f->hooks[k]].link = NULL;
		}
		return;
	}
	f->attached = f->nhooks > 0;
}

void qdt_attach_all(const struct qdt_config *cfg, struct strbuf *attached, struct strbuf *warnings)
{
	for (int h = 0; h < QDT_HOOKS; h++) {
		struct qdt_func *f = &qdt_funcs[h];

		if (h == QDT_QDISC_DROP && cfg->drops_from_return)
			f->attached = qdt_funcs[QDT_DEV_QUEUE_XMIT].attached;
		else
			attach_func(f);
		if (!f->attached) {
			f->returns = false;
			sb_addf(warnings, "Warning: %s not available on this kernel, skipping (%s)\n",
				qdt_hook_name((enum qdt_hook)h), f->why_not ? f->why_not : "not attached");
			continue;
		}
		sb_addf(attached, "%s%s", attached->len ? ", " : "", qdt_hook_name((enum qdt_hook)h));
	}
	if (!attached->len)
		die("kernel %s has none of the probe points qdisc_drop_trace needs (kprobes on "
		    "__dev_queue_xmit / dev_hard_start_xmit, or the net:, qdisc: and skb:kfree_skb "
		    "tracepoints)",
		    kernel_release());
}
