// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the hook planner of common/hook.h, against a fixture kernel. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hook.h"
#include "ksyms.h"
#include "unit_helpers.h"
#include "util.h"

#define FIXTURE UNIT_FIXTURE_DIR "/kallsyms.txt"

static bool fixture_tracepoint(const char *category, const char *name)
{
	static const char *const tps[] = { "skb:kfree_skb", "net:net_dev_queue", "qdisc:qdisc_enqueue" };
	char full[128];

	snprintf(full, sizeof(full), "%s:%s", category, name);
	for (size_t i = 0; i < ARRAY_SIZE(tps); i++)
		if (!strcmp(tps[i], full))
			return true;
	return false;
}

static bool fixture_module(const char *module)
{
	return !strcmp(module, "openvswitch");
}

/* The fixture kernel's BTF describes these functions (ovs_vport_receive in the module's). */
static bool fixture_btf_function(const char *func, const char *module)
{
	if (module && !strcmp(module, "openvswitch"))
		return !strcmp(func, "ovs_vport_receive");
	return !strcmp(func, "kfree_skb_reason") || !strcmp(func, "__dev_queue_xmit");
}

static const char *fentry_accepted(void)
{
	return NULL;
}

static const char *fentry_refused(void)
{
	return "a test program on bpf_fentry_test1 did not load: Operation not permitted";
}

static struct hook_env env;
static struct ksyms *fixture_ksyms;

static const struct ksyms *fixture_functions(void)
{
	return fixture_ksyms;
}

static void setup(void)
{
	fixture_ksyms = ksyms_load(FIXTURE);
	env = (struct hook_env){
		.release = "6.1.0-test",
		.functions = fixture_functions,
		.tracepoint_exists = fixture_tracepoint,
		.btf_tracepoint_exists = fixture_tracepoint,
		.module_loaded = fixture_module,
		.btf_function_exists = fixture_btf_function,
		.kprobes = true,
		.raw_tracepoints = true,
		.fentry_refusal = fentry_accepted,
	};
	ck_assert_ptr_nonnull(fixture_ksyms);
}

static void teardown(void)
{
	ksyms_free(fixture_ksyms);
}

static struct hook_choice choices[8];

static struct hook_set set_of(const struct hook_def *defs, int n)
{
	memset(choices, 0, sizeof(choices));
	return (struct hook_set){ "tool", defs, n, choices };
}

static const char *chosen_desc(const struct hook_set *s, int i)
{
	static char buf[160];

	return hook_describe(s, i, buf, sizeof(buf));
}

START_TEST(test_preference_order)
{
	static const struct hook_def defs[] = {
		{ "tp first",
		  { { HOOK_TP, "a", "skb:kfree_skb" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "kprobe first",
		  { { HOOK_KPROBE, "b", "kfree_skb_reason" }, { HOOK_TP, "a", "skb:kfree_skb" } } },
		{ "third",
		  { { HOOK_TP, "a", "net:nope" },
		    { HOOK_KPROBE, "b", "no_such_fn" },
		    { HOOK_KPROBE, "c", "kfree_skb_reason" } } },
		{ "raw",
		  { { HOOK_RAW_TP, "r", "qdisc:qdisc_enqueue" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
	};
	struct hook_set s = set_of(defs, 4);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "tracepoint skb:kfree_skb");
	ck_assert_str_eq(chosen_desc(&s, 1), "kprobe kfree_skb_reason");
	ck_assert_str_eq(chosen_desc(&s, 2), "kprobe kfree_skb_reason");
	ck_assert_str_eq(hook_chosen(&s, 2)->prog, "c");
	ck_assert_str_eq(chosen_desc(&s, 3), "raw_tracepoint qdisc:qdisc_enqueue");
	/* Without raw tracepoint support the raw one is passed over. */
	env.raw_tracepoints = false;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 3), "kprobe kfree_skb_reason");
}
END_TEST

START_TEST(test_clone_resolution)
{
	static const struct hook_def defs[] = {
		{ "clone", { { HOOK_KPROBE, "p", "ip_send_skb" } } },
		{ "constprop", { { HOOK_KRETPROBE, "p", "udp_queue_rcv_one_skb" } } },
		{ "cold only", { { HOOK_KPROBE, "p", "only_cold_fn" } } },
		{ "module", { { HOOK_KPROBE, "p", "ovs_dp_process_packet" } }, "openvswitch" },
	};
	struct hook_set s = set_of(defs, 4);

	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe ip_send_skb.isra.0");
	ck_assert_str_eq(s.c[0].symbol, "ip_send_skb.isra.0");
	ck_assert_str_eq(chosen_desc(&s, 1), "kretprobe udp_queue_rcv_one_skb.constprop.0");
	/* A .cold part is not the function. */
	ck_assert_ptr_null(hook_chosen(&s, 2));
	ck_assert_str_eq(chosen_desc(&s, 3), "kprobe ovs_dp_process_packet");
}
END_TEST

/* Uprobes and uretprobes: offered when the binary of "binary:symbol" can be read. */
START_TEST(test_uprobes)
{
	static const struct hook_def defs[] = {
		{ "entry", { { HOOK_UPROBE, "e", "/proc/self/exe:main" } } },
		{ "return", { { HOOK_URETPROBE, "r", "/proc/self/exe:main" } } },
		{ "gone",
		  { { HOOK_URETPROBE, "r", "/nonexistent/libc.so.6:f" },
		    { HOOK_UPROBE, "e", "/proc/self/exe:f" } } },
	};
	struct hook_set s = set_of(defs, 3);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "uprobe /proc/self/exe:main");
	ck_assert_str_eq(chosen_desc(&s, 1), "uretprobe /proc/self/exe:main");
	ck_assert_str_eq(chosen_desc(&s, 2), "uprobe /proc/self/exe:f");
}
END_TEST

START_TEST(test_required_missing_names_candidates)
{
	static const struct hook_def defs[] = {
		{ "freed packets",
		  { { HOOK_TP, "a", "skb:consume_skb" },
		    { HOOK_KPROBE, "b", "__kfree_skb" },
		    { HOOK_KPROBE, "b", "kfree_skb" } } },
	};
	struct hook_set s = set_of(defs, 1);

	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_ptr_null(hook_chosen(&s, 0));
	ck_assert_str_eq(s.c[0].why,
			 "kernel 6.1.0-test has none of the probe points tool needs for freed packets: "
			 "tracepoint skb:consume_skb, kprobe __kfree_skb, kprobe kfree_skb");
}
END_TEST

START_TEST(test_missing_module)
{
	static const struct hook_def defs[] = {
		{ "conntrack", { { HOOK_KPROBE, "a", "nf_conntrack_in" } }, "nf_conntrack" },
	};
	struct hook_set s = set_of(defs, 1);

	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(s.c[0].why,
			 "kernel module nf_conntrack is not loaded (tool needs it for conntrack); "
			 "load it with `modprobe nf_conntrack`");
}
END_TEST

/* A module built into the kernel has no /sys/module entry of its own: its functions decide. */
START_TEST(test_builtin_module)
{
	static const struct hook_def defs[] = {
		{ "tap transmit", { { HOOK_KPROBE, "a", "kfree_skb_reason" } }, "tun" },
	};
	struct hook_set s = set_of(defs, 1);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(hook_chosen(&s, 0)->target, "kfree_skb_reason");
}
END_TEST

START_TEST(test_no_kprobes)
{
	static const struct hook_def defs[] = {
		{ "reassembly", { { HOOK_KPROBE, "a", "kfree_skb_reason" } } },
	};
	struct hook_set s = set_of(defs, 1);

	env.kprobes = false;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(s.c[0].why,
			 "kernel 6.1.0-test cannot attach kprobes (no kprobe PMU and no kprobe_events: "
			 "CONFIG_KPROBE_EVENTS is off), needed for reassembly: kprobe kfree_skb_reason");
}
END_TEST

static bool never(const struct hook_set *plan)
{
	(void)plan;
	return false;
}

/* The candidate goes with the tracepoint of hook 0. */
static bool after_tracepoint(const struct hook_set *plan)
{
	return hook_chosen(plan, 0) && hook_chosen(plan, 0)->kind == HOOK_TP;
}

START_TEST(test_usable_sees_earlier_choices)
{
	static const struct hook_def defs[] = {
		{ "frees", { { HOOK_TP, "a", "skb:kfree_skb" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "consumes", { { HOOK_TP, "c", "net:net_dev_queue", after_tracepoint } }, .optional = true },
	};
	struct hook_set s = set_of(defs, 2);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 1), "tracepoint net:net_dev_queue");
	env.force_kprobe = true;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
	ck_assert_ptr_null(hook_chosen(&s, 1));
}
END_TEST

START_TEST(test_usable_and_skip)
{
	static const struct hook_def defs[] = {
		{ "btf says no",
		  { { HOOK_TP, "a", "skb:kfree_skb", never }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "skipped", { { HOOK_KPROBE, "c", "no_such_fn" } } },
	};
	struct hook_set s = set_of(defs, 2);

	s.c[1].skip = true;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
	ck_assert_ptr_null(hook_chosen(&s, 1));
	ck_assert_str_eq(s.c[1].why, "");
}
END_TEST

START_TEST(test_force_kprobe)
{
	static const struct hook_def defs[] = {
		{ "with fallback",
		  { { HOOK_TP, "a", "skb:kfree_skb" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "tracepoint only", { { HOOK_TP, "a", "net:net_dev_queue" } } },
		{ "kept",
		  { { HOOK_RAW_TP, "r", "skb:kfree_skb" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } },
		  .keep_tracepoint = true },
		/* Only tracepoints: the classic one stands in for the raw and the BTF one. */
		{ "raw, classic",
		  { { HOOK_RAW_TP, "r", "skb:kfree_skb" }, { HOOK_TP, "a", "skb:kfree_skb" } } },
		{ "btf, classic",
		  { { HOOK_TP_BTF, "t", "skb:kfree_skb" }, { HOOK_TP, "a", "skb:kfree_skb" } } },
		{ "raw only", { { HOOK_RAW_TP, "r", "skb:kfree_skb" } } },
		{ "raw kept",
		  { { HOOK_RAW_TP, "r", "skb:kfree_skb" }, { HOOK_TP, "a", "skb:kfree_skb" } },
		  .keep_tracepoint = true },
	};
	struct hook_set s = set_of(defs, 7);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 3), "raw_tracepoint skb:kfree_skb");
	ck_assert_str_eq(chosen_desc(&s, 4), "tp_btf skb:kfree_skb");
	env.force_kprobe = true;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
	ck_assert_str_eq(chosen_desc(&s, 1), "tracepoint net:net_dev_queue");
	ck_assert_str_eq(chosen_desc(&s, 2), "raw_tracepoint skb:kfree_skb");
	ck_assert_str_eq(chosen_desc(&s, 3), "tracepoint skb:kfree_skb");
	ck_assert_str_eq(hook_chosen(&s, 3)->prog, "a");
	ck_assert_str_eq(chosen_desc(&s, 4), "tracepoint skb:kfree_skb");
	ck_assert_str_eq(chosen_desc(&s, 5), "raw_tracepoint skb:kfree_skb");
	ck_assert_str_eq(chosen_desc(&s, 6), "raw_tracepoint skb:kfree_skb");
}
END_TEST

/* BTF tracepoints: where the kernel has tp_btf programs and the tracepoint, else the next candidate. */
START_TEST(test_tp_btf)
{
	static const struct hook_def defs[] = {
		{ "switches",
		  { { HOOK_TP_BTF, "t", "skb:kfree_skb" },
		    { HOOK_RAW_TP, "r", "skb:kfree_skb" },
		    { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "no such tracepoint",
		  { { HOOK_TP_BTF, "t", "net:nope" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
	};
	struct hook_set s = set_of(defs, 2);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "tp_btf skb:kfree_skb");
	ck_assert_str_eq(hook_chosen(&s, 0)->prog, "t");
	ck_assert_str_eq(chosen_desc(&s, 1), "kprobe kfree_skb_reason");
	env.btf_tracepoint_exists = NULL;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "raw_tracepoint skb:kfree_skb");
	/* BPFNET_FORCE_KPROBE skips it like the other tracepoint kinds. */
	env.btf_tracepoint_exists = fixture_tracepoint;
	env.force_kprobe = true;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
}
END_TEST

/* A function entry: its fentry program where the kernel has trampolines and the function's BTF, else its kprobe. */
START_TEST(test_fentry)
{
	static const struct hook_def defs[] = {
		{ "core", { HOOK_FUNC_ENTRY("f", "kfree_skb_reason") } },
		{ "module", { HOOK_FUNC_ENTRY("v", "ovs_vport_receive") }, "openvswitch" },
		{ "no btf", { HOOK_FUNC_ENTRY("i", "ip_send_skb", NULL, KSYM_CLONE_ISRA) } },
		{ "older name",
		  { { HOOK_TP, "q", "net:nope" },
		    HOOK_FUNC_ENTRY("d", "dev_queue_xmit"),
		    HOOK_FUNC_ENTRY("d", "__dev_queue_xmit") } },
	};
	struct hook_set s = set_of(defs, 4);

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "fentry kfree_skb_reason");
	ck_assert_str_eq(hook_chosen(&s, 0)->prog, "f_fentry");
	ck_assert_str_eq(chosen_desc(&s, 1), "fentry ovs_vport_receive");
	/* A GCC clone has no BTF of its own: the kprobe, on the clone. */
	ck_assert_str_eq(chosen_desc(&s, 2), "kprobe ip_send_skb.isra.0");
	ck_assert_str_eq(hook_chosen(&s, 2)->prog, "i");
	/* The first name the kernel has neither as BTF nor as a symbol: the next name's fentry. */
	ck_assert_str_eq(chosen_desc(&s, 3), "fentry __dev_queue_xmit");
	ck_assert_str_eq(hook_chosen(&s, 3)->prog, "d_fentry");
	/* Without trampolines, or with BPFNET_FORCE_KPROBE, every hook is a kprobe (none for
	 * __dev_queue_xmit, which has BTF and no symbol in the fixture). */
	env.fentry_refusal = NULL;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
	ck_assert_str_eq(chosen_desc(&s, 1), "kprobe ovs_vport_receive");
	env.fentry_refusal = fentry_accepted;
	env.force_kprobe = true;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(chosen_desc(&s, 0), "kprobe kfree_skb_reason");
	ck_assert_str_eq(hook_chosen(&s, 0)->prog, "f");
	/* Neither kprobes nor the function's BTF: both kinds named. */
	env.force_kprobe = false;
	env.kprobes = false;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(chosen_desc(&s, 0), "fentry kfree_skb_reason");
	ck_assert_str_eq(s.c[2].why,
			 "kernel 6.1.0-test cannot attach kprobes (no kprobe PMU and no kprobe_events: "
			 "CONFIG_KPROBE_EVENTS is off), needed for no btf: fentry ip_send_skb, kprobe "
			 "ip_send_skb.isra.N");
	/* A kernel that refuses fentry programs: the message says why too. */
	env.fentry_refusal = fentry_refused;
	ck_assert_int_eq(hook_plan(&s, &env), 4);
	ck_assert_str_eq(s.c[0].why,
			 "kernel 6.1.0-test cannot attach kprobes (no kprobe PMU and no kprobe_events: "
			 "CONFIG_KPROBE_EVENTS is off) nor fentry programs (a test program on "
			 "bpf_fentry_test1 did not load: Operation not permitted), needed for core: fentry "
			 "kfree_skb_reason, kprobe kfree_skb_reason");
}
END_TEST

/* A function return: its fexit program where its entry could have an fentry one, else its kretprobe. */
START_TEST(test_fexit)
{
	static const struct hook_def defs[] = {
		{ "core", { HOOK_FUNC_RETURN("f_ret", "kfree_skb_reason") } },
		{ "module", { HOOK_FUNC_RETURN("v_ret", "ovs_vport_receive") }, "openvswitch" },
		{ "no btf", { HOOK_FUNC_RETURN("i_ret", "ip_send_skb", NULL, KSYM_CLONE_ISRA) } },
	};
	struct hook_set s = set_of(defs, 3);
	char list[2048] = "";
	FILE *f;

	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "fexit kfree_skb_reason");
	ck_assert_str_eq(hook_chosen(&s, 0)->prog, "f_ret_fexit");
	ck_assert_int_eq(hook_chosen(&s, 0)->kind, HOOK_FEXIT);
	ck_assert_str_eq(chosen_desc(&s, 1), "fexit ovs_vport_receive");
	/* A GCC clone has no BTF of its own: the kretprobe, on the clone. */
	ck_assert_str_eq(chosen_desc(&s, 2), "kretprobe ip_send_skb.isra.0");
	ck_assert_str_eq(hook_chosen(&s, 2)->prog, "i_ret");
	f = fmemopen(list, sizeof(list) - 1, "w");
	hook_list(f, &s, &env);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(list, "core (required):\n  fexit kfree_skb_reason\n  kretprobe "
					   "kfree_skb_reason\n  chosen: fexit kfree_skb_reason\n"));
	/* Without trampolines, or with BPFNET_FORCE_KPROBE, every return is a kretprobe. */
	env.fentry_refusal = NULL;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kretprobe kfree_skb_reason");
	ck_assert_str_eq(chosen_desc(&s, 1), "kretprobe ovs_vport_receive");
	env.fentry_refusal = fentry_accepted;
	env.force_kprobe = true;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	ck_assert_str_eq(chosen_desc(&s, 0), "kretprobe kfree_skb_reason");
	ck_assert_str_eq(hook_chosen(&s, 0)->prog, "f_ret");
	/* Neither kprobes nor the function's BTF: both kinds named. */
	env.force_kprobe = false;
	env.kprobes = false;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	ck_assert_str_eq(chosen_desc(&s, 0), "fexit kfree_skb_reason");
	ck_assert_str_eq(s.c[2].why,
			 "kernel 6.1.0-test cannot attach kprobes (no kprobe PMU and no kprobe_events: "
			 "CONFIG_KPROBE_EVENTS is off), needed for no btf: fexit ip_send_skb, kretprobe "
			 "ip_send_skb.isra.N");
	ck_assert_str_eq(hook_kind_name(HOOK_FEXIT), "fexit");
}
END_TEST

static const struct hook_def check_defs[] = {
	{ "optional stage", { { HOOK_KPROBE, "a", "no_such_fn" } }, .optional = true },
	{ "required stage", { { HOOK_KPROBE, "b", "nor_this" }, { HOOK_KPROBE, "b", "nor_that" } } },
};

static void check_optional(void *arg)
{
	struct hook_set s = set_of(check_defs, 1);

	(void)arg;
	ck_assert_int_eq(hook_plan(&s, &env), 0);
	hook_check(&s);
}

static void check_required(void *arg)
{
	struct hook_set s = set_of(check_defs, 2);

	(void)arg;
	ck_assert_int_eq(hook_plan(&s, &env), 1);
	hook_check(&s);
}

START_TEST(test_optional_missing_warns)
{
	struct captured c;

	capture_run(check_optional, NULL, &c);
	ck_assert_int_eq(c.status, CAPTURE_RETURNED);
	ck_assert_str_eq(c.err,
			 "Warning: kernel 6.1.0-test has none of the probe points tool needs for optional "
			 "stage: kprobe no_such_fn: optional stage disabled\n");
	captured_free(&c);
}
END_TEST

START_TEST(test_required_missing_dies)
{
	struct captured c;

	capture_run(check_required, NULL, &c);
	ck_assert_int_eq(c.status, 1);
	ck_assert_str_eq(c.err,
			 "Error: kernel 6.1.0-test has none of the probe points tool needs for required "
			 "stage: kprobe nor_this, kprobe nor_that\n");
	captured_free(&c);
}
END_TEST

START_TEST(test_list)
{
	static const struct hook_def defs[] = {
		{ "packet drops",
		  { { HOOK_TP, "a", "skb:kfree_skb" }, { HOOK_KPROBE, "b", "kfree_skb_reason" } } },
		{ "datapath", { { HOOK_KPROBE, "c", "ovs_vport_receive" } }, "openvswitch", .optional = true },
		{ "conntrack", { { HOOK_KPROBE, "d", "nf_conntrack_in" } }, "nf_conntrack" },
	};
	struct hook_set s = set_of(defs, 3);
	struct memfile m;
	FILE *f = mem_open(&m);
	char *out;

	hook_list(f, &s, &env);
	out = mem_close(&m);
	ck_assert_str_eq(out,
			 "packet drops (required):\n"
			 "  tracepoint skb:kfree_skb\n"
			 "  kprobe kfree_skb_reason\n"
			 "  chosen: tracepoint skb:kfree_skb\n"
			 "datapath (optional, module openvswitch):\n"
			 "  kprobe ovs_vport_receive\n"
			 "  chosen: kprobe ovs_vport_receive\n"
			 "conntrack (required, module nf_conntrack):\n"
			 "  kprobe nf_conntrack_in\n"
			 "  none on this kernel: kernel module nf_conntrack is not loaded (tool needs it for "
			 "conntrack); load it with `modprobe nf_conntrack`\n");
	free(out);
}
END_TEST

static Suite *hook_suite(void)
{
	const TTest *plan_tests[] = { test_preference_order,
				      test_uprobes,
				      test_clone_resolution,
				      test_required_missing_names_candidates,
				      test_missing_module,
				      test_builtin_module,
				      test_no_kprobes,
				      test_usable_and_skip,
				      test_usable_sees_earlier_choices,
				      test_force_kprobe,
				      test_tp_btf,
				      test_fentry,
				      test_fexit,
				      test_optional_missing_warns,
				      test_required_missing_dies,
				      test_list };
	Suite *s = suite_create("hook");
	TCase *tc;

	tc = unit_tcase(s, "plan", plan_tests, ARRAY_SIZE(plan_tests));
	tcase_add_checked_fixture(tc, setup, teardown);
	return s;
}

int main(void)
{
	return unit_run(hook_suite());
}
