// SPDX-License-Identifier: GPL-2.0-only
#include "netstage.h"
#include "netstage_record.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "interval.h"
#include "json.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "strbuf.h"
#include "timefmt.h"
#include "util.h"

const struct netstage_stage *netstage_stage(const struct netstage_model *m, unsigned id)
{
	for (unsigned i = 0; i < m->nstages; i++)
		if (m->stages[i].id == id)
			return &m->stages[i];
	return NULL;
}

const struct netstage_stage *netstage_stage_at(const struct netstage_model *m, unsigned dir, unsigned pos)
{
	for (unsigned i = 0; i < m->nstages; i++)
		if (m->stages[i].dir == dir && m->stages[i].pos == pos)
			return &m->stages[i];
	return NULL;
}

void netstage_rules_build(struct netstage_config *cfg, const struct netstage_model *m, unsigned dirs,
			  unsigned protocols)
{
	memset(cfg->rules, 0xFF, sizeof(cfg->rules));
	for (unsigned i = 0; i < m->nrules; i++) {
		const struct netstage_hook_rule *r = &m->rules[i];
		const struct netstage_stage *st = netstage_stage(m, r->stage);
		struct netstage_rule *slot = cfg->rules[r->hook];

		if (!st || !(dirs & NS_DIR_BIT(st->dir)) || !(protocols & r->protocols))
			continue;
		if (slot[0].stage != NS_STAGE_NONE)
			slot++;
		if (slot->stage != NS_STAGE_NONE)
			die("internal error: more than %d stages on hook %u", NS_RULES, r->hook);
		*slot = (struct netstage_rule){
			.stage = st->id, .pos = st->pos, .dir = st->dir, .dev = r->dev, .flags = r->flags
		};
	}
}

bool netstage_hook_used(const struct netstage_config *cfg, unsigned hook)
{
	for (int i = 0; i < NS_RULES; i++)
		if (cfg->rules[hook][i].stage != NS_STAGE_NONE)
			return true;
	return false;
}

/* ---- probe points ---- */

static bool from_4_20(const struct hook_set *plan)
{
	return !release_below(plan->env->release, 4, 20);
}

static bool before_4_20(const struct hook_set *plan)
{
	return release_below(plan->env->release, 4, 20);
}

// clang-format off
#define FUNC(prog, func) HOOK_FUNC_ENTRY(prog, func)
#define OVS(prog, func) { FUNC(prog, func) }, "openvswitch"
// clang-format on

const struct hook_def netstage_hook_defs[NS_HOOKS_COMMON] = {
	[NS_HOOK_IP_QUEUE_XMIT] = { NULL,
				    { FUNC("ns_ip_queue_xmit", "__ip_queue_xmit"),
				      FUNC("ns_ip_queue_xmit", "ip_queue_xmit") } },
	[NS_HOOK_IP_SEND_SKB] = { NULL, { FUNC("ns_ip_send_skb", "ip_send_skb") } },
	[NS_HOOK_IP_OUTPUT] = { NULL, { FUNC("ns_ip_output", "ip_output") } },
	[NS_HOOK_INTERNAL_DEV_XMIT] = { NULL, OVS("ns_internal_dev_xmit", "internal_dev_xmit") },
	[NS_HOOK_OVS_VPORT_RECEIVE] = { NULL, OVS("ns_ovs_vport_receive", "ovs_vport_receive") },
	[NS_HOOK_OVS_DP_PROCESS] = { NULL, OVS("ns_ovs_dp_process_packet", "ovs_dp_process_packet") },
	[NS_HOOK_OVS_DP_UPCALL] = { NULL, OVS("ns_ovs_dp_upcall", "ovs_dp_upcall") },
	[NS_HOOK_OVS_KEY_USERSPACE] = { NULL, OVS("ns_ovs_flow_key_extract_userspace",
						  "ovs_flow_key_extract_userspace") },
	[NS_HOOK_OVS_CT_FILL_KEY] = { NULL, OVS("ns_ovs_ct_fill_key", "ovs_ct_fill_key") },
	/* The skb moved from the 4th argument to the 1st in 4.20. */
	[NS_HOOK_CT_IN] = { NULL,
			    { HOOK_FUNC_ENTRY("ns_nf_conntrack_in", "nf_conntrack_in", from_4_20),
			      { HOOK_KPROBE, "ns_nf_conntrack_in_old", "nf_conntrack_in", before_4_20 } },
			    "nf_conntrack" },
	[NS_HOOK_CT_DONE] = { NULL,
			      { HOOK_FUNC_RETURN("ns_nf_conntrack_in_ret", "nf_conntrack_in") },
			      "nf_conntrack" },
	[NS_HOOK_OVS_VPORT_SEND] = { NULL, OVS("ns_ovs_vport_send", "ovs_vport_send") },
	/* dev_queue_xmit is an inline wrapper of __dev_queue_xmit since 5.19 (and a duplicated local symbol on 6.1). */
	[NS_HOOK_DEV_QUEUE] = { NULL,
				{ { HOOK_RAW_TP, "ns_net_dev_queue", "net:net_dev_queue" },
				  FUNC("ns_dev_queue_xmit", "__dev_queue_xmit"),
				  FUNC("ns_dev_queue_xmit", "dev_queue_xmit") } },
	[NS_HOOK_QDISC_DEQUEUE] = { NULL, { { HOOK_RAW_TP, "ns_qdisc_dequeue", "qdisc:qdisc_dequeue" } } },
	[NS_HOOK_DEV_START_XMIT] = { NULL,
				     { { HOOK_RAW_TP, "ns_net_dev_start_xmit", "net:net_dev_start_xmit" },
				       FUNC("ns_dev_hard_start_xmit", "dev_hard_start_xmit") } },
	[NS_HOOK_NETIF_RECEIVE] = { NULL,
				    { { HOOK_RAW_TP, "ns_netif_receive_skb", "net:netif_receive_skb" } } },
	[NS_HOOK_NETDEV_FRAME_HOOK] = { NULL,
					{ { HOOK_KPROBE, "ns_netdev_frame_hook", "netdev_frame_hook" } },
					"openvswitch" },
	[NS_HOOK_INTERNAL_DEV_RECV] = { NULL, OVS("ns_internal_dev_recv", "internal_dev_recv") },
	[NS_HOOK_IP_RCV] = { NULL, { FUNC("ns_ip_rcv", "ip_rcv") } },
	[NS_HOOK_TCP_V4_RCV] = { NULL, { FUNC("ns_tcp_v4_rcv", "tcp_v4_rcv") } },
	[NS_HOOK_UDP_RCV] = { NULL, { FUNC("ns_udp_rcv", "udp_rcv"), FUNC("ns_udp_rcv", "__udp4_lib_rcv") } },
	[NS_HOOK_ICMP_RCV] = { NULL, { FUNC("ns_icmp_rcv", "icmp_rcv") } },
};

static const char *hook_stages(const struct netstage_config *cfg, const struct netstage_model *m, int hook,
			       char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (int r = 0; r < NS_RULES; r++) {
		const struct netstage_stage *st = netstage_stage(m, cfg->rules[hook][r].stage);

		if (st && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", st->name);
	}
	return buf;
}

void netstage_hook_clear(struct netstage_config *cfg, unsigned hook)
{
	for (int r = 0; r < NS_RULES; r++)
		cfg->rules[hook][r].stage = NS_STAGE_NONE;
}

void netstage_probes_select(struct netstage_probes *p, struct bpf_object *obj, struct netstage_config *cfg,
			    const struct netstage_model *m)
{
	int n = NS_HOOKS_COMMON + (int)m->nhooks;
	uint64_t unused = 0;
	char stages[160];

	if (n > NS_MAX_HOOKS)
		die("internal error: %d stage hooks, at most %d", n, NS_MAX_HOOKS);
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->m = m;
	for (int h = 0; h < n; h++) {
		p->defs[h] = h < NS_HOOKS_COMMON ? netstage_hook_defs[h] : m->hooks[h - NS_HOOKS_COMMON];
		if (netstage_hook_used(cfg, h))
			snprintf(p->roles[h], sizeof(p->roles[h]), "stage %s",
				 hook_stages(cfg, m, h, stages, sizeof(stages)));
		else
			snprintf(p->roles[h], sizeof(p->roles[h]), "hook %s", p->defs[h].cand[0].target);
		p->defs[h].role = p->roles[h];
		p->defs[h].optional = m->optional & (1ull << h);
	}
	for (int h = 0; h < n; h++)
		unused |= netstage_hook_used(cfg, h) ? 0 : 1ull << h;
	hook_set_init(&p->set, p->defs, n, unused);
	hook_prepare(&p->set, obj);
	for (int h = 0; h < n; h++)
		if (!hook_chosen(&p->set, h))
			netstage_hook_clear(cfg, h);
}

void netstage_probes_attach(struct netstage_probes *p)
{
	hook_attach(&p->set);
}

void netstage_probes_detach(struct netstage_probes *p)
{
	hook_detach(&p->set);
}

void netstage_probes_print(FILE *f, const struct netstage_probes *p)
{
	char desc[160], stages[160];

	for (int h = 0; h < p->set.n; h++)
		if (hook_active(&p->set, h))
			fprintf(f, "Probe: %s -> %s\n", hook_describe(&p->set, h, desc, sizeof(desc)),
				hook_stages(p->cfg, p->m, h, stages, sizeof(stages)));
}

/* ---- sessions and counters ---- */

void netstage_counts_read(struct bpf_map *counters, struct netstage_counts *c)
{
	uint64_t sum[NS_COUNTERS];

	bpfload_percpu_sums(counters, NS_COUNTERS, sum);
	for (int d = 0; d < NS_DIRS; d++) {
		c->started[d] = sum[NS_CNT_STARTED + d];
		c->completed[d] = sum[NS_CNT_COMPLETED + d];
		c->unreported[d] = sum[NS_CNT_UNREPORTED + d];
	}
	c->no_session = sum[NS_CNT_NO_SESSION];
}

/* Walks the sessions in batches (5.6+), else key by key; calls fn on each key and value. */
static void sessions_walk(int fd, size_t vsize, uint32_t max,
			  void (*fn)(const struct netstage_key *, const void *, void *), void *arg)
{
	enum { CHUNK = 256 };
	struct netstage_key *keys = calloc(CHUNK, sizeof(*keys)), cur, next, *prev = NULL;
	char *vals = calloc(CHUNK, vsize);
	uint32_t batch = 0, count;
	bool first = true;
	int err;

	if (!keys || !vals)
		die("out of memory");
	for (;;) {
		count = CHUNK;
		err = bpf_map_lookup_batch(fd, first ? NULL : &batch, &batch, keys, vals, &count, NULL);
		if (err && errno != ENOENT)
			break;
		for (uint32_t i = 0; i < count; i++)
			fn(&keys[i], vals + (size_t)i * vsize, arg);
		first = false;
		if (err) /* ENOENT: that was the last batch */
			goto out;
	}
	if (!first)
		goto out;
	/* No batch support: a key deleted meanwhile restarts the walk, hence the cap. */
	for (uint32_t n = 0; n < max && bpf_map_get_next_key(fd, prev, &next) == 0; n++) {
		cur = next;
		prev = &cur;
		if (bpf_map_lookup_elem(fd, &cur, vals) == 0)
			fn(&cur, vals, arg);
	}
out:
	free(keys);
	free(vals);
}

struct sweep {
	uint64_t stale_ns, now_ns;
	struct netstage_counts *c;
	netstage_stale_fn fn;
	struct netstage_key *stale;
	size_t nstale, cap;
};

static void sweep_one(const struct netstage_key *key, const void *val, void *arg)
{
	struct sweep *sw = arg;
	const struct netstage_session *s = val;

	if (sw->now_ns > s->last_ns && sw->now_ns - s->last_ns > sw->stale_ns) {
		if (sw->fn)
			sw->fn(val, sw->now_ns);
		if (sw->nstale == sw->cap) {
			sw->cap = sw->cap ? 2 * sw->cap : 64;
			sw->stale = realloc(sw->stale, sw->cap * sizeof(*sw->stale));
			if (!sw->stale)
				die("out of memory");
		}
		sw->stale[sw->nstale++] = *key;
	} else {
		sw->c->active[s->dir & 1]++;
	}
}

uint64_t netstage_sweep(struct bpf_map *sessions, uint64_t stale_ns, uint64_t now_ns,
			struct netstage_counts *c, netstage_stale_fn fn)
{
	struct sweep sw = { .stale_ns = stale_ns, .now_ns = now_ns, .c = c, .fn = fn };
	int fd = bpf_map__fd(sessions);
	uint64_t deleted = 0;

	memset(c->active, 0, sizeof(c->active));
	sessions_walk(fd, bpf_map__value_size(sessions), bpf_map__max_entries(sessions), sweep_one, &sw);
	for (size_t i = 0; i < sw.nstale; i++)
		if (bpf_map_delete_elem(fd, &sw.stale[i]) == 0)
			deleted++;
	free(sw.stale);
	return deleted;
}

uint64_t netstage_incomplete(const struct netstage_counts *c, int dir)
{
	uint64_t done = c->completed[dir] + c->active[dir];

	return c->started[dir] > done ? c->started[dir] - done : 0;
}

void netstage_print_totals(FILE *f, bool json, const struct netstage_counts *c, uint64_t reported,
			   uint64_t lost)
{
	uint64_t below = c->unreported[NS_TX] + c->unreported[NS_RX];
	uint64_t inc = netstage_incomplete(c, NS_TX) + netstage_incomplete(c, NS_RX);
	uint64_t active = c->active[NS_TX] + c->active[NS_RX];
	const struct final_count counts[] = { { "reported", reported },
					      { "below_threshold", below },
					      { "incomplete", inc },
					      { "in_flight", active },
					      { "not_tracked_table_full", c->no_session } };

	if (json) {
		events_print_final_json(f, counts, ARRAY_SIZE(counts), lost);
		return;
	}
	fprintf(f,
		"Packets reported: %llu, below --latency-us: %llu, incomplete: %llu, in flight: %llu, "
		"not tracked (table full): %llu\n",
		(unsigned long long)reported, (unsigned long long)below, (unsigned long long)inc,
		(unsigned long long)active, (unsigned long long)c->no_session);
	fprintf(f, "Lost events: %llu\n", (unsigned long long)lost);
}

struct run {
	const struct netstage_tracer *t;
	uint64_t stale_ns;
	uint64_t reported;
	struct netstage_counts counts;
};

static void print_session(void *ctx, const void *data, size_t size)
{
	struct run *r = ctx;
	char datetime[32];

	if (size < r->t->session_size)
		return;
	r->reported++;
	fmt_datetime_ms(datetime, sizeof(datetime));
	r->t->print(stdout, datetime, data);
	output_event_end();
}

static void sweep_tick(void *arg)
{
	struct run *r = arg;

	netstage_sweep(r->t->sessions, r->stale_ns, ktime_now_ns(), &r->counts, r->t->stale);
}

void netstage_trace(const struct netstage_tracer *t, struct netstage_probes *probes,
		    const struct netstage_config *cfg, double duration_s)
{
	struct run r = { .t = t, .stale_ns = cfg->stale_ns };
	struct event_channel *ch = events_open(t->events, t->events_lost, print_session, &r);

	tool_install_signals();
	netstage_probes_attach(probes);
	if (!g_common.json)
		t->banner(cfg, probes);
	tool_ready();

	interval_run(&(struct interval_loop){
		.interval_s = 1.0, .duration_s = duration_s, .report = sweep_tick, .ctx = &r, .events = ch });
	/* Deliver what was already submitted before the probes go away. */
	events_poll(ch, 0);
	netstage_probes_detach(probes);
	events_drain(ch);
	if (!g_common.json)
		printf("\nDetaching...\n");
	if (t->probe_stats)
		netstage_probe_stats_report(stdout, g_common.json, t->probe_stats);
	netstage_counts_read(t->counters, &r.counts);
	sweep_tick(&r);
	netstage_print_totals(stdout, g_common.json, &r.counts, r.reported, events_lost(ch));
	if (!g_common.json)
		printf("Exiting.\n");
	events_close(ch);
}

void netstage_load(struct netstage_probes *p, struct bpf_object_skeleton *skel, struct netstage_config *cfg,
		   const struct netstage_model *m)
{
	struct bpf_object *obj = *skel->obj;

	netstage_probes_select(p, obj, cfg, m);
	bpfload_load(skel);
	bpfload_write_config(bpfload_map(obj, "config_map"), cfg, sizeof(*cfg));
}
