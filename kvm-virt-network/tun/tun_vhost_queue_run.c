// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run of tun_to_vhost_queue_status_simple and tun_to_vhost_queue_stats_details: hooks,
 * configuration, and each interval's report from the counts the BPF side keeps growing.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "kernel_btf.h"
#include "log.h"
#include "percpu_delta.h"
#include "runtime.h"
#include "timefmt.h"
#include "tun_vhost_queue.h"

static const struct hook_def hook_defs[TVQ_HOOKS] = {
	[TVQ_HOOK_XMIT] = { "packets queued on a tap",
			    { HOOK_FUNC_ENTRY("tvq_xmit", "tun_net_xmit") },
			    "tun" },
	[TVQ_HOOK_SIGNAL] = { "vhost signals to the guest",
			      { HOOK_FUNC_ENTRY("tvq_signal", "vhost_add_used_and_signal_n") },
			      "vhost",
			      .optional = true },
	[TVQ_HOOK_RECVMSG] = { "packets vhost-net takes from a tap",
			       { HOOK_FUNC_ENTRY("tvq_recvmsg", "tun_recvmsg") },
			       "tun" },
	[TVQ_HOOK_HANDLE_RX] = { "vhost-net RX runs",
				 { HOOK_FUNC_ENTRY("tvq_handle_rx", "handle_rx") },
				 "vhost_net",
				 .optional = true },
};
const struct hook_table tvq_simple_hook_table = { hook_defs, TVQ_HOOK_SIGNAL + 1 };
const struct hook_table tvq_details_hook_table = { hook_defs, TVQ_HOOKS };

/* A queue's counts at the previous report. */
struct seen_queue {
	struct tvq_queue_key key;
	struct tvq_queue_stats last;
	__u64 retired_signals[2]; /* gen_signals of each generation when it was last retired */
};

struct run {
	const struct tvq_options *o;
	bool details;
	struct bpf_object *obj;
	int queue_stats_fd, targets_fd, rx_vqs_fd, signal_idx_fd;
	struct bpf_map *config_map;
	struct tvq_config cfg;
	struct percpu_delta counters;
	struct seen_queue seen[TVQ_MAX_QUEUES];
	int nseen;
	struct tvq_queue_report queues[TVQ_MAX_QUEUES];
	struct tvq_signal_freq freqs[TVQ_MAX_QUEUES];
	struct tvq_debug_entry targets[TVQ_MAX_QUEUES], rx_vqs[TVQ_MAX_QUEUES];
	char target_names[TVQ_MAX_QUEUES][TVQ_DEV_LEN + 16];
	int reports;
	struct prom prom;
	struct tvq_queue_report cum[TVQ_MAX_QUEUES]; /* the metrics' counts since the start */
};

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		die("internal error: %s has no map %s", tool_name(), name);
	return bpf_map__fd(m);
}

static int queue_cmp(const void *a, const void *b)
{
	const struct tvq_queue_report *x = a, *y = b;
	int c = strncmp(x->dev, y->dev, TVQ_DEV_LEN);

	return c ? c : (x->queue > y->queue) - (x->queue < y->queue);
}

static struct seen_queue *seen_of(struct run *r, const struct tvq_queue_key *key)
{
	for (int i = 0; i < r->nseen; i++)
		if (!memcmp(&r->seen[i].key, key, sizeof(*key)))
			return &r->seen[i];
	if (r->nseen == TVQ_MAX_QUEUES)
		return NULL;
	memset(&r->seen[r->nseen], 0, sizeof(r->seen[0]));
	r->seen[r->nseen].key = *key;
	return &r->seen[r->nseen++];
}

/* This interval's counts of every queue that had any; returns how many. */
static int read_queues(struct run *r)
{
	struct tvq_queue_key key, *prev = NULL;
	struct tvq_queue_stats now;
	__u32 old = (r->cfg.generation ^ 1) & 1;
	int n = 0;

	while (!bpf_map_get_next_key(r->queue_stats_fd, prev, &key)) {
		struct seen_queue *s;
		struct tvq_queue_report *q = &r->queues[n];
		bool any;

		prev = &key;
		if (bpf_map_lookup_elem(r->queue_stats_fd, &key, &now) || !(s = seen_of(r, &key)))
			continue;
		memset(q, 0, sizeof(*q));
		memcpy(q->dev, key.dev, TVQ_DEV_LEN);
		q->queue = key.queue;
		q->xmits = now.xmits - s->last.xmits;
		q->signals = now.signals - s->last.signals;
		/* A retired generation no longer grows: its count is exact, race-free. */
		q->gen_signals = now.gen_signals[old] - s->retired_signals[old];
		s->retired_signals[old] = now.gen_signals[old];
		any = q->xmits || q->signals || q->gen_signals;
		for (int h = 0; h < TVQH_HISTS; h++)
			for (int k = 0; k < TVQ_SLOTS; k++) {
				q->hist[h][k] = now.hist[h][k] - s->last.hist[h][k];
				any |= q->hist[h][k] != 0;
			}
		q->last_used_idx = now.last_used_idx;
		q->napi_enabled = now.napi_enabled;
		q->napi_frags_enabled = now.napi_frags_enabled;
		s->last = now;
		n += any;
	}
	qsort(r->queues, (size_t)n, sizeof(r->queues[0]), queue_cmp);
	return n;
}

static struct tvq_queue_report *report_of_sock(struct run *r, int nqueues, uint64_t sock)
{
	struct tvq_queue_key key;

	if (bpf_map_lookup_elem(r->targets_fd, &sock, &key))
		return NULL;
	for (int i = 0; i < nqueues; i++)
		if (!strncmp(r->queues[i].dev, key.dev, TVQ_DEV_LEN) && r->queues[i].queue == key.queue)
			return &r->queues[i];
	return NULL;
}

static struct tvq_signal_freq *freq_of(struct run *r, int *nfreqs, uint64_t sock)
{
	for (int i = 0; i < *nfreqs; i++)
		if (r->freqs[i].sock == sock)
			return &r->freqs[i];
	if (*nfreqs == TVQ_MAX_QUEUES)
		return NULL;
	memset(&r->freqs[*nfreqs], 0, sizeof(r->freqs[0]));
	r->freqs[*nfreqs].sock = sock;
	return &r->freqs[(*nfreqs)++];
}

static int freq_cmp(const void *a, const void *b)
{
	const struct tvq_signal_freq *x = a, *y = b;

	return (x->sock > y->sock) - (x->sock < y->sock);
}

/*
 * The signal index counts of the interval that ends, the generation report() retired: every
 * count of it is read and deleted; its verification is the queue's count of the same generation.
 */
static int read_signal_freqs(struct run *r, int nqueues)
{
	struct tvq_signal_idx_key key, kept, *prev = NULL;
	uint64_t count;
	int nfreqs = 0;

	while (!bpf_map_get_next_key(r->signal_idx_fd, prev, &key)) {
		struct tvq_signal_freq *fr;

		if (key.generation == r->cfg.generation) {
			kept = key;
			prev = &kept;
			continue;
		}
		if (!bpf_map_lookup_elem(r->signal_idx_fd, &key, &count) && count &&
		    (fr = freq_of(r, &nfreqs, key.sock))) {
			fr->total += count;
			fr->unique++;
			tvq_top_insert(fr, key.last_used_idx, count);
		}
		/* Deleted: the next key is found from the last one kept, which still exists. */
		bpf_map_delete_elem(r->signal_idx_fd, &key);
	}
	for (int i = 0; i < nfreqs; i++) {
		r->freqs[i].queue = report_of_sock(r, nqueues, r->freqs[i].sock);
		r->freqs[i].verification = r->freqs[i].queue ? r->freqs[i].queue->gen_signals : 0;
	}
	qsort(r->freqs, (size_t)nfreqs, sizeof(r->freqs[0]), freq_cmp);
	return nfreqs;
}

static int read_targets(struct run *r)
{
	uint64_t sock, cur, *prev = NULL;
	struct tvq_queue_key key;
	int n = 0;

	while (n < TVQ_MAX_QUEUES && !bpf_map_get_next_key(r->targets_fd, prev, &sock)) {
		cur = sock;
		prev = &cur;
		if (bpf_map_lookup_elem(r->targets_fd, &sock, &key))
			continue;
		snprintf(r->target_names[n], sizeof(r->target_names[n]), "%.*s:q%u", TVQ_DEV_LEN, key.dev,
			 key.queue);
		r->targets[n] = (struct tvq_debug_entry){ sock, 0, r->target_names[n] };
		n++;
	}
	return n;
}

static int read_rx_vqs(struct run *r, int ntargets)
{
	uint64_t sock, cur, vq, *prev = NULL;
	int n = 0;

	while (n < TVQ_MAX_QUEUES && !bpf_map_get_next_key(r->rx_vqs_fd, prev, &sock)) {
		cur = sock;
		prev = &cur;
		if (bpf_map_lookup_elem(r->rx_vqs_fd, &sock, &vq))
			continue;
		r->rx_vqs[n] = (struct tvq_debug_entry){ vq, sock, NULL };
		for (int i = 0; i < ntargets; i++)
			if (r->targets[i].key == sock)
				r->rx_vqs[n].queue = r->targets[i].queue;
		n++;
	}
	return n;
}

static void warn_full(const uint64_t *c)
{
	if (c[TVQC_TARGETS_FULL] || c[TVQC_QUEUES_FULL])
		log_warn("%llu packets not counted: the table of %d queues is full",
			 (unsigned long long)(c[TVQC_TARGETS_FULL] + c[TVQC_QUEUES_FULL]), TVQ_MAX_QUEUES);
	if (c[TVQC_RX_VQS_FULL])
		log_warn("%llu handle_rx runs not tracked: the table of %d RX virtqueues is full",
			 (unsigned long long)c[TVQC_RX_VQS_FULL], TVQ_MAX_QUEUES);
	if (c[TVQC_SIGNAL_IDX_FULL])
		log_warn("%llu signals left out of the index analysis: the table of %d indices is full",
			 (unsigned long long)c[TVQC_SIGNAL_IDX_FULL], TVQ_MAX_SIGNAL_IDX);
}

/* The metrics: every queue seen, its counts at this report (seen_queue.last: since the start). */
static void write_metrics(struct run *r)
{
	for (int i = 0; i < r->nseen; i++) {
		const struct tvq_queue_stats *s = &r->seen[i].last;
		struct tvq_queue_report *q = &r->cum[i];

		memset(q, 0, sizeof(*q));
		memcpy(q->dev, r->seen[i].key.dev, TVQ_DEV_LEN);
		q->dev[TVQ_DEV_LEN - 1] = 0;
		q->queue = r->seen[i].key.queue;
		q->xmits = s->xmits;
		q->signals = s->signals;
		memcpy(q->hist, s->hist, sizeof(q->hist));
	}
	qsort(r->cum, (size_t)r->nseen, sizeof(r->cum[0]), queue_cmp);
	prom_begin(&r->prom, tool_name());
	tvq_prom_write(&r->prom, r->cum, r->nseen, r->details);
	prom_commit(&r->prom, r->o->prom.path);
}

static void report(void *ctx)
{
	struct run *r = ctx;
	struct tvq_debug_report debug;
	struct tvq_report rep = { .show_time = r->o->timestamp };
	const uint64_t *counters = percpu_delta_read(&r->counters);
	char time[32];

	rep.time = fmt_datetime_ms(time, sizeof(time));
	rep.queues = r->queues;
	if (r->details) {
		r->cfg.generation ^= 1; /* the interval's signal index counts are retired */
		bpfload_write_config(r->config_map, &r->cfg, sizeof(r->cfg));
	}
	rep.nqueues = read_queues(r);
	if (r->details) {
		rep.freqs = r->freqs;
		rep.nfreqs = read_signal_freqs(r, rep.nqueues);
	}
	if (r->details && r->o->debug) {
		debug.counters = counters;
		debug.targets = r->targets;
		debug.ntargets = read_targets(r);
		debug.rx_vqs = r->rx_vqs;
		debug.nrx_vqs = read_rx_vqs(r, debug.ntargets);
		rep.debug = &debug;
	}
	if (g_common.json)
		tvq_print_json(stdout, &rep, r->details);
	else if (r->details)
		tvq_print_details_report(stdout, &rep);
	else
		tvq_print_simple_report(stdout, &rep);
	warn_full(counters);
	r->reports++;
	if (r->o->prom.path)
		write_metrics(r);
}

/* Dies unless BTF describes the module types the chosen hooks read (5.10 has no module BTF). */
static void require_module_types(struct hook_set *hooks, bool details)
{
	static const char fix[] =
		"pass --btf DIR with tun, vhost and vhost_net files (README: Kernels without BTF)";

	if (!kernel_struct_exists("tun_file", "tun"))
		die("no BTF describes the tun driver's struct tun_file (module BTF came in 5.11): %s", fix);
	if (hook_chosen(hooks, TVQ_HOOK_SIGNAL) && !kernel_struct_exists("vhost_virtqueue", "vhost"))
		die("no BTF describes vhost's struct vhost_virtqueue (module BTF came in 5.11): %s", fix);
	if (details && hook_chosen(hooks, TVQ_HOOK_HANDLE_RX) &&
	    !kernel_struct_exists("vhost_net", "vhost_net"))
		die("no BTF describes vhost_net's struct vhost_net (module BTF came in 5.11): %s", fix);
}

void tvq_run(const struct tvq_options *o, bool details, struct hook_set *hooks,
	     struct bpf_object_skeleton *skel, struct bpf_object *obj)
{
	static struct run r;
	char release[32], distro[64];
	struct tvq_banner b = { .device = o->device, .queue = o->queue, .interval = o->interval };

	r.o = o;
	r.details = details;
	r.obj = obj;
	if (o->device)
		iface_index(o->device);
	hook_prepare(hooks, obj);
	require_module_types(hooks, details);
	bpfload_load(skel);
	r.config_map = bpf_object__find_map_by_name(obj, "config_map");
	r.queue_stats_fd = map_fd(obj, "queue_stats");
	r.targets_fd = map_fd(obj, "target_queues");
	r.rx_vqs_fd = map_fd(obj, "handle_rx_vqs");
	r.signal_idx_fd = map_fd(obj, "signal_idx");
	if (o->device)
		memcpy(r.cfg.dev, o->device, strlen(o->device)); /* at most 15 characters (ARG_IFNAME) */
	r.cfg.filter_queue = o->queue >= 0;
	r.cfg.queue = o->queue >= 0 ? (uint32_t)o->queue : 0;
	r.cfg.details = details;
	bpfload_write_config(r.config_map, &r.cfg, sizeof(r.cfg));
	percpu_delta_init_map(&r.counters, bpf_object__find_map_by_name(obj, "counters"), TVQC_COUNTERS);
	tool_install_signals();
	hook_attach(hooks);
	if (!g_common.json) {
		release_major_minor(kernel_release(), release, sizeof(release));
		os_release_id("/etc/os-release", distro, sizeof(distro));
		b.release = release;
		b.distro = distro;
		b.vring_call_struct = kernel_struct_exists("vhost_vring_call", "vhost");
		b.signal_fn = hook_active(hooks, TVQ_HOOK_SIGNAL) ? hooks->c[TVQ_HOOK_SIGNAL].symbol : NULL;
		b.handle_rx_fn = details && hook_active(hooks, TVQ_HOOK_HANDLE_RX)
					 ? hooks->c[TVQ_HOOK_HANDLE_RX].symbol
					 : NULL;
		b.outputs = o->outputs == TVQ_UNLIMITED ? 0 : o->outputs;
		if (details)
			tvq_print_details_banner(stdout, &b);
		else
			tvq_print_simple_banner(stdout, &b);
	}
	tool_ready();
	interval_run(&(struct interval_loop){
		.interval_s = o->interval,
		.duration_s = o->outputs == TVQ_UNLIMITED ? 0 : (double)o->outputs * o->interval,
		.report = report,
		.final = report,
		.ctx = &r,
	});
	hook_detach(hooks);
	if (!g_common.json)
		printf("\nMonitoring stopped.\n");
	percpu_delta_free(&r.counters);
	prom_free(&r.prom);
}
