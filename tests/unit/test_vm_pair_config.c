// SPDX-License-Identifier: GPL-2.0-only
/*
 * common/vm_pair_config: VM pair files of libvirt domain UUIDs (resolved through live domain
 * XML) or device names, their errors, and device lists of the --send-dev/--recv-dev kind.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "util.h"
#include "unit_helpers.h"
#include "vm_pair.h"
#include "vm_pair_config.h"

#define LIBVIRT_DIR UNIT_FIXTURE_DIR "/libvirt"

static char path[64];

static void write_config(const char *text)
{
	int fd;

	strcpy(path, "/tmp/unit-vm-pairs-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Prints each pair as "a1+a2 b1" (a VM's devices joined by +), one a line. */
static void read_and_print(void *arg)
{
	struct vm_pair_line pairs[4];
	int n = vm_pair_config_read(arg, LIBVIRT_DIR, pairs, 4);

	for (int i = 0; i < n; i++) {
		for (int vm = 0; vm < 2; vm++) {
			for (int d = 0; d < pairs[i].vm[vm].ndevs; d++)
				printf("%s%s", d ? "+" : (vm ? " " : ""), pairs[i].vm[vm].devs[d]);
		}
		printf("\n");
	}
	exit(0);
}

static void run(const char *config, int status, const char *out, const char *err)
{
	struct captured c;

	write_config(config);
	capture_run(read_and_print, path, &c);
	unlink(path);
	ck_assert_int_eq(c.status, status);
	ck_assert_str_eq(c.out, out);
	if (err)
		ck_assert_msg(strstr(c.err, err), "stderr: %s", c.err);
	captured_free(&c);
}

START_TEST(uuids_and_names)
{
	/* The original vm_pairs.txt format; a UUID in other case and blanks; device names. */
	run("18fe6add-24a3-46de-9a2e-a6a979185342 2fa052f5-ea08-43ce-9684-95ee8d500eb5\n"
	    "\n# comment\n"
	    "  2FA052F5-ea08-43ce-9684-95ee8d500eb5\tvpltap1  # trailing\n"
	    "tap0 tap1\n",
	    0, "vnet48+vnet49 vnet45\nvnet45 vpltap1\ntap0 tap1\n", NULL);
}
END_TEST

START_TEST(errors)
{
	run("18fe6add-24a3-46de-9a2e-a6a979185342 99999999-24a3-46de-9a2e-a6a979185342\n", 1, "",
	    "line 1: domain 99999999-24a3-46de-9a2e-a6a979185342 is not a running libvirt domain");
	run("tap0 33333333-4444-5555-6666-777777777777\n", 1, "",
	    "line 1: domain 33333333-4444-5555-6666-777777777777 has no tap device");
	run("tap0\n", 1, "", "line 1: expected two libvirt domain UUIDs or two device names");
	run("a b\ntap0 tap1 tap2\n", 1, "", "line 2: expected two");
	run("tap0 averyveryverylongname\n", 1, "", "interface name 'averyveryverylongname' too long");
	run("a b\nc d\ne f\ng h\ni j\n", 1, "", "line 5: at most 4 pairs");
}
END_TEST

START_TEST(missing_file)
{
	struct captured c;

	capture_run(read_and_print, "/nonexistent/vm_pairs.txt", &c);
	ck_assert_int_eq(c.status, 1);
	ck_assert_msg(strstr(c.err, "cannot read /nonexistent/vm_pairs.txt"), "stderr: %s", c.err);
	captured_free(&c);
}
END_TEST

static const char *devs_arg;
static const struct arg_opt options[] = {
	OPT_STR("send-dev", 0, &devs_arg, "devices"),
	{ 0 },
};
static const struct arg_parser parser = { .prog = "vm_pair_test", .opts = options };

static void split(void *arg)
{
	char *argv[] = { "vm_pair_test", "--send-dev", arg, NULL };
	char devs[3][VM_PAIR_DEV_LEN];
	int n;

	args_parse(&parser, 3, argv);
	n = vm_pair_split_devs(devs_arg, &devs_arg, devs, 3);
	for (int i = 0; i < n; i++)
		printf("[%s]", devs[i]);
	exit(0);
}

static void split_run(const char *arg, int status, const char *out, const char *err)
{
	struct captured c;

	capture_run(split, (void *)arg, &c);
	ck_assert_int_eq(c.status, status);
	ck_assert_str_eq(c.out, out);
	if (err)
		ck_assert_msg(strstr(c.err, err), "stderr: %s", c.err);
	captured_free(&c);
}

START_TEST(device_lists)
{
	split_run("vnet48,vnet41", 0, "[vnet48][vnet41]", NULL);
	split_run(" vnet48 , vnet41,,vnet7 ", 0, "[vnet48][vnet41][vnet7]", NULL);
	split_run("", 0, "", NULL);
	split_run("a,b,c,d", 2, "", "argument --send-dev: at most 3 devices");
	split_run("a,averyveryverylongname", 2, "",
		  "argument --send-dev: interface name 'averyveryverylongname' too long");
}
END_TEST

static const char *pairs_arg;
static const struct arg_opt pair_options[] = {
	OPT_STR("pairs", 0, &pairs_arg, "pairs"),
	{ 0 },
};
static const struct arg_parser pair_parser = { .prog = "vm_pair_test", .opts = pair_options };

/* Prints each pair as "tx>rx=id;", after the WARNING lines of the skipped ones. */
static void parse_pairs(void *arg)
{
	char *argv[] = { "vm_pair_test", "--pairs", arg, NULL };
	struct vm_pair_id pairs[3];
	int n;

	args_parse(&pair_parser, 3, argv);
	n = vm_pair_parse_pair_ids(pairs_arg, &pairs_arg, pairs, 3);
	for (int i = 0; i < n; i++)
		printf("%s>%s=%u;", pairs[i].tx_dev, pairs[i].rx_dev, pairs[i].id);
	exit(0);
}

static void pairs_run(const char *arg, int status, const char *out, const char *err)
{
	struct captured c;

	capture_run(parse_pairs, (void *)arg, &c);
	ck_assert_int_eq(c.status, status);
	ck_assert_str_eq(c.out, out);
	if (err)
		ck_assert_msg(strstr(c.err, err), "stderr: %s", c.err);
	captured_free(&c);
}

START_TEST(pair_ids)
{
	/* The spec's sample; blanks and empty items as the original stripped them. */
	pairs_run("vnet48,vnet45=100;vnet36,vnet42=101", 0, "vnet48>vnet45=100;vnet36>vnet42=101;", NULL);
	pairs_run(" ; vnet48 , ,vnet45 = 7 ;;", 0, "vnet48>vnet45=7;", NULL);
	pairs_run("a,b,c=4294967295", 0, "a>b=4294967295;", NULL);
	pairs_run("", 0, "", NULL);
}
END_TEST

START_TEST(pair_id_errors)
{
	pairs_run("vnet48,vnet45;a,b=1", 0, "WARNING: invalid pair format: vnet48,vnet45\na>b=1;", NULL);
	pairs_run("vnet48=1;a,b=2", 0, "WARNING: pair needs two devices: vnet48=1\na>b=2;", NULL);
	pairs_run(" , =1", 0, "WARNING: no device found in seg: , =1\n", NULL);
	pairs_run("a,averyveryverylongname=3", 0,
		  "WARNING: interface name 'averyveryverylongname' too long\n", NULL);
	pairs_run("a,b=x", 2, "", "argument --pairs: invalid pair id: 'x'");
	pairs_run("a,b=-1", 2, "", "argument --pairs: invalid pair id: '-1'");
	pairs_run("a,b=4294967296", 2, "", "invalid pair id: '4294967296'");
	pairs_run("a,b=", 2, "", "invalid pair id: ''");
	pairs_run("a,b=1;c,d=2;e,f=3;g,h=4", 2, "", "argument --pairs: at most 3 pairs");
}
END_TEST

START_TEST(gap_thresholds)
{
	/* The originals compared whole microseconds: gap_us > threshold. */
	ck_assert_uint_eq(vm_pair_gap_min_ns(0), 0);
	ck_assert_uint_eq(vm_pair_gap_min_ns(100), 101000);
	ck_assert_uint_eq(vm_pair_gap_min_ns(100000), 100001000);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { uuids_and_names, errors,         missing_file,  device_lists,
				 pair_ids,        pair_id_errors, gap_thresholds };

	return unit_run(unit_suite("vm_pair_config", "config", tests, ARRAY_SIZE(tests)));
}
