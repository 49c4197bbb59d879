// SPDX-License-Identifier: GPL-2.0-only
#include "drop_probe.h"

#include <bpf/btf.h>
#include <string.h>

#include "kernel_btf.h"
#include "util.h"

const struct hook_def drop_hook = { "packet drops", { DROP_HOOK_CANDIDATES } };

void drop_reason_foreach(void (*fn)(unsigned value, const char *name, void *ctx), void *ctx)
{
	static const char prefix[] = "SKB_DROP_REASON_";
	/* Finding the enum scans every type of the BTF: once per BTF, not once per drop. */
	static const struct btf *cached_btf;
	static int cached_id = -1;
	const struct btf *btf = kernel_btf();
	int id;

	if (!btf)
		return;
	if (btf != cached_btf) {
		cached_id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
		cached_btf = btf;
	}
	id = cached_id;
	if (id < 0)
		return;
	const struct btf_type *t = btf__type_by_id(btf, (unsigned)id);
	const struct btf_enum *e = btf_enum(t);

	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *n = btf__name_by_offset(btf, e->name_off);

		if (!strncmp(n, prefix, sizeof(prefix) - 1))
			n += sizeof(prefix) - 1;
		fn((unsigned)e->val, n, ctx);
	}
}

struct reason_lookup {
	unsigned value;
	const char *name;
};

static void match_reason(unsigned value, const char *name, void *ctx)
{
	struct reason_lookup *l = ctx;

	if (value == l->value && !l->name)
		l->name = name;
}

const char *drop_reason_name(unsigned reason)
{
	/* The last answer: a tool printing per drop asks for the same few reasons again and again. */
	static const struct btf *last_btf;
	static struct reason_lookup last;
	struct reason_lookup l = { reason, NULL };

	if (last_btf && last_btf == kernel_btf() && last.value == reason)
		return last.name;
	drop_reason_foreach(match_reason, &l);
	last_btf = kernel_btf();
	last = l;
	return l.name;
}

static bool is_free_function(const char *frame)
{
	return strstr(frame, "kfree_skb") || strstr(frame, "skb_reason_drop");
}

bool drop_is_normal_pattern(const char *const *frames, int n)
{
	static const char *const normal_callers[] = {
		"icmp_rcv", /* ICMP processing */
		"tcp_v4_rcv",
		"tcp_v4_do_rcv", /* TCP receive */
		"skb_release_data",
		"__kfree_skb",
		"tcp_recvmsg", /* memory management */
		"sk_stream_kill_queues", /* socket teardown */
	};

	if (n < 2 || !is_free_function(frames[0]))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(normal_callers); i++)
		if (strstr(frames[1], normal_callers[i]))
			return true;
	return false;
}
