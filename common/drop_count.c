// SPDX-License-Identifier: GPL-2.0-only
#include "drop_count.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "runtime.h"
#include "stack.h"
#include "strbuf.h"

static void render_stack(struct drop_entry *e, const struct bpf_map *stacks, const struct ksyms *ks,
			 enum ksym_style style)
{
	uint64_t ips[STACK_MAX_DEPTH];
	char buf[256];
	int n;

	e->frames = NULL;
	e->nframes = 0;
	if (!stacks || e->key.stack_id < 0)
		return;
	n = stack_read(stacks, e->key.stack_id, ips, STACK_MAX_DEPTH);
	e->nframes = n;
	if (n <= 0)
		return;
	e->frames = calloc((size_t)n, sizeof(*e->frames));
	if (!e->frames)
		die("out of memory");
	for (int i = 0; i < n; i++) {
		e->frames[i] = strdup(ksyms_format(ks, ips[i], style, buf, sizeof(buf)));
		if (!e->frames[i])
			die("out of memory");
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const struct drop_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

void drop_table_sort(struct drop_table *t)
{
	if (t->n)
		qsort(t->entries, t->n, sizeof(*t->entries), cmp_entry);
}

void drop_table_read(struct drop_table *t, struct bpf_map *counts, uint32_t gen, bool del,
		     const struct bpf_map *stacks, const struct ksyms *ks, enum ksym_style style)
{
	struct drop_count_key key, next;
	size_t cap = 0;
	int fd = bpf_map__fd(counts);
	void *prev = NULL;

	memset(t, 0, sizeof(*t));
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		uint64_t count;

		key = next;
		prev = &key;
		if (gen != DROP_GEN_ANY && key.gen != gen)
			continue;
		if (bpf_map_lookup_elem(fd, &key, &count))
			continue;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->entries = realloc(t->entries, cap * sizeof(*t->entries));
			if (!t->entries)
				die("out of memory");
		}
		t->entries[t->n].key = key;
		t->entries[t->n].count = count;
		t->total += count;
		t->n++;
	}
	/* Deleting while iterating would restart the walk: delete afterwards. */
	for (size_t i = 0; del && i < t->n; i++)
		bpf_map_delete_elem(fd, &t->entries[i].key);
	for (size_t i = 0; i < t->n; i++)
		render_stack(&t->entries[i], stacks, ks, style);
	drop_table_sort(t);
}

void drop_table_free(struct drop_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (int k = 0; k < t->entries[i].nframes; k++)
			free(t->entries[i].frames[k]);
		free(t->entries[i].frames);
	}
	free(t->entries);
	memset(t, 0, sizeof(*t));
}

uint32_t drop_generation_advance(struct bpf_map *generation)
{
	uint32_t zero = 0, gen = 0, next;
	int fd = bpf_map__fd(generation);

	bpf_map_lookup_elem(fd, &zero, &gen);
	next = gen + 1;
	if (bpf_map_update_elem(fd, &zero, &next, BPF_ANY))
		die("cannot advance the counter generation: %s", strerror(errno));
	return gen;
}

uint64_t drop_count_table_full(struct bpf_map *errors)
{
	return bpfload_percpu_sum(errors, DROP_COUNT_TABLE_FULL);
}

const char *drop_tuple_format(const struct drop_tuple *t, char *buf, size_t len)
{
	char s[32], d[32], p[16];
	const char *proto = l4proto_name(t->protocol, p, sizeof(p));

	ipv4_format(t->saddr, s, sizeof(s));
	ipv4_format(t->daddr, d, sizeof(d));
	if (t->protocol == 6 || t->protocol == 17)
		snprintf(buf, len, "%s:%u -> %s:%u (%s)", s, t->sport, d, t->dport, proto);
	else
		snprintf(buf, len, "%s -> %s (%s)", s, d, proto);
	return buf;
}

void drop_print_failures(FILE *f, const struct drop_table *t)
{
	if (!t->n)
		return;
	fprintf(f, "\n  Stack trace failures by device:\n");
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "    %s: %llu failed\n", t->entries[i].key.devname,
			(unsigned long long)t->entries[i].count);
}

static bool stack_error(FILE *f, const struct drop_entry *e, const char *indent)
{
	if (e->nframes >= 0)
		return false;
	fprintf(f, "%s[Error reading stack: %s]\n", indent, strerror(-e->nframes));
	return true;
}

void drop_print_stack_brief(FILE *f, const struct drop_entry *e)
{
	enum { SHOWN = 5 };

	fprintf(f, "  Stack trace:\n");
	if (stack_error(f, e, "    "))
		return;
	fprintf(f, "    Stack depth: %d frames\n", e->nframes);
	for (int i = 0; i < e->nframes && i < SHOWN; i++)
		fprintf(f, "    %s\n", e->frames[i]);
	if (e->nframes > SHOWN)
		fprintf(f, "    ... (%d more frames)\n", e->nframes - SHOWN);
}

void drop_print_stack_full(FILE *f, const struct drop_entry *e, const char *indent)
{
	if (stack_error(f, e, indent))
		return;
	for (int i = 0; i < e->nframes; i++)
		fprintf(f, "%s%s\n", indent, e->frames[i]);
}

void drop_table_json(struct json *j, const char *key, const struct drop_table *t, size_t max, bool with_tuple)
{
	char flow[96];

	json_arr(j, key);
	for (size_t i = 0; i < t->n && i < max; i++) {
		const struct drop_entry *e = &t->entries[i];

		json_obj(j, NULL);
		json_uint(j, "count", e->count);
		json_str(j, "device", e->key.devname);
		if (e->key.stack_id >= 0)
			json_int(j, "stack_id", e->key.stack_id);
		if (with_tuple)
			json_str(j, "flow", drop_tuple_format(&e->key.tuple, flow, sizeof(flow)));
		if (e->key.stack_id >= 0)
			json_str_array(j, "stack", (const char *const *)e->frames, e->nframes);
		json_end_obj(j);
	}
	json_end_arr(j);
}

const char *const drop_l4_choices[] = { "all", "icmp", "tcp", "udp", NULL };

void drop_count_config_build(struct drop_count_config *cfg, const struct drop_filter_opts *o)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->filter.flags |= PKT_F_IPV4_ONLY;
	filter_set_ipv4(&cfg->filter, true, o->src_ip);
	filter_set_ipv4(&cfg->filter, false, o->dst_ip);
	cfg->filter.sport = o->src_port;
	cfg->filter.dport = o->dst_port;
	cfg->filter.l4proto = o->l4_protocol;
	if (o->name)
		snprintf(cfg->ifname, sizeof(cfg->ifname), "%s", o->name);
}

const char *drop_filter_text(const struct drop_filter_opts *o, char *buf, size_t len)
{
	struct strbuf sb = { 0 };
	char addr[INET_ADDRSTRLEN], proto[8];

	if (o->name && *o->name)
		sb_addf(&sb, "device: %s", o->name);
	if (o->src_ip)
		sb_addf(&sb, "%ssrc IP: %s", sb.len ? ", " : "", ipv4_format(o->src_ip, addr, sizeof(addr)));
	if (o->dst_ip)
		sb_addf(&sb, "%sdst IP: %s", sb.len ? ", " : "", ipv4_format(o->dst_ip, addr, sizeof(addr)));
	if (o->src_port)
		sb_addf(&sb, "%ssrc port: %u", sb.len ? ", " : "", o->src_port);
	if (o->dst_port)
		sb_addf(&sb, "%sdst port: %u", sb.len ? ", " : "", o->dst_port);
	if (o->l4_protocol)
		sb_addf(&sb, "%sprotocol: %s", sb.len ? ", " : "",
			l4proto_name(o->l4_protocol, proto, sizeof(proto)));
	if (sb.len)
		snprintf(buf, len, " (filters: %s)", sb.buf);
	else
		snprintf(buf, len, " (no filters)");
	sb_free(&sb);
	return buf;
}

void drop_banner_duration(double duration_s)
{
	if (duration_s > 0)
		printf("Duration: %.0fs, Press Ctrl+C to stop early\n", duration_s);
	else
		printf("Press Ctrl+C to stop\n");
	printf("============================================================\n");
}

void drop_banner_device(const char *ifname)
{
	if (ifname[0])
		printf("Filtering by device: %s\n", ifname);
	else
		printf("No device filter - monitoring all interfaces\n");
}

void drop_count_start(struct bpf_object_skeleton *s, struct bpf_map *config_map,
		      const struct drop_count_config *cfg, struct hook_set *hooks)
{
	bpfload_load(s);
	bpfload_write_config(config_map, cfg, sizeof(*cfg));
	tool_install_signals();
	hook_attach(hooks);
	if (!g_common.json) {
		hook_print(stdout, hooks);
		drop_banner_device(cfg->ifname);
	}
	tool_ready();
}
