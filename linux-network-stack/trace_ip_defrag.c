// SPDX-License-Identifier: GPL-2.0-only
/* trace_ip_defrag: IPv4 reassembly events (queueing, duplicates, completion, failures, timeouts). */
#include <bpf/bpf.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "drop_probe.h"
#include "events.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "stack.h"
#include "strbuf.h"
#include "timefmt.h"
#include "trace_ip_defrag.h"
#include "trace_ip_defrag.skel.h"
#include "util.h"

static struct {
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint8_t protocol;
	const char *log_file;
	double duration;
} opt;

static const struct arg_opt options[] = {
	OPT_IPV4("src-ip", 0, &opt.src_ip, "IPv4 source address filter"),
	OPT_IPV4("dst-ip", 0, &opt.dst_ip, "IPv4 destination address filter"),
	OPT_PROTO("protocol", 0, &opt.protocol,
		  "L4 protocol filter: tcp, udp, icmp or a number 0-255 (0 = any)"),
	OPT_STR("log-file", 0, &opt.log_file, "also write every event line to this file"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)"),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "trace_ip_defrag",
	.description = "Trace IP defragmentation events, focusing on duplicates.",
	.epilog = "examples:\n"
		  "  trace_ip_defrag --src-ip 10.132.114.11 --dst-ip 10.132.114.12 --protocol udp\n"
		  "  trace_ip_defrag --src-ip 192.168.1.100 --protocol udp --log-file /tmp/defrag.log",
	.opts = options,
};

/* ---- layout ---- */

static const char *const event_tags[] = {
	[DEFRAG_EV_IP_DEFRAG] = "ip_defrag",     [DEFRAG_EV_DUP_INSERT] = "DUP_INSERT",
	[DEFRAG_EV_KFREE] = "kfree_skb",         [DEFRAG_EV_OVERLAP_INSERT] = "OVERLAP_INSERT",
	[DEFRAG_EV_REASSEMBLED] = "REASSEMBLED", [DEFRAG_EV_FAILED] = "DEFRAG_FAIL",
	[DEFRAG_EV_TIMEOUT] = "TIMEOUT",
};

static const char *event_tag(__u8 type)
{
	if (type < ARRAY_SIZE(event_tags) && event_tags[type])
		return event_tags[type];
	return "unknown";
}

/* "<time> <pid/comm> DEV=<dev>", the start of every line. */
static void print_who(FILE *f, const struct defrag_event *ev, const char *hms)
{
	char who[48];

	snprintf(who, sizeof(who), "%u/%.16s", ev->pid, ev->comm);
	fprintf(f, "%s %-20s DEV=%-6s", hms, who, ev->pkt.dev[0] ? ev->pkt.dev : "?");
}

static void print_l4(FILE *f, const struct defrag_pkt *p)
{
	char src[32], dst[32];

	ipv4_format(p->saddr, src, sizeof(src));
	ipv4_format(p->daddr, dst, sizeof(dst));
	if (p->l4_hdr_set && (p->protocol == 6 || p->protocol == 17))
		fprintf(f, " %s:%u -> %s:%u Proto=%u", src, p->sport, dst, p->dport, p->protocol);
	else if (p->l4_hdr_set && p->protocol == 1)
		fprintf(f, " %s -> %s Proto=ICMP", src, dst);
	else
		fprintf(f, " %s -> %s Proto=%u (L4 hdr?)", src, dst, p->protocol);
}

static void print_fragment(FILE *f, const struct defrag_pkt *p)
{
	fprintf(f, " ID=%u FragOff=%u MF=%u", p->ip_id, (p->frag_off & DEFRAG_IP_OFFSET) * 8u,
		!!(p->frag_off & DEFRAG_IP_MF));
}

static void print_queue(FILE *f, const struct defrag_queue *q)
{
	char src[32], dst[32];

	fprintf(f, " Queue=(%s->%s ID=%u Proto=%u)", ipv4_format(q->saddr, src, sizeof(src)),
		ipv4_format(q->daddr, dst, sizeof(dst)), q->id, q->protocol);
}

static const char *queue_flags(__u8 flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", flags & DEFRAG_Q_FIRST_IN ? "FIRST_IN" : "",
		 (flags & DEFRAG_Q_FIRST_IN) && (flags & DEFRAG_Q_LAST_IN) ? "|" : "",
		 flags & DEFRAG_Q_LAST_IN ? "LAST_IN" : "");
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

static bool is_fragment(const struct defrag_pkt *p)
{
	return p->frag_off & (DEFRAG_IP_MF | DEFRAG_IP_OFFSET);
}

static void print_free_stack(FILE *f, const struct defrag_event *ev, const char *const *frames, int n)
{
	fprintf(f, "  Stack Trace:\n");
	if (ev->stack_id < 0)
		fprintf(f, "[Stack Trace Unavailable (ID: %d)]\n", ev->stack_id);
	else if (n == -ENOENT)
		fprintf(f, "[Stack Trace Missing (ID: %d)]\n", ev->stack_id);
	else if (n < 0)
		fprintf(f, "[Error getting stack trace (ID: %d): %s]\n", ev->stack_id, strerror(-n));
	for (int i = 0; i < n; i++)
		fprintf(f, "    - %s\n", frames[i]);
}

void defrag_print_event(FILE *f, const struct defrag_event *ev, const char *hms, const char *const *frames,
			int nframes, const char *reason_name)
{
	char buf[32];

	fprintf(f, "[%s] ", event_tag(ev->type));
	print_who(f, ev, hms);
	if (ev->type == DEFRAG_EV_TIMEOUT) {
		print_queue(f, &ev->q);
		if (ev->q.flags & DEFRAG_Q_LAST_IN)
			snprintf(buf, sizeof(buf), "%d", ev->q.len);
		else
			snprintf(buf, sizeof(buf), "?");
		fprintf(f, " Received=%d Expected=%s", ev->q.meat, buf);
		fprintf(f, " Flags=%s IIF=%d\n", queue_flags(ev->q.flags, buf, sizeof(buf)), ev->q.iif);
		return;
	}
	print_l4(f, &ev->pkt);
	switch (ev->type) {
	case DEFRAG_EV_IP_DEFRAG:
		fprintf(f, " User=%u", ev->user);
		print_fragment(f, &ev->pkt);
		break;
	case DEFRAG_EV_DUP_INSERT:
	case DEFRAG_EV_OVERLAP_INSERT:
		print_queue(f, &ev->q);
		fprintf(f, " Offset=%d End=%d", ev->offset, ev->end);
		if (ev->type == DEFRAG_EV_OVERLAP_INSERT)
			fprintf(f, " (queue discarded)");
		break;
	case DEFRAG_EV_REASSEMBLED:
		fprintf(f, " ID=%u Len=%u", ev->pkt.ip_id, ev->skb_len);
		break;
	case DEFRAG_EV_FAILED: {
		const char *name = strerrorname_np(-ev->retval);

		print_fragment(f, &ev->pkt);
		fprintf(f, " Ret=%d (%s)", ev->retval, name ? name : "?");
		break;
	}
	case DEFRAG_EV_KFREE:
		fprintf(f, " StackID=%d", ev->stack_id);
		if (reason_name)
			fprintf(f, " Reason=%s", reason_name);
		if (is_fragment(&ev->pkt))
			fprintf(f, " (Fragment Related)");
		fputc('\n', f);
		print_free_stack(f, ev, frames, nframes);
		return;
	}
	fputc('\n', f);
}

static void json_pkt(struct json *j, const struct defrag_pkt *p)
{
	char a[32];

	json_str(j, "dev", p->dev);
	json_str(j, "src_ip", ipv4_format(p->saddr, a, sizeof(a)));
	json_str(j, "dst_ip", ipv4_format(p->daddr, a, sizeof(a)));
	json_uint(j, "protocol", p->protocol);
	if (p->l4_hdr_set && (p->protocol == 6 || p->protocol == 17)) {
		json_uint(j, "src_port", p->sport);
		json_uint(j, "dst_port", p->dport);
	}
	json_uint(j, "ip_id", p->ip_id);
	json_uint(j, "frag_offset", (p->frag_off & DEFRAG_IP_OFFSET) * 8u);
	json_bool(j, "more_fragments", p->frag_off & DEFRAG_IP_MF);
}

static void json_queue(struct json *j, const struct defrag_queue *q)
{
	char a[32];

	json_obj(j, "queue");
	json_str(j, "src_ip", ipv4_format(q->saddr, a, sizeof(a)));
	json_str(j, "dst_ip", ipv4_format(q->daddr, a, sizeof(a)));
	json_uint(j, "id", q->id);
	json_uint(j, "protocol", q->protocol);
	json_end_obj(j);
}

/* The tag in lower case: "dup_insert". */
static const char *event_json_name(__u8 type, char *buf, size_t len)
{
	size_t i = 0;

	for (const char *t = event_tag(type); *t && i + 1 < len; t++)
		buf[i++] = (char)tolower((unsigned char)*t);
	buf[i] = 0;
	return buf;
}

void defrag_print_json(FILE *f, const struct defrag_event *ev, const char *hms, const char *const *frames,
		       int nframes, const char *reason_name)
{
	char name[32];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_str(&j, "event", event_json_name(ev->type, name, sizeof(name)));
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	if (ev->type != DEFRAG_EV_TIMEOUT)
		json_pkt(&j, &ev->pkt);
	switch (ev->type) {
	case DEFRAG_EV_IP_DEFRAG:
		json_uint(&j, "user", ev->user);
		break;
	case DEFRAG_EV_DUP_INSERT:
	case DEFRAG_EV_OVERLAP_INSERT:
		json_queue(&j, &ev->q);
		json_int(&j, "offset", ev->offset);
		json_int(&j, "end", ev->end);
		break;
	case DEFRAG_EV_REASSEMBLED:
		json_uint(&j, "len", ev->skb_len);
		break;
	case DEFRAG_EV_FAILED:
		json_int(&j, "retval", ev->retval);
		break;
	case DEFRAG_EV_TIMEOUT:
		json_queue(&j, &ev->q);
		json_int(&j, "received", ev->q.meat);
		if (ev->q.flags & DEFRAG_Q_LAST_IN)
			json_int(&j, "expected", ev->q.len);
		else
			json_null(&j, "expected");
		json_bool(&j, "first_in", ev->q.flags & DEFRAG_Q_FIRST_IN);
		json_bool(&j, "last_in", ev->q.flags & DEFRAG_Q_LAST_IN);
		json_int(&j, "iif", ev->q.iif);
		break;
	case DEFRAG_EV_KFREE:
		json_int(&j, "stack_id", ev->stack_id);
		if (reason_name)
			json_str(&j, "reason", reason_name);
		else
			json_null(&j, "reason");
		json_bool(&j, "fragment", is_fragment(&ev->pkt));
		json_str_array(&j, "stack", frames, nframes);
		break;
	}
	json_end_obj(&j);
	json_finish(&j);
}

/* ---- configuration ---- */

static FILE *log_file;

static void build_config(struct defrag_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->filter = pkt_filter_ipv4(opt.src_ip, opt.dst_ip, 0, 0, opt.protocol, 0);
	if (opt.log_file) {
		log_file = fopen(opt.log_file, "w");
		if (!log_file)
			arg_fail_opt(&opt.log_file, "cannot open '%s': %s", arg_shown(opt.log_file),
				     strerror(errno));
	}
}

/* ---- probes ---- */

enum { DF_DEFRAG, DF_DEFRAG_RET, DF_INSERT, DF_INSERT_RET, DF_EXPIRE, DF_FREE, DF_CONSUME, DF_HOOKS };

/* The two skb raw tracepoints together see what __kfree_skb sees, with drop reasons. */
static bool free_tracepoint_chosen(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, DF_FREE);

	return c && c->kind == HOOK_RAW_TP;
}

static const struct hook_def hook_defs[DF_HOOKS] = {
	[DF_DEFRAG] = { "IPv4 reassembly", { HOOK_FUNC_ENTRY("df_ip_defrag", "ip_defrag") } },
	[DF_DEFRAG_RET] = { "IPv4 reassembly results",
			    { HOOK_FUNC_RETURN("df_ip_defrag_ret", "ip_defrag") } },
	/* inet_frag_queue_insert appeared in 4.20 (some 4.19 kernels have the backport). */
	[DF_INSERT] = { "duplicate and overlapping fragments",
			{ HOOK_FUNC_ENTRY("df_frag_insert", "inet_frag_queue_insert") },
			.optional = true },
	[DF_INSERT_RET] = { "duplicate and overlapping fragment results",
			    { HOOK_FUNC_RETURN("df_frag_insert_ret", "inet_frag_queue_insert") },
			    .optional = true },
	[DF_EXPIRE] = { "reassembly timeouts",
			{ HOOK_FUNC_ENTRY("df_ip_expire", "ip_expire") },
			.optional = true },
	[DF_FREE] = { "freed packets",
		      { { HOOK_RAW_TP, "df_raw_kfree_skb", "skb:kfree_skb" },
			HOOK_FUNC_ENTRY("df_kprobe_free", "__kfree_skb"),
			HOOK_FUNC_ENTRY("df_kprobe_free", "kfree_skb") } },
	[DF_CONSUME] = { "consumed packets",
			 { { HOOK_RAW_TP, "df_raw_consume_skb", "skb:consume_skb", free_tracepoint_chosen } },
			 .optional = true },
};
const struct hook_table defrag_hook_table = { hook_defs, DF_HOOKS };

static void print_probes(const struct hook_set *hooks)
{
	char desc[96];

	const struct hook_candidate *c;

	/* The entries are fentry or kprobe programs, the returns fexit or kretprobe programs. */
	printf("Probes: %s+%s %s", hook_kind_name(hook_chosen(hooks, DF_DEFRAG)->kind),
	       hook_kind_name(hook_chosen(hooks, DF_DEFRAG_RET)->kind), hook_defs[DF_DEFRAG].cand[0].target);
	if ((c = hook_chosen(hooks, DF_INSERT)) && hook_chosen(hooks, DF_INSERT_RET))
		printf(", %s+%s inet_frag_queue_insert", hook_kind_name(c->kind),
		       hook_kind_name(hook_chosen(hooks, DF_INSERT_RET)->kind));
	if ((c = hook_chosen(hooks, DF_EXPIRE)))
		printf(", %s ip_expire", hook_kind_name(c->kind));
	printf(", %s%s\n", hook_describe(hooks, DF_FREE, desc, sizeof(desc)),
	       hook_chosen(hooks, DF_CONSUME) ? " + raw_tracepoint skb:consume_skb" : "");
}

/* ---- events ---- */

struct printer {
	struct trace_ip_defrag_bpf *skel;
};

static void emit(FILE *f, const struct defrag_event *ev, const char *hms, const char *const *frames, int n,
		 const char *reason)
{
	if (g_common.json)
		defrag_print_json(f, ev, hms, frames, n < 0 ? 0 : n, reason);
	else
		defrag_print_event(f, ev, hms, frames, n, reason);
	fflush(f);
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct printer *p = ctx;
	const struct defrag_event *ev = data;
	static struct stack_frames stack;
	const char *reason = NULL;
	char hms[16];
	int n = 0;

	if (size < sizeof(*ev))
		return;
	if (ev->type == DEFRAG_EV_KFREE && ev->stack_id >= 0)
		n = stack_frames_read(&stack, p->skel->maps.stacks, ev->stack_id);
	if (ev->free_hook == DEFRAG_FREE_TP_CONSUME)
		reason = "CONSUMED";
	else if (ev->reason)
		reason = drop_reason_name(ev->reason);
	fmt_wall_ns_hms(ktime_to_wall_ns(ev->ts_ns), hms, sizeof(hms));
	emit(stdout, ev, hms, stack.frame, n, reason);
	if (log_file)
		emit(log_file, ev, hms, stack.frame, n, reason);
}

int main(int argc, char **argv)
{
	struct hook_set hooks;
	struct trace_ip_defrag_bpf *skel;
	struct printer printer = { 0 };
	struct event_channel *ch;
	struct defrag_config cfg;

	args_parse(&parser, argc, argv);
	build_config(&cfg);
	tool_init("trace_ip_defrag");
	hook_set_init(&hooks, defrag_hook_table.defs, defrag_hook_table.n, 0);
	require_function_hooks("ip_defrag has no tracepoint to use instead");

	skel = BPFNET_OPEN(trace_ip_defrag_bpf);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	printer.skel = skel;
	ch = events_open(skel->maps.events, skel->maps.events_lost, handle_event, &printer);
	tool_install_signals();
	if (!g_common.json)
		print_probes(&hooks);
	hook_attach(&hooks);
	if (!g_common.json) {
		printf("Attaching probes... Press Ctrl-C to exit.\n");
		if (log_file)
			printf("Logging output to: %s\n", opt.log_file);
	}
	events_trace(ch, &hooks, opt.duration, "\nDetaching probes and exiting...\n");
	events_print_totals(stdout, g_common.json, events_lost(ch));
	events_close(ch);
	if (log_file)
		fclose(log_file);
	trace_ip_defrag_bpf__destroy(skel);
	return 0;
}
