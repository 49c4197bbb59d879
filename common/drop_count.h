/* SPDX-License-Identifier: GPL-2.0-only */
/* User side of common/bpf/drop_count.bpf.h: reading, sorting and rendering drop counters. */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/drop_count.h"
#include "ksyms.h"

struct drop_entry {
	struct drop_count_key key;
	uint64_t count;
	int nframes; /* frames rendered, or -errno if the stack could not be read */
	char **frames; /* innermost first */
};

struct drop_table {
	struct drop_entry *entries; /* sorted by count, highest first */
	size_t n;
	uint64_t total;
};

#define DROP_GEN_ANY UINT32_MAX

/*
 * Reads the counters of generation gen (DROP_GEN_ANY: all) from a counter map, deleting them
 * when del is set, and renders each entry's stack from stacks (NULL: no stacks) in style.
 */
void drop_table_read(struct drop_table *t, struct bpf_map *counts, uint32_t gen, bool del,
		     const struct bpf_map *stacks, const struct ksyms *ks, enum ksym_style style);
/* Sorts entries by count, highest first (ties by key, for stable output). */
void drop_table_sort(struct drop_table *t);
void drop_table_free(struct drop_table *t);

/* Advances the generation that new drops are counted under; returns the previous one. */
uint32_t drop_generation_advance(struct bpf_map *generation);
/* Sum of the per-CPU "table full" errors. */
uint64_t drop_count_table_full(struct bpf_map *errors);

/* "10.0.0.1:5000 -> 10.0.0.2:80 (TCP)" or "10.0.0.1 -> 10.0.0.2 (ICMP)". */
const char *drop_tuple_format(const struct drop_tuple *t, char *buf, size_t len);

/* "\n  Stack trace failures by device:\n    <dev>: <n> failed" (nothing if t is empty). */
void drop_print_failures(FILE *f, const struct drop_table *t);
/* The periodic reports' stack: depth line, the first 5 frames, "... (N more frames)". */
void drop_print_stack_brief(FILE *f, const struct drop_entry *e);
/* Every frame of the stack, each line prefixed by indent. */
void drop_print_stack_full(FILE *f, const struct drop_entry *e, const char *indent);
/* Writes the table as a JSON array named key: count, device, stack_id, flow, frames. */
struct json;
void drop_table_json(struct json *j, const char *key, const struct drop_table *t, size_t max,
		     bool with_tuple);

/* The filter options of the drop summary tools (-n/--name, IPv4 5-tuple). */
struct drop_filter_opts {
	const char *name; /* "" = every device */
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint16_t src_port, dst_port;
	uint8_t l4_protocol; /* 0 = all */
};

extern const char *const drop_l4_choices[];

/* The filter options of the drop summary tools, under the originals' flag names. */
#define DROP_FILTER_OPTIONS(o)                                                                               \
	OPT_IFNAME("name", 'n', &(o).name, "device name filter (exact match, max 15 characters)",            \
		   .metavar = "NAME"),                                                                       \
		OPT_IFNAME("device", 0, &(o).name, "same as --name (the manual's spelling)",                 \
			   .metavar = "NAME"),                                                               \
		OPT_IPV4("src-ip", 0, &(o).src_ip, "source IPv4 address filter"),                            \
		OPT_IPV4("dst-ip", 0, &(o).dst_ip, "destination IPv4 address filter"),                       \
		OPT_PORT("src-port", 0, &(o).src_port, "TCP/UDP source port filter (0 = any)"),              \
		OPT_PORT("dst-port", 0, &(o).dst_port, "TCP/UDP destination port filter (0 = any)"),         \
		OPT_PROTO("l4-protocol", 0, &(o).l4_protocol, "L4 protocol filter",                          \
			  .choices = drop_l4_choices)

/* The summary tools' banner lines: duration (or "Press Ctrl+C to stop") and the rule. */
void drop_banner_duration(double duration_s);
/* "Filtering by device: <name>" or "No device filter - monitoring all interfaces". */
void drop_banner_device(const char *ifname);
struct hook_set;
/*
 * Loads the tool's object s, writes cfg to config_map, attaches the hooks, prints the "Probe:"
 * and device lines (text mode) and signals readiness.
 */
void drop_count_start(struct bpf_object_skeleton *s, struct bpf_map *config_map,
		      const struct drop_count_config *cfg, struct hook_set *hooks);
/* Fills cfg from the options; bad values exit 2 naming the flag. */
void drop_count_config_build(struct drop_count_config *cfg, const struct drop_filter_opts *o);
/* " (no filters)" or " (filters: device: eth0, src IP: 10.0.0.1, ..., protocol: TCP)". */
const char *drop_filter_text(const struct drop_filter_opts *o, char *buf, size_t len);
