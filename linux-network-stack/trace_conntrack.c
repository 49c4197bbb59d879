// SPDX-License-Identifier: GPL-2.0-only
/* trace_conntrack: per-packet view of skb->_nfct and the conntrack entry behind it. */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "json_read.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "stack.h"
#include "strbuf.h"
#include "timefmt.h"
#include "trace_conntrack.h"
#include "trace_conntrack.skel.h"
#include "util.h"

static struct {
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint16_t src_port, dst_port;
	uint8_t protocol; /* 0: all */
	const char *filters_file, *stack;
	double duration;
	bool rel_time;
} opt = { .stack = "true" };

static const char *const proto_choices[] = { "all", "icmp", "tcp", "udp", NULL };

int ct_protocol_number(const char *name)
{
	for (int i = 0; proto_choices[i]; i++)
		if (!strcasecmp(name, proto_choices[i]))
			return l4proto_parse(proto_choices[i]);
	return -1;
}

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip,
		 "source IPv4 address filter (the connection's other direction is shown too)"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "destination IPv4 address filter"),
	OPT_PROTO("protocol", 0, &opt.protocol, "L4 protocol filter", .choices = proto_choices),
	OPT_PORT("src-port", 0, &opt.src_port, "TCP/UDP source port filter (0 = any)"),
	OPT_PORT("dst-port", 0, &opt.dst_port, "TCP/UDP destination port filter (0 = any)"),
	OPT_FLAG("rel-time", 0, &opt.rel_time,
		 "print seconds since the first event instead of the date and time"),
	OPT_STR("filters-file", 0, &opt.filters_file,
		"JSON array of filter rules (src_ip, dst_ip, protocol, src_port, dst_port); an event is "
		"shown if any rule matches it; the other filter options are then ignored",
		.metavar = "FILTERS_FILE"),
	OPT_STR("stack", 0, &opt.stack,
		"'true' prints the kernel stack of every event; any other value turns it off",
		.metavar = "STACK"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_conntrack",
	.description = "Trace skb->_nfct pointer value, filtering by network properties (adaptive "
		       "kernel version).",
	.epilog = "examples:\n"
		  "  trace_conntrack --src-ip 10.132.114.11 --dst-ip 10.132.114.12 --protocol tcp\n"
		  "  trace_conntrack --src-ip 192.168.1.100 --protocol tcp --rel-time\n"
		  "  trace_conntrack --filters-file /path/to/filters.json --stack true",
	.opts = options,
};

/* ---- configuration and banner ---- */

static struct ct_file_rule file_rules[CT_MAX_RULES];
static int n_file_rules;

static void cli_rule(struct pkt_filter *r)
{
	*r = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, opt.src_port, opt.dst_port, opt.protocol,
			     CT_FILTER_FLAGS);
}

static bool rule_is_empty(const struct pkt_filter *r)
{
	return !r->sfamily && !r->dfamily && !r->l4proto && !r->sport && !r->dport;
}

static void build_config(struct ct_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->want_stack = !strcasecmp(opt.stack, "true");
	if (!opt.filters_file) {
		cli_rule(&cfg->rules[0]);
		cfg->nrules = !rule_is_empty(&cfg->rules[0]);
		return;
	}
	struct strbuf err = { 0 };
	char *text = jv_read_text(opt.filters_file, &err);

	if (text)
		n_file_rules = ct_filters_parse(text, file_rules, CT_MAX_RULES, &err);
	free(text);
	if (err.len)
		arg_fail_opt(&opt.filters_file, "%s: %s", arg_shown(opt.filters_file), err.buf);
	for (int i = 0; i < n_file_rules; i++) {
		/* A rule without any condition matches every event. */
		if (rule_is_empty(&file_rules[i].rule)) {
			cfg->nrules = 0;
			return;
		}
		cfg->rules[cfg->nrules++] = file_rules[i].rule;
	}
}

static void print_kernel_version(void)
{
	int v[3] = { 0, 0, 0 };

	sscanf(kernel_release(), "%d.%d.%d", &v[0], &v[1], &v[2]);
	printf("Detected kernel version: %d.%d.%d\n", v[0], v[1], v[2]);
}

/* The banner's filters: the file's rules, or the command line's (cfg->rules[0]). */
static void print_filters(const struct ct_config *cfg)
{
	static const char *const help =
		"For multiple connection filters, create a JSON file with this structure:\n\n"
		"[\n    {\n        \"src_ip\": \"10.200.0.243\",\n        \"dst_ip\": \"10.200.0.245\",\n"
		"        \"protocol\": \"tcp\",\n        \"src_port\": 9900,\n        \"dst_port\": 0\n    "
		"},\n"
		"    {\n        \"src_ip\": \"10.200.0.245\",\n        \"dst_ip\": \"10.200.0.243\",\n"
		"        \"protocol\": \"tcp\",\n        \"src_port\": 0,\n        \"dst_port\": 9900\n    "
		"}\n"
		"]\n\nAnd use it with: --filters-file /path/to/filters.json\n";
	const struct pkt_filter *r = &cfg->rules[0];
	char a[32];

	if (opt.filters_file) {
		for (int i = 0; i < n_file_rules; i++)
			printf("Added filter rule: %s\n", file_rules[i].repr);
		if (!n_file_rules) {
			output_flush();
			fprintf(stderr, "WARNING: No filter rules found in %s\n", opt.filters_file);
		}
	} else {
		printf("--- Filters ---\n");
		printf("Src IP: %s (Network Order Int: 0x%x)\n",
		       r->saddr[0] ? ipv4_format(r->saddr[0], a, sizeof(a)) : "Any", r->saddr[0]);
		printf("Dst IP: %s (Network Order Int: 0x%x)\n",
		       r->daddr[0] ? ipv4_format(r->daddr[0], a, sizeof(a)) : "Any", r->daddr[0]);
		printf("Protocol: %s (%u)\n", l4proto_choice(proto_choices, opt.protocol), r->l4proto);
		if (r->l4proto == 6 || r->l4proto == 17) {
			if (r->sport)
				printf("Src Port: %u (Host Order)\n", r->sport);
			else
				printf("Src Port: Any (Host Order)\n");
			if (r->dport)
				printf("Dst Port: %u (Host Order)\n", r->dport);
			else
				printf("Dst Port: Any (Host Order)\n");
		}
		printf("---------------\n");
	}
	printf("%s---------------\n", help);
}

/* ---- probes ---- */

enum {
	CT_IN,
	CT_OVS_LOOKUP,
	CT_OVS_UPDATE_KEY,
	CT_REFRESH,
	CT_OVS_EXECUTE,
	CT_TCP,
	CT_TCP_RET,
	CT_TCP_ERROR,
	CT_DELETE,
	CT_HOOKS,
};

/* Where the sk_buff argument is, from the kernel's BTF, else by version. */
static int skb_arg(const char *func, int fallback)
{
	int pos = kfunc_struct_arg(func, "nf_conntrack", "sk_buff");

	return pos < 0 ? fallback : pos;
}

/* 5.0 moved the skb of nf_conntrack_in from the 4th argument to the 1st. */
static bool conntrack_in_old(const struct hook_set *plan)
{
	static int arg;

	if (!arg)
		arg = skb_arg("nf_conntrack_in", release_below(plan->env->release, 5, 0) ? 4 : 1);
	return arg == 4;
}

static bool conntrack_in_new(const struct hook_set *plan)
{
	return !conntrack_in_old(plan);
}

static bool refresh_noskb(const struct hook_set *plan)
{
	static int arg = -2;

	(void)plan;
	if (arg == -2)
		arg = skb_arg("__nf_ct_refresh_acct", -1);
	return arg == 0;
}

static bool refresh_skb(const struct hook_set *plan)
{
	return !refresh_noskb(plan);
}

/* Kernels before 5.4 track TCP in tcp_packet, whose result and tcp_error are probed too. */
static bool old_tcp_chosen(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, CT_TCP);

	return c && !strcmp(c->target, "tcp_packet");
}

// clang-format off
#define CT_FUNC(prog, func, ...) { HOOK_FUNC_ENTRY(prog, func, __VA_ARGS__) }, "nf_conntrack", true
#define OVS_KPROBE(prog, func) { { HOOK_KPROBE, prog, func } }, "openvswitch", true
#define OVS_FUNC(prog, func) { HOOK_FUNC_ENTRY(prog, func) }, "openvswitch", true
// clang-format on

/* Every hook is optional, as in the original: a probe that cannot attach is a warning. */
static const struct hook_def hook_defs[CT_HOOKS] = {
	[CT_IN] = { "nf_conntrack_in",
		    { { HOOK_KPROBE, "ct_nf_conntrack_in_old", "nf_conntrack_in", conntrack_in_old },
		      HOOK_FUNC_ENTRY("ct_nf_conntrack_in", "nf_conntrack_in", conntrack_in_new) },
		    "nf_conntrack",
		    true },
	[CT_OVS_LOOKUP] = { "__ovs_ct_lookup", OVS_FUNC("ct_ovs_ct_lookup", "__ovs_ct_lookup") },
	[CT_OVS_UPDATE_KEY] = { "ovs_ct_update_key",
				OVS_KPROBE("ct_ovs_ct_update_key", "ovs_ct_update_key") },
	[CT_REFRESH] = { "__nf_ct_refresh_acct",
			 { HOOK_FUNC_ENTRY("ct_refresh_acct_noskb", "__nf_ct_refresh_acct", refresh_noskb),
			   HOOK_FUNC_ENTRY("ct_refresh_acct", "__nf_ct_refresh_acct", refresh_skb) },
			 "nf_conntrack",
			 true },
	[CT_OVS_EXECUTE] = { "ovs_ct_execute", OVS_FUNC("ct_ovs_ct_execute", "ovs_ct_execute") },
	[CT_TCP] = { "TCP packet tracking",
		     { HOOK_FUNC_ENTRY("ct_tcp_packet", "nf_conntrack_tcp_packet"),
		       HOOK_FUNC_ENTRY("ct_tcp_packet", "tcp_packet") },
		     "nf_conntrack",
		     true },
	[CT_TCP_RET] = { "tcp_packet",
			 { { HOOK_KRETPROBE, "ct_tcp_packet_ret", "tcp_packet", old_tcp_chosen } },
			 "nf_conntrack",
			 true },
	[CT_TCP_ERROR] = { "tcp_error", CT_FUNC("ct_tcp_error", "tcp_error", old_tcp_chosen) },
	/*
	 * Where GCC split nf_ct_delete (5.10 on Debian), the module's own callers (timeouts, GC,
	 * flush) jump straight to the split-off body, past a kprobe on nf_ct_delete, while every
	 * deletion, from outside the module too, runs the body: the kprobe goes to the body.
	 */
	[CT_DELETE] = { "nf_ct_delete",
			{ { HOOK_KPROBE, "ct_nf_ct_delete", "nf_ct_delete", .clones = KSYM_CLONE_PART },
			  HOOK_FUNC_ENTRY("ct_nf_ct_delete", "nf_ct_delete") },
			"nf_conntrack",
			true },
};
const struct hook_table ct_hook_table = { hook_defs, CT_HOOKS };

/* Why this variant, printed after "Attached kprobe to ..." (or fentry). */
static const char *variant_note(const struct hook_candidate *c)
{
	if (!strcmp(c->prog, "ct_nf_conntrack_in_old"))
		return " (skb = 4th argument, pre-5.0 signature)";
	if (!strcmp(c->prog, "ct_refresh_acct_noskb"))
		return " (no skb argument on this kernel: addresses from the conntrack tuple)";
	if (c->clones)
		return " (the body of nf_ct_delete, which GCC split off: every deletion runs it)";
	return "";
}

static const char *tcp_func(const struct hook_set *hooks)
{
	const struct hook_candidate *c = hook_chosen(hooks, CT_TCP);

	return c ? c->target : NULL;
}

static void print_tcp_choice(const struct hook_set *hooks)
{
	const char *func = tcp_func(hooks);

	if (!func) {
		printf("WARNING: No suitable TCP packet tracking function found\n");
		printf("Will continue without TCP-specific probes\n");
	} else if (!strcmp(func, "tcp_packet")) {
		printf("Using tcp_packet (kernel 4.19- style)\n");
		if (hook_chosen(hooks, CT_TCP_ERROR))
			printf("tcp_error function found\n");
	} else {
		printf("Using nf_conntrack_tcp_packet (kernel 5.4+ style)\n");
	}
}

/* Attaches every planned probe; a probe that cannot attach is a warning, as in the original. */
static int attach_hooks(struct hook_set *hooks)
{
	bool ovs_loaded = module_loaded("openvswitch"), ovs_reported = false;
	int attached = 0;

	for (int k = 0; k < CT_HOOKS; k++) {
		const struct hook_def *d = &hook_defs[k];
		const struct hook_candidate *c = hook_chosen(hooks, k);
		bool ret = d->cand[0].kind == HOOK_KRETPROBE;
		/* fentry where the kernel attaches it, else the kprobe (the original's word when none). */
		const char *kind = c ? hook_kind_name(c->kind) : ret ? "kretprobe" : "kprobe";

		if (hooks->c[k].inapplicable || ((k == CT_TCP || k == CT_TCP_ERROR) && !c))
			continue;
		if (d->module && !strcmp(d->module, "openvswitch") && !ovs_loaded) {
			if (!ovs_reported && !g_common.json)
				printf("OVS probes (__ovs_ct_lookup, ovs_ct_update_key, "
				       "ovs_ct_execute): not attached, the openvswitch module is not "
				       "loaded\n");
			ovs_reported = true;
			continue;
		}
		if (!hook_attach_one(hooks, k)) {
			output_flush();
			fprintf(stderr, "WARN: Failed to attach %s to %s: %s\n", kind,
				!c          ? d->cand[0].target
				: c->clones ? hooks->c[k].symbol
					    : c->target,
				c ? strerror(errno) : "no such function in /proc/kallsyms");
			fprintf(stderr, "      Check if the function exists in your kernel version%s.\n",
				ret ? "" : " and modules (e.g., nf_conntrack, openvswitch) are loaded");
			continue;
		}
		attached++;
		if (!g_common.json)
			printf("Attached %s to %s%s\n", kind, hooks->c[k].symbol, variant_note(c));
	}
	return attached;
}

/* ---- events ---- */

struct printer {
	struct trace_conntrack_bpf *skel;
	struct ct_print_opts opts;
	__u64 first_ts;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct printer *p = ctx;
	const struct ct_event *ev = data;
	static struct stack_frames stack;
	char when[48];
	int n = 0;

	if (size < sizeof(*ev))
		return;
	if (!p->first_ts)
		p->first_ts = ev->ts_ns;
	if (p->opts.show_stack && ev->stack_id >= 0)
		n = stack_frames_read(&stack, p->skel->maps.stacks, ev->stack_id);
	fmt_wall_ns_ms(ktime_to_wall_ns(ev->ts_ns), when, sizeof(when));
	if (g_common.json)
		ct_print_json(stdout, ev, when, stack.frame, n < 0 ? 0 : n, &p->opts);
	else
		ct_print_event(stdout, ev, when, (double)(ev->ts_ns - p->first_ts) / 1e9, stack.frame, n,
			       &p->opts);
	output_event_end();
}

int main(int argc, char **argv)
{
	struct trace_conntrack_bpf *skel;
	struct printer printer = { 0 };
	struct event_channel *ch;
	struct hook_set hooks = { .quiet = true };
	struct ct_config cfg;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("trace_conntrack");
	hook_set_init(&hooks, ct_hook_table.defs, ct_hook_table.n, 0);
	require_module("nf_conntrack", "trace_conntrack probes its functions");
	require_function_hooks("trace_conntrack has no other probe points");

	skel = BPFNET_OPEN(trace_conntrack_bpf);
	hook_prepare(&hooks, skel->obj);
	cfg.track_tcp_ret = hook_chosen(&hooks, CT_TCP_RET) != NULL;
	if (!g_common.json) {
		print_kernel_version();
		print_tcp_choice(&hooks);
		print_filters(&cfg);
	}
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	printer.opts.func_name = tcp_func(&hooks);
	printer.opts.rel_time = opt.rel_time;
	printer.opts.show_stack = cfg.want_stack;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	if (!attach_hooks(&hooks))
		die("no conntrack probe point could be attached on kernel %s", kernel_release());
	if (!g_common.json)
		printf("\nTracing skb->_nfct pointer changes (filtered)... Press Ctrl-C to stop.\n");
	events_trace(ch, &hooks, opt.duration, "\nDetaching probes and exiting...\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	trace_conntrack_bpf__destroy(skel);
	ct_file_rules_free(file_rules, n_file_rules);
	return 0;
}
