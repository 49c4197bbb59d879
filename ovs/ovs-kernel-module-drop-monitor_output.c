// SPDX-License-Identifier: GPL-2.0-only
/* ovs-kernel-module-drop-monitor: the event's text and JSON layouts. */
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "json.h"
#include "ovs-kernel-module-drop-monitor.h"
#include "util.h"

static const char *const ct_state_names[8] = {
	"NEW", "ESTABLISHED", "RELATED", "REPLY_DIR", "INVALID", "TRACKED", "SRC_NAT", "DST_NAT",
};

const char *ovsdrop_ct_state_text(unsigned state, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; i < 8; i++)
		if (state & (1u << i))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? ", " : "", ct_state_names[i]);
	if (!used)
		snprintf(buf, len, "NONE");
	return buf;
}

static const char *proto_text(unsigned proto, char *buf, size_t len)
{
	switch (proto) {
	case 1:
		return "ICMP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

/*
 * The original's words for the codes of a failed user stack, kept as its output contract
 * (they are not what the errno numbers mean: 14, EFAULT, reads "BPF_MAX_STACK_DEPTH exceeded").
 */
static const char *stack_error_text(int code)
{
	switch (code) {
	case 1:
		return "EFAULT: Bad address";
	case 2:
		return "ENOENT: No such entry";
	case 12:
		return "ENOMEM: Out of memory";
	case 14:
		return "BPF_MAX_STACK_DEPTH exceeded";
	case 16:
		return "Resource temporarily unavailable";
	case 22:
		return "EINVAL: Invalid argument";
	case 524:
		return "Uprobe not found";
	}
	return "Unknown error";
}

static void print_stacks(FILE *f, const struct ovsdrop_event *ev, const struct ovsdrop_view *v)
{
	fprintf(f, "Stack Trace:\n");
	if (ev->kstack_id < 0 || v->nk < 0)
		fprintf(f, "  Failed to retrieve stack trace (ID: %d)\n", ev->kstack_id);
	for (int i = 0; i < v->nk; i++)
		fprintf(f, "  %s\n", v->kframes[i]);
	fprintf(f, "User Stack Trace:\n");
	if (ev->ustack_id < 0) {
		fprintf(f, "  Failed to capture user stack trace (Error: %s, code: %d)\n",
			stack_error_text(-ev->ustack_id), -ev->ustack_id);
		return;
	}
	if (v->nu < 0)
		fprintf(f, "  Failed to retrieve user stack trace (ID: %d)\n", ev->ustack_id);
	if (v->nu <= 0) {
		fprintf(f, "  No user stack frames found\n");
		return;
	}
	for (int i = 0; i < v->nu; i++)
		fprintf(f, "  %s\n", v->uframes[i]);
}

static bool has_ports(const struct ovsdrop_event *ev)
{
	return ev->protocol == 6 || ev->protocol == 17;
}

void ovsdrop_print_event(FILE *f, const struct ovsdrop_event *ev, const struct ovsdrop_view *v)
{
	char src[16], dst[16], proto[8], state[96];

	fprintf(f, "\n=== OpenVSwitch Datapath Drop Event ===\n");
	fprintf(f, "Time: %s  PID: %-6u Comm: %.16s\n", v->hms, ev->pid, ev->comm);
	fprintf(f, "Source IP: %-15s  Destination IP: %-15s  Protocol: %s\n",
		ipv4_format(ev->saddr, src, sizeof(src)), ipv4_format(ev->daddr, dst, sizeof(dst)),
		proto_text(ev->protocol, proto, sizeof(proto)));
	fprintf(f, "Drop Reason: %s\n",
		ev->kind == OVSDROP_EMPTY_ACTIONS ? "EMPTY_ACTIONS (the flow has no actions)"
		: v->reason                       ? v->reason
						  : "not reported by this kernel");
	fprintf(f, "Dropped At: %s\n", v->location);
	fprintf(f, "OVS Parameters:\n");
	if (ev->flow.known) {
		fprintf(f, "  recirc_id: 0x%-8x in_port: %-5u ct_zone: %u\n", ev->flow.recirc_id,
			ev->flow.in_port, ev->flow.ct_zone);
		fprintf(f, "  ct_state: 0x%02x (%s)\n", ev->flow.ct_state,
			ovsdrop_ct_state_text(ev->flow.ct_state, state, sizeof(state)));
	} else {
		fprintf(f, "  flow key: not known (dropped outside the actions of a flow)\n");
	}
	if (ev->protocol == 1)
		fprintf(f, "ICMP Type: %-2u  Code: %-2u\n", ev->icmp_type, ev->icmp_code);
	else if (has_ports(ev))
		fprintf(f, "Source Port: %-5u  Destination Port: %-5u\n", ev->sport, ev->dport);
	fprintf(f, "Device: %.16s\n", ev->ifname);
	if (v->stacks)
		print_stacks(f, ev, v);
}

static void json_stack(struct json *j, const char *key, int id, const char *const *frames, int n)
{
	if (id < 0 || n < 0) {
		json_null(j, key);
		return;
	}
	json_str_array(j, key, frames, n);
}

void ovsdrop_print_json(FILE *f, const struct ovsdrop_event *ev, const struct ovsdrop_view *v)
{
	char src[16], dst[16], proto[8], state[96];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", v->hms);
	json_uint(&j, "pid", ev->pid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "src_ip", ipv4_format(ev->saddr, src, sizeof(src)));
	json_str(&j, "dst_ip", ipv4_format(ev->daddr, dst, sizeof(dst)));
	json_str(&j, "protocol", proto_text(ev->protocol, proto, sizeof(proto)));
	if (ev->protocol == 1) {
		json_uint(&j, "icmp_type", ev->icmp_type);
		json_uint(&j, "icmp_code", ev->icmp_code);
	} else if (has_ports(ev)) {
		json_uint(&j, "src_port", ev->sport);
		json_uint(&j, "dst_port", ev->dport);
	}
	if (ev->kind == OVSDROP_EMPTY_ACTIONS)
		json_str(&j, "reason", "EMPTY_ACTIONS");
	else if (v->reason)
		json_str(&j, "reason", v->reason);
	else
		json_null(&j, "reason");
	json_uint(&j, "reason_code", ev->reason);
	json_str(&j, "location", v->location);
	if (ev->flow.known) {
		json_obj(&j, "flow");
		json_uint(&j, "recirc_id", ev->flow.recirc_id);
		json_uint(&j, "in_port", ev->flow.in_port);
		json_uint(&j, "ct_zone", ev->flow.ct_zone);
		json_uint(&j, "ct_state", ev->flow.ct_state);
		json_str(&j, "ct_state_flags",
			 ovsdrop_ct_state_text(ev->flow.ct_state, state, sizeof(state)));
		json_end_obj(&j);
	} else {
		json_null(&j, "flow");
	}
	json_str(&j, "device", ev->ifname);
	if (v->stacks) {
		json_stack(&j, "kernel_stack", ev->kstack_id, v->kframes, v->nk);
		json_stack(&j, "user_stack", ev->ustack_id, v->uframes, v->nu);
	}
	json_end_obj(&j);
	json_finish(&j);
}
