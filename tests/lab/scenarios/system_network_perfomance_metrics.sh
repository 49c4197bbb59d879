#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 480
# system_network_perfomance_metrics on real traffic through an OVS kernel datapath (ovs-dpctl
# flows through ct(commit), no ovs-vswitchd): this host owns 10.75.0.1 on the internal port
# int0 (--internal-interface), the "remote host" is a namespace (10.75.0.2) behind the veth
# port phys0 (--phy-interface).
#
# One FLOW COMPLETE record per packet of the filtered traffic (UDP and ICMP echo out, echo
# replies, TCP both ways) and none for the rest, each with the stages of its direction in
# time order, on the right devices, with conntrack stages and the CT lookup time only with
# --enable-ct; a netem delay on phys0 is the PHY_QDISC sojourn, and --latency-us keeps exactly
# those packets (LAB_DELAY_MS against LAB_THRESHOLD_MS: lib/netstage.sh); --verbose shows the
# packets lost at an upcall as FLOW INCOMPLETE records that stop at FLOW_EXTRACT_TX.
set -euo pipefail
source "$(dirname "$0")/../lib/netstage.sh"

lab_require_cmd socat socat
LOCAL=10.75.0.1 REMOTE=10.75.0.2
lab_tool_workdir
work=$LAB_TOOL_WORK

lab_modprobe nf_conntrack
lab_netstage_host $LOCAL $REMOTE 5
# Receivers, so that no ICMP port unreachable comes back.
ip netns exec remote socat -u UDP-RECV:5000 OPEN:/dev/null &
lab_on_exit "kill $! 2>/dev/null"
ip netns exec remote socat -u TCP-LISTEN:7000,reuseaddr OPEN:/dev/null &
listener=$!
lab_on_exit "kill $listener 2>/dev/null"
socat -u UDP-RECV:5001 OPEN:/dev/null &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 10 lab_tcp_listening remote 7000 || lab_fail "no TCP listener in the remote namespace"

start_tool() { # OUT ARGS...
    local out=$1
    shift
    lab_tool_start "$out" system_network_perfomance_metrics --internal-interface int0 --phy-interface phys0 "$@"
}
# Stage names of the records matching a jq condition, one record per line, counted.
chains() { lab_json_events_jq "$1" "[.[] | select($2) | [.stages[].name] | join(\" \")] | group_by(.)[] | \"\\(length) \\(.[0])\" | rtrimstr(\" \")" -r; }
expect_chain() { # FILE JQ-CONDITION EXPECTED WHAT
    local got
    got=$(chains "$1" "$2")
    [[ $got == "$3" ]] || { cat "$1" >&2; lab_fail "$4: records by stages '$got', expected '$3'"; }
    lab_ok "$4: $got"
}
count() { lab_json_count "$1" "$2"; }
# The kernel skips a kprobe that fires while another BPF program runs on the same CPU
# (bpf_prog_active): a TCP segment sent from softirq (an ACK, a retransmit) that interrupted a
# probe then starts a stage later. So every record must be a tail of the full chain, in order
# and ending where it must, and at most one record (or one in ten) may lack its first stages.
expect_chain_tails() { # FILE JQ-CONDITION FULL-CHAIN WHAT
    local n short=0 cnt chain
    n=$(count "$1" "$2")
    while read -r cnt chain; do
        [[ " $3" == *" $chain" ]] || { cat "$1" >&2; lab_fail "$4: a record with stages '$chain', not a tail of '$3'"; }
        [[ $chain == "$3" ]] || short=$((short + cnt))
    done <<<"$(chains "$1" "$2")"
    ((short <= 1 || short * 10 <= n)) || { cat "$1" >&2; lab_fail "$4: $short of $n records lack their first stages"; }
    lab_ok "$4: $((n - short)) of $n records with every stage, $short starting later"
}

# 1. Both directions with --enable-ct: UDP out, pings out (echo out, reply in), TCP both ways.
out=$work/ct
start_tool "$out" --json --enable-ct --src-ip $LOCAL --dst-ip $REMOTE --protocol udp --dst-port 5000
lab_udp_send - $REMOTE 5000 5
lab_udp_send - $REMOTE 6000 3                     # another port
lab_udp_send remote $LOCAL 5001 3           # another direction and source
ping -n -q -c 2 -i 0.1 $REMOTE >/dev/null   # another protocol
lab_tool_await 5 '"stages":'
lab_tool_stop
tx_ct="IP_SEND_SKB IP_OUTPUT OVS_TX FLOW_EXTRACT_TX CT_TX CT_OUT_TX PHY_QDISC_ENQ PHY_TX"
tx_ct_nf="IP_SEND_SKB CT_TX CT_OUT_TX IP_OUTPUT OVS_TX FLOW_EXTRACT_TX PHY_QDISC_ENQ PHY_TX"
got=$(chains "$out" 'true')
# Conntrack runs twice for host packets once OVS ct() registered its hooks in this namespace:
# at LOCAL_OUT (before ip_output) and in the datapath; a stage reports its first hit.
[[ $got == "5 $tx_ct" || $got == "5 $tx_ct_nf" ]] || { cat "$out" >&2; lab_fail "UDP out with --enable-ct: '$got'"; }
lab_ok "UDP out with --enable-ct: $got"
lab_expect "$(count "$out" '.ct_lookup_us > 0 and .direction == "SYSTEM_TX" and .dst_port == 5000')" -eq 5 "UDP out: CT lookup time"
lab_expect "$(count "$out" '.stages[-1].dev == "phys0" and .stages[-1].name == "PHY_TX"')" -eq 5 "UDP out: last stage on phys0"
lab_expect "$(count "$out" '(.stages[] | select(.name == "OVS_TX") | .dev) == "int0"')" -eq 5 "UDP out: OVS_TX on int0"
lab_expect "$(lab_json_final_jq "$out" .reported)" -eq 5 "UDP out: reported at exit"

# 2. ICMP both ways, legacy object, text layout.
out=$work/icmp
BPFNET_FORCE_LEGACY=1 start_tool "$out" --enable-ct --protocol icmp
ping -n -q -c 3 -i 0.1 $REMOTE >/dev/null
lab_udp_send - $REMOTE 5000 2
lab_tool_await 6 '^=== FLOW COMPLETE: '
lab_tool_stop
lab_expect "$(grep -c '^=== FLOW COMPLETE: ' "$out")" -eq 6 "ICMP: 3 echo requests and 3 replies"
lab_expect "$(grep -cE "^5-TUPLE: $LOCAL -> $REMOTE ICMP \\(id=[0-9]+ seq=[123] type=8\\) DIR=SYSTEM_TX\$" "$out")" -eq 3 "ICMP: requests out"
lab_expect "$(grep -cE "^5-TUPLE: $REMOTE -> $LOCAL ICMP \\(id=[0-9]+ seq=[123] type=0\\) DIR=SYSTEM_RX\$" "$out")" -eq 3 "ICMP: replies in"
rx_order=$(awk '/DIR=SYSTEM_RX/ { rx = 1; s = "" } rx && /^  Stage / { sub(":", "", $2); s = s " " $2 }
    rx && /^  TOTAL DURATION/ { print substr(s, 2); rx = 0 }' "$out" | sort | uniq -c | awk '{ $1 = $1; print }')
want_rx="3 PHY_RX OVS_RX FLOW_EXTRACT_RX CT_RX CT_OUT_RX INTERNAL_DEV_RECV NETRX_END IP_RCV ICMP_RCV"
[[ $rx_order == "$want_rx" ]] || { cat "$out" >&2; lab_fail "ICMP replies: stages '$rx_order'"; }
lab_ok "ICMP replies: $rx_order"
lab_expect "$(grep -c '^    DEV: int0 (ifindex=[0-9]*) CPU=[0-9]*$' "$out")" -eq 24 "ICMP: 4 stages of each record on int0"
lab_expect "$(grep -c '^  CT: lookup=[0-9.]*us$' "$out")" -eq 6 "ICMP: CT lookup lines"
lab_expect "$(grep -c '^  FINAL_STAGE: dev=phys0(ifindex=' "$out")" -eq 3 "ICMP: requests end on phys0"
lab_expect "$(grep -c '^  FINAL_STAGE: dev=int0(ifindex=' "$out")" -eq 3 "ICMP: replies end on int0"
grep -q '^Conntrack measurement: ENABLED$' "$out" || lab_fail "ICMP: banner says conntrack is off"
# nf_conntrack_in's return: an fexit program where the module has BTF (6.1+), else a kretprobe.
ct_ret=fexit
[[ $(uname -r) == 5.10.* ]] && ct_ret=kretprobe
grep -qE "^Probe: $ct_ret nf_conntrack_in -> " "$out" || { grep '^Probe' "$out" >&2; lab_fail "ICMP: nf_conntrack_in's return is not a $ct_ret"; }
grep -q '^Packets reported: 6, below --latency-us: 0, incomplete: 0' "$out" || { cat "$out" >&2; lab_fail "ICMP: totals"; }

# 3. TCP both ways without --enable-ct: no conntrack stage, TCP first and last stages.
out=$work/tcp
start_tool "$out" --json --protocol tcp --dst-port 7000
head -c 100000 /dev/zero | socat -u - TCP:$REMOTE:7000
wait $listener    # it has read everything up to the FIN: every data segment left phys0
lab_tool_stop 1   # and the last ACKs came back
lab_expect "$(count "$out" '.direction == "SYSTEM_TX"')" -ge 3 "TCP: segments out"
lab_expect "$(count "$out" '.direction == "SYSTEM_RX"')" -ge 3 "TCP: segments in"
lab_expect "$(count "$out" 'any(.stages[]; .name | startswith("CT"))')" -eq 0 "TCP: no CT stage without --enable-ct"
expect_chain "$out" '.direction == "SYSTEM_RX"' "$(count "$out" '.direction == "SYSTEM_RX"') PHY_RX OVS_RX FLOW_EXTRACT_RX INTERNAL_DEV_RECV NETRX_END IP_RCV TCP_UDP_RCV" "TCP in"
expect_chain_tails "$out" '.direction == "SYSTEM_TX"' "IP_QUEUE_XMIT IP_OUTPUT OVS_TX FLOW_EXTRACT_TX PHY_QDISC_ENQ PHY_TX" "TCP out"

# 4. netem on phys0: the qdisc stages and the sojourn; --latency-us keeps only those packets.
modprobe sch_netem 2>/dev/null || lab_skip "no sch_netem on $(uname -r)"
out=$work/delay
start_tool "$out" --json --direction tx --protocol udp --dst-port 5000 --latency-us $((LAB_THRESHOLD_MS * 1000))
lab_udp_send - $REMOTE 5000 4
tc qdisc add dev phys0 root netem delay "${LAB_DELAY_MS}ms"
lab_on_exit "tc qdisc del dev phys0 root"
lab_udp_send - $REMOTE 5000 3
lab_tool_await 3 '"stages":'
lab_tool_stop
tc qdisc del dev phys0 root
expect_chain "$out" 'true' "3 IP_SEND_SKB IP_OUTPUT OVS_TX FLOW_EXTRACT_TX PHY_QDISC_ENQ PHY_QDISC_DEQ PHY_TX" "netem: the delayed packets only"
soj=$(lab_json_events_jq "$out" 'map(.qdisc_sojourn_us) | min')
lab_expect "${soj%.*}" -ge $((LAB_DELAY_MS * 1000)) "netem: PHY_QDISC sojourn >= $LAB_DELAY_MS ms"
lab_expect "$(lab_json_final_jq "$out" .below_threshold)" -eq 4 "--latency-us: 4 fast packets not printed"

# 5. --verbose: packets lost at an upcall (no flow) stop after the flow key extraction.
out=$work/lost
lab_netstage_upcall_losses "$out" 5000 4 system_network_perfomance_metrics --internal-interface int0 \
    --phy-interface phys0 --verbose --direction tx --protocol udp --dst-port 5000
lab_expect "$(grep -c '^=== FLOW INCOMPLETE: 4 stages captured, idle for ' "$out")" -eq 4 "--verbose: 4 FLOW INCOMPLETE records"
lab_expect "$(grep -c '^  LAST_SEEN_STAGE: dev=int0(' "$out")" -eq 4 "--verbose: last seen in the datapath"
lab_expect "$(grep -c '^  Stage FLOW_EXTRACT_TX: ' "$out")" -eq 4 "--verbose: up to FLOW_EXTRACT_TX"
lab_expect "$(grep -c '^=== FLOW COMPLETE' "$out")" -eq 0 "--verbose: nothing completed"
grep -q '^Packets reported: 0, below --latency-us: 0, incomplete: 4' "$out" || { cat "$out" >&2; lab_fail "lost: totals"; }

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
