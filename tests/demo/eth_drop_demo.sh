#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Demo: builds the suite, then runs eth_drop on a scenario it sets up and tears down itself:
# two network namespaces joined by veth, UDP datagrams sent to a closed port (dropped by the
# receiving kernel with reason NO_SOCKET) and a TCP connection refused by an iptables DROP rule.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/tests/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j "$(nproc)" --target eth_drop >/dev/null

ready=$(mktemp -u /tmp/eth_drop_demo.XXXXXX)
cleanup() {
	[ -n "${pid:-}" ] && kill -INT "$pid" 2>/dev/null && wait "$pid"
	ip netns del demo_a 2>/dev/null || true
	ip netns del demo_b 2>/dev/null || true
	rm -f "$ready"
}
trap cleanup EXIT
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
ip netns add demo_a
ip netns add demo_b
for ns in demo_a demo_b; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip link add demo_a0 netns demo_a type veth peer name demo_b0 netns demo_b
ip -n demo_a addr add 10.250.0.1/24 dev demo_a0
ip -n demo_b addr add 10.250.0.2/24 dev demo_b0
ip -n demo_a link set demo_a0 up
ip -n demo_b link set demo_b0 up
ip netns exec demo_a ping -qc1 -W2 10.250.0.2 >/dev/null
ip netns exec demo_b iptables -A INPUT -p tcp --dport 7777 -j DROP

"$root/build/bin/eth_drop" --src-ip 10.250.0.1 --ready-file "$ready" &
pid=$!
while [ ! -s "$ready" ]; do sleep 0.1; done
echo ">>> sending 2 UDP datagrams to closed port 9999 and one TCP SYN to a port behind DROP"
for _ in 1 2; do ip netns exec demo_a bash -c 'echo hello > /dev/udp/10.250.0.2/9999'; done
ip netns exec demo_a timeout 1 bash -c 'exec 3<>/dev/tcp/10.250.0.2/7777' 2>/dev/null || true
sleep 1
