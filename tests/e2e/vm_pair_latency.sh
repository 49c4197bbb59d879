#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vm_pair_latency on three "VMs" (namespaces A, B, C) whose host sides are veths named like
# taps (vpltap0/1/2) in one Linux bridge of a host namespace: the host receives from A on
# vpltap0 and transmits to B on vpltap1. Every UDP datagram A sends to B on the listed port is
# timed once; the unlisted port, C -> B (another sending device) and A -> C (another receiving
# device) are not; a known queueing delay on B's tap (tbf: the host has no netem) shows up in
# every latency.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vm_hosts.sh"
e2e_setup vpl 213

NS_H=vplh
NS_C=vplc
IP_C=$E2E_NET.3
PORT=6200
OTHER=6201
trap vm_hosts_teardown EXIT
vm_hosts_setup vpl
ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_B" >/dev/null || e2e_die "no connectivity from C to B"
for ns in "$NS_B" "$NS_C"; do
	for p in $PORT $OTHER; do
		ip netns exec "$ns" socat -u UDP-RECV:$p,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &
		E2E_HELPERS+=($!)
	done
done
sleep 0.3

# traffic: 12 datagrams A -> B on the listed port, decoys around them, 2 pings A -> B.
traffic() {
	for _ in 1 2 3 4; do
		udp_to "$NS_A" "$IP_B" $PORT 3 100
		udp_to "$NS_A" "$IP_B" $OTHER 1 100
		udp_to "$NS_C" "$IP_B" $PORT 1 100
		udp_to "$NS_A" "$IP_C" $PORT 1 100
	done
	ip netns exec "$NS_A" ping -c 2 -i 0.2 "$IP_B" >/dev/null
	sleep 0.5
}

# --- 1. text: counts, decoys, the non-UDP debug lines of the pings.
out=$E2E_TMP/text
E2E_NS=$NS_H e2e_start "$out" vm_pair_latency --send-dev vpltap0 --recv-dev vpltap1 --ports $PORT 7777
traffic
e2e_stop
expect_grep "banner names ports and devices" "$out" "^Tracing UDP ports $PORT,7777 from vpltap0 -> vpltap1; hit Ctrl\+C to exit\.$"
expect_grep "banner names the transmit hook" "$out" "^Probe: transmit raw_tracepoint net:net_dev_start_xmit$"
expect_count "one latency per datagram A -> B on port $PORT" "$out" \
	'^[0-9]+\.[0-9]{9} +LATENCY_DBG latency=[0-9]+ us$' 12
expect_count "the echo requests at receive from A (ICMP)" "$out" 'LATENCY_DBG recv: non-UDP protocol 1$' 2
expect_count "the echo requests at transmit to B (ICMP)" "$out" 'LATENCY_DBG xmit: non-UDP protocol 1$' 2
expect_count "no other event" "$out" 'LATENCY_DBG' 16
# A -> C on the listed port: received from A, never transmitted to B.
expect_grep "totals: A -> C waits" "$out" "^Latencies reported: 12, flows still waiting for a transmit: 4$"
med=$(sed -n 's/.*LATENCY_DBG latency=\([0-9]*\) us$/\1/p' "$out" | sort -n | sed -n 6p)
if [ "${med:-999999}" -lt 10000 ]; then e2e_pass "no queue: median latency $med us (< 10 ms)"
else e2e_fail "no queue: median latency $med us (expected < 10000)"; fi
expect_grep "no lost events" "$out" "^Lost events: 0$"

# --- 2. JSON, behind a token bucket on B's tap (10000 bytes/s, 1100 bytes of tokens): each
# listed datagram (1042 bytes) follows three 1042-byte fillers on the other port, so it leaves
# (4 * 1042 - 1100) / 10000 s = 307 ms or more after it arrived; asserted: half of that.
tc -n "$NS_H" qdisc add dev vpltap1 root tbf rate 80kbit burst 1100 limit 100000 || e2e_die "cannot add tbf"
out=$E2E_TMP/json
E2E_NS=$NS_H e2e_start "$out" vm_pair_latency --send-dev vpltap0 --recv-dev vpltap1 --ports $PORT --json
for _ in 1 2 3 4 5 6; do
	ip netns exec "$NS_A" bash -c "for f in 1 2 3; do printf '%1000s' x > /dev/udp/$IP_B/$OTHER; done
		printf '%1000s' x > /dev/udp/$IP_B/$PORT"
	sleep 0.6
done
ip netns exec "$NS_A" ping -c 2 -i 0.3 "$IP_B" >/dev/null
sleep 0.5
e2e_stop
expect_eq "tbf dropped nothing" "$(tc -n "$NS_H" -s qdisc show dev vpltap1 | sed -n 's/.*dropped \([0-9]*\),.*/\1/p' | head -1)" 0
lat=$(jq -r 'select(.event == "latency") | .latency_us' "$out")
# As qdisc_lateny_details.sh found, this host now and then runs no BPF program at a transmit
# from a qdisc's backlog: one such datagram may go untimed if the totals show it still waiting.
n=$(wc -w <<<"$lat")
waiting=$(jq -r 'select(.final) | .flows_waiting' "$out")
if [ "$n" -eq 6 ] && [ "$waiting" = 0 ]; then
	e2e_pass "JSON: latencies: 6"
elif [ "$n" -eq 5 ] && [ "$waiting" = 1 ]; then
	e2e_pass "JSON: latencies: 5 of 6 (the kernel did not run the transmit program for one: still waiting at exit)"
else
	e2e_fail "JSON: $n latencies, expected 6 (flows still waiting at exit: $waiting)"
fi
expect_eq "JSON: every latency is of a datagram A:* -> B:$PORT from vpltap0 to vpltap1" \
	"$(jq -c 'select(.event == "latency") | [.src_ip, .dst_ip, .dst_port, .send_dev, .recv_dev]' "$out" | sort -u)" \
	"[\"$IP_A\",\"$IP_B\",$PORT,\"vpltap0\",\"vpltap1\"]"
min=$(sort -n <<<"$lat" | head -1)
max=$(sort -n <<<"$lat" | tail -1)
if [ "${min:-0}" -ge 150000 ] && [ "${max:-0}" -lt 3000000 ]; then
	e2e_pass "queued 307 ms or more: latencies from $min to $max us (>= 150000, < 3 s)"
else
	e2e_fail "queued 307 ms or more: latencies from $min to $max us (expected >= 150000 and < 3000000)"
fi
expect_eq "JSON: ICMP events" "$(jq -c 'select(.event == "non_udp") | [.at, .dev, .ip_protocol]' "$out" | sort | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" \
	'2["recv","vpltap0",1] 2["xmit","vpltap1",1] '
expect_eq "JSON: totals" "$(jq -c 'select(.final) | [.latencies, .flows_waiting + .latencies, .lost_events]' "$out")" "[$n,6,0]"

expect_no_leftovers
e2e_finish
