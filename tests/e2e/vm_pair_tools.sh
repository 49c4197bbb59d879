#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The VM pair tools beside vm_pair_latency, started once each and all at once, on three "VMs"
# (namespaces A, B, C) whose host sides are veths named like taps (vpgtap0/1/2) in one Linux
# bridge of a host namespace. Four flows of known datagram counts run together: A -> B on PORT
# pausing 1.2 s on purpose, A -> B on STEADY (every 50 ms), A -> B on OTHER (listed by no tool)
# and C -> A on PORT, both paused like the first.
# Gap tools (threshold 300 ms: the pause is a factor 4 above it, the packets' spacing a factor 6
# below it): the pause A -> B once where the host receives it from A and once where it
# transmits it to B; nothing for the steady flow, the unlisted port or devices not watched.
# multi_vm_pair_multi_port_gap reads its pair from a --config of two libvirt domain UUIDs,
# resolved through live domain XML files in libvirt's format.
# Latency tools: one latency per datagram between the listed devices on listed ports, tagged
# with the MACs of A and B (multi_vm_pair_latency) or the pair id (..._pairid).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vm_hosts.sh"
. "$(dirname "$0")/libvirt_live.sh"
e2e_setup vpg 214

NS_H=vpgh
NS_C=vpgc
IP_C=$E2E_NET.3
PORT=6300  # the paused flow A:5001 -> B
STEADY=6301  # listed by multi_port_gap and multi_vm_pair_multi_port_gap, never paused
OTHER=6302  # listed by no tool
TOOL_PIDS=()
teardown_all() {
	[ "${#TOOL_PIDS[@]}" -gt 0 ] && kill -INT "${TOOL_PIDS[@]}" 2>/dev/null && wait "${TOOL_PIDS[@]}" 2>/dev/null
	vm_hosts_teardown
}
trap teardown_all EXIT
vm_hosts_setup vpg
ip netns exec "$NS_C" ping -c 1 -W 2 "$IP_A" >/dev/null || e2e_die "no connectivity from C to A"
for ns in "$NS_A" "$NS_B"; do
	for p in $PORT $STEADY $OTHER; do
		ip netns exec "$ns" socat -u UDP-RECV:$p,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &
		E2E_HELPERS+=($!)
	done
done

# The live XML of two libvirt domains whose taps are vpgtap0 and vpgtap1.
UUID_A=0b1e0c4a-1111-4a5b-8c9d-00000000000a
UUID_B=0b1e0c4a-2222-4a5b-8c9d-00000000000b
mkdir "$E2E_TMP/libvirt"
libvirt_live_xml "$E2E_TMP/libvirt" vma "$UUID_A" vpgtap0
libvirt_live_xml "$E2E_TMP/libvirt" vmb "$UUID_B" vpgtap1
echo "$UUID_A $UUID_B" >"$E2E_TMP/vm_pairs.txt"

# start OUT TOOL ARGS...: one tool in the host namespace, attached, its pid kept.
start() {
	E2E_NS=$NS_H e2e_start "$@"
	TOOL_PIDS+=("$E2E_PID")
	E2E_PID=
}
start "$E2E_TMP/vpg" vm_pair_gap --send-dev vpgtap0 --recv-dev vpgtap1 --ports $PORT --threshold 300000
start "$E2E_TMP/mpg" multi_port_gap --send-dev vpgtap0 --recv-dev vpgtap1 --ports $PORT $STEADY \
	--threshold 300 --json
BPFNET_LIBVIRT_RUN=$E2E_TMP/libvirt start "$E2E_TMP/mvp" multi_vm_pair_multi_port_gap \
	--config "$E2E_TMP/vm_pairs.txt" --ports $PORT $STEADY --threshold 300
start "$E2E_TMP/mvl" multi_vm_pair_latency --send-dev vpgtap0,vpgtap2 --recv-dev vpgtap1 --ports $PORT --json
start "$E2E_TMP/mvpp" multi_vm_pair_latency_pairid --pairs 'vpgtap1,vpgtap0=7; vpgtap0, vpgtap2=9' \
	--ports $PORT $STEADY

# flow NS DST_IP DST_PORT SRC_PORT PAUSE...: one datagram of one flow after each pause (seconds).
flow() {
	ip netns exec "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[3])))
for pause in sys.argv[4:]:
    time.sleep(float(pause))
    s.sendto(b"x", (sys.argv[1], int(sys.argv[2])))
' "$2" "$3" "$4" "${@:5}"
}
BURSTS="0 0.05 0.05 1.2 0.05 0.05"
flows=()
flow "$NS_A" "$IP_B" $PORT 5001 $BURSTS & flows+=($!)
flow "$NS_A" "$IP_B" $STEADY 5002 $(printf '0.05 %.0s' $(seq 1 30)) & flows+=($!)
flow "$NS_A" "$IP_B" $OTHER 5003 $BURSTS & flows+=($!)
flow "$NS_C" "$IP_A" $PORT 5004 $BURSTS & flows+=($!)
wait "${flows[@]}"
sleep 0.3
for pid in "${TOOL_PIDS[@]}"; do
	kill -INT "$pid"
	e2e_await_exit "$pid" 10 "tool (after SIGINT)"
	[ "$E2E_STATUS" -eq 0 ] || e2e_fail "a tool exited with status $E2E_STATUS after SIGINT"
done
TOOL_PIDS=()

# gap_ok WHAT US...: each gap at least the 1.2 s pause and less than 1 s more.
gap_ok() {
	local what=$1 us
	shift
	[ $# -gt 0 ] || { e2e_fail "$what: no gap"; return; }
	for us in "$@"; do
		if [ "$us" -lt 1200000 ] || [ "$us" -ge 2200000 ]; then
			e2e_fail "$what: gap of $us us (expected 1200000 to 2200000)"
			return
		fi
	done
	e2e_pass "$what: gaps of $* us (1.2 s pause)"
}

out=$E2E_TMP/vpg
expect_grep "vm_pair_gap: banner" "$out" "^Tracing UDP port $PORT from vpgtap0->vpgtap1 \(in host perspective\)\.\.\.$"
expect_grep "vm_pair_gap: threshold" "$out" "^Reporting gaps longer than 300000 us$"
expect_count "vm_pair_gap: the pause A -> B at receive from A" "$out" \
	"^[0-9]+\.[0-9]{9} +RCV GAP: [0-9]+ us, flow = $IP_A -> $IP_B$" 1
expect_count "vm_pair_gap: the pause A -> B at transmit to B" "$out" \
	"^[0-9]+\.[0-9]{9} +SND GAP: [0-9]+ us, flow = $IP_A -> $IP_B$" 1
expect_count "vm_pair_gap: no other gap" "$out" "GAP:" 2
gap_ok "vm_pair_gap" $(sed -n 's/.* GAP: \([0-9]*\) us.*/\1/p' "$out")
expect_grep "vm_pair_gap: totals" "$out" "^Gaps reported: 2, flows tracked: 2$"
expect_grep "vm_pair_gap: no lost events" "$out" "^Lost events: 0$"

out=$E2E_TMP/mpg
expect_eq "multi_port_gap (JSON): the pause A -> B once per side, nothing else" \
	"$(jq -c 'select(.event == "gap") | [.at, .dev, .src_ip, .src_port, .dst_ip, .dst_port]' "$out" | sort | tr '\n' ' ')" \
	"[\"recv\",\"vpgtap0\",\"$IP_A\",5001,\"$IP_B\",$PORT] [\"xmit\",\"vpgtap1\",\"$IP_A\",5001,\"$IP_B\",$PORT] "
gap_ok "multi_port_gap" $(jq -r 'select(.event == "gap") | .gap_us' "$out")
# tracked: A -> B on both ports, on both devices.
expect_eq "multi_port_gap (JSON): totals" "$(jq -c 'select(.final) | [.gaps, .flows_tracked, .lost_events]' "$out")" "[2,4,0]"

out=$E2E_TMP/mvp
expect_grep "multi_vm_pair_multi_port_gap: domain A's tap on the transmit side" "$out" "^Added send-dev: vpgtap0 \(ifindex=[0-9]+\)$"
expect_grep "multi_vm_pair_multi_port_gap: domain B's tap on the receive side" "$out" "^Added recv-dev: vpgtap1 \(ifindex=[0-9]+\)$"
expect_no_grep "multi_vm_pair_multi_port_gap: C's tap is in no pair" "$out" "vpgtap2"
expect_grep "multi_vm_pair_multi_port_gap: ports" "$out" "^Tracking UDP ports: \[$PORT, $STEADY\]$"
expect_count "multi_vm_pair_multi_port_gap: A -> B at receive from A" "$out" \
	"^[0-9]+\.[0-9]{9} +RECV gap>300000us: gap=[0-9]+ us, port=$PORT, dev_name=vpgtap0$" 1
expect_count "multi_vm_pair_multi_port_gap: A -> B and C -> A at transmit" "$out" \
	"^[0-9]+\.[0-9]{9} +SEND gap>300000us: gap=[0-9]+ us, port=$PORT, dev_name=vpgtap[01]$" 2
expect_count "multi_vm_pair_multi_port_gap: C -> A at transmit to A" "$out" "SEND gap.*dev_name=vpgtap0$" 1
expect_count "multi_vm_pair_multi_port_gap: no other gap" "$out" "gap>" 3
gap_ok "multi_vm_pair_multi_port_gap" $(sed -n 's/.* gap=\([0-9]*\) us.*/\1/p' "$out")
# tracked: A -> B on both ports at both devices, C -> A at vpgtap0.
expect_grep "multi_vm_pair_multi_port_gap: totals" "$out" "^Gaps reported: 3, flows tracked: 5$"

out=$E2E_TMP/mvl
expect_eq "multi_vm_pair_latency (JSON): one latency per datagram A -> B on $PORT, with A's and B's MACs" \
	"$(jq -c 'select(.event == "latency") | [.src_mac, .dst_mac, .src_ip, .dst_ip, .dst_port, .send_dev, .recv_dev]' "$out" | sort | uniq -c | awk '{print $1, $2}')" \
	"6 [\"$(e2e_mac "$NS_A" eth0)\",\"$(e2e_mac "$NS_B" eth0)\",\"$IP_A\",\"$IP_B\",$PORT,\"vpgtap0\",\"vpgtap1\"]"
# C -> A: received from C (a listed sending device), never transmitted to a listed one.
expect_eq "multi_vm_pair_latency (JSON): totals" \
	"$(jq -c 'select(.final) | [.latencies, .flows_waiting, .lost_events]' "$out")" "[6,1,0]"

out=$E2E_TMP/mvpp
expect_grep "pairid: pairs string" "$out" "^Parsed pairs string: vpgtap1,vpgtap0=7; vpgtap0, vpgtap2=9$"
expect_grep "pairid: pair 7's receive side" "$out" "^Mapping recv dev=vpgtap0 \(ifindex=[0-9]+\) -> pair_id=7$"
expect_grep "pairid: pair 9's transmit side" "$out" "^Mapping send dev=vpgtap0 \(ifindex=[0-9]+\) -> pair_id=9$"
expect_count "pairid: pair 7, A -> B: 6 datagrams on $PORT and 30 on $STEADY" "$out" \
	'^[0-9]+\.[0-9]{6}: PAIR_LAT pair_id=7 lat=[0-9]+ us$' 36
expect_count "pairid: pair 9, C -> A: 6 datagrams on $PORT" "$out" \
	'^[0-9]+\.[0-9]{6}: PAIR_LAT pair_id=9 lat=[0-9]+ us$' 6
expect_count "pairid: no other latency" "$out" ': PAIR_LAT ' 42
med=$(sed -n 's/.*PAIR_LAT pair_id=[0-9]* lat=\([0-9]*\) us$/\1/p' "$out" | sort -n | sed -n 21p)
if [ "${med:-999999}" -lt 10000 ]; then e2e_pass "pairid: no queue: median latency $med us (< 10 ms)"
else e2e_fail "pairid: no queue: median latency $med us (expected < 10000)"; fi
expect_grep "pairid: totals" "$out" "^Latencies reported: 42, flows still waiting for a transmit: 0$"

expect_no_leftovers
e2e_finish
