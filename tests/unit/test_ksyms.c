// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/ksyms.h against fixtures/kallsyms.txt. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms.h"
#include "stack.h"
#include "unit_helpers.h"
#include "util.h"

#define FIXTURE UNIT_FIXTURE_DIR "/kallsyms.txt"

static struct ksyms *ks;

static void load_fixture(void)
{
	ks = ksyms_load(FIXTURE);
	ck_assert_msg(ks != NULL, "cannot load %s", FIXTURE);
}

static void free_fixture(void)
{
	ksyms_free(ks);
	ks = NULL;
}

START_TEST(test_load_missing_file)
{
	ck_assert_ptr_null(ksyms_load("/nonexistent/kallsyms"));
	ksyms_free(NULL);
}
END_TEST

START_TEST(test_find_exact_start)
{
	const struct ksym *s = ksyms_find(ks, 0xffffffff81234000ULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "kfree_skb_reason");
	ck_assert_uint_eq(s->addr, 0xffffffff81234000ULL);
	ck_assert_ptr_null(s->module);

	s = ksyms_find(ks, 0xffffffff81001000ULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "startup_64");
}
END_TEST

START_TEST(test_find_inside)
{
	const struct ksym *s = ksyms_find(ks, 0xffffffff812340ffULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "kfree_skb_reason");
	s = ksyms_find(ks, 0xffffffff81234150ULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "ip_send_skb.isra.0");
	/* Just below the next symbol. */
	s = ksyms_find(ks, 0xffffffff812342ffULL);
	ck_assert_str_eq(s->name, "ip_finish_output");
	s = ksyms_find(ks, 0xffffffff81234300ULL);
	ck_assert_str_eq(s->name, "ip_finish_output2");
	/* Two names at one address: either is right. */
	s = ksyms_find(ks, 0xffffffff81000010ULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(!strcmp(s->name, "_stext") || !strcmp(s->name, "_text"), "got %s", s->name);
}
END_TEST

START_TEST(test_find_module_symbols)
{
	const struct ksym *s = ksyms_find(ks, 0xffffffffc0a01010ULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "ovs_vport_receive");
	ck_assert_ptr_nonnull(s->module);
	ck_assert_str_eq(s->module, "openvswitch");
	/* The module's data symbol is not a text symbol: the address stays in the function. */
	s = ksyms_find(ks, 0xffffffffc0a02010ULL);
	ck_assert_str_eq(s->name, "ovs_vport_receive");
	s = ksyms_find(ks, 0xffffffffc0b00180ULL);
	ck_assert_str_eq(s->name, "br_forward");
	ck_assert_str_eq(s->module, "bridge");
}
END_TEST

START_TEST(test_module_range)
{
	uint64_t lo = 0, hi = 0;

	ck_assert(ksyms_module_range(ks, "openvswitch", &lo, &hi));
	ck_assert_uint_eq(lo, 0xffffffffc0a00000ULL);
	/* The last function ends where the next text symbol (bridge's) starts. */
	ck_assert_uint_eq(hi, 0xffffffffc0b00000ULL);
	ck_assert(ksyms_module_range(ks, "bridge", &lo, &hi));
	ck_assert_uint_eq(lo, 0xffffffffc0b00000ULL);
	ck_assert_uint_eq(hi, 0xffffffffc0b00100ULL + 4096);
	ck_assert(!ksyms_module_range(ks, "kvm", &lo, &hi));
}
END_TEST

START_TEST(test_find_before_first)
{
	ck_assert_ptr_null(ksyms_find(ks, 0));
	ck_assert_ptr_null(ksyms_find(ks, 0xffffffff80ffffffULL));
	ck_assert_ptr_null(ksyms_find(NULL, 0xffffffff81234000ULL));
}
END_TEST

START_TEST(test_data_symbols_ignored)
{
	const struct ksym *s = ksyms_find(ks, 0xffffffff81240050ULL);

	/* init_net is data (D): the address resolves to the preceding text symbol. */
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "weak_helper");
	ck_assert(!ksyms_has(ks, "init_net"));
	ck_assert(!ksyms_has(ks, "some_static_data"));
	ck_assert(!ksyms_has(ks, "some_bss"));
	ck_assert(!ksyms_has(ks, "some_rodata"));
	ck_assert(!ksyms_has(ks, "__ksymtab_kfree_skb"));
	ck_assert(!ksyms_has(ks, "ovs_net_ops"));
	ck_assert(!ksyms_has(ks, "fixed_percpu_data"));
}
END_TEST

START_TEST(test_format_styles)
{
	char buf[128];

	ck_assert_str_eq(ksyms_format(ks, 0xffffffff8123401aULL, KSYM_HEX, buf, sizeof(buf)),
			 "kfree_skb_reason+0x1a");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffff8123401aULL, KSYM_HEX_MODULE, buf, sizeof(buf)),
			 "kfree_skb_reason+0x1a [kernel]");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffff8123401aULL, KSYM_DEC, buf, sizeof(buf)),
			 "kfree_skb_reason+26");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffffc0a01010ULL, KSYM_HEX_MODULE, buf, sizeof(buf)),
			 "ovs_vport_receive+0x10 [openvswitch]");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffffc0a01010ULL, KSYM_HEX, buf, sizeof(buf)),
			 "ovs_vport_receive+0x10");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffffc0a01010ULL, KSYM_DEC, buf, sizeof(buf)),
			 "ovs_vport_receive+16");
	/* Offset 0 */
	ck_assert_str_eq(ksyms_format(ks, 0xffffffff81234100ULL, KSYM_HEX, buf, sizeof(buf)),
			 "ip_send_skb.isra.0+0x0");
	ck_assert_str_eq(ksyms_format(ks, 0xffffffff81234100ULL, KSYM_DEC, buf, sizeof(buf)),
			 "ip_send_skb.isra.0+0");
	ck_assert_ptr_eq(ksyms_format(ks, 0xffffffff81234100ULL, KSYM_DEC, buf, sizeof(buf)), buf);
}
END_TEST

START_TEST(test_format_unknown)
{
	char buf[64];

	ck_assert_str_eq(ksyms_format(ks, 0x1000, KSYM_HEX, buf, sizeof(buf)), "[unknown]");
	ck_assert_str_eq(ksyms_format(ks, 0x1000, KSYM_HEX_MODULE, buf, sizeof(buf)), "[unknown]");
	ck_assert_str_eq(ksyms_format(ks, 0x1000, KSYM_DEC, buf, sizeof(buf)), "[unknown]");
	ck_assert_str_eq(ksyms_format(NULL, 0xffffffff8123401aULL, KSYM_HEX, buf, sizeof(buf)), "[unknown]");
}
END_TEST

START_TEST(test_has)
{
	ck_assert(ksyms_has(ks, "kfree_skb_reason"));
	ck_assert(ksyms_has(ks, "tcp_v4_do_rcv"));
	ck_assert(ksyms_has(ks, "tcp_v4_do_rcv.cold"));
	ck_assert(ksyms_has(ks, "ovs_vport_receive"));
	ck_assert(ksyms_has(ks, "br_forward"));
	ck_assert(ksyms_has(ks, "weak_helper"));
	/* Exact names only: no prefixes, no clone lookups. */
	ck_assert(!ksyms_has(ks, "tcp_v4"));
	ck_assert(!ksyms_has(ks, "kfree_skb"));
	ck_assert(!ksyms_has(ks, "ip_send_skb"));
	ck_assert(!ksyms_has(ks, "no_such_function"));
	ck_assert(!ksyms_has(NULL, "kfree_skb_reason"));
}
END_TEST

/* A kprobe's address: the name's only text symbol, never one of several. */
START_TEST(test_unique_addr)
{
	ck_assert_uint_eq(ksyms_unique_addr(ks, "kfree_skb_reason"), 0xffffffff81234000ULL);
	ck_assert_uint_eq(ksyms_unique_addr(ks, "ovs_vport_receive"), 0xffffffffc0a01000ULL);
	ck_assert_uint_eq(ksyms_unique_addr(ks, "ip_send_skb.isra.0"), 0xffffffff81234100ULL);
	ck_assert(ksyms_has(ks, "dup_static_fn"));
	ck_assert_uint_eq(ksyms_unique_addr(ks, "dup_static_fn"), 0);
	ck_assert_uint_eq(ksyms_unique_addr(ks, "init_net"), 0);
	ck_assert_uint_eq(ksyms_unique_addr(ks, "no_such_function"), 0);
	ck_assert_uint_eq(ksyms_unique_addr(NULL, "kfree_skb_reason"), 0);
}
END_TEST

/* Lookups by name in a table of many symbols (a kernel has ~150k): every name found, once or not. */
START_TEST(test_by_name_many)
{
	enum { N = 20000 };
	char path[] = "/tmp/bpfnet-ksyms-XXXXXX", name[32];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct ksyms *many;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < N; i++)
		fprintf(f, "%016llx t fn_%d\n", 0xffffffff81000000ULL + 16ULL * (unsigned)i, i);
	/* every 7th name twice: a module's static function of a core function's name */
	for (int i = 0; i < N; i += 7)
		fprintf(f, "%016llx t fn_%d\t[mod]\n", 0xffffffffc0000000ULL + 16ULL * (unsigned)i, i);
	fclose(f);
	many = ksyms_load(path);
	unlink(path);
	ck_assert_ptr_nonnull(many);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "fn_%d", i);
		ck_assert_msg(ksyms_has(many, name), "%s", name);
		ck_assert_uint_eq(ksyms_unique_addr(many, name),
				  i % 7 ? 0xffffffff81000000ULL + 16ULL * (unsigned)i : 0);
		ck_assert_str_eq(ksyms_attach_name(many, name), name);
	}
	ck_assert(!ksyms_has(many, "fn_"));
	ck_assert(!ksyms_has(many, "fn_20000"));
	ksyms_free(many);
}
END_TEST

/* The name to attach a probe to for a function name; NULL: none. */
static const struct attach_case {
	const char *function, *attach;
} attach_names[] = {
	/* The function itself, even when a longer name or a .cold part exists. */
	{ "ip_finish_output", "ip_finish_output" },
	{ "tcp_v4_do_rcv", "tcp_v4_do_rcv" },
	{ "ovs_vport_receive", "ovs_vport_receive" },
	/* The GCC clone that replaced it. */
	{ "ip_send_skb", "ip_send_skb.isra.0" },
	{ "__netif_receive_skb_core", "__netif_receive_skb_core.constprop.0" },
	/* Never a .cold part, even one that comes first ("name.part.0.cold"). */
	{ "udp_queue_rcv_one_skb", "udp_queue_rcv_one_skb.constprop.0" },
	{ "only_cold_fn", NULL },
	/* A longer function name is not a clone. */
	{ "kfree_skb", NULL },
	{ "ip_send", NULL },
	{ "no_such_function", NULL },
	/* Data symbols are not attachable. */
	{ "init_net", NULL },
};

START_TEST(test_attach_name)
{
	const struct attach_case *c = &attach_names[_i];
	const char *n = ksyms_attach_name(ks, c->function);

	if (c->attach) {
		ck_assert_ptr_nonnull(n);
		ck_assert_str_eq(n, c->attach);
	} else {
		ck_assert_ptr_null(n);
	}
}
END_TEST

START_TEST(test_attach_name_without_symbols)
{
	ck_assert_ptr_null(ksyms_attach_name(NULL, "ip_finish_output"));
}
END_TEST

/* Writes text to a temporary file and loads it as a kallsyms table. */
static struct ksyms *load_text(const char *text)
{
	char path[] = "/tmp/unit_kallsyms_XXXXXX";
	int fd = mkstemp(path);
	size_t len = strlen(text);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	struct ksyms *r = ksyms_load(path);

	unlink(path);
	return r;
}

/* Clones of one function of every kind, in an address order that is not their rank. */
static const char clone_table[] = "ffffffff81000000 T _stext\n"
				  "ffffffff81001000 t dev_xmit.part.3\n"
				  "ffffffff81001100 t dev_xmit.part.0.cold\n"
				  "ffffffff81001200 t dev_xmit.constprop.1\n"
				  "ffffffff81001300 t dev_xmit.part.1\n"
				  "ffffffff81001400 t dev_xmit.isra.2\n"
				  "ffffffff81001500 t dev_xmit.cold\n"
				  "ffffffff81001600 T dev_xmit\n"
				  "ffffffff81001700 t dev_xmit.part.x\n"
				  "ffffffff81001800 t dev_xmit.partial.0\n"
				  "ffffffff81001900 t dev_xmit_more.part.0\n"
				  "ffffffff81001a00 t only_cold.part.0.cold\n"
				  "ffffffff81001b00 t stacked.constprop.0.isra.0\n"
				  "ffffffff81001c00 t twice.part.0\n"
				  "ffffffff81001d00 t twice.part.0\n"
				  "ffffffff81001e00 T _etext\n";

static const struct clone_case {
	const char *function;
	unsigned kinds;
	const char *clone;
} clone_cases[] = {
	/* The lowest N of the kind, wherever it is; never a .cold part, even of a lower N. */
	{ "dev_xmit", KSYM_CLONE_PART, "dev_xmit.part.1" },
	{ "dev_xmit", KSYM_CLONE_ISRA, "dev_xmit.isra.2" },
	{ "dev_xmit", KSYM_CLONE_CONSTPROP, "dev_xmit.constprop.1" },
	/* Several kinds: isra before constprop before part. */
	{ "dev_xmit", KSYM_CLONES_ANY, "dev_xmit.isra.2" },
	{ "dev_xmit", KSYM_CLONE_CONSTPROP | KSYM_CLONE_PART, "dev_xmit.constprop.1" },
	/* Another function's clone is not one of this function's. */
	{ "dev_xmit_more", KSYM_CLONE_PART, "dev_xmit_more.part.0" },
	{ "dev_xmit_mor", KSYM_CLONES_ANY, NULL },
	{ "only_cold", KSYM_CLONES_ANY, NULL },
	/* Stacked suffixes: the first names the kind. */
	{ "stacked", KSYM_CLONE_CONSTPROP, "stacked.constprop.0.isra.0" },
	{ "stacked", KSYM_CLONE_ISRA, NULL },
	{ "twice", KSYM_CLONE_PART, "twice.part.0" },
	{ "no_such_function", KSYM_CLONES_ANY, NULL },
};

START_TEST(test_clone_name)
{
	struct ksyms *r = load_text(clone_table);

	ck_assert_ptr_nonnull(r);
	for (size_t i = 0; i < ARRAY_SIZE(clone_cases); i++) {
		const struct clone_case *c = &clone_cases[i];
		const char *got = ksyms_clone_name(r, c->function, c->kinds);

		ck_assert_msg(got == c->clone || (got && c->clone && !strcmp(got, c->clone)),
			      "clone of %s (kinds %#x): got %s, want %s", c->function, c->kinds,
			      got ? got : "none", c->clone ? c->clone : "none");
	}
	/* The function itself first; its clones only where it is gone. */
	ck_assert_str_eq(ksyms_attach_name(r, "dev_xmit"), "dev_xmit");
	ck_assert_str_eq(ksyms_attach_name(r, "dev_xmit_more"), "dev_xmit_more.part.0");
	ck_assert_ptr_null(ksyms_clone_name(NULL, "dev_xmit", KSYM_CLONES_ANY));
	ksyms_free(r);
}
END_TEST

START_TEST(test_clone_pattern)
{
	char buf[64];

	ck_assert_str_eq(ksyms_clone_pattern("nf_ct_delete", KSYM_CLONE_PART, buf, sizeof(buf)),
			 "nf_ct_delete.part.N");
	ck_assert_str_eq(ksyms_clone_pattern("f", KSYM_CLONE_ISRA | KSYM_CLONE_PART, buf, sizeof(buf)),
			 "f.isra.N/.part.N");
	ck_assert_str_eq(ksyms_clone_pattern("long_function", KSYM_CLONES_ANY, buf, 20),
			 "long_function.isra.");
}
END_TEST

START_TEST(test_restricted_kallsyms)
{
	/*
	 * With kptr_restrict every address reads 0: nothing resolves.
	 * BUG (common/ksyms.c, ksyms_load): when no text symbol was kept, ks->syms is NULL and
	 * ksyms_load calls qsort(NULL, 0, ...); glibc declares the base nonnull, so the UBSan
	 * build (-DBPFNET_SANITIZE=ON) aborts here ("null pointer passed as argument 1"). The
	 * plain build passes this test.
	 */
	char buf[64];
	struct ksyms *r = load_text("0000000000000000 T _stext\n0000000000000000 T kfree_skb\n");

	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(ksyms_find(r, 0xffffffff81234000ULL));
	ck_assert(!ksyms_has(r, "kfree_skb"));
	ck_assert_str_eq(ksyms_format(r, 0xffffffff81234000ULL, KSYM_HEX, buf, sizeof(buf)), "[unknown]");
	ksyms_free(r);
}
END_TEST

START_TEST(test_long_symbol_names)
{
	/*
	 * BUG (common/ksyms.c, ksyms_load): lines are read into a 512-byte buffer and names with
	 * "%255s", but kernels since 6.1 allow 511-character symbol names (KSYM_NAME_LEN 512, for
	 * Rust). Such a name is stored cut to 255 characters (and its line is split in two), so
	 * ksyms_has(), ksyms_attach_name() and ksyms_format() get it wrong.
	 */
	enum { LEN = 511 };
	char name[LEN + 1], text[LEN + 128];
	struct ksyms *r;
	const struct ksym *s;

	memset(name, 'z', LEN);
	name[LEN] = 0;
	memcpy(name, "_RNv", 4);
	snprintf(text, sizeof(text), "ffffffff81300000 t %s\nffffffff81300100 T after_long\n", name);
	r = load_text(text);
	ck_assert_ptr_nonnull(r);
	s = ksyms_find(r, 0xffffffff81300100ULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "after_long");
	s = ksyms_find(r, 0xffffffff81300010ULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(strlen(s->name), LEN);
	ck_assert_str_eq(s->name, name);
	ck_assert(ksyms_has(r, name));
	ksyms_free(r);
}
END_TEST

/*
 * stack_bpf_frames: the frames an fentry program's stack starts with (the program, once or twice,
 * and its trampoline) are BPF's, and so are a raw tracepoint program's first frame and its
 * runner's; a kprobe's stack has none.
 */
static const char bpf_table[] = "ffffffff81100000 T kfree_skb\n"
				"ffffffff81100400 T ip_rcv\n"
				"ffffffff81200000 T bpf_trace_run2\n"
				"ffffffff81200100 t __bpf_trace_kfree_skb\n"
				"ffffffff81200200 T __traceiter_kfree_skb\n"
				"ffffffff81234000 T nf_conntrack_in\n"
				"ffffffff81234800 T nf_hook_slow\n"
				"ffffffffc0a00000 t __bpf_trace_ovs_dp_upcall\t[openvswitch]\n"
				"ffffffffc0c00000 t bpf_prog_6deef7357e7b4530_ct_in_fentry\t[bpf]\n"
				"ffffffffc0c00800 t bpf_prog_0123456789abcdef_kfree_tp\t[bpf]\n"
				"ffffffffc0c01000 t bpf_trampoline_6442512345\t[bpf]\n"
				"ffffffffc0d00000 t ovs_ct_execute\t[openvswitch]\n"
				"ffffffffc0d00400 t bpf_prog_fake\t[openvswitch]\n";

/* stack_bpf_frames(ks, ips, n) is want, of an fentry program's stack or not */
#define BPF_FRAMES(ks, ips, n, want, want_fentry)                                                            \
	do {                                                                                                 \
		bool fentry_ = !(want_fentry);                                                               \
		ck_assert_int_eq(stack_bpf_frames(ks, ips, n, &fentry_), want);                              \
		ck_assert(fentry_ == (want_fentry));                                                         \
	} while (0)

START_TEST(test_stack_bpf_frames)
{
	struct ksyms *r = load_text(bpf_table);
	/* fentry on 6.1: program, trampoline, then nf_conntrack_in at its call to the trampoline */
	const uint64_t fentry[] = { 0xffffffffc0c000b7ULL, 0xffffffffc0c01054ULL, 0xffffffff81234005ULL,
				    0xffffffff81234841ULL, 0xffffffff81100489ULL };
	/* the program's address twice (the caller's registers, then the unwinder) */
	const uint64_t twice[] = { 0xffffffffc0c000b7ULL, 0xffffffffc0c000b7ULL, 0xffffffffc0c01054ULL,
				   0xffffffff81234005ULL };
	/* kprobe: the probed function first */
	const uint64_t kprobe[] = { 0xffffffff81234001ULL, 0xffffffff81234841ULL, 0xffffffff81100489ULL };
	/* kprobe on a function the trampoline of another tool's fexit program calls */
	const uint64_t called_by_tramp[] = { 0xffffffff81234001ULL, 0xffffffffc0c01054ULL,
					     0xffffffff81234841ULL };
	/* raw tracepoint: program, then bpf_trace_run2 and __bpf_trace_kfree_skb, then kfree_skb */
	const uint64_t raw_tp[] = { 0xffffffffc0c00830ULL, 0xffffffff81200050ULL, 0xffffffff81200110ULL,
				    0xffffffff81100020ULL };
	/* with more than one program on the tracepoint, __traceiter_ calls the runner */
	const uint64_t runners[] = { 0xffffffffc0c00830ULL, 0xffffffff81200050ULL, 0xffffffff81200210ULL,
				     0xffffffff81100020ULL };
	/* a tracepoint of a module: its __bpf_trace_ function follows the program */
	const uint64_t module_tp[] = { 0xffffffffc0c00830ULL, 0xffffffffc0a00010ULL };
	/* a module's symbol named like a program is not one */
	const uint64_t fake[] = { 0xffffffffc0d00410ULL, 0xffffffffc0c01054ULL, 0xffffffff81234005ULL };
	/* user space addresses (bpf_get_stackid with BPF_F_USER_STACK) */
	const uint64_t user[] = { 0x7f0012345678ULL, 0x55aa00001000ULL };

	ck_assert_ptr_nonnull(r);
	BPF_FRAMES(r, fentry, ARRAY_SIZE(fentry), 2, true);
	BPF_FRAMES(r, twice, ARRAY_SIZE(twice), 3, true);
	BPF_FRAMES(r, kprobe, ARRAY_SIZE(kprobe), 0, false);
	BPF_FRAMES(r, called_by_tramp, ARRAY_SIZE(called_by_tramp), 0, false);
	/* a raw tracepoint's program and its runner go: the stack starts where the tracepoint is */
	BPF_FRAMES(r, raw_tp, ARRAY_SIZE(raw_tp), 3, false);
	BPF_FRAMES(r, module_tp, ARRAY_SIZE(module_tp), 2, false);
	BPF_FRAMES(r, runners, ARRAY_SIZE(runners), 3, false);
	BPF_FRAMES(r, fake, ARRAY_SIZE(fake), 0, false);
	BPF_FRAMES(r, user, ARRAY_SIZE(user), 0, false);
	/* a stack cut after the trampoline, or before it (nothing but the program: left as it is) */
	BPF_FRAMES(r, fentry, 2, 2, true);
	BPF_FRAMES(r, fentry, 1, 0, false);
	BPF_FRAMES(r, fentry, 0, 0, false);
	BPF_FRAMES(r, raw_tp, 1, 0, false);
	/* without the programs' and trampolines' symbols (a table read before they were loaded) */
	BPF_FRAMES(NULL, fentry, ARRAY_SIZE(fentry), 0, false);
	BPF_FRAMES(NULL, raw_tp, ARRAY_SIZE(raw_tp), 0, false);
	ksyms_free(r);
#if defined(__x86_64__)
	/* nf_conntrack_in+5, after the 5-byte call to the trampoline: +1, where the kprobe reports */
	ck_assert_uint_eq(stack_fentry_frame(0xffffffff81234005ULL), 0xffffffff81234001ULL);
	/* with IBT (6.12): the call follows the 4-byte endbr64; the kprobe reports +5 */
	ck_assert_uint_eq(stack_fentry_frame(0xffffffff81234009ULL), 0xffffffff81234005ULL);
#endif
	/* a user stack is left as it is, without reading kallsyms */
	uint64_t copy[ARRAY_SIZE(user)];

	memcpy(copy, user, sizeof(user));
	ck_assert_int_eq(stack_from_kernel(copy, ARRAY_SIZE(copy)), ARRAY_SIZE(user));
	ck_assert(!memcmp(copy, user, sizeof(user)));
}
END_TEST

START_TEST(test_stack_tracepoint_frames)
{
	static const char *const none[] = { "kfree_skb+0x1", "tcp_v4_rcv+0x5a" };
	static const char *const one[] = { "__traceiter_kfree_skb+0x2", "kfree_skb+0x1" };
	static const char *const all_kinds[] = {
		"__traceiter_kfree_skb+0x2",
		"perf_trace_kfree_skb+0x3",
		"trace_event_raw_event_kfree_skb+0x4",
		"perf_tp_event+0x7",
		"trace_call_bpf+0x8",
		"kfree_skb_reason+0x9",
		"__traceiter_again+0x1",
	};
	static const char *const only[] = { "__traceiter_kfree_skb+0x2", "perf_trace_kfree_skb+0x3" };
	/* Only leading frames count, and names must start with the prefix. */
	static const char *const inner[] = { "x__traceiter_y+0x1", "__traceiter_kfree_skb+0x2" };

	ck_assert_int_eq(stack_tracepoint_frames(none, ARRAY_SIZE(none)), 0);
	ck_assert_int_eq(stack_tracepoint_frames(one, ARRAY_SIZE(one)), 1);
	ck_assert_int_eq(stack_tracepoint_frames(all_kinds, ARRAY_SIZE(all_kinds)), 5);
	ck_assert_int_eq(stack_tracepoint_frames(only, ARRAY_SIZE(only)), 2);
	ck_assert_int_eq(stack_tracepoint_frames(inner, ARRAY_SIZE(inner)), 0);
	ck_assert_int_eq(stack_tracepoint_frames(NULL, 0), 0);
	ck_assert_int_eq(stack_tracepoint_frames(all_kinds, 3), 3);
}
END_TEST

static Suite *ksyms_suite(void)
{
	const TTest *fixture_tests[] = {
		test_find_exact_start, test_find_inside,       test_find_module_symbols,
		test_module_range,     test_find_before_first, test_data_symbols_ignored,
		test_format_styles,    test_format_unknown,    test_has,
		test_unique_addr,      test_by_name_many,      test_attach_name_without_symbols
	};
	const TTest *other_tests[] = { test_load_missing_file,      test_restricted_kallsyms,
				       test_long_symbol_names,      test_clone_name,
				       test_clone_pattern,          test_stack_bpf_frames,
				       test_stack_tracepoint_frames };
	Suite *s = suite_create("ksyms");
	TCase *tc;

	tc = unit_tcase(s, "fixture", fixture_tests, ARRAY_SIZE(fixture_tests));
	unit_tcase(s, "other", other_tests, ARRAY_SIZE(other_tests));
	tcase_add_checked_fixture(tc, load_fixture, free_fixture);
	tcase_add_loop_test(tc, test_attach_name, 0, ARRAY_SIZE(attach_names));
	return s;
}

int main(void)
{
	return unit_run(ksyms_suite());
}
