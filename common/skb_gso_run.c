// SPDX-License-Identifier: GPL-2.0-only
#include <bpf/libbpf.h>
#include <string.h>

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
	const struct hook_set *hooks; /* hook i serves probe i */
	struct gso_frames frames;
};

/*
 * An fexit program's stack starts in the function it traced (its frame is the return address of
 * the call to the trampoline, stack_from_kernel), a kretprobe's at the caller the function
 * returned to: the function's frame goes, so that the stack prints the same either way.
 */
static void drop_returned_frame(struct gso_frames *fr, const struct hook_set *hooks, unsigned int probe)
{
	const struct hook_candidate *c = (int)probe < hooks->n ? hook_chosen(hooks, (int)probe) : NULL;
	size_t len;

	if (!c || c->kind != HOOK_FEXIT || fr->n < 1)
		return;
	len = strlen(c->target);
	if (strncmp(fr->frame[0], c->target, len) || fr->frame[0][len] != '+')
		return;
	for (int i = 1; i < fr->n; i++)
		fr->frame[i - 1] = fr->frame[i];
	fr->n--;
}

static void handle_event(void *ctx, const void *data, size_t size)
{
	struct gso_printer *p = ctx;
	const struct gso_event *ev = data;

	if (size < sizeof(*ev) || ev->probe >= p->tool->nprobes)
		return;
	gso_frames_render(&p->frames, ev);
	drop_returned_frame(&p->frames, p->hooks, ev->probe);
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
	printer.hooks = hooks;
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
