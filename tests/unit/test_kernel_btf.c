// SPDX-License-Identifier: GPL-2.0-only
/*
 * --btf DIR: vmlinux plus standalone module BTF files merged into one BTF that libbpf can
 * relocate against (kernels before 5.11 have no module BTF). The files are made here with
 * libbpf's writer, standing for what pahole makes from a kernel's debuginfo.
 */
#include <bpf/btf.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argparse.h"
#include "kernel_btf.h"
#include "unit_helpers.h"
#include "util.h"

static char dir[64];

static void write_btf(const char *name, struct btf *btf)
{
	char path[128];
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(raw, 1, size, f), size);
	fclose(f);
	btf__free(btf);
}

/* struct sk_buff { int len; }, as both vmlinux and (a copy) a module describe it. */
static int add_sk_buff(struct btf *btf)
{
	int int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	int id = btf__add_struct(btf, "sk_buff", 4);

	btf__add_field(btf, "len", int_id, 0, 0);
	return id;
}

static void make_vmlinux(void)
{
	struct btf *btf = btf__new_empty();

	add_sk_buff(btf);
	write_btf("vmlinux", btf);
}

/* A module's standalone BTF: its own struct vport, which points at the kernel's sk_buff. */
static void make_module(const char *name, const char *struct_name)
{
	struct btf *btf = btf__new_empty();
	int skb = add_sk_buff(btf);
	int ptr = btf__add_ptr(btf, skb);

	btf__add_struct(btf, struct_name, 8);
	btf__add_field(btf, "skb", ptr, 0, 0);
	write_btf(name, btf);
}

static void setup(void)
{
	strcpy(dir, "/tmp/unit-btf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	g_common.btf_path = dir;
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int count_named(const struct btf *btf, const char *name, int kind)
{
	int n = 0;

	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_kind(t) == kind && !strcmp(btf__name_by_offset(btf, t->name_off), name))
			n++;
	}
	return n;
}

START_TEST(test_dir_merges_modules)
{
	make_vmlinux();
	make_module("openvswitch", "vport");
	make_module("tun", "tun_struct");

	const struct btf *btf = btf_file();

	ck_assert_ptr_nonnull(btf);
	ck_assert_int_gt(btf__find_by_name_kind(btf, "vport", BTF_KIND_STRUCT), 0);
	ck_assert_int_gt(btf__find_by_name_kind(btf, "tun_struct", BTF_KIND_STRUCT), 0);
	/* The modules' copies of sk_buff and int are the kernel's own again. */
	ck_assert_int_eq(count_named(btf, "sk_buff", BTF_KIND_STRUCT), 1);
	ck_assert_int_eq(count_named(btf, "int", BTF_KIND_INT), 1);
	ck_assert(kernel_struct_exists("vport", "openvswitch"));

	/* libbpf opens the merged file through the path handed to it. */
	struct btf *reread = btf__parse(btf_file_path(), NULL);

	ck_assert_ptr_nonnull(reread);
	ck_assert_int_gt(btf__find_by_name_kind(reread, "tun_struct", BTF_KIND_STRUCT), 0);
	btf__free(reread);
}
END_TEST

static void load_btf(void *unused)
{
	(void)unused;
	btf_file();
}

START_TEST(test_dir_without_vmlinux)
{
	struct captured c;

	make_module("openvswitch", "vport");
	capture_run(load_btf, NULL, &c);
	ck_assert_int_eq(c.status, 1);
	ck_assert_ptr_nonnull(strstr(c.err, "has no vmlinux file"));
	captured_free(&c);
}
END_TEST

START_TEST(test_dir_with_bad_module_file)
{
	struct captured c;
	char path[128];
	FILE *f;

	make_vmlinux();
	snprintf(path, sizeof(path), "%s/openvswitch", dir);
	f = fopen(path, "w");
	fputs("not BTF\n", f);
	fclose(f);
	capture_run(load_btf, NULL, &c);
	ck_assert_int_eq(c.status, 1);
	ck_assert_ptr_nonnull(strstr(c.err, "openvswitch is not a valid BTF file"));
	captured_free(&c);
}
END_TEST

/*
 * The lab's 5.10 (no module BTF of its own: vmlinux and module files made by pahole), as its
 * fixture: module structs and functions are found, their sk_buff is the kernel's.
 */
START_TEST(test_dir_lab_5_10)
{
	g_common.btf_path = BTF_FIXTURE_DIR "/5.10";

	const struct btf *btf = btf_file();

	ck_assert_ptr_nonnull(btf);
	ck_assert(kernel_struct_exists("ovs_conntrack_info", "openvswitch"));
	ck_assert(!kernel_struct_exists("trace_event_raw_ovs_dp_upcall", "openvswitch"));
	ck_assert_int_gt(btf__find_by_name_kind(btf, "nf_conntrack_in", BTF_KIND_FUNC), 0);
	/* The module files declare struct sk_buff; merged, it is vmlinux's. */
	ck_assert_int_eq(count_named(btf, "sk_buff", BTF_KIND_STRUCT), 1);
	ck_assert_int_eq(count_named(btf, "sk_buff", BTF_KIND_FWD), 0);
	ck_assert_int_eq(kfunc_struct_arg("ovs_dp_upcall", "openvswitch", "sk_buff"), 2);
	ck_assert_int_eq(kfunc_struct_arg("__nf_ct_refresh_acct", "nf_conntrack", "sk_buff"), 3);
}
END_TEST

/* Drop reasons by value, from the 6.12 fixture's vmlinux enum (the module holds none of it). */
START_TEST(test_enum_value_names_6_12)
{
	g_common.btf_path = BTF_FIXTURE_DIR "/6.12";

	ck_assert(kernel_enum_exists("skb_drop_reason", "openvswitch"));
	ck_assert(!kernel_enum_exists("no_such_enum", "openvswitch"));
	ck_assert_str_eq(kernel_enum_value_name("skb_drop_reason", "openvswitch", 70),
			 "SKB_DROP_REASON_DEV_READY");
	ck_assert_ptr_null(kernel_enum_value_name("skb_drop_reason", "openvswitch", 0x30000));
	ck_assert_ptr_null(kernel_enum_value_name("no_such_enum", NULL, 1));
}
END_TEST

static Suite *kernel_btf_suite(void)
{
	const TTest *btf_dir_tests[] = { test_dir_merges_modules, test_dir_without_vmlinux,
					 test_dir_with_bad_module_file };
	const TTest *lab_fixture_tests[] = { test_dir_lab_5_10, test_enum_value_names_6_12 };
	Suite *s = suite_create("kernel_btf");
	TCase *tc;

	tc = unit_tcase(s, "btf_dir", btf_dir_tests, ARRAY_SIZE(btf_dir_tests));
	tcase_add_checked_fixture(tc, setup, teardown);
	unit_tcase(s, "lab_fixture", lab_fixture_tests, ARRAY_SIZE(lab_fixture_tests));
	return s;
}

int main(void)
{
	return unit_run(kernel_btf_suite());
}
