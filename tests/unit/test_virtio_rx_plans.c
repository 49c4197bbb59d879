// SPDX-License-Identifier: GPL-2.0-only
/*
 * The probe choices of the guest-side virtio-net RX tools on kernels where the compiler
 * inlined or cloned receive_buf, or renamed napi_gro_receive, or left out an optional probe.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "ksyms.h"
#include "trace_virtio_net_rcvbuf.h"
#include "unit_helpers.h"
#include "util.h"
#include "virtionet-rx-path-monitor.h"

static struct ksyms *kernel_functions;

static const struct ksyms *functions(void)
{
	return kernel_functions;
}

static bool no_tracepoint(const char *category, const char *name)
{
	(void)category;
	(void)name;
	return false;
}

static bool loaded(const char *module)
{
	(void)module;
	return true;
}

static const struct hook_env env = {
	.release = "guest-test",
	.functions = functions,
	.tracepoint_exists = no_tracepoint,
	.module_loaded = loaded,
	.kprobes = true,
};

/* A kallsyms of the guest: virtio_net's and virtio_ring's functions, one per line. */
static void kernel_with(const char *const *names, size_t n)
{
	char path[] = "/tmp/unit_virtio_kallsyms.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "ffffffffc0%06zx t %s\t[virtio_net]\n", i * 16, names[i]);
	fclose(f);
	ksyms_free(kernel_functions);
	kernel_functions = ksyms_load(path);
	unlink(path);
	ck_assert_ptr_nonnull(kernel_functions);
}

static struct hook_choice choices[16];

static struct hook_set planned(const struct hook_table *t, int *missing)
{
	struct hook_set s = { "tool", t->defs, t->n, choices };

	memset(choices, 0, sizeof(choices));
	*missing = hook_plan(&s, &env);
	return s;
}

static const char *chosen(const struct hook_set *s, int i)
{
	static char buf[160];

	return hook_describe(s, i, buf, sizeof(buf));
}

#define RCVBUF_COMMON                                                                                        \
	"virtnet_poll", "skb_recv_done", "napi_gro_receive", "start_xmit", "skb_xmit_done",                  \
		"virtqueue_notify", "virtqueue_get_buf_ctx"

START_TEST(rcvbuf_receive_buf)
{
	const char *const names[] = { RCVBUF_COMMON, "receive_buf" };
	struct hook_set s;
	int missing;

	kernel_with(names, ARRAY_SIZE(names));
	s = planned(&rcvbuf_hook_table, &missing);
	ck_assert_int_eq(missing, 0);
	ck_assert_str_eq(chosen(&s, 0), "kprobe receive_buf");
	ck_assert_str_eq(chosen(&s, 1), "kretprobe receive_buf");
	ck_assert_str_eq(chosen(&s, 4), "kprobe napi_gro_receive");
}
END_TEST

/* Only a clone, whose arguments may have moved: the dequeue of the first buffer stands in. */
START_TEST(rcvbuf_receive_buf_cloned)
{
	const char *const names[] = { RCVBUF_COMMON, "receive_buf.isra.0" };
	struct hook_set s;
	int missing;

	kernel_with(names, ARRAY_SIZE(names));
	s = planned(&rcvbuf_hook_table, &missing);
	ck_assert_int_eq(missing, 0);
	ck_assert_str_eq(chosen(&s, 0), "kprobe virtqueue_get_buf_ctx");
	ck_assert_ptr_null(hook_chosen(&s, 1));
	ck_assert(s.c[1].inapplicable);
}
END_TEST

/* receive_buf inlined, napi_gro_receive renamed gro_receive_skb (6.18). */
START_TEST(rcvbuf_inlined_renamed)
{
	const char *const names[] = { "virtnet_poll",         "skb_recv_done", "gro_receive_skb",
				      "start_xmit",           "skb_xmit_done", "virtqueue_notify",
				      "virtqueue_get_buf_ctx" };
	struct hook_set s;
	int missing;

	kernel_with(names, ARRAY_SIZE(names));
	s = planned(&rcvbuf_hook_table, &missing);
	ck_assert_int_eq(missing, 0);
	ck_assert_str_eq(chosen(&s, 0), "kprobe virtqueue_get_buf_ctx");
	ck_assert_str_eq(chosen(&s, 4), "kprobe gro_receive_skb");
}
END_TEST

/* The TX probes are optional; GRO is not. */
START_TEST(rcvbuf_missing)
{
	const char *const names[] = { "virtnet_poll", "receive_buf" };
	struct hook_set s;
	int missing;

	kernel_with(names, ARRAY_SIZE(names));
	s = planned(&rcvbuf_hook_table, &missing);
	ck_assert_int_eq(missing, 1);
	ck_assert_ptr_null(hook_chosen(&s, 4));
	ck_assert_ptr_null(hook_chosen(&s, 8));
}
END_TEST

START_TEST(rxmon_plans)
{
	const char *const all[] = { "virtnet_poll", "virtqueue_enable_cb_prepare", "napi_complete_done",
				    "virtqueue_poll" };
	const char *const no_poll[] = { "virtnet_poll", "virtqueue_enable_cb_prepare", "napi_complete_done" };
	struct hook_set s;
	int missing;

	kernel_with(all, ARRAY_SIZE(all));
	s = planned(&rxmon_hook_table, &missing);
	ck_assert_int_eq(missing, 0);
	for (int i = 0; i < rxmon_hook_table.n; i++)
		ck_assert_ptr_nonnull(hook_chosen(&s, i));
	ck_assert_str_eq(chosen(&s, 1), "kretprobe virtnet_poll");
	/* virtqueue_poll missing is a warning, not a failure; virtnet_poll missing is one. */
	kernel_with(no_poll, ARRAY_SIZE(no_poll));
	s = planned(&rxmon_hook_table, &missing);
	ck_assert_int_eq(missing, 0);
	ck_assert_ptr_null(hook_chosen(&s, 6));
	ck_assert_ptr_null(hook_chosen(&s, 7));
	kernel_with(no_poll + 1, ARRAY_SIZE(no_poll) - 1);
	planned(&rxmon_hook_table, &missing);
	ck_assert_int_eq(missing, 2);
}
END_TEST

static void teardown(void)
{
	ksyms_free(kernel_functions);
	kernel_functions = NULL;
}

int main(void)
{
	const TTest *tests[] = { rcvbuf_receive_buf, rcvbuf_receive_buf_cloned, rcvbuf_inlined_renamed,
				 rcvbuf_missing, rxmon_plans };
	Suite *s = suite_create("virtio_rx_plans");

	tcase_add_checked_fixture(unit_tcase(s, "plans", tests, ARRAY_SIZE(tests)), NULL, teardown);
	return unit_run(s);
}
