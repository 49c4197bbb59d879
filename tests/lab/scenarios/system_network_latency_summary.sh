#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 420
# system_network_latency_summary on real traffic through an OVS kernel datapath (ovs-dpctl
# flows, no ovs-vswitchd): this host owns 10.72.0.1 on the internal port int0, the "remote
# host" is a namespace (10.72.0.2) behind the veth port phys0, the scenario's physical NIC.
#
# For the filtered flow, and nothing else sent at the same time (other ports, ICMP, the other
# direction), the tool must report every stage pair of the path in order
#   TX: S0 ip layer -> S1 internal_dev_xmit -> S2 ovs_dp_process -> S5 ovs_vport_send
#       -> S6 dev_queue_xmit(phys0) [-> S7 qdisc_dequeue] -> S8 dev_start_xmit(phys0)
#   RX: S0 netif_receive_skb(phys0) -> S1 netdev_frame_hook -> S2 -> S5 -> S6 udp/tcp rcv
# with exactly one sample per packet sent in every pair and in the end-to-end histogram.
# Packets the datapath loses (no flow: an upcall nobody reads) stop at S3 and are counted as
# incomplete once they have been idle for --session-timeout. A delay put on purpose on the
# physical side (netem, else a tbf queue, on phys0) shows up in S6 -> S7, nowhere else.
set -euo pipefail
source "$(dirname "$0")/../lib/netstage.sh"

lab_require_cmd socat socat
LOCAL=10.72.0.1 REMOTE=10.72.0.2
lab_tool_workdir
work=$LAB_TOOL_WORK
lab_netstage_host $LOCAL $REMOTE

start_tool() { # OUT ARGS...
    local out=$1
    shift
    lab_tool_start "$out" system_network_latency_summary --phy-interface phys0 "$@"
}
# The final report of a --json run.
# "from>to:samples" for every pair of direction D of the final report, in report order.
pairs() { lab_json_final_jq "$1" '[.pairs[] | select(.direction == $d) | "\(.from)>\(.to):\(.samples)"] | join(" ")' -r --arg d "$2"; }
dirval() { lab_json_final_jq "$1" '.directions[$d][$k]' -r --arg d "$2" --arg k "$3"; }

expect_chain() { # FILE DIR EXPECTED WHAT
    local got
    got=$(pairs "$1" "$2")
    [[ $got == "$3" ]] || { cat "$1" >&2; lab_fail "$4: pairs '$got', expected '$3'"; }
    lab_ok "$4: $got"
}

tx_chain() { # N [QDISC]: the TX pairs, one sample per packet
    local n=$1 q=${2:-}
    if [[ -n $q ]]; then
        q="TX_S6_dev_queue_xmit>TX_S7_qdisc_dequeue:$n TX_S7_qdisc_dequeue>TX_S8_dev_start_xmit:$n"
    else
        q="TX_S6_dev_queue_xmit>TX_S8_dev_start_xmit:$n"
    fi
    echo "TX_S0_ip_layer_entry>TX_S1_internal_dev_xmit:$n TX_S1_internal_dev_xmit>TX_S2_ovs_dp_process:$n" \
        "TX_S2_ovs_dp_process>TX_S5_ovs_vport_send:$n TX_S5_ovs_vport_send>TX_S6_dev_queue_xmit:$n $q"
}
rx_chain() {
    local n=$1
    echo "RX_S0_netif_receive_skb>RX_S1_netdev_frame_hook:$n RX_S1_netdev_frame_hook>RX_S2_ovs_dp_process:$n" \
        "RX_S2_ovs_dp_process>RX_S5_ovs_vport_send:$n RX_S5_ovs_vport_send>RX_S6_tcp_v4_rcv/udp_rcv:$n"
}

# Noise sent during every run: UDP to other ports both ways, ICMP both ways.
noise() {
    lab_udp_send - $REMOTE 6000 7
    lab_udp_send remote $LOCAL 6001 7
    lab_ping remote $LOCAL 3 0.1 >/dev/null
    ping -n -q -c 3 -i 0.1 $REMOTE >/dev/null
}

# 1. TX, UDP, text layout: the filtered flow only, every stage pair in order.
out=$work/tx_text
start_tool "$out" --direction tx --protocol udp --src-ip $LOCAL --dst-ip $REMOTE --dst-port 5000 --interval 300
lab_udp_send - $REMOTE 5000 25
noise
lab_tool_stop 1
grep -q '^Probe: raw_tracepoint net:net_dev_queue -> TX_S6_dev_queue_xmit$' "$out" ||
    { cat "$out" >&2; lab_fail "banner: no Probe line for TX_S6"; }
# Function entries are fentry programs (BPF trampolines); a module's only where the module has
# BTF of its own (5.11+: not 5.10, whose module types come from --btf).
grep -q '^Probe: fentry ip_send_skb -> TX_S0_ip_layer_entry$' "$out" ||
    { cat "$out" >&2; lab_fail "banner: TX_S0 is not an fentry program"; }
s1=fentry
[[ $(uname -r) == 5.10.* ]] && s1=kprobe
grep -q "^Probe: $s1 internal_dev_xmit -> TX_S1_internal_dev_xmit\$" "$out" ||
    { cat "$out" >&2; lab_fail "banner: TX_S1 is not a $s1 program"; }
got=$(sed -n 's/^  \(TX_S[0-9][a-z_0-9]*\) -> \(TX_S[0-9][a-z_0-9]*\):$/\1>\2/p' "$out" | paste -sd' ')
want="TX_S0_ip_layer_entry>TX_S1_internal_dev_xmit TX_S1_internal_dev_xmit>TX_S2_ovs_dp_process TX_S2_ovs_dp_process>TX_S5_ovs_vport_send TX_S5_ovs_vport_send>TX_S6_dev_queue_xmit TX_S6_dev_queue_xmit>TX_S8_dev_start_xmit"
[[ $got == "$want" ]] || { cat "$out" >&2; lab_fail "text report pairs: '$got'"; }
lab_expect "$(grep -c '^    Total samples: 25$' "$out")" -eq 5 "text report: 25 samples in each of the 5 TX pairs"
grep -q '^  TX started: 25, completed: 25, incomplete: 0 (0.00%)$' "$out" ||
    { cat "$out" >&2; lab_fail "text report: session line"; }
grep -q '^  Total packets analyzed: 25$' "$out" || { cat "$out" >&2; lab_fail "text report: total"; }
! grep -q '^RX Direction' "$out" || lab_fail "text report: RX pairs in a TX run"
grep -q '^Exiting...$' "$out" || lab_fail "text report: no 'Exiting...'"

# 2. The same with what 4.19 gets: the legacy object (perf buffer, no globals) and kprobes
# (BPFNET_FORCE_KPROBE: no fentry; the tracepoints stay), JSON output.
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/system_network_latency_summary" --phy-interface phys0 --direction tx \
    --list-probes >"$work/kprobe.plan"
lab_expect "$(grep -c '^  chosen: fentry' "$work/kprobe.plan")" -eq 0 "BPFNET_FORCE_KPROBE: no fentry chosen"
grep -q '^  chosen: kprobe ip_send_skb$' "$work/kprobe.plan" || { cat "$work/kprobe.plan" >&2; lab_fail "BPFNET_FORCE_KPROBE: ip_send_skb is not a kprobe"; }
out=$work/tx_legacy
BPFNET_FORCE_LEGACY=1 BPFNET_FORCE_KPROBE=1 start_tool "$out" --json --direction tx --protocol all --dst-port 5000 --interval 300
lab_udp_send - $REMOTE 5000 20
noise
lab_tool_stop 1
expect_chain "$out" tx "$(tx_chain 20)" "legacy object and kprobes, TX UDP"
lab_expect "$(dirval "$out" tx total_samples)" -eq 20 "legacy object and kprobes: end-to-end samples"

# 3. RX, UDP from the remote host.
out=$work/rx
socat -u UDP-RECV:5001 OPEN:/dev/null &
lab_on_exit "kill $! 2>/dev/null"
mkdir -p "$work/textfile"
start_tool "$out" --json --direction rx --protocol udp --src-ip $REMOTE --src-port 5001 --interval 300 \
    --prometheus-textfile "$work/textfile/sls.prom"
lab_udp_send remote $LOCAL 5001 30
lab_udp_send - $REMOTE 5001 5   # TX with the same port: not this direction
noise
lab_tool_stop 1
expect_chain "$out" rx "$(rx_chain 30)" "RX UDP"
lab_expect "$(dirval "$out" rx started)" -eq 30 "RX: sessions started"
lab_expect "$(dirval "$out" rx completed)" -eq 30 "RX: sessions completed"
lab_expect "$(dirval "$out" rx total_samples)" -eq 30 "RX: end-to-end samples"
[[ $(lab_json_final_jq "$out" '.directions | has("tx")') == false ]] || lab_fail "RX run reports TX"
# The same counts through node_exporter's textfile collector, as Prometheus would scrape them.
promtool check metrics <"$work/textfile/sls.prom" || lab_fail "promtool rejects the metrics file"
exporter_port=19100
prometheus-node-exporter --web.listen-address=127.0.0.1:$exporter_port --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$work/textfile" >"$work/exporter.log" 2>&1 &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 curl -sf -o "$work/scrape" http://127.0.0.1:$exporter_port/metrics ||
    { cat "$work/exporter.log" >&2; lab_fail "node_exporter did not serve its metrics"; }
scraped() { # METRIC: its value in the scrape
    awk -v m="$1" '$1 == m { print $2 }' "$work/scrape"
}
m=bpfnet_system_network_latency
lab_expect "$(scraped "${m}_packets_total{direction=\"rx\"}")" -eq 30 "node_exporter: packets_total = the 30 sent"
lab_expect "$(scraped "${m}_total_latency_seconds_count{direction=\"rx\"}")" -eq 30 \
    "node_exporter: the end-to-end histogram's _count = the 30 analysed"
lab_expect "$(grep -c "^${m}_stage_latency_seconds_count{direction=\"rx\",.*} 30$" "$work/scrape")" -eq 4 \
    "node_exporter: each of the 4 RX stage pairs counted 30"

# 4. TCP, both directions at once: a transfer to the remote host (data out, ACKs in).
out=$work/tcp
ip netns exec remote socat -u TCP-LISTEN:7000,reuseaddr OPEN:/dev/null &
listener=$!
lab_on_exit "kill $listener 2>/dev/null"
lab_wait_for 10 lab_tcp_listening remote 7000 || lab_fail "no TCP listener in the remote namespace"
start_tool "$out" --json --direction both --protocol tcp --dst-port 7000 --interval 300
head -c 300000 /dev/zero | socat -u - TCP:$REMOTE:7000
noise
wait $listener    # it has read everything up to the FIN: every data segment left phys0
# The remote FIN has come all the way in (our side left FIN-WAIT) before the tool stops, so that
# no RX segment is still on its way to tcp_v4_rcv (seen once on a guest slowed x8).
fin_in() { ! ss -Htn state fin-wait-1 state fin-wait-2 '( dport = :7000 )' | grep -q .; }
lab_wait_for 20 fin_in || lab_fail "the remote host's FIN did not come in"
lab_tool_stop 1
txn=$(dirval "$out" tx completed)
rxn=$(dirval "$out" rx completed)
lab_expect "$txn" -ge 5 "TCP: TX segments completed"
lab_expect "$rxn" -ge 3 "TCP: RX segments (ACKs) completed"
expect_chain "$out" tx "$(tx_chain "$txn")" "TCP TX"
expect_chain "$out" rx "$(rx_chain "$rxn")" "TCP RX"
lab_expect "$(dirval "$out" tx incomplete)" -eq 0 "TCP: no TX segment lost"
lab_expect "$(dirval "$out" tx started)" -eq "$txn" "TCP: every TX segment started completed"

# 5. Packets the datapath loses: without flows each is an upcall nobody reads.
out=$work/lost
lab_netstage_upcall_losses "$out" 5003 12 system_network_latency_summary --phy-interface phys0 \
    --json --direction tx --protocol udp --dst-port 5003 --interval 300
expect_chain "$out" tx "TX_S0_ip_layer_entry>TX_S1_internal_dev_xmit:12 TX_S1_internal_dev_xmit>TX_S2_ovs_dp_process:12 TX_S2_ovs_dp_process>TX_S3_ovs_dp_upcall:12" "lost packets stop at the upcall"
lab_expect "$(dirval "$out" tx started)" -eq 12 "lost packets: started"
lab_expect "$(dirval "$out" tx completed)" -eq 0 "lost packets: completed"
lab_expect "$(dirval "$out" tx incomplete)" -eq 12 "lost packets: incomplete after the session timeout"
lab_expect "$(dirval "$out" tx active)" -eq 0 "lost packets: none still in flight"

# 6. A delay on the physical side: netem on phys0 (or a tbf queue where netem is missing).
if modprobe sch_netem 2>/dev/null; then
    tc qdisc add dev phys0 root netem delay ${LAB_DELAY_MS}ms
    delay_what="netem $LAB_DELAY_MS ms"
    min_us=262143    # every sample in a slot from 262143-524286us up (500 ms)
    count=10
else
    tc qdisc add dev phys0 root tbf rate 1mbit burst 1600 limit 200000
    delay_what="tbf 1 Mbit/s"
    min_us=0
    count=30
fi
lab_on_exit "tc qdisc del dev phys0 root"
out=$work/delay
start_tool "$out" --json --direction tx --protocol udp --dst-port 5004 --interval 300
if [[ $delay_what == netem* ]]; then lab_udp_send - $REMOTE 5004 $count; else
    for ((i = 0; i < count; i++)); do head -c 1400 /dev/zero >/dev/udp/$REMOTE/5004; done
fi
lab_tool_stop 2
tc qdisc del dev phys0 root
expect_chain "$out" tx "$(tx_chain $count qdisc)" "$delay_what on phys0: TX pairs"
slow=$(lab_json_final_jq "$out" '.pairs[] | select(.to == "TX_S7_qdisc_dequeue") | .p50_us_max' -r)
lab_assert_int "$slow" "S6 -> S7 median"
other=$(lab_json_final_jq "$out" '[.pairs[] | select(.to != "TX_S7_qdisc_dequeue") | .p90_us_max] | max')
if [[ $delay_what == netem* ]]; then
    low=$(lab_json_final_jq "$out" '[.pairs[] | select(.to == "TX_S7_qdisc_dequeue") | .buckets[].low_us] | min')
    lab_expect "$low" -ge $min_us "netem: every S6 -> S7 sample is in the delay's slot or above"
fi
lab_expect "$slow" -gt "$((other * 4))" "$delay_what: S6 -> S7 is the slow pair (median bound ${slow}us vs ${other}us elsewhere)"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
