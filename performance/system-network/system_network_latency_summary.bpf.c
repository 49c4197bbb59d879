/* system_network_latency_summary: adjacent-stage and end-to-end latency histograms, in the kernel. */
#include "bpfnet.bpf.h"
#include "hist_slot.h"
#include "system_network_latency_summary.h"

#define NETSTAGE_SESSION struct sls_session
#include "netstage.bpf.h"

/* Cumulative since start; user space reports the growth of each interval (nothing is reset). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLS_PAIR_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} stage_pair_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NS_DIRS * SLS_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} total_hist SEC(".maps");

static __always_inline __u32 us_slot(__u64 ns)
{
	__u32 slot = log2_slot(ns / 1000);

	return slot < SLS_SLOTS ? slot : SLS_SLOTS - 1;
}

static __always_inline void bump(void *map, __u32 index)
{
	__u64 *v = bpf_map_lookup_elem(map, &index);

	if (v)
		*v += 1;	/* per-CPU slot: no atomic needed */
}

static __always_inline void netstage_record(void *ctx, struct sls_session *s, const struct netstage_hit *h)
{
	__u32 prev = s->hdr.last_pos, cur = h->pos;

	if (h->first || h->now <= s->hdr.last_ns || prev >= NS_MAX_POS || cur >= NS_MAX_POS)
		return;
	bump(&stage_pair_hist, sls_pair_index(h->dir & 1, prev, cur, us_slot(h->now - s->hdr.last_ns)));
}

static __always_inline void netstage_complete(void *ctx, struct sls_session *s, const struct netstage_hit *h)
{
	if (h->now > s->hdr.first_ns)
		bump(&total_hist, (h->dir & 1) * SLS_SLOTS + us_slot(h->now - s->hdr.first_ns));
}

BPFNET_LICENSE;
