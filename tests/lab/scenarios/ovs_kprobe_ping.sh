#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 180
# A ping between two namespaces crosses an OVS kernel datapath (ovs-dpctl flows, no
# ovs-vswitchd). kprobes on the datapath's receive, lookup and send functions count its
# packets, and must agree with the ping and with the datapath's own counters.
#
# Neighbours are static and IPv6 is off, so exactly 2 x COUNT packets (requests and replies)
# enter the datapath: each is received from a vport once (ovs_vport_receive), looked up once
# (ovs_dp_process_packet: a hit, as the flows exist) and sent to the other vport once
# (ovs_vport_send).
set -euo pipefail
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/kprobe.sh"

COUNT=${LAB_PING_COUNT:-10}

lab_ovs_dp_add dp0
lab_ovs_ns_port dp0 nic 10.50.0.1 phys0
lab_ovs_ns_port dp0 vm 10.50.0.2 vnet0
lab_ovs_link dp0 phys0 vnet0
lab_netns_static_neigh nic eth0 10.50.0.1 vm eth0 10.50.0.2

lab_kprobe_add vport_receive ovs_vport_receive
lab_kprobe_add dp_process ovs_dp_process_packet
lab_kprobe_add vport_send ovs_vport_send

hit0=$(lab_ovs_stat dp0 hit)
missed0=$(lab_ovs_stat dp0 missed)
rx_phys0=$(lab_ovs_port_stat dp0 phys0 rx)
rx_vnet0=$(lab_ovs_port_stat dp0 vnet0 rx)
recv0=$(lab_kprobe_hits vport_receive)
proc0=$(lab_kprobe_hits dp_process)
send0=$(lab_kprobe_hits vport_send)

replies=$(lab_ping nic 10.50.0.2 "$COUNT" 0.1) || lab_fail "ping nic -> vm through dp0: no reply"
lab_expect "$replies" -eq "$COUNT" "ping nic -> vm through dp0 answered"

packets=$((2 * COUNT))
recv=$(($(lab_kprobe_hits vport_receive) - recv0))
proc=$(($(lab_kprobe_hits dp_process) - proc0))
send=$(($(lab_kprobe_hits vport_send) - send0))
hit=$(($(lab_ovs_stat dp0 hit) - hit0))
missed=$(($(lab_ovs_stat dp0 missed) - missed0))
rx=$(($(lab_ovs_port_stat dp0 phys0 rx) - rx_phys0 + $(lab_ovs_port_stat dp0 vnet0 rx) - rx_vnet0))

lab_log "ping $COUNT: kprobes vport_receive=$recv dp_process=$proc vport_send=$send;" \
    "ovs-dpctl: hit=$hit missed=$missed port rx=$rx"
lab_expect "$recv" -eq "$packets" "ovs_vport_receive fired once per request and reply"
lab_expect "$proc" -eq "$packets" "ovs_dp_process_packet fired once per packet"
lab_expect "$send" -eq "$packets" "ovs_vport_send fired once per forwarded packet"
lab_expect "$hit" -eq "$proc" "ovs-dpctl lookups hit = ovs_dp_process_packet hits"
lab_expect "$missed" -eq 0 "no lookup missed"
lab_expect "$rx" -eq "$recv" "ovs-dpctl port RX packets = ovs_vport_receive hits"
lab_expect "$(lab_ovs_flow_packets dp0 'eth_type(0x0800)')" -eq "$packets" "the IPv4 flows counted every packet"

lab_kprobe_report >&2
lab_log "passed in $(lab_elapsed)"
