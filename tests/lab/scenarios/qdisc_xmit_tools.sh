#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# The GSO anomaly detectors on their function entries (fentry programs, kprobes on 5.10 for
# module functions): trace-qdisc-dequeue, trace_dev_queue_xmit and trace_tc_qdisc, each
# started once, all three during one traffic pass. Namespace qga holds a
# bridge with a tap (frames written by tests/e2e/tap_frames as a VM's virtio-net would) and
# the veth towards qgb under HTB: class 1:10 (fq_codel) for UDP port 7777 through a u32
# filter with a gact action, the default class 1:20 for the rest.
# No kernel path makes a GSO size without a type (virtio_net_hdr_to_skb drops gso_size when
# the type is NONE), so the tools run with the test switch BPFNET_TEST_GSO_TYPE_IGNORE=UDP|DODGY:
# the 3 UFO frames from the tap (gso_type UDP|DODGY, port 7777) are the anomalies and must be
# reported exactly once at each point they cross; decoys that must not be reported: a TSO
# stream (gso_type TCPV4), 3 frames with gso_size but type NONE (port 7778) and, where the
# original leaves DHCP out, 2 UFO frames from port 68.
# tun-abnormal-gso-type joins the window after the TSO stream, with the test switch set to
# TCPV4|DODGY: two more taps on the bridge, qgvnet (--device; its reader takes TSO offload, so
# TCP GSO skbs reach its tun_net_xmit whole) and the decoy qgdecoy (a reader without offload),
# each reached through a static fdb entry. Into qgvnet: 3 TCP GSO frames (TCPV4|DODGY: the
# anomalies), 2 UFO frames and 2 TCP frames with gso_size but type NONE (normal); into qgdecoy:
# 2 TCP GSO frames. The anomalies are reported once each at tun_net_xmit (with qgvnet's ring)
# and at validate_xmit_skb; the decoy's only at sch_direct_xmit, which the original watches on
# every device; skb_segment shows the 2 UFO frames cut on qgvnet and the 2 decoys on qgdecoy.
# Cost on 6.12 with tun-abnormal-gso-type: 57 core-s (lab.sh under /usr/bin/time: 46.0 user +
# 11.3 sys, boot included, host load ~10 on 2 cores); 54 core-s (43.4 + 10.5) without it.
# Then trace-abnormal-arp on its kprobes (__netif_receive_skb, tun_net_xmit), watching qgtap for
# sender X = 10.64.0.50: 3 ARP replies from X written into qgtap and 2 gratuitous ARPs from X
# through a second tap, flooded into qgtap, are reported; requests and a gratuitous ARP from
# Y = 10.64.0.60 are not; 10 packets cross qgtap in tap_frames' context.
set -euo pipefail
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"

frames=$(cd "$BPFNET_BIN/../tests/e2e" && pwd)/tap_frames
[[ -x $frames ]] || lab_fail "no tap_frames beside $BPFNET_BIN: build the project first"
lab_modprobe tun bridge sch_htb sch_fq_codel cls_u32 act_gact cls_cgroup openvswitch
lab_tool_workdir
work=$LAB_TOOL_WORK

lab_netns_pair qga qgb 10.64.0.1 10.64.0.2
dev=$(lab_netns_devname to- qgb)
peer=$(lab_netns_devname to- qga)
ip -n qga addr flush dev "$dev"
ip -n qga link add qgbr type bridge
ip -n qga tuntap add dev qgtap mode tap vnet_hdr
ip -n qga link set "$dev" master qgbr
ip -n qga link set qgtap master qgbr
ip -n qga link set qgtap up
# qgvnet and qgdecoy: bridge ports held open by readers that never read, each with its MAC;
# added before qgbr gets its address (a new port can change the bridge's MAC).
ip -n qga tuntap add dev qgvnet mode tap vnet_hdr
ip -n qga tuntap add dev qgdecoy mode tap vnet_hdr
mac_v=02:00:00:64:00:0a mac_d=02:00:00:64:00:0d
for t in qgvnet qgdecoy; do
    ip -n qga link set "$t" master qgbr
    ip -n qga link set "$t" up
done
ip netns exec qga bridge fdb add "$mac_v" dev qgvnet master static
ip netns exec qga bridge fdb add "$mac_d" dev qgdecoy master static
ip netns exec qga "$frames" qgvnet --count 0 --offload --hold-ms 300000 &
lab_on_exit "kill $!"
ip netns exec qga "$frames" qgdecoy --count 0 --hold-ms 300000 &
lab_on_exit "kill $!"
lab_netns_addr qga qgbr 10.64.0.1
lab_netns_static_neigh qga qgbr 10.64.0.1 qgb "$peer" 10.64.0.2
held() { for t in qgvnet qgdecoy; do [[ $(ip netns exec qga cat /sys/class/net/$t/brport/state) == 3 ]] || return 1; done; }
lab_wait_for 10 held || lab_fail "qgvnet and qgdecoy are not forwarding with their readers attached"
lab_nsexec qga tc qdisc add dev "$dev" root handle 1: htb default 20
lab_nsexec qga tc class add dev "$dev" parent 1: classid 1:10 htb rate 1gbit quantum 60000
lab_nsexec qga tc class add dev "$dev" parent 1: classid 1:20 htb rate 1gbit quantum 60000
lab_nsexec qga tc qdisc add dev "$dev" parent 1:10 handle 10: fq_codel
lab_nsexec qga tc filter add dev "$dev" parent 1: protocol ip prio 1 u32 match ip dport 7777 0xffff \
    flowid 1:10 action ok
lab_nsexec qgb socat -u TCP-LISTEN:7000,reuseaddr,fork OPEN:/dev/null >/dev/null 2>&1 &
lab_wait_for 10 lab_tcp_listening qgb 7000 || lab_fail "no TCP listener in qgb"
mac_b=$(lab_nsexec qgb ip -br link show "$peer" | awk '{ print $3 }')

# The SKB_GSO_* bits of this kernel, from one BTF dump (a few seconds under TCG).
read -r gso_udp gso_dodgy tso <<<"$(bpftool btf dump file /sys/kernel/btf/vmlinux format raw |
    awk -F"'| val=" '$2 == "SKB_GSO_UDP" { u = $4 } $2 == "SKB_GSO_DODGY" { d = $4 } $2 == "SKB_GSO_TCPV4" { t = $4 }
        END { print u, d, t }')"
ufo=$((gso_udp | gso_dodgy))
export BPFNET_TEST_GSO_TYPE_IGNORE=$ufo

declare -A pid
start() { # NAME ARGS...
    lab_tool_start "$work/$1.json" "$1" --json "${@:2}"
    pid[$1]=$LAB_TOOL_PID
}
stop() { # NAME
    LAB_TOOL_PID=${pid[$1]} LAB_TOOL_NAME=$1 LAB_TOOL_OUTPUTS=("$work/$1.json" "$work/$1.json.err")
    lab_tool_stop 0
}
start trace-qdisc-dequeue --device "$dev"
start trace_dev_queue_xmit --device "$dev"
start trace_tc_qdisc --device "$dev" --fq-codel-device "$dev"

lab_nsexec qga bash -c "head -c 200000 /dev/zero | socat -u - TCP:10.64.0.2:7000" || lab_fail "the TSO stream failed"
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
BPFNET_TEST_GSO_TYPE_IGNORE=$((tso | gso_dodgy))
start tun-abnormal-gso-type --device qgvnet
BPFNET_TEST_GSO_TYPE_IGNORE=$ufo
unset BPFNET_BTF
write() { # COUNT SPORT DPORT ARGS...
    lab_nsexec qga "$frames" qgtap --count "$1" --gap-ms 100 --src-ip 10.64.0.9 --dst-ip 10.64.0.2 \
        --sport "$2" --dport "$3" --dst-mac "$mac_b" "${@:4}" || lab_fail "tap_frames failed"
}
write 3 4001 7777 --gso udp --gso-size 1000 --payload 2500
write 3 4002 7778 --gso none --gso-size 500 --payload 1200
write 2 68 67 --gso udp --gso-size 1000 --payload 2500
write_to() { # MAC COUNT DPORT ARGS...
    lab_nsexec qga "$frames" qgtap --count "$2" --gap-ms 100 --src-ip 10.64.0.9 --dst-ip 10.64.0.77 \
        --sport 4010 --dport "$3" --dst-mac "$1" "${@:4}" || lab_fail "tap_frames failed"
}
write_to "$mac_v" 3 7781 --proto tcp --gso tcp4 --gso-size 1000 --payload 2500
write_to "$mac_v" 2 7782 --gso udp --gso-size 1000 --payload 2500
write_to "$mac_v" 2 7783 --proto tcp --gso none --gso-size 500 --payload 1200
write_to "$mac_d" 2 7784 --proto tcp --gso tcp4 --gso-size 1000 --payload 2500
sleep 0.3
lab_log "traffic done at $(lab_elapsed)"
for t in trace-qdisc-dequeue trace_dev_queue_xmit trace_tc_qdisc tun-abnormal-gso-type; do stop "$t"; done

# facts TOOL: per probe, the UFO frames to 7777, then the decoys: DHCP, type NONE, TSO.
facts() {
    jq -rs --argjson ufo "$ufo" --argjson tso "$tso" --arg dev "$dev" '
        [.[] | select(.final | not)] as $e
        | ($e | map(select(.gso_type == $ufo and .gso_size == 1000 and .dst_port == 7777
                           and .src_port == 4001 and .dev == $dev)) | group_by(.probe)
           | map("\(.[0].probe)=\(length)") | join(",")),
          ($e | map(select(.src_port == 68)) | length),
          ($e | map(select(.dst_port == 7778)) | length),
          ($e | map(select(.gso_type == $tso)) | length),
          ([.[] | select(.final)][0].lost_events),
          ($e | map(select(.enqueue_fn_name == "fq_codel_enqueue")) | length)' "$work/$1.json" | paste -sd ' '
}
# check TOOL WANT DHCP: WANT is the expected "probe=count,..." of the UFO frames, DHCP the
# reports of the DHCP frames (the tools that do not leave DHCP out see them at 3 points).
check() {
    local got dhcp none tso_n lost fq missing
    read -r got dhcp none tso_n lost fq <<<"$(facts "$1")"
    missing=$(grep -c 'disabled$' "$work/$1.json.err" || true)
    ((missing == 0)) || cat "$work/$1.json.err" >&2
    lab_expect "$missing" -eq 0 "$1: probes missing (every one attached)"
    if [[ $got == "$2" ]]; then
        lab_ok "$1: the 3 UFO frames at each point: $got"
    else
        cat "$work/$1.json.err" >&2
        lab_fail "$1: UFO frames reported $got, expected $2"
    fi
    lab_expect "$dhcp" -eq "$3" "$1: UFO frames from DHCP port 68 reported (2 sent)"
    lab_expect "$none" -eq 0 "$1: frames with gso_size and type NONE reported (3 sent)"
    lab_expect "$tso_n" -eq 0 "$1: TSO skbs of the stream reported"
    lab_expect "$lost" -eq 0 "$1: lost events"
    LAB_FQ=$fq
}
check trace-qdisc-dequeue "net_dev_queue=3,qdisc_dequeue=3,sch_direct_xmit=3" 6
check trace_dev_queue_xmit "__dev_queue_xmit=3,sch_direct_xmit=3" 0
check trace_tc_qdisc "fq_codel_enqueue=3,fq_codel_enqueue_qdisc=3,htb_enqueue=3,sch_direct_xmit=3,tcf_action_exec=3,tcf_classify=3" 0
lab_expect "$LAB_FQ" -eq 3 "trace_tc_qdisc: the fq_codel check names the callback fq_codel_enqueue"
# trace-qdisc-dequeue's tracepoints are raw tracepoints: the stacks start where the kernel fires
# them (as the classic tracepoints' did), without the program and the tracepoint's runner.
read -r tp_n tp_bad <<<"$(jq -rs '[.[] | select(.probe == "net_dev_queue" or .probe == "qdisc_dequeue")]
    | [length, map(select(.probe as $p | (.stack[0] // "")
                          | startswith(if $p == "net_dev_queue" then "__dev_queue_xmit+" else "__qdisc_run+" end)
                          | not)) | length] | @tsv' \
    "$work/trace-qdisc-dequeue.json")"
lab_expect "$tp_bad" -eq 0 "trace-qdisc-dequeue: of $tp_n tracepoint reports, stacks not starting at __dev_queue_xmit / __qdisc_run"

# tun-abnormal-gso-type: per probe and device, the anomalies into qgvnet, the decoys into
# qgdecoy, the normal frames, the segmentations; qgvnet's ring as tun_net_xmit saw it.
tagt=$work/tun-abnormal-gso-type.json
read -r anomalies an_n other normal decoys seg_v seg_d ring_ok kstack_ok reported counted lost \
    <<<"$(jq -rs --argjson type $((tso | gso_dodgy)) --arg size "$(ip netns exec qga cat /sys/class/net/qgvnet/tx_queue_len)" '
    def per_probe: group_by(.probe) | map("\(.[0].probe)=\(length)") | join(",") | if . == "" then "-" else . end;
    [.[] | select(.final | not)] as $e
    | ($e | map(select(.probe != "skb_segment"))) as $r
    | ($r | map(select(.dst_port == 7781 and .dev == "qgvnet" and .gso_type == $type and .gso_size == 1000
                       and .src_ip == "10.64.0.9" and .dst_ip == "10.64.0.77"))) as $an
    | ($e | map(select(.probe == "skb_segment"))) as $seg
    | [($an | per_probe), ($an | length),
       ($r | map(select(.dst_port == 7781)) | length) - ($an | length),
       ($r | map(select(.dst_port == 7782 or .dst_port == 7783)) | length),
       ($r | map(select(.dst_port == 7784 and .dev == "qgdecoy")) | per_probe),
       ($seg | map(select(.dev == "qgvnet" and .dst_port == 7782)) | length),
       ($seg | map(select(.dev == "qgdecoy" and .dst_port == 7784)) | length),
       ($an | map(select(.probe == "tun_net_xmit" and .tun_ring.tun_dev == "qgvnet" and .tun_ring.queue_attached
                         and (.tun_ring.ptr_ring_size | tostring) == $size)) | length),
       ($an | map(select(.probe as $p | (.stack[0] // "") | startswith($p + "+") or startswith($p + ".")))
            | length),
       ($r | length),
       ([.[] | select(.final)][0].anomalies | [.[]] | add // 0),
       ([.[] | select(.final)][0].lost_events)] | @tsv' "$tagt")"
lab_log "tun-abnormal-gso-type: anomalies $anomalies, decoys $decoys, segmentations qgvnet $seg_v qgdecoy $seg_d"
grep -v "test switch\|no interface" "$tagt.err" >&2 || true
for p in tun_net_xmit sch_direct_xmit skb_segment validate_xmit_skb; do
    ! grep -q "$p.*disabled$" "$tagt.err" || lab_fail "tun-abnormal-gso-type: $p not attached"
done
# Through a qdisc, sch_direct_xmit validates the skb (validate_xmit_skb_list, validate_xmit_skb);
# without one (noqueue), __dev_queue_xmit calls validate_xmit_skb itself.
if ip netns exec qga tc qdisc show dev qgvnet | grep -q noqueue; then
    want="tun_net_xmit=3,validate_xmit_skb=3" want_decoy="-"
else
    want="sch_direct_xmit=3,tun_net_xmit=3,validate_xmit_skb=3,validate_xmit_skb_list=3" want_decoy="sch_direct_xmit=2"
fi
[[ $anomalies == "$want" ]] || lab_fail "tun-abnormal-gso-type: the 3 TCPV4|DODGY frames into qgvnet reported $anomalies, want $want"
lab_ok "tun-abnormal-gso-type: the 3 anomalies at each point: $anomalies"
[[ $decoys == "$want_decoy" ]] || lab_fail "tun-abnormal-gso-type: decoys into qgdecoy reported $decoys, want $want_decoy (sch_direct_xmit watches every device)"
lab_ok "tun-abnormal-gso-type: decoys into qgdecoy: $decoys"
lab_expect "$ring_ok" -eq 3 "tun-abnormal-gso-type: tun_net_xmit reports with qgvnet's ring (attached, size = txqueuelen)"
lab_expect "$other" -eq 0 "tun-abnormal-gso-type: reports of port 7781 with another device, type or size"
lab_expect "$normal" -eq 0 "tun-abnormal-gso-type: reports of the UFO and type-NONE frames into qgvnet (4 sent)"
lab_expect "$seg_v" -eq 2 "tun-abnormal-gso-type: skb_segment of the 2 UFO frames on qgvnet"
lab_expect "$seg_d" -eq 2 "tun-abnormal-gso-type: skb_segment of the 2 decoys on qgdecoy (no TSO there)"
# skb_segment's return is an fexit program (checked with the plans below): its stack starts at
# the caller, as a kretprobe's.
lab_expect "$(jq -rs '[.[] | select(.probe == "skb_segment" and ((.stack[0] // "skb_segment") | startswith("skb_segment")))] | length' "$tagt")" -eq 0 \
    "tun-abnormal-gso-type: skb_segment stacks starting in skb_segment instead of its caller"
lab_log "tun-abnormal-gso-type: skb_segment stacks start at $(jq -rs '[.[] | select(.probe == "skb_segment") | .stack[0]] | unique | join(" ")' "$tagt")"
lab_expect "$kstack_ok" -eq "$an_n" "tun-abnormal-gso-type: kernel stacks of the anomalies start at the probed function"
lab_expect "$counted" -eq "$reported" "tun-abnormal-gso-type: anomalies counted at exit = reported"
lab_expect "$lost" -eq 0 "tun-abnormal-gso-type: lost events"

ip -n qga tuntap add dev qgtap2 mode tap vnet_hdr
ip -n qga link set qgtap2 master qgbr
ip -n qga link set qgtap2 up
mac_br=$(lab_nsexec qga ip -br link show qgbr | awk '{ print $3 }')
unset BPFNET_TEST_GSO_TYPE_IGNORE
start trace-abnormal-arp --device qgtap --sender-ip 10.64.0.50
ip netns exec qga "$frames" qgtap --arp reply --sender-ip 10.64.0.50 --target-ip 10.64.0.1 --count 3 \
    --src-mac 02:00:00:00:00:05 --dst-mac "$mac_br" --hold-ms 20000 &
holder=$! # tap_frames itself (ip netns exec execs it): killed once the tap is needed again
forwarding() { [[ $(ip netns exec qga cat /sys/class/net/qgtap/brport/state) == 3 ]]; }
lab_wait_for 10 forwarding || lab_fail "qgtap is not forwarding in the bridge"
lab_nsexec qga "$frames" qgtap2 --arp gratuitous --sender-ip 10.64.0.50 --count 2 --src-mac 02:00:00:00:00:05 ||
    lab_fail "tap_frames (gratuitous ARP from X) failed"
lab_nsexec qga "$frames" qgtap2 --arp gratuitous --sender-ip 10.64.0.60 --src-mac 02:00:00:00:00:06 ||
    lab_fail "tap_frames (gratuitous ARP from Y) failed"
kill "$holder"
wait "$holder" 2>/dev/null || true
lab_nsexec qga "$frames" qgtap --arp request --sender-ip 10.64.0.60 --target-ip 10.64.0.1 --count 2 \
    --src-mac 02:00:00:00:00:06 --hold-ms 300 || lab_fail "tap_frames (ARP requests) failed"
stop trace-abnormal-arp
read -r replies grat other counted missing <<<"$(jq -rs '
    [.[] | select(.final | not)] as $e
    | ($e | map(select(.probe == "__netif_receive_skb" and .op == 2 and .spa == "10.64.0.50" and .dev == "qgtap"
                       and .sha == "02:00:00:00:00:05" and .eth_src == "02:00:00:00:00:05")) | length),
      ($e | map(select(.probe == "tun_net_xmit" and .op == 1 and .spa == "10.64.0.50"
                       and .eth_dst == "ff:ff:ff:ff:ff:ff" and (.stack | length) > 0)) | length),
      ($e | map(select(.spa != "10.64.0.50")) | length),
      ([.[] | select(.final)][0].packets | map(select(.dev == "qgtap" and .comm == "tap_frames")) | map(.count) | add // 0)
    ' "$work/trace-abnormal-arp.json" | paste -sd ' ') $(grep -c 'disabled$' "$work/trace-abnormal-arp.json.err" || true)"
lab_expect "$missing" -eq 0 "trace-abnormal-arp: probes missing (both kprobes attached)"
lab_expect "$replies" -eq 3 "trace-abnormal-arp: replies from X received from qgtap (3 sent)"
lab_expect "$grat" -eq 2 "trace-abnormal-arp: gratuitous ARPs from X sent into qgtap (2 flooded)"
lab_expect "$other" -eq 0 "trace-abnormal-arp: reports of other senders (3 sent)"
lab_expect "$counted" -eq 10 "trace-abnormal-arp: @[tap_frames, qgtap] (10 crossed qgtap)"
# The runs above: fentry programs (BPF trampolines) on the core kernel's functions, on a
# module's where it has BTF of its own (5.11+); BPFNET_FORCE_KPROBE=1 keeps the kprobe fallback.
E=fentry
[[ $(uname -r) == 5.10.* ]] && E=kprobe
for t in trace-qdisc-dequeue:fentry:sch_direct_xmit trace_dev_queue_xmit:fentry:__dev_queue_xmit \
    trace_tc_qdisc:$E:htb_enqueue trace-abnormal-arp:fentry:__netif_receive_skb \
    tun-abnormal-gso-type:$E:tun_net_xmit tun-abnormal-gso-type:fentry:validate_xmit_skb; do
    IFS=: read -r tool kind func <<<"$t"
    "$BPFNET_BIN/$tool" --list-probes >"$work/$tool.plan" 2>/dev/null
    grep -qx "  chosen: $kind $func" "$work/$tool.plan" || { cat "$work/$tool.plan" >&2; lab_fail "$tool: $func is not $kind"; }
    BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/$tool" --list-probes >"$work/$tool.kprobe.plan" 2>/dev/null
    lab_expect "$(grep -c '^  chosen: fentry' "$work/$tool.kprobe.plan")" -eq 0 "$tool, BPFNET_FORCE_KPROBE: no fentry"
    grep -qx "  chosen: kprobe $func" "$work/$tool.kprobe.plan" || lab_fail "$tool, BPFNET_FORCE_KPROBE: $func is not a kprobe"
done
grep -qx "  chosen: fexit skb_segment" "$work/tun-abnormal-gso-type.plan" || lab_fail "tun-abnormal-gso-type: skb_segment's return is not fexit"
grep -qx "  chosen: kretprobe skb_segment" "$work/tun-abnormal-gso-type.kprobe.plan" ||
    lab_fail "tun-abnormal-gso-type, BPFNET_FORCE_KPROBE: skb_segment's return is not a kretprobe"
# The tracepoints: raw ones, the classic ones under BPFNET_FORCE_KPROBE where no function stands in.
for t in trace-qdisc-dequeue:qdisc:qdisc_dequeue trace-qdisc-dequeue:net:net_dev_queue; do
    IFS=: read -r tool cat tp <<<"$t"
    grep -qx "  chosen: raw_tracepoint $cat:$tp" "$work/$tool.plan" || lab_fail "$tool: $cat:$tp is not a raw tracepoint"
    grep -qx "  chosen: tracepoint $cat:$tp" "$work/$tool.kprobe.plan" ||
        lab_fail "$tool, BPFNET_FORCE_KPROBE: $cat:$tp is not a classic tracepoint"
done
lab_ok "trace-qdisc-dequeue: raw tracepoints, classic ones under BPFNET_FORCE_KPROBE"
lab_tool_no_leftovers
lab_log "scenario took $(lab_elapsed)"
