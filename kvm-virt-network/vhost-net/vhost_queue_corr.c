// SPDX-License-Identifier: GPL-2.0-only
/* What vhost_queue_correlation_simple and _details share in user space (vhost_queue_corr.h). */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "argparse.h"
#include "bpfload.h"
#include "hook.h"
#include "json.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "log.h"
#include "runtime.h"
#include "vhost_queue_corr.h"

static const char *yes_no(int v)
{
	return v ? "YES" : "NO";
}

static const char *event_name(__u8 type)
{
	switch (type) {
	case VQC_TUN_XMIT:
		return "tun_net_xmit";
	case VQC_HANDLE_RX:
		return "handle_rx";
	case VQC_TUN_RECVMSG:
		return "tun_recvmsg";
	case VQC_SIGNAL:
		return "vhost_signal";
	case VQC_NOTIFY:
		return "vhost_notify";
	}
	return "unknown";
}

static void print_state(FILE *f, const struct vqc_vq_state *st)
{
	fprintf(f, "VQ State: avail_idx=%u, last_avail=%u, last_used=%u, used_flags=0x%x\n", st->avail_idx,
		st->last_avail_idx, st->last_used_idx, st->used_flags);
}

void vqc_print_state_lines(FILE *f, const struct vqc_vq_state *st)
{
	print_state(f, st);
	fprintf(f, "Signal: signalled_used=%u, valid=%s, log_used=%s\n", st->signalled_used,
		yes_no(st->signalled_used_valid), yes_no(st->log_used));
	fprintf(f, "Features: acked=0x%llx, backend=0x%llx\n", (unsigned long long)st->acked_features,
		(unsigned long long)st->acked_backend_features);
}

void vqc_print_event_head(FILE *f, const struct vqc_event *ev, const char *hms_ms, bool with_timestamp)
{
	fprintf(f, "%.80s\n",
		"================================================================================"
		"================");
	fprintf(f, "Event: %s | Time: %s", event_name(ev->type), hms_ms);
	if (with_timestamp)
		fprintf(f, " | Timestamp: %lluns", (unsigned long long)ev->ts_ns);
	fprintf(f, "\nQueue: %u | Device: %s | Process: %s (PID: %u)\n", ev->queue, ev->dev, ev->comm,
		ev->pid);
	fprintf(f, "Sock: 0x%llx\n", (unsigned long long)ev->sock);
}

void vqc_print_vq_event_lines(FILE *f, const struct vqc_event *ev)
{
	const struct vqc_vq_state *st = &ev->st;

	if (ev->type == VQC_SIGNAL) {
		fprintf(f, "VQ: 0x%llx\n", (unsigned long long)ev->vq);
		vqc_print_state_lines(f, st);
		if (st->log_used && st->log_addr)
			fprintf(f, "Log: addr=0x%llx\n", (unsigned long long)st->log_addr);
	} else if (ev->type == VQC_NOTIFY) {
		fprintf(f, "VQ: 0x%llx | Return: %d (notify=%s)\n", (unsigned long long)ev->vq, ev->ret,
			yes_no(ev->ret));
		print_state(f, st);
		fprintf(f, "Features: acked=0x%llx, backend=0x%llx, EVENT_IDX=%s\n",
			(unsigned long long)st->acked_features,
			(unsigned long long)st->acked_backend_features,
			ev->has_event_idx ? "ENABLED" : "DISABLED");
		if (ev->guest_flags_valid)
			fprintf(f, "Guest avail_flags: 0x%x (NO_INTERRUPT=%s)\n", ev->avail_flags,
				yes_no(ev->avail_flags & 1));
		else
			fprintf(f, "Guest avail_flags: <failed to read>\n");
		if (ev->has_event_idx && ev->guest_event_valid)
			fprintf(f, "Guest used_event_idx: %u (host last_used=%u)\n", ev->used_event,
				st->last_used_idx);
		else if (ev->has_event_idx)
			fprintf(f, "Guest used_event_idx: <failed to read>\n");
	}
}

void vqc_print_event(FILE *f, const struct vqc_event *ev, const char *hms_ms, bool with_timestamp)
{
	vqc_print_event_head(f, ev, hms_ms, with_timestamp);
	vqc_print_vq_event_lines(f, ev);
	fputc('\n', f);
}

void vqc_json_ptr(struct json *j, const char *key, __u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

void vqc_json_event_head(struct json *j, const struct vqc_event *ev, const char *hms_ms)
{
	json_str(j, "event", event_name(ev->type));
	json_str(j, "time", hms_ms);
	json_uint(j, "ktime_ns", ev->ts_ns);
	json_uint(j, "queue", ev->queue);
	json_str(j, "dev", ev->dev);
	json_str(j, "comm", ev->comm);
	json_uint(j, "pid", ev->pid);
	json_uint(j, "tid", ev->tid);
	vqc_json_ptr(j, "sock", ev->sock);
}

void vqc_json_vq_members(struct json *j, const struct vqc_event *ev)
{
	const struct vqc_vq_state *st = &ev->st;

	vqc_json_ptr(j, "vq", ev->vq);
	json_uint(j, "avail_idx", st->avail_idx);
	json_uint(j, "last_avail_idx", st->last_avail_idx);
	json_uint(j, "last_used_idx", st->last_used_idx);
	json_uint(j, "used_flags", st->used_flags);
	json_uint(j, "signalled_used", st->signalled_used);
	json_bool(j, "signalled_used_valid", st->signalled_used_valid);
	json_bool(j, "log_used", st->log_used);
	json_uint(j, "log_addr", st->log_addr);
	vqc_json_ptr(j, "acked_features", st->acked_features);
	vqc_json_ptr(j, "acked_backend_features", st->acked_backend_features);
	if (ev->type == VQC_NOTIFY) {
		json_bool(j, "notify", ev->ret);
		json_bool(j, "event_idx", ev->has_event_idx);
		if (ev->guest_flags_valid)
			json_uint(j, "guest_avail_flags", ev->avail_flags);
		else
			json_null(j, "guest_avail_flags");
		if (ev->has_event_idx && ev->guest_event_valid)
			json_uint(j, "guest_used_event", ev->used_event);
		else if (ev->has_event_idx)
			json_null(j, "guest_used_event");
	}
}

void vqc_print_event_json(FILE *f, const struct vqc_event *ev, const char *hms_ms)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	vqc_json_event_head(&j, ev, hms_ms);
	vqc_json_vq_members(&j, ev);
	json_end_obj(&j);
	json_finish(&j);
}

void vqc_print_missing(FILE *f, bool signal_missing, bool notify_missing)
{
	if (signal_missing)
		fprintf(f, "Warning: Could not attach to vhost_add_used_and_signal_n (function not found or "
			   "attach failed)\nvhost_signal events will not be captured\n");
	if (notify_missing)
		fprintf(f, "Warning: Could not attach to vhost_notify (function not found or attach failed)\n"
			   "Continuing without vhost_notify monitoring...\n");
}

bool vqc_notify_plain(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, VQC_HOOK_NOTIFY);

	return c && !c->clones;
}

bool vqc_notify_clone(const struct hook_set *plan)
{
	const struct hook_candidate *c = hook_chosen(plan, VQC_HOOK_NOTIFY);

	return c && c->clones;
}

void vqc_prepare(struct vqc_config *cfg, const char *dev, int queue)
{
	memset(cfg, 0, sizeof(*cfg));
	if (dev) {
		if (!if_nametoindex(dev))
			die("interface %s not found", dev);
		strncpy(cfg->dev, dev, sizeof(cfg->dev) - 1);
	}
	if (queue >= 0) {
		cfg->queue_filter = 1;
		cfg->queue = (__u32)queue;
	}
	require_module("tun", "tun_net_xmit ties a TAP queue to its socket");
	require_module("vhost_net", "it serves the TAP queues the tool follows");
	require_function_hooks("tun_net_xmit and the vhost functions have no tracepoints");
	if (!kernel_struct_exists("tun_struct", "tun") || !kernel_struct_exists("vhost_virtqueue", "vhost"))
		die("no BTF for the tun and vhost modules (struct tun_struct, struct vhost_virtqueue): "
		    "pass a BTF directory with --btf DIR or BPFNET_BTF (README, \"Kernels without BTF\")");
}

static void print_verbose_plan(FILE *f, const struct hook_set *hooks)
{
	const struct hook_choice *notify = &hooks->c[VQC_HOOK_NOTIFY], *signal = &hooks->c[VQC_HOOK_SIGNAL];
	bool call_struct = kernel_struct_exists("vhost_vring_call", "vhost");

	fprintf(f, "Loading BPF program...\n");
	fprintf(f, "Detected kernel version: %s\n", kernel_release());
	if (call_struct)
		fprintf(f, "Using 5.x (with vhost_vring_call, 72 bytes) vhost structure layout\n");
	else
		fprintf(f, "Using 4.x (pointer only, 8 bytes) vhost structure layout\n");
	if (notify->cand)
		fprintf(f, "vhost_notify function: %s (constprop=%s)\n", notify->symbol,
			notify->cand->clones ? "YES" : "NO");
	if (signal->cand)
		fprintf(f, "vhost_add_used_and_signal_n function: %s\n", signal->symbol);
}

void vqc_load(struct bpf_object_skeleton *skel, struct hook_set *hooks, const struct hook_table *table,
	      const struct vqc_config *cfg, bool verbose)
{
	struct bpf_object *obj = *skel->obj;

	hook_set_init(hooks, table->defs, table->n, 0);
	hooks->quiet = true;
	hook_prepare(hooks, obj);
	if (verbose && !g_common.json)
		print_verbose_plan(stdout, hooks);
	bpfload_load(skel);
	bpfload_write_config(bpf_object__find_map_by_name(obj, "config_map"), cfg, sizeof(*cfg));
}

void vqc_attach(struct hook_set *hooks, bool verbose)
{
	hook_attach(hooks);
	vqc_print_missing(g_common.json ? stderr : stdout, !hook_active(hooks, VQC_HOOK_SIGNAL),
			  !hook_active(hooks, VQC_HOOK_NOTIFY) || !hook_active(hooks, VQC_HOOK_NOTIFY_RET));
	if (!verbose || g_common.json)
		return;
	hook_print(stdout, hooks);
	if (hook_active(hooks, VQC_HOOK_SIGNAL) && hook_active(hooks, VQC_HOOK_NOTIFY_RET))
		printf("All probes attached successfully\n");
}

void vqc_warn_table_full(struct bpf_map *target_queues_full)
{
	uint64_t n = bpfload_percpu_sum(target_queues_full, 0);

	if (n)
		log_warn("%llu transmits of TAP queues were not followed: the table of %d queues was full",
			 (unsigned long long)n, VQC_MAX_QUEUES);
}
