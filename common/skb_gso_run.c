// SPDX-License-Identifier: GPL-2.0-only
#include <bpf/libbpf.h>

#include "argparse.h"
#include "bpfload.h"
#include "events.h"
#include "hook.h"
#include "ksyms.h"
#include "log.h"
#include "output.h"
#include "runtime.h"
#include "skb_gso_report.h"
#include "timefmt.h"

struct gso_printer {
	const struct gso_tool *tool;
	struct gso_frames frames;
};

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct gso_printer *p = ctx;
	const struct gso_event *ev = data;

	if (size < sizeof(*ev) || ev->probe >= p->tool->nprobes)
		return;
	gso_frames_render(&p->frames, ev);
	if (g_common.json) {
		const struct ksym *sym = ev->enqueue_fn ? ksyms_find(ksyms_kernel(), ev->enqueue_fn) : NULL;
		char hms[16];

		fmt_wall_ns_hms(ktime_to_wall_ns(ev->ts_ns), hms, sizeof(hms));
		gso_print_json(stdout, ev, hms, p->tool->probe_names[ev->probe], &p->frames,
			       sym ? sym->name : NULL);
	} else {
		p->tool->print_event(stdout, ev, &p->frames);
	}
	output_event_end();
}

static int attached(const struct hook_set *hooks)
{
	int n = 0;

	for (int i = 0; i < hooks->n; i++)
		n += hook_active(hooks, i);
	return n;
}

void gso_tool_run(const struct gso_tool *t, struct hook_set *hooks, struct bpf_object_skeleton *skel,
		  const struct gso_config *cfg, double duration_s)
{
	static struct gso_printer printer;
	struct bpf_object *obj = *skel->obj;
	uint64_t counts[GSO_MAX_PROBES] = { 0 };
	struct event_channel *ch;

	printer.tool = t;
	hook_prepare(hooks, obj);
	bpfload_load(skel);
	bpfload_write_config(bpfload_map(obj, "config_map"), cfg, sizeof(*cfg));
	ch = events_open(bpfload_map(obj, "events"), bpfload_map(obj, "events_lost"), handle_event, &printer);
	tool_install_signals();
	hook_attach(hooks);
	if (!attached(hooks))
		die("none of the %d probes could be attached (see the warnings above)", hooks->n);
	if (!g_common.json) {
		hook_print(stdout, hooks);
		printf("Attaching %d probes...\n", attached(hooks));
	}
	output_flush();
	events_trace(ch, hooks, duration_s, "");
	bpfload_percpu_sums(bpfload_map(obj, "gso_anomalies"), t->nprobes, counts);
	gso_print_exit(stdout, g_common.json, t->probe_names, counts, t->nprobes, events_lost(ch));
	events_close(ch);
}
