#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 300
# The guest-side virtio-net RX tools inside a nested KVM guest with a real virtio-net NIC
# (tap0 + vhost-net): a TCP stream of known size from the lab guest into the nested guest,
# with static neighbours and no IPv6 so that the stream is all eth0 receives. Each tool is
# started once in the nested guest before the stream and stopped once it is over:
#   virtionet-rx-path-monitor: the packets virtnet_poll returned add up to eth0's rx_packets,
#   every RX poll that received less than its budget completed NAPI once (enable_cb_prepare
#   before napi_complete_done, virtqueue_poll after each success), the histograms hold
#   every call.
#   trace_virtio_net_rcvbuf: one RX record per packet eth0 received, in the RX ring input.0
#   (256 entries, last_used_idx rising), with the seq/ack the sender put on the wire (tcpdump
#   on tap0: the second capture point) and seq spanning the ISN, the bytes, SYN and FIN; the
#   ACKs the nested guest sent kicked output.0; both tools saw the same NAPI polls.
# Without module BTF (5.10) the tools get the lab's --btf directory, and without it say so.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

BYTES=${LAB_VIRTIO_RX_BYTES:-30000}
PORT=5001
NESTED_MAC=52:54:00:77:00:02

# Runs in the nested guest (bash on the shared root): the tools around the stream. Talks to
# the lab guest through files in $LAB_IO: tools_ready (both attached, counters read),
# traffic_done (the stream is over); leaves the outputs and eth0's counter deltas there.
# shellcheck disable=SC2153 # LIB, BPFNET_BIN, GUEST_BTF, HOST_* and PORT come with the call
guest_side() {
    set -euo pipefail
    source "$LIB/common.sh"
    local btf=() rx0 rx1 tx0 tx1 left stat=/sys/class/net/eth0/statistics
    [[ -n $GUEST_BTF ]] && btf=(--btf "$GUEST_BTF")
    ip neigh replace "$HOST_IP" lladdr "$HOST_MAC" dev eth0 nud permanent
    socat -u "TCP-LISTEN:$PORT" OPEN:/dev/null &
    "$BPFNET_BIN/virtionet-rx-path-monitor" --json -i 2 "${btf[@]}" --ready-file "$LAB_IO/monitor.ready" \
        >"$LAB_IO/monitor.json" 2>"$LAB_IO/monitor.err" &
    local monitor=$!
    "$BPFNET_BIN/trace_virtio_net_rcvbuf" --json "${btf[@]}" --ready-file "$LAB_IO/rcvbuf.ready" \
        >"$LAB_IO/rcvbuf.json" 2>"$LAB_IO/rcvbuf.err" &
    local rcvbuf=$!
    lab_wait_for 120 test -s "$LAB_IO/monitor.ready" || lab_fail "monitor did not attach: $(cat "$LAB_IO/monitor.err")"
    lab_wait_for 120 test -s "$LAB_IO/rcvbuf.ready" || lab_fail "rcvbuf did not attach: $(cat "$LAB_IO/rcvbuf.err")"
    lab_log "nested guest: both tools attached ${SECONDS}s after its start"
    rx0=$(<"$stat/rx_packets") tx0=$(<"$stat/tx_packets")
    : >"$LAB_IO/tools_ready"
    lab_wait_for 120 test -e "$LAB_IO/traffic_done" || lab_fail "the lab guest sent no stream"
    # The stream is over when this side's socket is gone (the last ACK came in).
    # shellcheck disable=SC2317 # called by lab_wait_for
    port_closed() { [[ -z $(ss -Htan "sport = :$PORT") ]]; }
    lab_wait_for 20 port_closed || lab_fail "the connection did not close"
    rx1=$(<"$stat/rx_packets") tx1=$(<"$stat/tx_packets")
    kill -INT "$monitor" "$rcvbuf"
    wait "$monitor" || lab_fail "monitor exited with $?: $(cat "$LAB_IO/monitor.err")"
    wait "$rcvbuf" || lab_fail "rcvbuf exited with $?: $(cat "$LAB_IO/rcvbuf.err")"
    # What the tools loaded went with them.
    left=$(bpftool prog show | grep -cE ' name (rxmon|rcv)_' || true)
    echo "$((rx1 - rx0)) $((tx1 - tx0)) $left" >"$LAB_IO/counters"
}

lab_nested_require
lab_nested_tap
lab_tool_workdir
btf_dir=$(lab_btf_dir)
host_mac=$(<"/sys/class/net/$LAB_NESTED_TAP/address")
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr "$NESTED_MAC" dev "$LAB_NESTED_TAP" nud permanent

lab_nested_start --root "$(declare -f guest_side)
LIB=$LAB_LIB_DIR BPFNET_BIN=$BPFNET_BIN GUEST_BTF=$btf_dir HOST_IP=$LAB_NESTED_HOST_IP HOST_MAC=$host_mac \
PORT=$PORT LAB_SLOWDOWN=$LAB_SLOWDOWN guest_side"
io=$LAB_NESTED_DIR/io
if [[ -n $btf_dir ]]; then
    # No module BTF (5.10): without --btf each tool names what it misses and how to pass it
    # (virtio_net is loaded in the lab guest too, for its probes).
    for tool in virtionet-rx-path-monitor trace_virtio_net_rcvbuf; do
        rc=0
        err=$(env -u BPFNET_BTF "$BPFNET_BIN/$tool" 2>&1 >/dev/null) || rc=$?
        lab_expect "$rc" -eq 1 "$tool without virtio_net's BTF exits 1"
        [[ $err == "Error: no BTF describes virtio_net's "*"pass --btf DIR with "*virtio_net* ]] ||
            lab_fail "$tool without virtio_net's BTF said: $err"
    done
fi
tools_ready_or_gone() { [[ -e $io/tools_ready ]] || ! lab_nested_alive; }
lab_wait_for 180 tools_ready_or_gone || true
[[ -e $io/tools_ready ]] || {
    lab_nested_wait 10 || true
    lab_fail "the tools did not start in the nested guest"
}
lab_log "nested guest up, tools attached after $(lab_elapsed)"
# The plans on the lab guest's own virtio-net (the same kernel): virtnet_poll's entry by fentry,
# the returns of virtnet_poll and start_xmit by fexit.
for tool in virtionet-rx-path-monitor trace_virtio_net_rcvbuf; do
    lab_expect_module_fentry "$tool" virtnet_poll ${btf_dir:+--btf "$btf_dir"}
done
lab_expect_module_fexit virtionet-rx-path-monitor virtnet_poll ${btf_dir:+--btf "$btf_dir"}
lab_expect_module_fexit trace_virtio_net_rcvbuf start_xmit ${btf_dir:+--btf "$btf_dir"}

work=$LAB_TOOL_WORK
# The sender's side of the stream as tap0 carried it: seq and ack of each segment.
tcpdump -i "$LAB_NESTED_TAP" -n -S -l -Q out "tcp and dst port $PORT" >"$work/tcpdump.txt" 2>"$work/tcpdump.err" &
tcpdump_pid=$!
lab_on_exit "kill $tcpdump_pid"
lab_wait_for 20 grep -q 'listening on' "$work/tcpdump.err" || lab_fail "tcpdump did not start: $(cat "$work/tcpdump.err")"
head -c "$BYTES" /dev/zero | socat -u - "TCP:$LAB_NESTED_GUEST_IP:$PORT" || lab_fail "the TCP stream failed"
# Over when this side has sent its last ACK (TIME-WAIT) or forgotten the connection.
sender_done() { [[ -z $(ss -Htn state established state fin-wait-1 state fin-wait-2 "dport = :$PORT") ]]; }
lab_wait_for 20 sender_done || lab_fail "the connection did not close"
: >"$io/traffic_done"
lab_nested_wait 120 >&2 || lab_fail "the nested guest's side failed"
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
cp "$io"/monitor.* "$io"/rcvbuf.* "$io"/counters "$work/"
read -r rx tx left <"$work/counters"
lab_log "nested eth0 received $rx and sent $tx packets during the stream"
lab_expect "$left" -eq 0 "no BPF program of the tools is left after Ctrl-C"
lab_json_check "$work/monitor.json" virtionet-rx-path-monitor
# One jq for every fact of the monitor's run.
read -r packets calls hist_total big_polls enable_cb complete success vq_poll to_enable to_complete \
    printed_packets summaries <<<"$(jq -rs '
    (map(select(.final)) | last) as $f
    | [$f.virtnet_poll.packets, $f.virtnet_poll.calls,
       ($f.histograms.virtnet_poll_ret_dist | map(.count) | add // 0),
       ($f.histograms.virtnet_poll_ret_dist | map(select(.high >= 64) | .count) | add // 0),
       $f.virtqueue_enable_cb_prepare.calls, $f.napi_complete_done.calls,
       $f.napi_complete_done.successful, $f.virtqueue_poll.calls,
       $f.call_flow.poll_to_enable_cb, $f.call_flow.enable_cb_to_complete,
       (map(select(.function == "virtnet_poll") | .ret) | add // 0),
       (map(select(.type == "summary")) | length)] | @tsv' "$work/monitor.json")"
lab_log "monitor: packets=$packets polls=$calls complete=$complete/$success enable_cb=$enable_cb vq_poll=$vq_poll"
lab_expect "$packets" -eq "$rx" "virtnet_poll returned as many packets as eth0 received"
lab_expect "$printed_packets" -eq "$packets" "the per-poll lines add up to the same packets"
lab_expect "$hist_total" -eq "$calls" "the virtnet_poll histogram holds every poll"
lab_expect "$big_polls" -eq 0 "no poll used its whole budget of 64"
lab_expect "$complete" -eq "$calls" "every RX poll under budget completed NAPI once"
lab_expect "$enable_cb" -eq "$complete" "virtqueue_enable_cb_prepare came before each completion"
lab_expect "$vq_poll" -eq "$success" "virtqueue_poll followed each successful completion"
lab_expect "$to_enable" -eq "$enable_cb" "call flow poll -> enable_cb on the RX queue"
lab_expect "$to_complete" -eq "$complete" "call flow enable_cb -> complete"
lab_expect "$summaries" -ge 1 "a running summary was printed"

lab_json_split "$work/rcvbuf.json" trace_virtio_net_rcvbuf
# The sender's (seq, ack) per segment; tcpdump leaves out seq where a segment has neither data,
# SYN nor FIN ("-"): a pure ACK's seq is usually the end of what came before, but a zero-window
# probe or keepalive carries snd_una - 1, so only its ack is compared.
awk '/ Flags \[/ {
    seq = ""; ack = 0
    for (i = 1; i <= NF; i++) {
        if ($i == "seq") seq = $(i + 1)
        if ($i == "ack") ack = $(i + 1)
    }
    sub(/,$/, "", seq); sub(/,$/, "", ack)
    if (seq == "") { s = "-" } else { split(seq, r, ":"); s = sprintf("%.0f", r[1]) }
    printf "%s %.0f\n", s, ack
}' "$work/tcpdump.txt" >"$work/sender.txt"
sent=$(wc -l <"$work/sender.txt")
read -r rx_records tcp_records rx_bad_ring tx_records tx_bad_ring polls recv_done last_used_steps seq_span <<<"$(jq -rs '
    map(select(.final | not)) as $e
    | ($e | map(select(.event == "rx"))) as $rx
    | ($rx | map(select(.type == "TCP" and .dport == '"$PORT"'))) as $tcp
    | ($e | map(select(.event == "tx"))) as $tx
    | [($rx | length), ($tcp | length),
       ($rx | map(select(.vq != "input.0" or .vring_len != 256 or .packed)) | length),
       ($tx | length), ($tx | map(select(.vq != "output.0" or .vring_len != 256)) | length),
       ($e | map(select(.event == "virtnet_poll")) | length),
       ($e | map(select(.event == "skb_recv_done")) | length),
       ([range(1; $rx | length) as $i | (($rx[$i].last_used_idx - $rx[$i - 1].last_used_idx + 65536) % 65536)
         | select(. < 1 or . > 256)] | length),
       (($tcp | map(.seq) | max) - ($tcp | map(.seq) | min))] | @tsv' "$work/rcvbuf.json")"
jq -r 'select(.event == "rx" and .type == "TCP" and .dport == '"$PORT"') | "\(.seq) \(.ack_seq)"' \
    "$work/rcvbuf.json" >"$work/received.txt"
lab_log "rcvbuf: rx=$rx_records (tcp $tcp_records) tx=$tx_records polls=$polls recv_done=$recv_done; tcpdump: $sent segments"
lab_expect "$rx_records" -eq "$rx" "one RX record per packet eth0 received"
lab_expect "$tcp_records" -eq "$sent" "one TCP record per segment tcpdump saw the sender put on tap0"
mismatch=$(paste -d' ' "$work/sender.txt" "$work/received.txt" |
    awk 'NF != 4 || ($1 != "-" && $1 != $3) || $2 != $4 { print NR ": sent " $1 " " $2 ", recorded " $3 " " $4 }')
[[ -z $mismatch ]] || lab_fail "seq/ack of the records differ from the sender's: $(head -3 <<<"$mismatch")"
lab_ok "every record's seq/ack is the sender's, in order"
lab_expect "$seq_span" -eq "$((BYTES + 2))" "seq spans the ISN, $BYTES bytes, SYN and FIN"
lab_expect "$rx_bad_ring" -eq 0 "every RX record is of input.0, a split ring of 256"
lab_expect "$last_used_steps" -eq 0 "last_used_idx rises from record to record"
lab_expect "$tx_records" -ge 1 "the nested guest's ACKs kicked the TX ring"
lab_expect "$tx_records" -le "$tx" "no more TX kicks than packets sent"
lab_expect "$tx_bad_ring" -eq 0 "every TX record is of output.0, a split ring of 256"
lab_expect "$polls" -eq "$calls" "both tools saw the same virtnet_poll calls"
lab_expect "$recv_done" -ge 1 "RX interrupts were seen"
lab_expect "$recv_done" -le "$polls" "each RX interrupt led to a poll"
lab_log "passed in $(lab_elapsed)"
