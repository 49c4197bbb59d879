#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 420
# vm_network_latency_summary, vm_network_latency_details and vm_network_performance_metrics on a real VM's traffic: a nested KVM guest (GUEST) whose
# virtio-net NIC is the tap tap0 (vhost=on), a port of the OVS bridge br0 that the real
# ovs-vswitchd runs; the veth port phys0 is the host's physical NIC towards the namespace
# "remote" (the remote host: PEER, and DECOY, a second address of the same NIC). Static
# neighbours everywhere: no ARP, so the first IP packet after the datapath's flows are deleted
# is an upcall that ovs-vswitchd answers with a flow and an execute of the packet.
#
# VM TX (ICMP echo requests GUEST -> PEER, netem delay on phys0): every stage in order
#   VNET_RX -> OVS_RX -> FLOW_EXTRACT_END_RX [-> OVS_UPCALL_RX -> OVS_USERSPACE_RX]
#   -> QDISC_ENQ -> QDISC_DEQ -> TX_QUEUE -> TX_XMIT
# with one sample per request in each, the upcall's pairs for the upcalled ones (at least the
# first), and the delay in QDISC_ENQ -> QDISC_DEQ alone. VM RX (UDP PEER -> GUEST, no delay):
#   PHY_RX -> OVS_TX -> FLOW_EXTRACT_END_TX [-> upcall pairs] -> VNET_QDISC_ENQ
#   -> VNET_QDISC_DEQ -> VNET_TX (tap0's netem, without delay, holds every packet).
# Decoys the filters must exclude in both runs: pings to DECOY, UDP from DECOY, the echo
# replies, UDP to another port. vm_network_latency_details runs beside the summary with the
# same five-tuple filters and must print exactly the packets sent, each with its stages
#   VM TX: RX_S0 -> RX_S1 -> RX_S2 [-> RX_S3 -> RX_S4] -> RX_S5 -> RX_S6 (NIC queue entry)
#   VM RX: TX_S0 -> TX_S1 -> TX_S2 [-> TX_S3 -> TX_S4] -> TX_S5 -> TX_S6 (tun_net_xmit).
# vm_network_performance_metrics runs beside them with the same filters: one FLOW COMPLETE record
# per packet sent, the summary's stages in stage id order, the first on tap0 and the last on
# phys0, its per-probe counts equal to the summary's samples, and (the manual's three-phase
# workflow, phase 3) the largest gap of every VM TX record is the pair the summary put the
# netem delay in, QDISC_ENQ -> QDISC_DEQ.
#
# 3. The other protocols of each direction at once, a summary (JSON) and a details run per flow,
# each filtered on its five-tuple: TCP both ways (the nested guest's busybox nc sends two lines
# to PEER:5201, whose socat resets the connection once idle: SYN, ACK and data out; SYN-ACK,
# ACKs and the RST in, no two packets of one key in flight at once), UDP VM TX (busybox syslogd
# -R forwards each logger message to PEER:5003, and to the decoys DECOY:5003 and PEER:5004)
# and ICMP VM RX (PEER pings the guest; DECOY's pings are decoys). nftables counters in
# "remote" count each flow's packets independently of the tools; every pair of each summary
# has that many samples, its stages in order, and the details print exactly those packets.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

GUEST=$LAB_NESTED_GUEST_IP PEER=10.77.0.3 DECOY=10.77.0.4
GUEST_MAC=52:54:00:77:00:02
N=6
# With a nested guest on a loaded 2-core host a stage took up to 65 ms (6.12): the classes are
# a factor 8 above that (FAST_MS) and a factor 4 above FAST_MS (DELAY_MS, on phys0).
DELAY_MS=2000 FAST_MS=500
BPFNET_BTF=$(lab_btf_dir)
export BPFNET_BTF
lab_require_cmd socat socat
lab_require_cmd nft nftables
lab_nested_require
lab_tool_workdir
work=$LAB_TOOL_WORK

ip tuntap add dev "$LAB_NESTED_TAP" mode tap || lab_fail "cannot create $LAB_NESTED_TAP"
lab_on_exit "ip link del $LAB_NESTED_TAP"
sysctl -qw "net.ipv6.conf.$LAB_NESTED_TAP.disable_ipv6=1" 2>/dev/null
ip link set "$LAB_NESTED_TAP" up
lab_ovs_vswitchd_start "$work/ovs"
lab_netns_attach remote "$PEER" phys0
ip -n remote addr add "$DECOY/24" dev eth0
ip -n remote neigh replace "$GUEST" lladdr $GUEST_MAC dev eth0 nud permanent
remote_mac=$(ip -n remote -br link show eth0 | awk '{ print $3 }')
lab_ovs_bridge_add br0 "$LAB_NESTED_TAP" phys0
# A qdisc that holds every packet for the guest: netem without delay (pfifo_fast, pfifo and
# fq_codel let a packet bypass them when they are empty).
modprobe sch_netem 2>/dev/null || lab_skip "no sch_netem"
tc qdisc replace dev "$LAB_NESTED_TAP" root netem delay 0ms
# Flows stay until deleted: under TCG a run can be idle for longer than the default 10 s.
ovs-vsctl set Open_vSwitch . other_config:max-idle=600000
printf '%s\n' "in_port=$LAB_NESTED_TAP,actions=output:phys0" "in_port=phys0,actions=output:$LAB_NESTED_TAP" |
    ovs-ofctl add-flows br0 - || lab_fail "ovs-ofctl add-flows failed"

# The nested guest runs the commands the scenario writes to cmd.<n>, one after the other.
# shellcheck disable=SC2016 # expanded in the nested guest
lab_nested_start "arp -s $PEER $remote_mac; arp -s $DECOY $remote_mac; i=0
while [ ! -e \"\$LAB_IO/stop\" ]; do
    if [ -e \"\$LAB_IO/cmd.\$i\" ]; then
        sh \"\$LAB_IO/cmd.\$i\" >\"\$LAB_IO/out.\$i\" 2>&1; echo \$? >\"\$LAB_IO/rc.\$i\"; i=\$((i + 1))
    else sleep 0.5; fi
done"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"
guest_run() { # CMD: runs it in the nested guest, prints its output (called in $(...) too)
    local io=$LAB_NESTED_DIR/io n=0
    while [[ -e $io/cmd.$n ]]; do n=$((n + 1)); done
    printf '%s\n' "$1" >"$io/cmd.tmp" && mv "$io/cmd.tmp" "$io/cmd.$n"
    lab_wait_for 120 test -s "$io/rc.$n" || lab_fail "the nested guest did not run '$1'"
    cat "$io/out.$n"
    return "$(<"$io/rc.$n")"
}
# ping -w: every reply is counted, however long a stalled nested guest takes.
guest_ping() { guest_run "ping -n -q -c $2 -i 0.3 -w 60 $1" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p'; }
decoy_udp() { # PORT COUNT: datagrams from DECOY to the guest
    for ((i = 0; i < $2; i++)); do
        echo x | ip netns exec remote socat -u - "UDP-SENDTO:$GUEST:$1,bind=$DECOY"
    done
}
tap_sent() { cat "/sys/class/net/$LAB_NESTED_TAP/statistics/tx_packets"; }
tap_sent_at_least() { (($(tap_sent) >= $1)); }
TOOL_PIDS=()
start_tools() { # OUT ARGS...: the summary to OUT, the details (JSON) to OUT.details, the metrics to OUT.metrics
    local out=$1
    shift
    lab_tool_start "$out.metrics" vm_network_performance_metrics \
        --vm-interface "$LAB_NESTED_TAP" --phy-interface phys0 "$@"
    TOOL_PIDS=("$LAB_TOOL_PID")
    lab_tool_start "$out.details" vm_network_latency_details --json \
        --vm-interface "$LAB_NESTED_TAP" --phy-interface phys0 "$@"
    TOOL_PIDS+=("$LAB_TOOL_PID")
    lab_tool_start "$out" vm_network_latency_summary --vm-interface "$LAB_NESTED_TAP" --phy-interface phys0 \
        --interval 300 "$@"
    TOOL_PIDS+=("$LAB_TOOL_PID")
}
stop_tools() { # Ctrl-C to both: each must exit 0
    local pid rc
    kill -INT "${TOOL_PIDS[@]}"
    for pid in "${TOOL_PIDS[@]}"; do
        rc=0
        wait "$pid" || rc=$?
        ((rc == 0)) || lab_fail "a tool exited with status $rc (outputs: $work)"
    done
}
# One jq over the details' output: events, events of the flow (jq condition FLOW), distinct
# packets (jq expression KEY), events whose stages go from FIRST to LAST in path order, events
# through the upcall, events with the interfaces VM and PHY, packets reported at exit.
details_facts() { # FILE FLOW KEY FIRST LAST VM PHY
    lab_json_split "$1" "vm_network_latency_details"
    jq -rs --arg first "$4" --arg last "$5" --arg vm "$6" --arg phy "$7" "
        (map(select(.final)) | .[0]) as \$f | map(select(.final | not)) as \$e
        | [(\$e | length), (\$e | map(select($2)) | length), (\$e | map($3) | unique | length),
           (\$e | map(select(.stages[0].name == \$first and .stages[-1].name == \$last
                             and ([.stages[].id] == ([.stages[].id] | sort)))) | length),
           (\$e | map(select(any(.stages[].name; test(\"_S3_ovs_dp_upcall\$\")))) | length),
           (\$e | map(select(.vm_ifname == \$vm and .phy_ifname == \$phy)) | length),
           \$f.reported] | @tsv" "$1"
}
# The metrics' JSON records: records, records of the flow (jq condition FLOW), distinct packets
# (jq expression KEY), records whose stages go from FIRST to LAST in stage id order (the names
# of ORDER, comma-separated), records whose first stage is on VM and QDISC_ENQ onwards on PHY,
# the largest gap's stage pairs (distinct, comma-separated), the smallest such gap in us, the
# largest gap but those at QDISC_ENQ -> QDISC_DEQ and the upcall's, the per-probe counts "id:n,..." and the packets reported.
metrics_facts() { # FILE FLOW KEY FIRST LAST ORDER VM PHY
    lab_json_split "$1" "vm_network_performance_metrics"
    jq -rs --arg first "$4" --arg last "$5" --arg order "$6" --arg vm "$7" --arg phy "$8" "
        (map(select(.final)) | .[0]) as \$f | map(select(.stages)) as \$e
        | (\$order | split(\",\")) as \$o
        | (\$e | map([.stages | range(1; length) as \$i
                      | {pair: \"\(.[\$i - 1].name)>\(.[\$i].name)\", us: .[\$i].delta_us}])) as \$gaps
        | [(\$e | length), (\$e | map(select($2)) | length), (\$e | map($3) | unique | length),
           (\$e | map(select(.complete and .stages[0].name == \$first and .stages[-1].name == \$last
                             and ([.stages[].name | . as \$n | \$o | index(\$n)]
                                  | (all(. != null)) and . == sort))) | length),
           (\$e | map(select(.stages[0].dev == \$vm and (.stages | map(select(.name | test(\"QDISC|TX_QUEUE|TX_XMIT\")))
                             | all(.dev == \$phy))))| length),
           (\$gaps | map(max_by(.us) | .pair) | unique | join(\",\")),
           (\$gaps | map(max_by(.us) | .us) | min | floor),
           ([\$gaps[][] | select(.pair != \"QDISC_ENQ>QDISC_DEQ\" and (.pair | test(\">OVS_USERSPACE_\") | not)) | .us] | max // 0 | floor),
           (map(select(.probe_events)) | .[0].probe_events | map(\"\(.probe):\(.events)\") | join(\",\")),
           \$f.reported] | @tsv" "$1"
}
lab_log "setup done at $(lab_elapsed)"

# 1. VM TX, JSON: the echo requests to PEER, each delayed DELAY_MS on phys0.
tc qdisc add dev phys0 root netem delay "${DELAY_MS}ms"
lab_on_exit "tc qdisc del dev phys0 root 2>/dev/null"
ovs-appctl dpctl/del-flows >/dev/null
out=$work/tx
# --session-timeout: a request waits DELAY_MS in the qdisc, longer than the default second.
start_tools "$out" --json --direction tx --protocol icmp --src-ip "$GUEST" --dst-ip "$PEER" --session-timeout 10
replies=$(guest_ping "$PEER" $N)
decoy_replies=$(guest_ping "$DECOY" 3)
decoy_udp 5009 3    # the guest's port unreachables go to DECOY
# Each request left phys0 before its reply came back.
stop_tools
tc qdisc del dev phys0 root
lab_expect "${replies:-0}" -eq $N "the nested guest's pings to PEER answered"
lab_expect "${decoy_replies:-0}" -eq 3 "the decoy pings to DECOY answered"
# One jq: the pair chain, the upcalled packets, the counters, the delay's class and the others'.
read -r chain up started completed total slow_low fast_high tot_low <<<"$(lab_json_final_jq "$out" '
    [([.pairs[] | "\(.from)>\(.to):\(.samples)"] | join(",")),
     ([.pairs[] | select(.to == "OVS_UPCALL_RX") | .samples] | add // 0),
     .started, .completed, .total_samples,
     ([.pairs[] | select(.to == "QDISC_DEQ") | .buckets[].low_us] | min),
     ([.pairs[] | select(.to != "QDISC_DEQ" and .to != "OVS_USERSPACE_RX") | .buckets[].high_us] | max),
     ([.total_buckets[].low_us] | min)] | @tsv' -r)"
lab_assert_int "$up" "upcalled requests"
want="VNET_RX>OVS_RX:$N,OVS_RX>FLOW_EXTRACT_END_RX:$N,FLOW_EXTRACT_END_RX>OVS_UPCALL_RX:$up"
((N - up > 0)) && want+=",FLOW_EXTRACT_END_RX>QDISC_ENQ:$((N - up))"
want+=",OVS_UPCALL_RX>OVS_USERSPACE_RX:$up,OVS_USERSPACE_RX>QDISC_ENQ:$up"
want+=",QDISC_ENQ>QDISC_DEQ:$N,QDISC_DEQ>TX_QUEUE:$N,TX_QUEUE>TX_XMIT:$N"
[[ $chain == "$want" ]] || { cat "$out" "$out.err" >&2; lab_fail "VM TX pairs: '$chain', expected '$want'"; }
lab_ok "VM TX: every stage in order, $N samples per pair: $chain"
lab_expect "$up" -ge 1 "the first request after the flows were deleted went through the upcall"
lab_expect "$started" -eq $N "VM TX: sessions started (requests to PEER only)"
lab_expect "$completed" -eq $N "VM TX: sessions completed"
lab_expect "$total" -eq $N "VM TX: end-to-end samples"
lab_expect "$slow_low" -ge 1048575 "netem $DELAY_MS ms: every QDISC_ENQ -> QDISC_DEQ sample in its slot or above"
lab_expect "$tot_low" -ge 1048575 "netem: every end-to-end sample too"
lab_expect "$fast_high" -lt $((FAST_MS * 1000)) "every other pair (but the upcall's wait for ovs-vswitchd) under $FAST_MS ms"
read -r events flow packets whole upcalled ifs reported <<<"$(details_facts "$out.details" \
    ".protocol == \"icmp\" and .icmp_type == 8 and .src_ip == \"$GUEST\" and .dst_ip == \"$PEER\"" .icmp_seq \
    RX_S0_netif_receive_skb RX_S6_dev_queue_xmit "$LAB_NESTED_TAP" phys0)"
lab_expect "$events" -eq $N "details VM TX: one event per request"
lab_expect "$flow" -eq $N "details VM TX: all of the filtered flow (echo requests GUEST -> PEER)"
lab_expect "$packets" -eq $N "details VM TX: $N different ICMP sequence numbers"
lab_expect "$whole" -eq $N "details VM TX: each from RX_S0 to RX_S6, stages in path order"
lab_expect "$upcalled" -eq "$up" "details VM TX: as many through the upcall as the summary counted"
lab_expect "$ifs" -eq $N "details VM TX: interfaces $LAB_NESTED_TAP -> phys0"
lab_expect "$reported" -eq $N "details VM TX: packets reported at exit"
tx_order=VNET_RX,OVS_RX,FLOW_EXTRACT_END_RX,OVS_UPCALL_RX,OVS_USERSPACE_RX,CT_RX,CT_OUT_RX,QDISC_ENQ,QDISC_DEQ,TX_QUEUE,TX_XMIT
IFS=$'\t' read -r events flow packets whole ifs gap gap_us other_us probes reported <<<"$(metrics_facts "$out.metrics" \
    ".protocol == 1 and .icmp_type == 8 and .src_ip == \"$GUEST\" and .dst_ip == \"$PEER\"" .icmp_seq \
    VNET_RX TX_XMIT "$tx_order" "$LAB_NESTED_TAP" phys0)"
lab_expect "$events" -eq $N "metrics VM TX: one FLOW COMPLETE record per request"
lab_expect "$flow" -eq $N "metrics VM TX: all of the filtered flow (echo requests GUEST -> PEER)"
lab_expect "$packets" -eq $N "metrics VM TX: $N different ICMP sequence numbers"
lab_expect "$whole" -eq $N "metrics VM TX: each from VNET_RX to TX_XMIT, stages in stage id order"
lab_expect "$ifs" -eq $N "metrics VM TX: DEV $LAB_NESTED_TAP at VNET_RX, phys0 from QDISC_ENQ to TX_XMIT"
want="1:$N,2:$N,3:$N"
((up > 0)) && want+=",4:$up,5:$up"
want+=",8:$N,9:$N,10:$N,11:$N"
[[ $probes == "$want" ]] || { cat "$out.metrics" >&2; lab_fail "metrics VM TX: probe counts '$probes', expected '$want'"; }
lab_ok "metrics VM TX: Performance Statistics $probes (the summary's samples per stage)"
# Phase 3 of the manual's workflow: the records put the delay where the summary did.
[[ $gap == QDISC_ENQ\>QDISC_DEQ ]] || { cat "$out.metrics" >&2; lab_fail "metrics VM TX: largest gaps at '$gap', expected QDISC_ENQ>QDISC_DEQ"; }
lab_ok "phase 3: every record's largest gap is QDISC_ENQ -> QDISC_DEQ, the summary's delayed pair"
lab_expect "$gap_us" -ge $((DELAY_MS * 1000)) "metrics VM TX: that gap holds the netem delay ($DELAY_MS ms)"
lab_expect "$other_us" -lt $((FAST_MS * 1000)) "metrics VM TX: every other gap (but the upcall's) under $FAST_MS ms"
lab_expect "$reported" -eq $N "metrics VM TX: packets reported at exit"

# 2. VM RX, text layout: UDP from PEER to port 5001; decoys from DECOY and to another port.
ovs-appctl dpctl/del-flows >/dev/null
out=$work/rx
start_tools "$out" --direction rx --protocol udp --src-ip "$PEER" --dst-ip "$GUEST" --dst-port 5001
tap_sent0=$(tap_sent)
lab_udp_send remote "$GUEST" 5001 $N
decoy_udp 5001 3
lab_udp_send remote "$GUEST" 5002 3
replies=$(guest_ping "$PEER" 2)    # the replies come in from PEER: RX, ICMP
# Every packet towards the guest has passed VNET_TX once the guest has read it from tap0.
lab_wait_for 60 tap_sent_at_least $((tap_sent0 + N + 3 + 3 + 2)) || lab_fail "tap0 did not send everything to the guest"
stop_tools
lab_expect "${replies:-0}" -eq 2 "the guest's pings to PEER answered"
# One awk: the pairs in report order with their samples, the session line, the total's rows.
read -r chain sessions total <<<"$(awk '
    /^  [A-Z_]+ -> [A-Z_]+:$/ { pair = $1 ">" $3; sub(":$", "", pair) }
    /^    Total samples:/ { chain = chain (chain ? "," : "") pair ":" $3 }
    /^  VM RX started:/ { s = $4 $6 $8; gsub(",", "/", s) }
    /^Total End-to-End/ { intotal = 1 }
    intotal && /^  [0-9]/ { sub(/.*: */, ""); t += $1 }
    END { print chain, s, t + 0 }' "$out")"
up=$(sed -n 's/.*FLOW_EXTRACT_END_TX>OVS_UPCALL_TX:\([0-9]*\).*/\1/p' <<<"$chain")
lab_assert_int "${up:-x}" "upcalled datagrams"
want="PHY_RX>OVS_TX:$N,OVS_TX>FLOW_EXTRACT_END_TX:$N,FLOW_EXTRACT_END_TX>OVS_UPCALL_TX:$up"
((N - up > 0)) && want+=",FLOW_EXTRACT_END_TX>VNET_QDISC_ENQ:$((N - up))"
want+=",OVS_UPCALL_TX>OVS_USERSPACE_TX:$up,OVS_USERSPACE_TX>VNET_QDISC_ENQ:$up"
want+=",VNET_QDISC_ENQ>VNET_QDISC_DEQ:$N,VNET_QDISC_DEQ>VNET_TX:$N"
[[ $chain == "$want" ]] || { cat "$out" "$out.err" >&2; lab_fail "VM RX pairs: '$chain', expected '$want'"; }
lab_ok "VM RX: every stage in order, $N samples per pair: $chain"
lab_expect "$up" -ge 1 "the first datagram after the flows were deleted went through the upcall"
[[ $sessions == "$N/$N/0" ]] || { cat "$out" >&2; lab_fail "VM RX sessions started/completed/incomplete: '$sessions'"; }
lab_ok "VM RX: $N started, $N completed, 0 incomplete"
lab_expect "$total" -eq $N "VM RX: end-to-end rows add up to the datagrams sent"
grep -q '^Probe: fentry dev_hard_start_xmit -> VNET_TX$' "$out" || { cat "$out" >&2; lab_fail "banner: VNET_TX is not an fentry program"; }
! grep -q '^VM TX (VM->External):' "$out" || lab_fail "VM TX pairs in a VM RX run"
read -r events flow packets whole upcalled ifs reported <<<"$(details_facts "$out.details" \
    ".protocol == \"udp\" and .src_ip == \"$PEER\" and .dst_ip == \"$GUEST\" and .dst_port == 5001" .ip_id \
    TX_S0_netif_receive_skb TX_S6_tun_net_xmit "$LAB_NESTED_TAP" phys0)"
lab_expect "$events" -eq $N "details VM RX: one event per datagram"
lab_expect "$flow" -eq $N "details VM RX: all of the filtered flow (UDP PEER -> GUEST:5001)"
lab_expect "$packets" -eq $N "details VM RX: $N different IP ids"
lab_expect "$whole" -eq $N "details VM RX: each from TX_S0 to TX_S6, stages in path order"
lab_expect "$upcalled" -eq "$up" "details VM RX: as many through the upcall as the summary counted"
lab_expect "$ifs" -eq $N "details VM RX: interfaces phys0 -> $LAB_NESTED_TAP"
lab_expect "$reported" -eq $N "details VM RX: packets reported at exit"
# The metrics' text layout: records of the flow only, stages by id, devices, per-probe counts.
read -r records flows ordered devs probes <<<"$(awk -v vm="$LAB_NESTED_TAP" -v peer="$PEER" -v guest="$GUEST" '
    BEGIN { split("PHY_RX OVS_TX FLOW_EXTRACT_END_TX OVS_UPCALL_TX OVS_USERSPACE_TX CT_TX CT_OUT_TX VNET_QDISC_ENQ VNET_QDISC_DEQ VNET_TX", n, " ")
            for (i = 1; i <= 10; i++) ids[n[i]] = i }
    function done_rec() { if (!inrec) return; ordered += (ok && first == "PHY_RX" && last == "VNET_TX")
                          devs += (dev_ok && firstdev == "phys0"); inrec = 0 }
    /^\[.*\] === FLOW COMPLETE: [0-9]+ stages captured ===$/ { done_rec(); inrec = 1; records++; ok = 1; dev_ok = 1; prev = 0; first = "" }
    inrec && /^5-TUPLE: / { if (index($2, peer ":") == 1 && $4 == guest ":5001" && $5 == "UDP" && $NF == "DIR=VNET_TX") flows++ }
    inrec && /^  Stage [A-Z_]+: KTIME=[0-9]+ns/ { name = $2; sub(":$", "", name); if (!ids[name] || ids[name] <= prev) ok = 0
                                                 prev = ids[name]; last = name; if (first == "") first = name }
    inrec && /^    DEV: / { if (last == first) firstdev = $2; if (last ~ /^VNET_/ && $2 != vm) dev_ok = 0 }
    /^=== Performance Statistics ===$/ { done_rec(); inprobe = 1 }
    inprobe && /^  Probe [0-9]+: [0-9]+ events$/ { p = p (p ? "," : "") $2 $3 }
    END { done_rec(); print records + 0, flows + 0, ordered + 0, devs + 0, p }' "$out.metrics")"
lab_expect "$records" -eq $N "metrics VM RX: one FLOW COMPLETE record per datagram"
lab_expect "$flows" -eq $N "metrics VM RX: all of the filtered flow (UDP PEER -> GUEST:5001, DIR=VNET_TX)"
lab_expect "$ordered" -eq $N "metrics VM RX: each from PHY_RX to VNET_TX, stages in stage id order"
lab_expect "$devs" -eq $N "metrics VM RX: DEV phys0 at PHY_RX, $LAB_NESTED_TAP at VNET_QDISC_ENQ..VNET_TX"
want="12:$N,13:$N,14:$N"
((up > 0)) && want+=",15:$up,16:$up"
want+=",19:$N,20:$N,21:$N"
[[ $probes == "$want" ]] || { cat "$out.metrics" >&2; lab_fail "metrics VM RX: probe counts '$probes', expected '$want'"; }
lab_ok "metrics VM RX: Performance Statistics $probes"

# 3. TCP both ways, UDP VM TX, ICMP VM RX: four flows at once, each with its summary and details.
phase3=$SECONDS
TCP_PORT=5201 UDP_PORT=5003 N_LOG=4 N_PING=4
ip netns exec remote nft -f - <<EOF || lab_fail "nft counters in remote failed"
table ip vmflows {
    counter tcp_tx {}
    counter tcp_rx {}
    counter udp_tx {}
    counter icmp_rx {}
    counter decoys {}
    chain input {
        type filter hook input priority 0; policy accept;
        ip saddr $GUEST ip daddr $PEER tcp dport $TCP_PORT counter name tcp_tx
        ip saddr $GUEST ip daddr $PEER udp dport $UDP_PORT counter name udp_tx
        ip saddr $GUEST ip daddr $DECOY udp dport $UDP_PORT counter name decoys
        ip saddr $GUEST ip daddr $PEER udp dport 5004 counter name decoys
        ip saddr $GUEST ip daddr $DECOY tcp dport $TCP_PORT counter name decoys
        ip saddr $GUEST ip daddr $PEER tcp dport 5202 counter name decoys
    }
    chain output {
        type filter hook output priority 0; policy accept;
        ip saddr $PEER ip daddr $GUEST tcp sport $TCP_PORT counter name tcp_rx
        ip saddr $PEER ip daddr $GUEST icmp type echo-request counter name icmp_rx
    }
}
EOF
flow_count() { ip netns exec remote nft list counter ip vmflows "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
# Sinks for every datagram (no port unreachable from PEER: it would be ICMP PEER -> GUEST), and
# the TCP server: it reads, and once idle for 1.5 s closes with a reset (SO_LINGER 0).
for port in $UDP_PORT 5004; do
    ip netns exec remote socat -u "UDP-RECV:$port" OPEN:/dev/null &
    lab_on_exit "kill $!"
done
ip netns exec remote socat -T 1.5 -u "TCP-LISTEN:$TCP_PORT,bind=$PEER,reuseaddr,so-linger=0" OPEN:/dev/null &
tcp_server=$!
lab_on_exit "kill $tcp_server 2>/dev/null"
# A qdisc on phys0 again, without delay: QDISC_ENQ and QDISC_DEQ are stages of VM TX.
tc qdisc add dev phys0 root netem delay 0ms
ovs-appctl dpctl/del-flows >/dev/null
TOOL_PIDS=()
start_flow() { # OUT ARGS...: the summary (JSON) to OUT, the details (JSON) to OUT.details
    local out=$1
    shift
    lab_tool_start "$out.details" vm_network_latency_details --json \
        --vm-interface "$LAB_NESTED_TAP" --phy-interface phys0 "$@"
    TOOL_PIDS+=("$LAB_TOOL_PID")
    lab_tool_start "$out" vm_network_latency_summary --json --vm-interface "$LAB_NESTED_TAP" \
        --phy-interface phys0 --interval 300 "$@"
    TOOL_PIDS+=("$LAB_TOOL_PID")
}
start_flow "$work/tcp_tx" --direction tx --protocol tcp --src-ip "$GUEST" --dst-ip "$PEER" --dst-port $TCP_PORT
start_flow "$work/tcp_rx" --direction rx --protocol tcp --src-ip "$PEER" --dst-ip "$GUEST" --src-port $TCP_PORT
start_flow "$work/udp_tx" --direction tx --protocol udp --src-ip "$GUEST" --dst-ip "$PEER" --dst-port $UDP_PORT
start_flow "$work/icmp_rx" --direction rx --protocol icmp --src-ip "$PEER" --dst-ip "$GUEST"
lab_log "phase 3: 8 tools attached after $((SECONDS - phase3)) s"
# PEER's and DECOY's pings while the guest sends: from the remote host, in the background.
ip netns exec remote ping -n -q -c $N_PING -i 0.2 -w 60 -I "$PEER" "$GUEST" >"$work/ping_peer" 2>&1 &
ping_peer=$!
ip netns exec remote ping -n -q -c 2 -i 0.2 -w 60 -I "$DECOY" "$GUEST" >"$work/ping_decoy" 2>&1 &
ping_decoy=$!
# In the guest, at once: the TCP flow, which ends when PEER's reset arrives (nc exits; the
# guest sends nothing after it), and syslog datagrams of N_LOG different lengths (a packet's key
# holds the UDP length: no two alike); then the TCP decoys (refused: SYN out, RST in).
# shellcheck disable=SC2016 # expanded in the nested guest
guest_out=$(guest_run "syslogd -R $PEER:$UDP_PORT -R $DECOY:$UDP_PORT -R $PEER:5004 || exit 3
(sleep 0.5; echo one; sleep 0.5; echo two; sleep 3) | nc $PEER $TCP_PORT &
sleep 0.5; m=x; i=0
while [ \$i -lt $N_LOG ]; do logger -t lab \$m; m=\${m}x; i=\$((i + 1)); sleep 0.2; done
sleep 0.3; killall syslogd
nc $DECOY $TCP_PORT </dev/null; nc $PEER 5202 </dev/null
wait; echo nc exited") ||
    lab_fail "the guest's UDP and TCP traffic failed: $guest_out"
lab_log "the guest: $(tr "\n" " " <<<"$guest_out")"
wait "$ping_peer" "$ping_decoy" || true
wait "$tcp_server" || true
stop_tools
tc qdisc del dev phys0 root
lab_log "phase 3 traffic and tools done after $((SECONDS - phase3)) s"
peer_replies=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping_peer")
decoy_replies=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping_decoy")
lab_expect "${peer_replies:-0}" -eq $N_PING "PEER's pings to the guest answered"
lab_expect "${decoy_replies:-0}" -eq 2 "DECOY's pings to the guest answered"
declare -A counted
for flow in tcp_tx tcp_rx udp_tx icmp_rx decoys; do
    counted[$flow]=$(flow_count $flow)
    lab_assert_int "${counted[$flow]}" "nftables counter $flow"
done
lab_log "counted by nftables in remote: TCP VM TX ${counted[tcp_tx]}, TCP VM RX ${counted[tcp_rx]}, UDP VM TX ${counted[udp_tx]}, ICMP VM RX ${counted[icmp_rx]}"
lab_expect "${counted[udp_tx]}" -eq $N_LOG "UDP VM TX: one datagram per logger message reached PEER:$UDP_PORT"
lab_expect "${counted[icmp_rx]}" -eq $N_PING "ICMP VM RX: PEER's echo requests"
lab_expect "${counted[decoys]}" -eq $((2 * N_LOG + 2)) "decoys from the guest: each message to DECOY:$UDP_PORT and PEER:5004, a SYN to DECOY:$TCP_PORT and PEER:5202"
lab_expect "${counted[tcp_tx]}" -ge 4 "TCP VM TX: SYN, ACK and the two lines at least"
lab_expect "${counted[tcp_rx]}" -ge 4 "TCP VM RX: SYN-ACK, two ACKs and the reset at least"
# check_flow NAME DIR N FLOW KEY_UNIQUE: the summary's pairs are DIR's stages in order with N
# samples each (the upcall's for the packets that took it), N sessions started and completed,
# N end-to-end samples; the details print N events, all of the flow (jq condition FLOW), each
# through every stage, as many upcalled as the summary's; KEY_UNIQUE 1: N distinct packets.
check_flow() {
    local name=$1 dir=$2 n=$3 flow=$4 key=$5 out=$work/$1 chain up started completed total want
    local events fl packets whole upcalled ifs reported first last
    read -r chain up started completed total <<<"$(lab_json_final_jq "$out" '
        [([.pairs[] | "\(.from)>\(.to):\(.samples)"] | join(",")),
         ([.pairs[] | select(.to | test("^OVS_UPCALL_")) | .samples] | add // 0),
         .started, .completed, .total_samples] | @tsv' -r)"
    lab_assert_int "$up" "$name: upcalled packets"
    if [[ $dir == tx ]]; then
        want="VNET_RX>OVS_RX:$n,OVS_RX>FLOW_EXTRACT_END_RX:$n"
        ((up > 0)) && want+=",FLOW_EXTRACT_END_RX>OVS_UPCALL_RX:$up"
        ((n - up > 0)) && want+=",FLOW_EXTRACT_END_RX>QDISC_ENQ:$((n - up))"
        ((up > 0)) && want+=",OVS_UPCALL_RX>OVS_USERSPACE_RX:$up,OVS_USERSPACE_RX>QDISC_ENQ:$up"
        want+=",QDISC_ENQ>QDISC_DEQ:$n,QDISC_DEQ>TX_QUEUE:$n,TX_QUEUE>TX_XMIT:$n"
        first=RX_S0_netif_receive_skb last=RX_S6_dev_queue_xmit
    else
        want="PHY_RX>OVS_TX:$n,OVS_TX>FLOW_EXTRACT_END_TX:$n"
        ((up > 0)) && want+=",FLOW_EXTRACT_END_TX>OVS_UPCALL_TX:$up"
        ((n - up > 0)) && want+=",FLOW_EXTRACT_END_TX>VNET_QDISC_ENQ:$((n - up))"
        ((up > 0)) && want+=",OVS_UPCALL_TX>OVS_USERSPACE_TX:$up,OVS_USERSPACE_TX>VNET_QDISC_ENQ:$up"
        want+=",VNET_QDISC_ENQ>VNET_QDISC_DEQ:$n,VNET_QDISC_DEQ>VNET_TX:$n"
        first=TX_S0_netif_receive_skb last=TX_S6_tun_net_xmit
    fi
    [[ $chain == "$want" ]] || { cat "$out" "$out.err" >&2; lab_fail "$name pairs: '$chain', expected '$want'"; }
    lab_ok "$name: every stage in order, $n samples per pair (nftables' count): $chain"
    lab_expect "$started" -eq "$n" "$name: sessions started (the filtered flow only)"
    lab_expect "$completed" -eq "$n" "$name: sessions completed"
    lab_expect "$total" -eq "$n" "$name: end-to-end samples"
    read -r events fl packets whole upcalled ifs reported <<<"$(details_facts "$out.details" "$flow" \
        "[.seq, .payload, .ip_id, .icmp_seq]" "$first" "$last" "$LAB_NESTED_TAP" phys0)"
    lab_expect "$events" -eq "$n" "details $name: one event per packet"
    lab_expect "$fl" -eq "$n" "details $name: all of the filtered flow"
    ((key)) && lab_expect "$packets" -eq "$n" "details $name: $n different packets"
    lab_expect "$whole" -eq "$n" "details $name: each from $first to $last, stages in path order"
    lab_expect "$upcalled" -eq "$up" "details $name: as many through the upcall as the summary counted"
    lab_expect "$ifs" -eq "$n" "details $name: interfaces $LAB_NESTED_TAP and phys0"
    lab_expect "$reported" -eq "$n" "details $name: packets reported at exit"
}
check_flow tcp_tx tx "${counted[tcp_tx]}" \
    ".protocol == \"tcp\" and .src_ip == \"$GUEST\" and .dst_ip == \"$PEER\" and .dst_port == $TCP_PORT" 0
check_flow tcp_rx rx "${counted[tcp_rx]}" \
    ".protocol == \"tcp\" and .src_ip == \"$PEER\" and .dst_ip == \"$GUEST\" and .src_port == $TCP_PORT" 0
check_flow udp_tx tx "${counted[udp_tx]}" \
    ".protocol == \"udp\" and .src_ip == \"$GUEST\" and .dst_ip == \"$PEER\" and .dst_port == $UDP_PORT" 0
check_flow icmp_rx rx "${counted[icmp_rx]}" \
    ".protocol == \"icmp\" and .icmp_type == 8 and .src_ip == \"$PEER\" and .dst_ip == \"$GUEST\"" 1
lab_log "phase 3 (TCP both ways, UDP VM TX, ICMP VM RX) took $((SECONDS - phase3)) s"

lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"
lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
