// SPDX-License-Identifier: GPL-2.0-only
/* trace-ovs-ct-invalid: the original's bpftrace lines for an invalid packet's steps, and JSON. */
#include <stdio.h>

#include "filter.h"
#include "json.h"
#include "trace-ovs-ct-invalid.h"
#include "util.h"

static const char *const probe_names[] = {
	[CTINV_CONNTRACK_IN] = "nf_conntrack_in", [CTINV_TCP_PACKET] = "tcp_packet",
	[CTINV_TCP_IN_WINDOW] = "tcp_in_window",  [CTINV_REFRESH] = "__nf_ct_refresh_acct",
	[CTINV_UPDATE_KEY] = "ovs ct_update_key", [CTINV_OVS_LOOKUP] = "__ovs_ct_lookup",
};

static const char *probe_name(unsigned probe)
{
	return probe < ARRAY_SIZE(probe_names) ? probe_names[probe] : "?";
}

/* bpftrace's %s of kstack/ustack: a newline, then each frame on its own line after 8 spaces. */
static void print_stack(FILE *f, const char *const *frames, int n)
{
	fputc('\n', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "        %s\n", frames[i]);
}

static void print_window(FILE *f, const char *side, const struct ctinv_window *w, const struct ctinv_step *s)
{
	fprintf(f, "%s td_end: %u, td_maxend: %u, td_maxwin: %u, td_maxack: %u, ip ct state: %u, dir: %u\n",
		side, w->td_end, w->td_maxend, w->td_maxwin, w->td_maxack, s->tcp_state, s->dir);
}

static void print_step(FILE *f, const struct ctinv_event *ev, const struct ctinv_step *s,
		       const struct ctinv_stacks *st)
{
	char sip[16], dip[16];

	if (s->probe == CTINV_TCP_IN_WINDOW) {
		print_window(f, "sender", &s->sender, s);
		print_window(f, "receiver", &s->receiver, s);
	}
	fprintf(f, "%s dev_name: %.16s, ", probe_name(s->probe), ev->ifname);
	if (s->probe == CTINV_UPDATE_KEY)
		fprintf(f, "post_ct: 1, ");
	fprintf(f, "sip: %s, dip: %s, nfct: %lld", ipv4_format(ev->saddr, sip, sizeof(sip)),
		ipv4_format(ev->daddr, dip, sizeof(dip)), (long long)s->nfct);
	if (s->probe == CTINV_UPDATE_KEY)
		fprintf(f, ", zone: %u, proto: %u, sport: %u, dport: %u, ct_state: 0x%02x", ev->zone,
			ev->protocol, ev->sport, ev->dport, ev->ct_state);
	if (!st) {
		fputc('\n', f);
		return;
	}
	fprintf(f, ",  kstack: ");
	print_stack(f, st->kframes, st->nk < 0 ? 0 : st->nk);
	fprintf(f, ", ustack: ");
	print_stack(f, st->uframes, st->nu < 0 ? 0 : st->nu);
	fputc('\n', f);
}

void ctinv_print_event(FILE *f, const struct ctinv_event *ev, const struct ctinv_stacks *stacks)
{
	for (int i = 0; i < ev->nsteps && i < CTINV_MAX_STEPS; i++)
		print_step(f, ev, &ev->steps[i], stacks ? &stacks[i] : NULL);
	if (ev->steps_lost)
		fprintf(f, "(%u more conntrack steps of this packet not shown)\n", ev->steps_lost);
}

static void json_window(struct json *j, const char *key, const struct ctinv_window *w)
{
	json_obj(j, key);
	json_uint(j, "td_end", w->td_end);
	json_uint(j, "td_maxend", w->td_maxend);
	json_uint(j, "td_maxwin", w->td_maxwin);
	json_uint(j, "td_maxack", w->td_maxack);
	json_end_obj(j);
}

void ctinv_print_json(FILE *f, const struct ctinv_event *ev, const char *hms,
		      const struct ctinv_stacks *stacks)
{
	char sip[16], dip[16];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms);
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "device", ev->ifname);
	json_str(&j, "src_ip", ipv4_format(ev->saddr, sip, sizeof(sip)));
	json_str(&j, "dst_ip", ipv4_format(ev->daddr, dip, sizeof(dip)));
	json_uint(&j, "protocol", ev->protocol);
	json_uint(&j, "src_port", ev->sport);
	json_uint(&j, "dst_port", ev->dport);
	json_uint(&j, "zone", ev->zone);
	json_uint(&j, "ct_state", ev->ct_state);
	json_arr(&j, "steps");
	for (int i = 0; i < ev->nsteps && i < CTINV_MAX_STEPS; i++) {
		const struct ctinv_step *s = &ev->steps[i];

		json_obj(&j, NULL);
		json_str(&j, "probe", probe_name(s->probe));
		json_int(&j, "nfct", (long long)s->nfct);
		if (s->probe == CTINV_TCP_IN_WINDOW) {
			json_uint(&j, "dir", s->dir);
			json_uint(&j, "tcp_state", s->tcp_state);
			json_window(&j, "sender", &s->sender);
			json_window(&j, "receiver", &s->receiver);
		}
		if (stacks) {
			json_str_array(&j, "kstack", stacks[i].kframes, stacks[i].nk < 0 ? 0 : stacks[i].nk);
			json_str_array(&j, "ustack", stacks[i].uframes, stacks[i].nu < 0 ? 0 : stacks[i].nu);
		}
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_uint(&j, "steps_lost", ev->steps_lost);
	json_end_obj(&j);
	json_finish(&j);
}
