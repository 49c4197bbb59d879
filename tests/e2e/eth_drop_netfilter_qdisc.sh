#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Drops caused by an iptables DROP rule and by a tc qdisc are reported with their own reasons
# and stacks; the interface filter separates the two devices.
. "$(dirname "$0")/lib.sh"
e2e_setup enq 202

ip netns exec "$NS_B" iptables -A INPUT -p tcp --dport 7777 -j DROP || e2e_die "cannot add the iptables rule"

out=$E2E_TMP/nf
e2e_start "$out" eth_drop --interface "$DEV_B" --l4-protocol tcp --dst-port 7777
for _ in 1 2 3; do tcp_syn_to "$NS_A" "$IP_B" 7777; done
e2e_stop
# Each connect() sends a SYN and retransmits it within the 1 s timeout: at least 3 drops.
n=$(count_lines "$out" '^  TCP Ports: [0-9]+ -> 7777$')
if [ "$n" -ge 3 ]; then e2e_pass "SYNs dropped by the DROP rule: $n"; else e2e_fail "expected >= 3 dropped SYNs, got $n"; fi
expect_count "every event is a netfilter drop" "$out" "^Drop reason: NETFILTER_DROP$" "$n"
expect_grep "stack goes through nf_hook_slow" "$out" "^  nf_hook_slow\+0x"

# A token bucket with a tiny queue on the A side: a burst of datagrams overflows it; the drops
# happen on DEV_A, and their number must equal the qdisc's own "dropped" counter.
tc -n "$NS_A" qdisc add dev "$DEV_A" root tbf rate 8kbit burst 1600 limit 1600 ||
	e2e_die "cannot add the tbf qdisc"
out=$E2E_TMP/qdisc
e2e_start "$out" eth_drop --interface "$DEV_A" --type ipv4 --l4-protocol udp
for _ in $(seq 1 10); do
	ip netns exec "$NS_A" bash -c "printf '%1000s' x > /dev/udp/$IP_B/5555" 2>/dev/null
done
sleep 0.5
e2e_stop
qdisc_dropped=$(tc -n "$NS_A" -s qdisc show dev "$DEV_A" | sed -n 's/.*dropped \([0-9]*\).*/\1/p' | head -1)
n=$(count_lines "$out" '^  UDP Ports: [0-9]+ -> 5555$')
if [ "$n" -ge 5 ] && [ "$n" -eq "$qdisc_dropped" ]; then
	e2e_pass "datagrams dropped by the qdisc: $n (tc counts $qdisc_dropped)"
else
	e2e_fail "qdisc drops: tool saw $n, tc counts $qdisc_dropped (expected >= 5 and equal)"
fi
expect_count "qdisc drop reason" "$out" '^Drop reason: QDISC_DROP$' "$n"
expect_count "on the sending device" "$out" "^Interface: $DEV_A$" "$n"

expect_count "only the qdisc drops of this device" "$out" '^\[[0-9:]+\] PID:' "$n"
# The datagrams that got through were dropped on DEV_B at the closed port, unreported here.
noports=$(ip netns exec "$NS_B" awk '/^Udp:/ { if (h) print $3; h = 1 }' /proc/net/snmp)
if [ "${noports:-0}" -ge 1 ]; then e2e_pass "other device's drops ($noports) excluded"; else e2e_fail "no datagram reached $DEV_B"; fi
expect_no_leftovers
e2e_finish
