#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 420
# system_network_latency_details on real traffic through an OVS kernel datapath (ovs-dpctl
# flows, no ovs-vswitchd): this host owns 10.73.0.1 on the internal port int0, the "remote
# host" is a namespace (10.73.0.2) behind the veth port phys0, the scenario's physical NIC.
#
# One report per packet of the filtered flow and none for the traffic sent at the same time
# (other ports, ICMP, the other direction), each with every stage of the path in order and
# increasing timestamps, the sender's process on TX, the real TCP flags and payload; a netem
# delay on phys0 appears in [6->14] (dev_queue_xmit -> qdisc_dequeue) and --latency-us keeps
# exactly the delayed packets (LAB_DELAY_MS against LAB_THRESHOLD_MS: lib/netstage.sh); packets
# lost at an upcall are counted as incomplete.
set -euo pipefail
source "$(dirname "$0")/../lib/netstage.sh"

lab_require_cmd socat socat
LOCAL=10.73.0.1 REMOTE=10.73.0.2
lab_tool_workdir
work=$LAB_TOOL_WORK
lab_netstage_host $LOCAL $REMOTE

start_tool() { # OUT ARGS...
    local out=$1
    shift
    lab_tool_start "$out" system_network_latency_details --phy-interface phys0 "$@"
}
noise() {
    lab_udp_send - $REMOTE 6000 5
    lab_udp_send remote $LOCAL 6001 5
    lab_ping remote $LOCAL 2 0.1 >/dev/null
    ping -n -q -c 2 -i 0.1 $REMOTE >/dev/null
}
# Stage ids of every event, one event per line.
chains() { lab_json_events_jq "$1" '[.[] | [.stages[].id | tostring] | join(" ")] | group_by(.)[] | "\(length) \(.[0])" | rtrimstr(" ")' -r; }
expect_chains() { # FILE EXPECTED WHAT: every event has the chain EXPECTED ("N ids...")
    local got
    got=$(chains "$1")
    [[ $got == "$2" ]] || { cat "$1" >&2; lab_fail "$3: events by stage chain '$got', expected '$2'"; }
    lab_ok "$3: $got"
}
# Timestamps increase along the chain in every event.
expect_ordered() {
    local bad
    bad=$(lab_json_events_jq "$1" '[.[] | [.stages[].ktime_ns] | . as $t | select($t != ($t | sort))] | length')
    lab_expect "$bad" -eq 0 "$2: stage timestamps increase along the path"
}

# 1. TX UDP, text layout: the filtered flow only; the sender is this shell.
me_comm=$(cat /proc/$$/comm)
out=$work/tx_text
start_tool "$out" --direction tx --protocol udp --src-ip $LOCAL --dst-ip $REMOTE --dst-port 5000
lab_udp_send - $REMOTE 5000 10
noise
lab_tool_await 10 '^=== System Network UDP Latency Trace: '
lab_tool_stop
lab_expect "$(grep -c '^=== System Network UDP Latency Trace: ' "$out")" -eq 10 "text: 10 UDP reports"
lab_expect "$(grep -cE '^=== System Network [A-Za-z]+ Latency Trace: ' "$out")" -eq 10 "text: nothing else reported"
lab_expect "$(grep -cE "^UDP Packet: $LOCAL:[0-9]+ -> $REMOTE:5000 \\(ip_id=[0-9]+, len=72 bytes, no fragmentation\\)$" "$out")" -eq 10 "text: UDP lines (len = 8 + 64)"
lab_expect "$(grep -cF "TX Process: PID=$$ COMM=$me_comm IF=" "$out")" -eq 10 "text: the sending process"
for pair in '[0->1] TX_S0_ip_layer_entry -> TX_S1_internal_dev_xmit' '[1->2] TX_S1_internal_dev_xmit -> TX_S2_ovs_dp_process' \
    '[2->5] TX_S2_ovs_dp_process -> TX_S5_ovs_vport_send' '[5->6] TX_S5_ovs_vport_send -> TX_S6_dev_queue_xmit' \
    '[6->15] TX_S6_dev_queue_xmit -> TX_S8_dev_start_xmit'; do
    lab_expect "$(grep -cF "  $pair: " "$out")" -eq 10 "text: '$pair' in every report"
done
lab_expect "$(grep -cE '^  Total TX Latency: +[0-9]+\.[0-9]{3} us$' "$out")" -eq 10 "text: total latency lines"
grep -q '^Packets reported: 10, below --latency-us: 0, incomplete: 0, in flight: 0' "$out" ||
    { cat "$out" >&2; lab_fail "text: totals at exit"; }
grep -q '^Lost events: 0$' "$out" || lab_fail "text: lost events"

# 2. RX UDP, legacy object (perf buffer), JSON.
socat -u UDP-RECV:5001 OPEN:/dev/null &
lab_on_exit "kill $! 2>/dev/null"
out=$work/rx
BPFNET_FORCE_LEGACY=1 start_tool "$out" --json --direction rx --protocol udp --src-ip $REMOTE --dst-port 5001
lab_udp_send remote $LOCAL 5001 12
lab_udp_send - $REMOTE 5001 4
noise
lab_tool_await 12 '"stages":'
lab_tool_stop
expect_chains "$out" "12 7 8 9 12 13" "legacy object, RX UDP"
expect_ordered "$out" "RX UDP"
lab_expect "$(lab_json_events_jq "$out" '[.[] | select(.src_ip == $remote and .dst_port == 5001 and .direction == "rx") | select(.len == 72)] | length' --arg remote $REMOTE)" -eq 12 "RX UDP: flow and UDP length (8 + 64)"
lab_expect "$(lab_json_final_jq "$out" .reported)" -eq 12 "RX UDP: totals at exit"

# 3. TCP both ways: data out, ACKs in; the SYN and the data segments as they are.
ip netns exec remote socat -u TCP-LISTEN:7000,reuseaddr OPEN:/dev/null &
listener=$!
lab_on_exit "kill $listener 2>/dev/null"
lab_wait_for 10 lab_tcp_listening remote 7000 || lab_fail "no TCP listener in the remote namespace"
out=$work/tcp
start_tool "$out" --json --direction both --protocol tcp --dst-port 7000
head -c 200000 /dev/zero | socat -u - TCP:$REMOTE:7000
noise
wait $listener    # it has read everything up to the FIN: every data segment left phys0
lab_tool_stop
tx=$(lab_json_events_jq "$out" '[.[] | select(.direction == "tx") | [.stages[].id | tostring] | join(" ")] | unique | join("|")' -r)
rx=$(lab_json_events_jq "$out" '[.[] | select(.direction == "rx") | [.stages[].id | tostring] | join(" ")] | unique | join("|")' -r)
[[ $tx == "0 1 2 5 6 15" && $rx == "7 8 9 12 13" ]] || { cat "$out" >&2; lab_fail "TCP chains: tx '$tx' rx '$rx'"; }
lab_ok "TCP: every TX segment 0 1 2 5 6 15, every RX segment 7 8 9 12 13"
expect_ordered "$out" "TCP"
lab_expect "$(lab_json_events_jq "$out" '[.[] | select(.direction == "tx" and .tcp_flags == 2)] | length')" -eq 1 "TCP: one SYN out"
lab_expect "$(lab_json_events_jq "$out" '[.[] | select(.direction == "rx" and .tcp_flags == 18)] | length')" -eq 1 "TCP: one SYN-ACK in"
# A segment TCP retransmits (the guest is slow under load) is followed again: count the data
# of each sequence number once.
data=$(lab_json_events_jq "$out" '[.[] | select(.direction == "tx" and .payload > 0)] | group_by(.seq) | map(max_by(.payload).payload) | add')
lab_expect "$data" -eq 200000 "TCP: payload bytes of the TX segments (one per sequence number) add up to the transfer"

# 4. A netem delay on phys0 shows in [6->14]; --latency-us keeps only the delayed packets.
modprobe sch_netem 2>/dev/null || lab_skip "no sch_netem on $(uname -r)"
out=$work/delay
start_tool "$out" --json --direction tx --protocol udp --dst-port 5004 --latency-us $((LAB_THRESHOLD_MS * 1000))
lab_udp_send - $REMOTE 5004 6      # no delay: below the threshold
tc qdisc add dev phys0 root netem delay ${LAB_DELAY_MS}ms
lab_on_exit "tc qdisc del dev phys0 root"
lab_udp_send - $REMOTE 5004 4
lab_tool_await 4 '"stages":'
lab_tool_stop
tc qdisc del dev phys0 root
expect_chains "$out" "4 0 1 2 5 6 14 15" "netem: only the delayed packets, through the qdisc"
slow=$(lab_json_events_jq "$out" '[.[].stages[] | select(.id == 14) | .latency_us] | min')
lab_expect "${slow%.*}" -ge $((LAB_DELAY_MS * 1000)) "netem: [6->14] holds the $LAB_DELAY_MS ms delay"
other=$(lab_json_events_jq "$out" '[.[].stages[] | select(.id != 14) | .latency_us // 0] | max')
lab_expect "${other%.*}" -lt $((LAB_THRESHOLD_MS * 1000)) "netem: no other stage pair is slow"
lab_expect "$(lab_json_final_jq "$out" .below_threshold)" -eq 6 "--latency-us: the 6 fast packets counted, not printed"

# 5. Lost at an upcall (no flow, nobody reads upcalls): not reported, incomplete at exit.
out=$work/lost
lab_netstage_upcall_losses "$out" 5003 8 system_network_latency_details --phy-interface phys0 \
    --json --direction tx --protocol udp --dst-port 5003
lab_expect "$(lab_json_final_jq "$out" .reported)" -eq 0 "upcall losses: nothing reported"
lab_expect "$(lab_json_final_jq "$out" .incomplete)" -eq 8 "upcall losses: 8 incomplete"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
