// SPDX-License-Identifier: GPL-2.0-only
/* The offload tracers of other/ (bpftrace originals): every probe's block, text and JSON. */
#include <check.h>
#include <string.h>

#include "golden.h"
#include "skb_snapshot.h"
#include "trace_offloading_segment.h"
#include "trace_vlanvm_udp_workload.h"
#include "vpc-vm-udp-datapath.h"
#include "unit_helpers.h"
#include "util.h"

static char *buf;
static size_t len;

static const char *const tunnel_frames[] = { "iptunnel_xmit+5", "udp_tunnel_xmit_skb+232", "geneve_xmit+1543",
					     "dev_hard_start_xmit+169" };
static const char *const segment_frames[] = { "skb_udp_tunnel_segment+5", "inet_gso_segment+315",
					      "skb_mac_gso_segment+187", "__skb_gso_segment+181",
					      "validate_xmit_skb+608" };

/* A Geneve packet of an inner UDP GSO datagram (10 x 1000 bytes) as the tunnel sends it. */
static struct skb_probe_event geneve_event(__u8 probe, __u8 flags)
{
	static const __u8 data[SKB_SNAP_DATA_LEN] = { 0xc0, 0xa9, 0x17, 0xc1, 0x05, 0xbe, 0x00,
						      0x00, 0x00, 0x00, 0x65, 0x58, 0x08, 0x00 };
	struct skb_probe_event ev;
	struct skb_snapshot *s = &ev.skb;

	memset(&ev, 0, sizeof(ev));
	ev.probe = probe;
	ev.flags = flags;
	ev.pid = 4021;
	snprintf(ev.comm, sizeof(ev.comm), "vhost-4021");
	snprintf(s->dev, sizeof(s->dev), "veth-ul");
	s->ifindex = 12;
	s->len = 10094;
	s->saddr = golden_ipv4("192.168.10.5");
	s->daddr = golden_ipv4("192.168.10.9");
	s->ip_protocol = 17;
	s->sport = 49321;
	s->dport = 6081;
	s->encapsulation = 1;
	s->inner_protocol_type = 1;
	s->inner_protocol = 0x6558;
	s->network_header = 110;
	s->transport_header = 130;
	s->inner_network_header = 176;
	s->inner_transport_header = 196;
	s->gso_size = 1000;
	s->gso_segs = 10;
	s->gso_type = 0x20400; /* SKB_GSO_UDP_L4 | SKB_GSO_UDP_TUNNEL */
	s->nr_frags = 3;
	s->features = 0x21bdf1bb89ULL;
	s->hw_features = 0x21bdf1bb89ULL;
	s->wanted_features = 0x21bdf1bb89ULL;
	s->hw_enc_features = 0x1c0d4a89ULL;
	memcpy(s->data, data, sizeof(data));
	return ev;
}

START_TEST(offloading_segment_text)
{
	struct skb_probe_event ev = geneve_event(OFFSEG_IPTUNNEL_XMIT, SKB_EV_MATCH);
	struct skb_probe_view v = { &ev, "iptunnel_xmit", tunnel_frames, ARRAY_SIZE(tunnel_frames) };
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 3 probes...\n", f);
	/* A tunnel packet to another port: only the banner line. */
	ev.flags = 0;
	offseg_print_event(f, &v);
	ev.flags = SKB_EV_MATCH;
	offseg_print_event(f, &v);
	ev = geneve_event(OFFSEG_UDP_TUNNEL_SEGMENT, SKB_EV_MATCH);
	v = (struct skb_probe_view){ &ev, "skb_udp_tunnel_segment", segment_frames,
				     ARRAY_SIZE(segment_frames) };
	offseg_print_event(f, &v);
	/* A free: no banner; an empty stack is one newline, as in bpftrace. */
	ev = geneve_event(OFFSEG_KFREE_SKB, SKB_EV_MATCH);
	ev.skb.gso_size = ev.skb.gso_segs = 0;
	ev.skb.gso_type = 0;
	v = (struct skb_probe_view){ &ev, "__kfree_skb", NULL, 0 };
	offseg_print_event(f, &v);
	fputs("\n\n", f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_offloading_segment.txt"), 0);
}
END_TEST

static const char *const xmit_frames[] = { "validate_xmit_skb+1", "__dev_queue_xmit+1456" };

/* A 500-byte UDP datagram on veth to-vb, tagged 100 by vlan100 above it. */
static struct skb_probe_event vlan_event(__u8 probe)
{
	static const __u8 data[SKB_SNAP_DATA_LEN] = { 0x02, 0x00, 0x00, 0x85, 0x00, 0x02, 0x02, 0x00,
						      0x00, 0x85, 0x00, 0x01, 0x08, 0x00, 0x45 };
	struct skb_probe_event ev;
	struct skb_snapshot *s = &ev.skb;

	memset(&ev, 0, sizeof(ev));
	ev.probe = probe;
	ev.flags = SKB_EV_MATCH;
	ev.pid = 2301;
	snprintf(ev.comm, sizeof(ev.comm), "python3");
	snprintf(s->dev, sizeof(s->dev), "to-vb");
	s->ifindex = 3;
	s->len = 542;
	s->saddr = golden_ipv4("10.85.0.1");
	s->daddr = golden_ipv4("10.85.0.2");
	s->ip_protocol = 17;
	s->sport = 5002;
	s->dport = 7001;
	s->network_header = 14;
	s->transport_header = 34;
	s->gso_segs = 1;
	s->hw_vlan = 1;
	s->hw_vlan_tci = 100;
	s->features = 0x21bdf1bb89ULL;
	s->hw_features = 0x21bdf1bb89ULL;
	s->wanted_features = 0x21bdf1bb89ULL;
	s->hw_enc_features = 0x1c0d4a89ULL;
	memcpy(s->data, data, sizeof(data));
	return ev;
}

/* Every shape of block: segment (UDP, TCP, neither), tunnel, GSO entry point, driver transmit. */
START_TEST(vlanvm_text)
{
	struct skb_probe_event ev = vlan_event(VLANVM_VALIDATE_XMIT);
	struct skb_probe_view v = { &ev, "validate_xmit_skb", xmit_frames, ARRAY_SIZE(xmit_frames) };
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 17 probes...\n", f);
	vlanvm_print_event(f, &v);
	/* On vlan100 itself: no tag yet, a TCP segment; then an ICMP packet (no header lines). */
	ev = vlan_event(VLANVM_NETIF_SKB_FEATURES);
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "vlan100");
	ev.skb.hw_vlan = 0;
	ev.skb.ip_protocol = 6;
	ev.skb.sport = 40000;
	ev.skb.dport = 5201;
	v.func = "netif_skb_features";
	vlanvm_print_event(f, &v);
	ev.probe = VLANVM_ICMP_SEND;
	ev.skb.ip_protocol = 1;
	v.func = "__icmp_send";
	vlanvm_print_event(f, &v);
	/* Tunnel offload setup with its GSO type mask, then UDP tunnel transmit (no HW line). */
	ev = geneve_event(VLANVM_HANDLE_OFFLOADS, SKB_EV_MATCH);
	ev.arg = 0x400;
	v = (struct skb_probe_view){ &ev, "iptunnel_handle_offloads", tunnel_frames, 1 };
	vlanvm_print_event(f, &v);
	ev.probe = VLANVM_UDP_TUNNEL_XMIT;
	v.func = "udp_tunnel_xmit_skb";
	vlanvm_print_event(f, &v);
	/* GSO entry points: the UDP and the TCP sub-block. */
	ev.probe = VLANVM_MAC_GSO_SEGMENT;
	ev.arg = 0x21bdf1bb89ULL;
	v = (struct skb_probe_view){ &ev, "skb_mac_gso_segment", segment_frames + 2, 3 };
	vlanvm_print_event(f, &v);
	ev.probe = VLANVM_TCP_GSO_SEGMENT;
	ev.skb.ip_protocol = 6;
	v.func = "tcp_gso_segment";
	vlanvm_print_event(f, &v);
	/* internal_dev_xmit on a device that is both the NIC and listed: both blocks. */
	ev = vlan_event(VLANVM_INTERNAL_DEV_XMIT);
	ev.flags |= VLANVM_EV_PHY | VLANVM_EV_INTERNAL;
	v = (struct skb_probe_view){ &ev, "internal_dev_xmit", NULL, 0 };
	vlanvm_print_event(f, &v);
	fputs("\n\n", f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "trace_vlanvm_udp_workload.txt"), 0);
}
END_TEST

static const char *const vpc_frames[] = { "__udp_gso_segment+5", "udp4_ufo_fragment+334",
					  "inet_gso_segment+315", "skb_mac_gso_segment+187" };

/* Every probe's block: the tunnel probes, segmentation (UDP, TCP, neither), NIC, device checks. */
START_TEST(vpc_text)
{
	struct skb_probe_event ev = geneve_event(VPC_HANDLE_OFFLOADS, SKB_EV_MATCH);
	struct skb_probe_view v = { &ev, "iptunnel_handle_offloads", tunnel_frames, 1 };
	FILE *f = golden_open(&buf, &len);

	fputs("Attaching 8 probes...\n", f);
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "genev_sys_6081");
	ev.arg = 0x400;
	vpc_print_event(f, &v);
	ev.probe = VPC_UDP_TUNNEL_XMIT;
	v.func = "udp_tunnel_xmit_skb";
	vpc_print_event(f, &v);
	/* The inner datagram cut on the VM's port; then as if it were TCP. */
	ev = vlan_event(VPC_UDP_GSO_SEGMENT);
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "vnet138");
	ev.skb.hw_vlan = 0;
	ev.skb.len = 10042;
	ev.skb.gso_size = 1000;
	ev.skb.gso_segs = 10;
	ev.skb.gso_type = 0x20000;
	ev.skb.ip_summed = 3;
	ev.skb.frag_max_size = 1500;
	ev.skb.frag_list = 0xffff8a0c41d2e300ULL;
	v = (struct skb_probe_view){ &ev, "__udp_gso_segment", vpc_frames, ARRAY_SIZE(vpc_frames) };
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 6;
	ev.skb.sport = 40000;
	ev.skb.dport = 5201;
	vpc_print_event(f, &v);
	/* __skb_gso_segment: the Geneve packet (UDP), a TCP one, an ICMP one (no sub-block). */
	ev = geneve_event(VPC_SKB_GSO_SEGMENT, SKB_EV_MATCH);
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "genev_sys_6081");
	ev.arg = 0x21bdf1bb89ULL;
	v = (struct skb_probe_view){ &ev, "__skb_gso_segment", segment_frames + 3, 2 };
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 6;
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 1;
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 17;
	ev.probe = VPC_SEGMENT;
	v.func = "skb_segment";
	vpc_print_event(f, &v);
	/* mlx5e_xmit prints the device's features; then the device checks: UDP, TCP, neither. */
	ev.probe = VPC_MLX5E_XMIT;
	ev.arg = 0;
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "enp94s0f0np0");
	v = (struct skb_probe_view){ &ev, "mlx5e_xmit", NULL, 0 };
	vpc_print_event(f, &v);
	ev.probe = VPC_VALIDATE_XMIT;
	v = (struct skb_probe_view){ &ev, "validate_xmit_skb", xmit_frames, ARRAY_SIZE(xmit_frames) };
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 6;
	vpc_print_event(f, &v);
	ev.skb.ip_protocol = 47;
	vpc_print_event(f, &v);
	ev = vlan_event(VPC_NETIF_SKB_FEATURES);
	snprintf(ev.skb.dev, sizeof(ev.skb.dev), "port-vpc");
	v = (struct skb_probe_view){ &ev, "netif_skb_features", xmit_frames, 1 };
	vpc_print_event(f, &v);
	fputs("\n\n", f);
	ck_assert_int_eq(golden_check(f, &buf, &len, "vpc-vm-udp-datapath.txt"), 0);
}
END_TEST

START_TEST(offload_json)
{
	struct skb_probe_event ev = geneve_event(OFFSEG_UDP_TUNNEL_SEGMENT, SKB_EV_MATCH);
	struct skb_probe_view v = { &ev, "skb_udp_tunnel_segment", segment_frames,
				    ARRAY_SIZE(segment_frames) };
	FILE *f = golden_open(&buf, &len);

	ev.arg = 0x1c0d4a89ULL;
	skb_probe_print_json(f, &v);
	/* A VLAN-tagged frame (accelerated tag 100) of a TCP packet. */
	ev = geneve_event(OFFSEG_KFREE_SKB, SKB_EV_MATCH);
	ev.skb.ip_protocol = 6;
	ev.skb.hw_vlan = 1;
	ev.skb.hw_vlan_tci = 0x2064;
	v = (struct skb_probe_view){ &ev, "__kfree_skb", NULL, 0 };
	skb_probe_print_json(f, &v);
	ck_assert_int_eq(golden_check(f, &buf, &len, "offload_tracers.json"), 0);
}
END_TEST

Suite *golden_offload_tracers_suite(void)
{
	const TTest *tests[] = { offloading_segment_text, vlanvm_text, vpc_text, offload_json };

	return unit_suite("offload_tracers", "layouts", tests, ARRAY_SIZE(tests));
}
