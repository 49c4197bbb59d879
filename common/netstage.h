/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User side of the stage tracking of common/bpf/netstage.bpf.h: path models (which hook is
 * which stage), choosing and attaching the hooks' probe points, the options the latency
 * tools share, and the session bookkeeping (counters, stale sessions). A tool's path model
 * lives in its own folder and may add hooks of its own (netstage_model.hooks).
 */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/netstage.h"
#include "hook.h"

#define NS_DIR_BIT(d) (1u << (d))
#define NS_DIRS_ALL (NS_DIR_BIT(NS_TX) | NS_DIR_BIT(NS_RX))

/* A stage of a tool's path model. */
struct netstage_stage {
	uint8_t id; /* the tool's stage number (printed by some tools) */
	uint8_t dir; /* NS_TX or NS_RX */
	uint8_t pos; /* position along its direction's path, from 0 */
	const char *name;
};

/* "A hit of hook is stage for packets of protocols (NS_PROTO_*), if skb->dev is dev". */
struct netstage_hook_rule {
	unsigned hook; /* enum netstage_hook, or a hook of the model's own */
	uint8_t stage;
	uint8_t dev; /* NS_DEV_* */
	uint8_t flags; /* NS_FIRST, NS_FIRST_IF_NEW, NS_LAST */
	uint8_t protocols;
};

struct netstage_model {
	const struct netstage_stage *stages;
	unsigned nstages;
	const struct netstage_hook_rule *rules;
	unsigned nrules;
	/* The tool's own hooks, ids NS_HOOKS_COMMON + i (roles are filled in from the stages). */
	const struct hook_def *hooks;
	unsigned nhooks;
	/* Bit per hook id: a hook this kernel lacks is dropped with its stages, with a warning. */
	uint64_t optional;
};

/* The stage with that id, or NULL. */
const struct netstage_stage *netstage_stage(const struct netstage_model *m, unsigned id);
/* The stage at position pos of direction dir, or NULL. */
const struct netstage_stage *netstage_stage_at(const struct netstage_model *m, unsigned dir, unsigned pos);
/*
 * Fills cfg->rules with the model's rules for the directions in dirs (NS_DIR_BIT) and the
 * protocols in protocols (NS_PROTO_*); every other slot is NS_STAGE_NONE.
 */
void netstage_rules_build(struct netstage_config *cfg, const struct netstage_model *m, unsigned dirs,
			  unsigned protocols);
/* Removes every rule of hook: its stages are not recorded and the hook is not attached. */
void netstage_hook_clear(struct netstage_config *cfg, unsigned hook);
/* Whether any rule of cfg uses hook. */
bool netstage_hook_used(const struct netstage_config *cfg, unsigned hook);

/* The common hooks' probe points: roles are left to netstage_probes_select. */
extern const struct hook_def netstage_hook_defs[NS_HOOKS_COMMON];

struct netstage_probes {
	struct hook_def defs[NS_MAX_HOOKS];
	char roles[NS_MAX_HOOKS][192]; /* "stage TX_S0_ip_layer_entry[, ...]" */
	struct hook_set set;
	const struct netstage_config *cfg;
	const struct netstage_model *m;
};

/*
 * Plans the hooks the rules of cfg use (common and the model's own) with common/hook.h: the
 * first candidate this kernel has, modules checked, the programs of obj nobody uses not
 * loaded. A hook of m->optional that cannot be had is dropped with a warning naming the
 * stages lost, and its rules are cleared in cfg; any other missing hook is fatal. With
 * --list-probes, lists the hooks and exits. Call between open and load.
 */
void netstage_probes_select(struct netstage_probes *p, struct bpf_object *obj, struct netstage_config *cfg,
			    const struct netstage_model *m);
struct bpf_object_skeleton;
/* netstage_probes_select on an opened skeleton, then loads it and writes cfg into its config_map. */
void netstage_load(struct netstage_probes *p, struct bpf_object_skeleton *skel, struct netstage_config *cfg,
		   const struct netstage_model *m);
/* Attaches every chosen probe point (dies on failure). */
void netstage_probes_attach(struct netstage_probes *p);
void netstage_probes_detach(struct netstage_probes *p);
/* One "Probe: <kind> <target> -> <stage>[, <stage>]" line per hook in use. */
void netstage_probes_print(FILE *f, const struct netstage_probes *p);

/* ---- options shared by the system-network latency tools (netstage_opts.c) ---- */

extern const char *const netstage_proto_choices[]; /* tcp, udp, all */
extern const char *const netstage_proto_icmp_choices[]; /* tcp, udp, icmp, all */
extern const char *const netstage_dir_choices[]; /* the words of enum netstage_direction */

/* --direction: which directions' packets are traced. */
enum netstage_direction { NETSTAGE_DIR_TX, NETSTAGE_DIR_RX, NETSTAGE_DIR_BOTH };

/*
 * A comma-separated interface list ("eth0" or "eth0,eth1", items whitespace-stripped) into
 * set; a single name fills the first two slots as the originals did. Exits 2 on a bad list
 * (empty item, name too long, more than PKT_MAX_IFACES), 1 if an interface does not exist.
 */
void netstage_phy_opt(const char *flag, const char *text, struct iface_set *set);

/* The filter options the system-network latency tools share, under the same flag names. */
struct netstage_opts {
	const char *phy_interface;
	enum netstage_direction direction;
	uint8_t protocol; /* IPPROTO_TCP, _UDP, _ICMP, or 0: all */
	uint32_t src_ip, dst_ip; /* network order; 0 = any */
	uint16_t src_port, dst_port;
	double session_timeout;
	double latency_us; /* --latency-us of the per-packet tools; 0 = report every packet */
};

/* The largest --latency-us (10 s: a packet slower than that is not a latency to wait for). */
#define NETSTAGE_LATENCY_US_MAX 1e7

/* The address and port filters of the system-network tools, in the originals' order. */
#define NETSTAGE_FILTER_OPTIONS(o)                                                                           \
	OPT_IPV4("src-ip", 0, &(o).src_ip, "source IP address filter"),                                      \
		OPT_IPV4("dst-ip", 0, &(o).dst_ip, "destination IP address filter"),                         \
		OPT_PORT("src-port", 0, &(o).src_port, "port filter: source or destination port (TCP/UDP)"), \
		OPT_PORT("dst-port", 0, &(o).dst_port, "port filter: source or destination port (TCP/UDP)")

/* --latency-us of the per-packet tools. */
#define NETSTAGE_LATENCY_OPTION(o)                                                                           \
	OPT_FLOAT(                                                                                           \
		"latency-us", 0, &(o).latency_us, 0, NETSTAGE_LATENCY_US_MAX,                                \
		"only report packets whose first-to-last stage latency is at least this many microseconds")

/* --duration (whole seconds) and --session-timeout, the last options of every system-network tool. */
#define NETSTAGE_RUN_OPTIONS(duration, o)                                                                    \
	OPT_SECONDS("duration", 0, &(duration), ARG_WHOLE | ARG_ZERO_OFF,                                    \
		    "total run time in seconds (0 = until Ctrl-C)"),                                         \
		OPT_SECONDS("session-timeout", 0, &(o).session_timeout, 0,                                   \
			    "a packet not seen at its next stage for this long is counted as incomplete",    \
			    .metavar = "SECONDS")

/*
 * Fills the filters and session expiry of cfg from o (bad values exit 2 naming the flag);
 * returns the protocol bits (all = all_protocols) and sets *dirs.
 */
unsigned netstage_opts_apply(struct netstage_config *cfg, const struct netstage_opts *o,
			     unsigned all_protocols, unsigned *dirs);
/* After tool_init(): the physical interfaces and this network namespace. */
void netstage_opts_resolve(struct netstage_config *cfg, const struct netstage_opts *o);
/*
 * The banner's filter lines: protocol, "Direction filter: TX|RX|BOTH<direction_note>",
 * addresses ("VM IP filter" for a source matched as either address) and ports when set.
 */
void netstage_print_filters(FILE *f, const struct netstage_config *cfg, const struct netstage_opts *o,
			    const char *direction_note);
/* "Latency threshold: >= X us (...)" when --latency-us is set. */
void netstage_print_threshold(FILE *f, const struct netstage_opts *o);
/* "Physical interfaces: <names> (ifindex a, b)": names as given, then the set's ifindexes. */
void netstage_print_phy(FILE *f, const char *names, const struct iface_set *phy);

/* ---- sessions and counters ---- */

struct netstage_counts {
	uint64_t started[NS_DIRS];
	uint64_t completed[NS_DIRS];
	uint64_t unreported[NS_DIRS]; /* completed faster than --latency-us */
	uint64_t no_session; /* packets not followed: the session table was full */
	uint64_t active[NS_DIRS]; /* sessions in flight (after netstage_sweep) */
};

/* Sums the per-CPU counters (cumulative since start) into c. */
void netstage_counts_read(struct bpf_map *counters, struct netstage_counts *c);
/* Called with each stale session's value (the tool's session type) and the sweep's clock before it is deleted. */
typedef void (*netstage_stale_fn)(const void *session, uint64_t now_ns);
/*
 * Deletes the sessions idle for more than stale_ns at now_ns (bpf_ktime_get_ns clock), first
 * handing each to fn if not NULL, and counts the others per direction into c->active.
 * Returns the number deleted.
 */
uint64_t netstage_sweep(struct bpf_map *sessions, uint64_t stale_ns, uint64_t now_ns,
			struct netstage_counts *c, netstage_stale_fn fn);
/* Packets that started in direction dir and neither completed nor are still in flight. */
uint64_t netstage_incomplete(const struct netstage_counts *c, int dir);
/*
 * The per-packet tools' exit line: packets reported, below the threshold, incomplete, in flight,
 * not tracked, and lost events (one JSON object with "final": true when json).
 */
void netstage_print_totals(FILE *f, bool json, const struct netstage_counts *c, uint64_t reported,
			   uint64_t lost);

/* Prints one completed session (the tool's session type) stamped datetime: text, or JSON with --json. */
typedef void (*netstage_print_fn)(FILE *f, const char *datetime, const void *session);

/* A per-packet tool: its object's maps and how it shows what it traces. */
struct netstage_tracer {
	struct bpf_map *events, *events_lost, *sessions, *counters;
	size_t session_size;
	netstage_print_fn print;
	netstage_stale_fn stale; /* each stale session, or NULL */
	/* the banner once the probes are attached (not with --json) */
	void (*banner)(const struct netstage_config *cfg, const struct netstage_probes *probes);
	/* netstage_probe_stats of netstage_record.bpf.h: its "Performance Statistics" at exit, or NULL */
	struct bpf_map *probe_stats;
};

/* The maps of netstage.bpf.h and events.bpf.h in a per-packet tool's skeleton. */
#define NETSTAGE_TRACER_MAPS(skel)                                                                           \
	.events = (skel)->maps.events, .events_lost = (skel)->maps.events_lost,                              \
	.sessions = (skel)->maps.netstage_sessions, .counters = (skel)->maps.netstage_counters

/*
 * The per-packet tools' run once the object is loaded and configured: attaches the probes,
 * prints the banner, prints each completed session until Ctrl-C or --duration, sweeping the
 * stale sessions once a second; then detaches, drains the channel and prints "Detaching...",
 * the per-probe statistics (t->probe_stats), the totals and "Exiting.".
 */
void netstage_trace(const struct netstage_tracer *t, struct netstage_probes *probes,
		    const struct netstage_config *cfg, double duration_s);
