#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-test of lib/ovs.sh: an OVS kernel datapath with two namespaces behind veth ports (a
# "physical NIC" and a "VM tap"), an internal port, forwarding flows, upcalls caused on
# purpose, conntrack flows, and the counters of "ovs-dpctl show".
set -euo pipefail
source "$(dirname "$0")/../lib/ovs.sh"

lab_ovs_dp_add dp0
lab_ovs_ns_port dp0 nic 10.40.0.1 phys0
lab_ovs_ns_port dp0 vm 10.40.0.2 vnet0
lab_ovs_internal_add dp0 br-int 10.40.0.254
lab_log "ports: phys0=$(lab_ovs_port_no dp0 phys0) vnet0=$(lab_ovs_port_no dp0 vnet0) br-int=$(lab_ovs_port_no dp0 br-int)"
lab_expect "$(lab_ovs_stat dp0 flows)" -eq 0 "a new datapath has no flows"

# No flows: every packet is a miss, an upcall with no listener, lost.
missed0=$(lab_ovs_stat dp0 missed)
lost0=$(lab_ovs_stat dp0 lost)
lab_ovs_cause_upcalls nic 10.40.0.2 5
lab_expect "$(($(lab_ovs_stat dp0 missed) - missed0))" -eq 5 "5 packets without a flow missed"
lab_expect "$(($(lab_ovs_stat dp0 lost) - lost0))" -eq 5 "5 upcalls without a listener lost"
lab_expect "$(lab_ovs_port_stat dp0 vnet0 tx)" -eq 0 "nothing was forwarded to vnet0"

# Forwarding flows nic <-> vm: ping crosses the datapath, all lookups hit.
lab_ovs_link dp0 phys0 vnet0
lab_expect "$(lab_ovs_stat dp0 flows)" -eq 4 "4 flows installed (IPv4 + ARP, both ways)"
hit0=$(lab_ovs_stat dp0 hit)
missed0=$(lab_ovs_stat dp0 missed)
rx0=$(lab_ovs_port_stat dp0 phys0 rx)
replies=$(lab_ping nic 10.40.0.2 4) || lab_fail "ping nic -> vm through dp0 got no reply"
lab_expect "$replies" -eq 4 "ping nic -> vm through dp0 answered"
hits=$(($(lab_ovs_stat dp0 hit) - hit0))
lab_expect "$(($(lab_ovs_stat dp0 missed) - missed0))" -eq 0 "no miss once the flows exist"
lab_expect "$hits" -ge 8 "lookups hit for 4 requests and 4 replies (plus ARP)"
lab_expect "$(($(lab_ovs_port_stat dp0 phys0 rx) - rx0))" -ge 4 "phys0 received the requests"
lab_expect "$(lab_ovs_flow_packets dp0 'eth_type(0x0800)')" -eq 8 "the IPv4 flows counted 8 packets"

# The internal port is a netdev of this namespace: link it to nic instead and ping.
lab_ovs_flows_del dp0
lab_ovs_link dp0 br-int phys0
replies=$(lab_ping - 10.40.0.1 3) || true
lab_expect "$replies" -eq 3 "ping from the internal port br-int to nic answered"

# Conntrack: IPv4 through ct(commit) creates a connection entry in zone 7.
lab_ovs_flows_del dp0
lab_expect "$(lab_ovs_stat dp0 flows)" -eq 0 "flows deleted"
lab_ovs_link dp0 phys0 vnet0 7
replies=$(lab_ping nic 10.40.0.2 2) || lab_fail "ping through ct() flows got no reply"
lab_expect "$replies" -eq 2 "ping through ct(commit,zone=7) flows answered"
lab_expect "$(lab_ovs_ct_count 7)" -ge 1 "conntrack has the ICMP connection in zone 7"
ovs-dpctl dump-conntrack zone=7 >&2

ovs-dpctl show dp0 >&2

# The system-network scenarios' host: int0 (this host) and phys0 towards "remote", with static
# neighbours: the first ping after lab_ovs_link is answered without any ARP on the wire. It
# names its ports phys0 and int0: dp0 and its phys0 go first.
ovs-dpctl del-dp dp0
ip link del phys0
lab_ovs_host_setup dp1 10.41.0.1 10.41.0.2
lab_expect "$(ip neigh show 10.41.0.2 dev int0 | grep -c PERMANENT)" -eq 1 "static neighbour on int0"
lab_expect "$(ip -n remote neigh show 10.41.0.1 dev eth0 | grep -c PERMANENT)" -eq 1 "static neighbour in remote"
lab_ovs_link dp1 int0 phys0
replies=$(lab_ping - 10.41.0.2 2) || true
lab_expect "$replies" -eq 2 "ping from int0 to remote through dp1 answered"
lab_expect "$(lab_ovs_flow_packets dp1 'eth_type(0x0806)')" -eq 0 "no ARP crossed dp1"
lab_log "all ovs checks passed in $(lab_elapsed)"
