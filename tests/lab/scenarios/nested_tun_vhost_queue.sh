#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 300
# The host-side tun/vhost queue tools on a real tap with vhost-net: the lab guest is the host,
# tap0 the nested guest's NIC (one queue pair: queue 0). tun_to_vhost_queue_status_simple
# (-d tap0 -q 0, text) and tun_to_vhost_queue_stats_details (-d tap0, JSON) run at once while
# the lab guest pings the nested guest COUNT times and pings a decoy tap (tap9, held open by
# socat, no vhost) that the device filter must leave out. Static neighbours and no IPv6 on
# both taps: the packets are the scenario's.
#   - packets at tun_net_xmit (the ring depth histograms' totals, both tools) = tap0's
#     tx_packets + tx_dropped over the window; packets at tun_recvmsg = tx_packets (tun counts
#     it when vhost-net takes a packet);
#   - simple: signals (calls) = the hits of a tracefs kprobe on vhost_add_used_and_signal_n
#     (the lab's only vhost device is tap0's: RX and TX virtqueue);
#   - details: its handle_rx histograms count every hit of a kprobe on handle_rx; its signals
#     are the RX virtqueue's only: at least one, at most one per handle_rx run (under 64
#     packets), fewer than all signals (the replies' TX completions); the signal index
#     analysis counts each of them (verification = total);
#   - one queue, tap0:q0; nothing of tap9, although tap9 sent packets.
# The window closes once tap0's counters and the kprobe hits stop moving (TCG stalls for
# seconds), then the tools get SIGINT and report the interval it cut short. Each count a tool
# makes lies between the counters' change over the window (read after the tools attached) and
# their change from before the tools started to after they stopped; both are the same unless
# something moved tap0 while a tool attached or detached.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/kprobe.sh"
source "$(dirname "$0")/../lib/tool.sh"

COUNT=${LAB_TVQ_PINGS:-8}
DECOY=tap9
DECOY_COUNT=5
B=${BPFNET_BIN:?}

lab_nested_require
lab_nested_tap
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr 52:54:00:77:00:02 dev "$LAB_NESTED_TAP" nud permanent

# The decoy: a tap with a reader (socat), so that tun_net_xmit queues on its queue 0 too.
socat -u "TUN:10.78.0.1/24,tun-type=tap,tun-name=$DECOY,iff-up" STDOUT >/dev/null 2>&1 &
decoy_pid=$!
lab_on_exit "kill $decoy_pid 2>/dev/null"
lab_wait_for 20 test -e "/sys/class/net/$DECOY" || lab_fail "socat did not create $DECOY"
sysctl -qw "net.ipv6.conf.$DECOY.disable_ipv6=1"
ip neigh replace 10.78.0.2 lladdr 52:54:00:78:00:02 dev "$DECOY" nud permanent

lab_kprobe_add sig vhost_add_used_and_signal_n
lab_kprobe_add hrx handle_rx

tap_mac=$(cat "/sys/class/net/$LAB_NESTED_TAP/address")
lab_nested_start "ip neigh replace $LAB_NESTED_HOST_IP lladdr $tap_mac dev eth0 nud permanent
$(lab_nested_serve)"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"

stat() { cat "/sys/class/net/$1/statistics/$2"; }
# Everything the window is measured by, on one line.
counters() {
    echo "$(stat "$LAB_NESTED_TAP" tx_packets) $(stat "$LAB_NESTED_TAP" tx_dropped)" \
        "$(stat "$LAB_NESTED_TAP" rx_packets) $(lab_kprobe_hits sig) $(lab_kprobe_hits hrx)" \
        "$(stat "$DECOY" tx_packets)"
}
# The change of counters from $1 to $2: tx+dropped tx rx signals handle_rx decoy.
deltas() {
    local a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    echo "$((b[0] + b[1] - a[0] - a[1])) $((b[0] - a[0])) $((b[2] - a[2])) $((b[3] - a[3]))" \
        "$((b[4] - a[4])) $((b[5] - a[5]))"
}
outer0=$(counters)

lab_tool_workdir
w=$LAB_TOOL_WORK
start=$SECONDS
"$B/tun_to_vhost_queue_status_simple" -d "$LAB_NESTED_TAP" -q 0 -i 1 -T --ready-file "$w/ready.simple" \
    >"$w/simple.txt" 2>"$w/simple.err" &
simple=$!
lab_on_exit "kill -INT $simple 2>/dev/null"
"$B/tun_to_vhost_queue_stats_details" -d "$LAB_NESTED_TAP" -i 1 --json --ready-file "$w/ready.details" \
    >"$w/details.json" 2>"$w/details.err" &
details=$!
lab_on_exit "kill -INT $details 2>/dev/null"
tools_ready() {
    [[ -e $w/ready.simple && -e $w/ready.details ]] && return 0
    kill -0 "$simple" 2>/dev/null && kill -0 "$details" 2>/dev/null && return 1
    return 0
}
lab_wait_for 240 tools_ready || true
if [[ ! -e $w/ready.simple || ! -e $w/ready.details ]]; then
    cat "$w"/*.err >&2
    lab_fail "a tool did not attach"
fi
lab_log "tools attached in $((SECONDS - start)) s"

inner0=$(counters)

ping -n -q -c "$DECOY_COUNT" -i 0.2 -w 10 10.78.0.2 >/dev/null 2>&1 &
decoy_ping=$!
out=$(ping -n -q -c "$COUNT" -i 0.2 -w 30 "$LAB_NESTED_GUEST_IP" 2>&1) || true
replies=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")
wait "$decoy_ping" || true

# Closed when three reads 0.5 s apart agree: the last replies and signals are in.
last=$(counters) same=0
for ((i = 0; i < 120 && same < 2; i++)); do
    sleep 0.5
    now=$(counters)
    if [[ $now == "$last" ]]; then ((same += 1)); else same=0; fi
    last=$now
done
read -r xmit tx rx sig hrx decoy <<<"$(deltas "$inner0" "$last")"

progs() { bpftool prog show | grep -cE ' name tvq_' || true; }
running=$(progs)
kill -INT "$simple" "$details"
rc=0 drc=0
wait "$simple" || rc=$?
wait "$details" || drc=$?
left=$(progs)
read -r o_xmit o_tx o_rx o_sig o_hrx o_decoy <<<"$(deltas "$outer0" "$(counters)")"
sed 's/^/  simple.err| /' "$w/simple.err" >&2
sed 's/^/  details.err| /' "$w/details.err" >&2
sed 's/^/  simple| /' "$w/simple.txt" >&2
lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"

# The simple tool's text: per section, the totals and the queues they name.
read -r s_xmit s_used s_calls s_queues s_reports s_times s_decoy s_stopped <<<"$(awk -v decoy="$DECOY" '
    /^PTR Ring Depth Distribution at tun_net_xmit:/ { sec = "xmit"; next }
    /^VQ last_used_idx Value Distribution at vhost_signal:/ { sec = "used"; next }
    /^VQ last_used_idx Values at vhost_signal/ { sec = "values"; next }
    /^$/ { sec = "" }
    /^  Queue: / { q = $2; queues[q] = 1 }
    sec == "values" && /\| calls: / { split($0, a, "calls: "); calls += a[2] + 0 }
    sec == "xmit" && /^    Total: / { xmit += $2 }
    sec == "used" && /^    Total: / { used += $2 }
    /^=+$/ && length($0) == 80 { reports++ }
    /^Time: [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / { times++ }
    index($0, decoy) { bad++ }
    /^Monitoring stopped[.]$/ { stopped = 1 }
    END { n = 0; names = ""; for (q in queues) { n++; names = names q "," }
          print xmit + 0, used + 0, calls + 0, names ":" n, reports + 0, times + 0, bad + 0, stopped + 0 }' "$w/simple.txt")"

# The details tool's reports: every sum in one jq.
lab_json_check "$w/details.json" "tun_to_vhost_queue_stats_details"
read -r d_reports d_queues d_xmit d_recv d_avail_rx d_inflight_rx d_used_rx d_signals d_avail_sig \
    d_used_sig d_idx_total d_idx_unverified <<<"$(jq -rs '
    def total($h): map(.queues[].histograms[$h].total) | add // 0;
    [length, (map(.queues[] | "\(.device):q\(.queue)") | unique | join(",")),
     total("ptr_ring_depth_xmit"), total("ptr_ring_depth_recv"),
     total("vq_consumption_progress_handle_rx"), total("vq_processing_delay_handle_rx"),
     total("vq_last_used_idx_handle_rx"), (map(.queues[].signals) | add // 0),
     total("vq_consumption_progress_vhost_signal"), total("vq_last_used_idx_vhost_signal"),
     (map(.signal_index[].total) | add // 0),
     (map(.signal_index[] | select(.total != .verification)) | length)] | @tsv' "$w/details.json")"

lab_log "window: $COUNT pings, ${replies:-0} replies; tap0 tx +$tx (with dropped +$xmit) rx +$rx;" \
    "vhost_add_used_and_signal_n +$sig; handle_rx +$hrx; $DECOY tx +$decoy"
lab_log "around the tools: tap0 tx +$o_tx (with dropped +$o_xmit) rx +$o_rx; signals +$o_sig; handle_rx +$o_hrx"
lab_log "simple: xmit $s_xmit, signals $s_calls (histogram $s_used), queues $s_queues, reports $s_reports"
lab_log "details: xmit $d_xmit, recvmsg $d_recv, handle_rx $d_avail_rx/$d_inflight_rx/$d_used_rx (kprobe $hrx)," \
    "RX signals $d_signals ($d_avail_sig/$d_used_sig, index analysis $d_idx_total), queues $d_queues, reports $d_reports"
lab_expect "$rc" -eq 0 "tun_to_vhost_queue_status_simple exited 0 at SIGINT"
lab_expect "$s_stopped" -eq 1 "it ended with 'Monitoring stopped.'"
lab_expect "$drc" -eq 0 "tun_to_vhost_queue_stats_details exited 0 at SIGINT"
lab_expect "$running" -ge 6 "their BPF programs were loaded (simple 2, details 4)"
lab_expect "$left" -eq 0 "no BPF program is left after SIGINT"
lab_expect "${replies:-0}" -eq "$COUNT" "the nested guest answered every ping"
lab_expect "$decoy" -ge "$DECOY_COUNT" "$DECOY sent the decoy pings"
lab_expect "$xmit" -ge "$COUNT" "tap0 sent the pings"
lab_expect_within "$xmit" "$o_xmit" "$s_xmit" "simple: packets at tun_net_xmit = tap0 tx_packets + tx_dropped"
lab_expect_within "$sig" "$o_sig" "$s_calls" "simple: signals = vhost_add_used_and_signal_n kprobe hits"
lab_expect "$s_used" -eq "$s_calls" "simple: the last_used_idx histogram counts every signal"
[[ $s_queues == "$LAB_NESTED_TAP:q0,:1" ]] || lab_fail "simple: queues $s_queues, expected only $LAB_NESTED_TAP:q0"
lab_expect "$s_decoy" -eq 0 "simple: nothing of $DECOY (device filter)"
lab_expect "$s_times" -eq "$s_reports" "simple: a Time line in each report (-T)"
lab_expect_within "$xmit" "$o_xmit" "$d_xmit" "details: packets at tun_net_xmit = tap0 tx_packets + tx_dropped"
lab_expect_within "$tx" "$o_tx" "$d_recv" "details: packets at tun_recvmsg = tap0 tx_packets"
lab_expect "$hrx" -ge 1 "handle_rx ran"
lab_expect_within "$hrx" "$o_hrx" "$d_avail_rx" "details: consumption progress at handle_rx = handle_rx kprobe hits"
lab_expect_within "$hrx" "$o_hrx" "$d_inflight_rx" "details: processing delay at handle_rx = handle_rx kprobe hits"
lab_expect_within "$hrx" "$o_hrx" "$d_used_rx" "details: last_used_idx at handle_rx = handle_rx kprobe hits"
lab_expect "$d_signals" -ge 1 "details: the RX virtqueue was signalled"
lab_expect "$d_signals" -le "$d_avail_rx" "details: at most one RX signal per handle_rx run"
lab_expect "$d_signals" -lt "$s_calls" "details: the TX virtqueue's signals are left out"
lab_expect "$d_avail_sig" -eq "$d_signals" "details: consumption progress at the signal counts every RX signal"
lab_expect "$d_used_sig" -eq "$d_signals" "details: last_used_idx at the signal counts every RX signal"
lab_expect "$d_idx_total" -eq "$d_signals" "details: the signal index analysis counts every RX signal"
lab_expect "$d_idx_unverified" -eq 0 "details: each analysis' total = its queue's signals (verification)"
[[ $d_queues == "$LAB_NESTED_TAP:q0" ]] || lab_fail "details: queues $d_queues, expected only $LAB_NESTED_TAP:q0"
lab_expect "$d_reports" -ge 2 "details: a report per interval and the last one"
lab_kprobe_report >&2
lab_log "passed in $(lab_elapsed)"
