// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of vpc-vm-udp-datapath's configuration: which devices each probe shows. */
#include <check.h>
#include <string.h>

#include "dev_names.h"
#include "unit_helpers.h"
#include "util.h"
#include "vpc-vm-udp-datapath.h"

int vpc_vm_udp_datapath_main(int argc, char **argv);

static void expect_names(const struct dev_name_set *set, const char *const *names, unsigned n)
{
	ck_assert_uint_eq(set->count, n);
	for (unsigned i = 0; i < n; i++)
		ck_assert_str_eq(dev_name_set_name(set, i), names[i]);
}

START_TEST(test_script_devices)
{
	const char *devices = "port-vpc,vnet138,genev_sys_6081", *phy = "enp94s0f0np0", *bridge = "vpcbr";
	const char *const listed[] = { "port-vpc", "vnet138", "genev_sys_6081" };
	const char *const validated[] = { "port-vpc", "vnet138", "genev_sys_6081", "enp94s0f0np0", "vpcbr" };
	struct vpc_config cfg;

	vpc_build_config(&cfg, &devices, &phy, &bridge, 6081, false);
	expect_names(&cfg.devices, listed, ARRAY_SIZE(listed));
	expect_names(&cfg.validate, validated, ARRAY_SIZE(validated));
	expect_names(&cfg.phy, &phy, 1);
	/* The tunnel probes: every device, as the script. */
	ck_assert_uint_eq(cfg.tunnel.count, 0);
	ck_assert_uint_eq(cfg.dst_port, 6081);
}
END_TEST

START_TEST(test_shared_names_and_tunnel_filter)
{
	const char *devices = "eth0,vnet3", *phy = "eth0", *bridge = "vnet3";
	const char *const listed[] = { "eth0", "vnet3" };
	struct vpc_config cfg;

	vpc_build_config(&cfg, &devices, &phy, &bridge, 4789, true);
	/* A NIC or bridge already in --device is validated once. */
	expect_names(&cfg.validate, listed, ARRAY_SIZE(listed));
	expect_names(&cfg.tunnel, listed, ARRAY_SIZE(listed));
	ck_assert_uint_eq(cfg.dst_port, 4789);
}
END_TEST

static void run_main(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	vpc_vm_udp_datapath_main(argc, argv);
}

/* Seven devices, the NIC and the bridge are nine for validate_xmit_skb: a usage error. */
START_TEST(test_too_many_validated)
{
	char *argv[] = { "vpc-vm-udp-datapath", "--device", "d1,d2,d3,d4,d5,d6,d7", "--bridge", "br0", NULL };
	struct captured c;

	capture_run(run_main, argv, &c);
	ck_assert_int_eq(c.status, 2);
	ck_assert_ptr_nonnull(strstr(
		c.err,
		"error: argument --bridge: at most 8 devices with --device, --phy-interface and --bridge"));
	captured_free(&c);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_script_devices, test_shared_names_and_tunnel_filter,
				 test_too_many_validated };

	return unit_run(unit_suite("vpc_config", "devices", tests, ARRAY_SIZE(tests)));
}
