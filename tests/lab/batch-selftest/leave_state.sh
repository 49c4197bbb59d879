#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 120
# Changes every kind of global state batch-guest.sh restores, and cleans up nothing.
set -euo pipefail
ip netns add leftover_ns
ip link add leftover_a type veth peer name leftover_b
modprobe openvswitch
ovs-dpctl add-dp leftover_dp
sysctl -qw net.core.somaxconn=77
echo 'p:leftover_kp icmp_rcv' >>/sys/kernel/tracing/kprobe_events
echo 1 >/sys/kernel/tracing/events/kprobes/leftover_kp/enable
tc qdisc add dev lo root tbf rate 1mbit burst 32k latency 100ms
mkdir /sys/fs/bpf/leftover
nft add table inet leftover
mkdir -p /tmp/leftover && mount -t tmpfs leftover /tmp/leftover
setsid sleep 1000 </dev/null >/dev/null 2>&1 &
echo "left state behind"
