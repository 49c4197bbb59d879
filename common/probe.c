#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "strbuf.h"

bool probe_force_kprobe(void)
{
	return env_flag("BPFNET_FORCE_KPROBE");
}

static bool split_tracepoint(const char *target, char *cat, size_t catlen, const char **name)
{
	const char *colon = strchr(target, ':');

	if (!colon || (size_t)(colon - target) >= catlen)
		return false;
	snprintf(cat, catlen, "%.*s", (int)(colon - target), target);
	*name = colon + 1;
	return true;
}

static bool has_kprobe(const struct probe_point *points, int n)
{
	for (int i = 0; i < n; i++)
		if (points[i].kind != PROBE_TRACEPOINT)
			return true;
	return false;
}

static bool point_available(const struct probe_point *p, bool skip_tracepoints)
{
	char cat[64];
	const char *tp;

	switch (p->kind) {
	case PROBE_TRACEPOINT:
		return !skip_tracepoints && split_tracepoint(p->target, cat, sizeof(cat), &tp) &&
		       tracepoint_exists(cat, tp);
	case PROBE_KPROBE:
	case PROBE_KRETPROBE:
		return ksyms_attach_name(ksyms_kernel(), p->target) != NULL;
	}
	return false;
}

const struct probe_point *probe_select(struct probe_point *points, int n, const char *what)
{
	const struct probe_point *chosen = NULL;
	bool skip_tracepoints = probe_force_kprobe() && has_kprobe(points, n);
	struct strbuf tried = { 0 };

	for (int i = 0; i < n; i++) {
		char desc[160];

		if (!chosen && point_available(&points[i], skip_tracepoints)) {
			chosen = &points[i];
			continue;
		}
		bpf_program__set_autoload(points[i].prog, false);
		if (!chosen)
			sb_addf(&tried, "%s%s", tried.len ? ", " : "",
				probe_describe(&points[i], desc, sizeof(desc)));
	}
	if (!chosen)
		die("kernel %s has none of the probe points %s needs for %s: %s", kernel_release(),
		    tool_name(), what, tried.buf ? tried.buf : "(none)");
	sb_free(&tried);
	return chosen;
}

struct bpf_link *probe_try_attach(const struct probe_point *p)
{
	char cat[64];
	const char *tp, *sym;

	if (p->kind == PROBE_TRACEPOINT) {
		if (split_tracepoint(p->target, cat, sizeof(cat), &tp))
			return bpf_program__attach_tracepoint(p->prog, cat, tp);
		errno = EINVAL;
		return NULL;
	}
	sym = ksyms_attach_name(ksyms_kernel(), p->target);
	return bpf_program__attach_kprobe(p->prog, p->kind == PROBE_KRETPROBE, sym ? sym : p->target);
}

struct bpf_link *probe_attach(const struct probe_point *p)
{
	struct bpf_link *link;
	char desc[160];

	if (p->kind != PROBE_TRACEPOINT && !kernel_has_kprobes())
		die("kernel %s cannot attach kprobes (no kprobe PMU and no kprobe_events: "
		    "CONFIG_KPROBE_EVENTS is off), needed for %s",
		    kernel_release(), probe_describe(p, desc, sizeof(desc)));
	link = probe_try_attach(p);
	if (!link)
		die("cannot attach %s: %s", probe_describe(p, desc, sizeof(desc)), strerror(errno));
	return link;
}

const char *probe_describe(const struct probe_point *p, char *buf, size_t len)
{
	static const char *const kinds[] = { "tracepoint", "kprobe", "kretprobe" };
	const char *sym = p->kind == PROBE_TRACEPOINT ? NULL : ksyms_attach_name(ksyms_kernel(), p->target);

	snprintf(buf, len, "%s %s", kinds[p->kind], sym ? sym : p->target);
	return buf;
}
