#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The host-side vhost-net tools on a real vhost-net worker: a nested KVM guest (virtio-net on
# tap0, vhost=on) answers COUNT pings from the lab guest, which is the "host" of the tools.
# vhost_eventfd_count, vhost_buf_peek_stats (--clear: the window is the sum of its reports) and
# vhost_queue_correlation_simple -d tap0 -q 0 and vhost_queue_correlation_details -d tap0 -q 0
# --interval 1 run for the whole window; a second vhost_queue_correlation_simple follows the
# decoy tap vhdecoy (a socat reader, no vhost, DECOY_COUNT pings into it during the window) and
# must print nothing, and the details tool must show none of the decoy's packets. A tracefs
# kprobe counts handle_rx. Static neighbours and no IPv6 on either side: tap0 carries only
# what the scenario sends, so its sysfs counters bound what the tools may count, and every ping
# crosses both of the NIC's virtqueues. The guest never runs out of RX buffers, so vhost-net
# peeks every frame tap0 sends exactly once, with its length (tap0's tx_bytes).
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kprobe.sh"

COUNT=${LAB_VHOST_PINGS:-10}
DECOY_COUNT=5
GUEST_MAC=52:54:00:77:00:02

lab_nested_require
lab_nested_tap
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
lab_tool_workdir
work=$LAB_TOOL_WORK
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr "$GUEST_MAC" dev "$LAB_NESTED_TAP" nud permanent
tap_mac=$(cat "/sys/class/net/$LAB_NESTED_TAP/address")
lab_nested_start "ip neigh replace $LAB_NESTED_HOST_IP lladdr $tap_mac dev eth0 nud permanent
$(lab_nested_serve)"
lab_on_exit "touch $LAB_NESTED_DIR/io/stop"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"

declare -A pid tool
start() { # NAME TOOL ARGS...
    lab_tool_start "$work/$1.json" "$2" --json "${@:3}"
    pid[$1]=$LAB_TOOL_PID tool[$1]=$2
}
stop() { # NAME
    LAB_TOOL_PID=${pid[$1]} LAB_TOOL_NAME=${tool[$1]} LAB_TOOL_OUTPUTS=("$work/$1.json" "$work/$1.json.err")
    lab_tool_stop 0
}
tap_stat() { cat "/sys/class/net/$LAB_NESTED_TAP/statistics/$1"; }

socat -u "TUN:10.78.0.1/24,tun-type=tap,tun-name=vhdecoy,iff-up" STDOUT >/dev/null 2>&1 &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -e /sys/class/net/vhdecoy || lab_fail "socat did not create vhdecoy"
sysctl -qw net.ipv6.conf.vhdecoy.disable_ipv6=1
ip neigh replace 10.78.0.2 lladdr 52:54:00:78:00:02 dev vhdecoy nud permanent
lab_kprobe_add hrx handle_rx

tx0=$(tap_stat tx_packets)
rx0=$(tap_stat rx_packets)
txb0=$(tap_stat tx_bytes)
hrx0=$(lab_kprobe_hits hrx)
decoy0=$(cat /sys/class/net/vhdecoy/statistics/tx_packets)
start eventfd vhost_eventfd_count -i 1
start peek vhost_buf_peek_stats -i 1 --clear
start simple vhost_queue_correlation_simple -d "$LAB_NESTED_TAP" -q 0
start details vhost_queue_correlation_details -d "$LAB_NESTED_TAP" -q 0 --interval 1
start decoy vhost_queue_correlation_simple --device vhdecoy
tx_in=$(tap_stat tx_packets)
hrx_in=$(lab_kprobe_hits hrx)
# QEMU's vhost-net worker: a kthread of its own before 6.4, a thread of QEMU since.
qemu=$LAB_NESTED_PID
worker_tgid=$(ps -eLo pid=,comm= | awk -v c="vhost-$qemu" '$2 == c { print $1; exit }')
lab_assert_int "$worker_tgid" "the TGID of QEMU's vhost worker vhost-$qemu"

ping -n -q -c "$DECOY_COUNT" -i 0.2 -w 10 10.78.0.2 >/dev/null 2>&1 &
decoy_ping=$!
out=$(ping -n -q -c "$COUNT" -i 0.2 -w 60 "$LAB_NESTED_GUEST_IP" 2>&1) || true
replies=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")
wait "$decoy_ping" || true

# The window closes once nothing moves: tap0's counters and the cumulative counts of two
# consecutive reports of vhost_eventfd_count (TCG stalls for seconds happen).
last_totals() { tail -n 2 "$work/eventfd.json" | jq -r .total | paste -sd' '; }
quiet_state=
quiet() {
    local now t
    t=$(last_totals)
    now="$(tap_stat tx_packets) $(tap_stat rx_packets) $(lab_kprobe_hits hrx) $t"
    [[ $t == *' '* && ${t% *} == "${t#* }" && $now == "$quiet_state" ]] && return 0
    quiet_state=$now
    sleep 1
    return 1
}
lab_wait_for 60 quiet || lab_fail "the counters did not settle within 60 s: $quiet_state"
tx_in=$(($(tap_stat tx_packets) - tx_in))
hrx_in=$(($(lab_kprobe_hits hrx) - hrx_in))
for t in eventfd peek simple details decoy; do stop $t; done
hrx=$(($(lab_kprobe_hits hrx) - hrx0))
decoy=$(($(cat /sys/class/net/vhdecoy/statistics/tx_packets) - decoy0))
tx=$(($(tap_stat tx_packets) - tx0))
rx=$(($(tap_stat rx_packets) - rx0))
txb=$(($(tap_stat tx_bytes) - txb0))
touch "$LAB_NESTED_DIR/io/stop"
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"
lab_tool_no_leftovers
lab_log "window: $COUNT pings, ${replies:-0} replies; tap0 tx +$tx ($txb bytes) rx +$rx"

# vhost_eventfd_count: the final cumulative table.
read -r pairs vqs eventfds nonnull total min <<<"$(lab_json_final_jq "$work/eventfd.json" '
    [(.pairs | length), ([.pairs[].vq] | unique | length), ([.pairs[].eventfd] | unique | length),
     ([.pairs[] | select(.eventfd != "0x0")] | length), .total, ([.pairs[].count] | min)] | @tsv' -r)"
sed 's/^/  eventfd| /' "$work/eventfd.json" | tail -n 1 >&2
vqs_seen=$(lab_json_final_jq "$work/eventfd.json" '[.pairs[].vq] | join(" ")' -r)
# vhost_buf_peek_stats: its --clear reports summed per (nvq, return value).
read -r nvqs nvq peeked peeked_bytes empty_peeks <<<"$(jq -rs '
    [.[].nvqs[] | .nvq as $n | .returns[] | {nvq: $n, ret, count}] as $r
    | [([$r[].nvq] | unique | length), ([$r[].nvq] | unique | .[0] // "none"),
       ([$r[] | select(.ret > 0) | .count] | add // 0),
       ([$r[] | select(.ret > 0) | .ret * .count] | add // 0),
       ([$r[] | select(.ret == 0) | .count] | add // 0)] | @tsv' "$work/peek.json")"

lab_expect "${replies:-0}" -eq "$COUNT" "the nested guest answered every ping"
lab_expect "$tx" -ge "$COUNT" "tap0 sent the pings to the nested guest"
lab_expect "$pairs" -eq 2 "vhost_eventfd_count: two (vq, eventfd) pairs, the NIC's RX and TX virtqueues"
lab_expect "$vqs" -eq 2 "vhost_eventfd_count: two distinct virtqueues"
lab_expect "$eventfds" -eq 2 "vhost_eventfd_count: each virtqueue its own call eventfd"
lab_expect "$nonnull" -eq 2 "vhost_eventfd_count: every call eventfd is set (call_ctx read through CO-RE)"
lab_expect "$min" -ge 1 "vhost_eventfd_count: both virtqueues signalled"
lab_expect "$total" -le "$((tx + rx))" "vhost_eventfd_count: no more signals than packets on tap0"
# vhost_queue_correlation_simple: per virtqueue its signals and notify decisions, and what every
# event must carry: tap0 queue 0, the vhost worker of this QEMU, the guest's flags read.
lab_json_split "$work/simple.json" vhost_queue_correlation_simple
lab_json_final "$work/eventfd.json" >"$work/eventfd.final"
read -r sig_vqs foreign unread per_vq <<<"$(jq -rs --arg dev "$LAB_NESTED_TAP" --arg comm "vhost-$qemu" \
    --argjson pid "$worker_tgid" --slurpfile ef "$work/eventfd.final" '
    ($ef[0].pairs | map({key: .vq, value: .count}) | from_entries) as $counted
    | [(map(select(.event == "vhost_signal") | .vq) | unique | length),
       (map(select(.dev != $dev or .queue != 0 or .comm != $comm or .pid != $pid)) | length),
       (map(select(.event == "vhost_notify" and (.guest_avail_flags == null or
            (.event_idx and .guest_used_event == null)))) | length),
       (group_by(.vq) | map("\(.[0].vq)=\(map(select(.event == "vhost_signal")) | length)/\(map(select(.event == "vhost_notify")) | length)/\($counted[.[0].vq] // 0)") | join(","))]
    | @tsv' "$work/simple.json.events")"
lab_log "vhost_queue_correlation_simple per vq (signals/notifies/eventfd count): $per_vq"
lab_expect "$sig_vqs" -eq 2 "vhost_queue_correlation_simple: signals of tap0 queue 0's RX and TX virtqueues"
lab_expect "$foreign" -eq 0 "vhost_queue_correlation_simple: every event is tap0 queue 0's, by vhost-$qemu (TGID $worker_tgid)"
lab_expect "$unread" -eq 0 "vhost_queue_correlation_simple: every notify read the guest's avail flags (and used_event)"
for v in ${per_vq//,/ }; do
    IFS=/ read -r sigs notifies counted <<<"${v#*=}"
    lab_expect "$sigs" -eq "$counted" "vhost_queue_correlation_simple: signals of vq ${v%%=*} = vhost_eventfd_count's"
    lab_expect "$notifies" -eq "$sigs" "vhost_queue_correlation_simple: one vhost_notify decision per signal of vq ${v%%=*}"
done
lab_json_split "$work/decoy.json" "vhost_queue_correlation_simple --device vhdecoy"
lab_expect "$(wc -l <"$work/decoy.json.events")" -eq 0 "vhost_queue_correlation_simple --device vhdecoy: no event of tap0"

# vhost_queue_correlation_details: each stage against what caused it, the stages against each
# other (one RX virtqueue, its rx_ring = the tap queue's TX ring) and against the simple tool.
lab_json_split "$work/details.json" vhost_queue_correlation_details
read -r d_xmit d_recv d_hrx d_sig d_notify d_pings d_foreign d_worker d_rings d_rxvqs d_nvq d_hlen \
    d_sig_other d_sig_rx s_sig_rx d_notify_vqs d_reports d_unsummed <<<"$(jq -rs --arg dev "$LAB_NESTED_TAP" \
    --arg comm "vhost-$qemu" --argjson pid "$worker_tgid" --arg src "$LAB_NESTED_HOST_IP" \
    --arg dst "$LAB_NESTED_GUEST_IP" --argjson qlen "$(cat "/sys/class/net/$LAB_NESTED_TAP/tx_queue_len")" \
    --slurpfile simple "$work/simple.json.events" '
    def n($e): map(select(.event == $e)) | length;
    def per_vq($evs; $e): $evs | map(select(.event == $e)) | group_by(.vq) | map({key: .[0].vq, value: length})
        | from_entries;
    (map(select(.event != "interval"))) as $ev | (map(select(.event == "interval"))) as $iv
    | ($ev | map(select(.event == "handle_rx"))) as $hrx
    | ($hrx | map(.vq) | unique) as $rxvqs
    | ($hrx | map(.ktime_ns) | min // 0) as $first_hrx
    | [($ev | n("tun_net_xmit")), ($ev | n("tun_recvmsg")), ($ev | n("handle_rx")),
       ($ev | n("vhost_signal")), ($ev | n("vhost_notify")),
       ($ev | map(select(.event == "tun_net_xmit" and .flow.saddr == $src and .flow.daddr == $dst
                         and .flow.protocol == 1)) | length),
       ($ev | map(select(.dev != $dev or .queue != 0)) | length),
       ($ev | map(select(.event != "tun_net_xmit" and (.comm != $comm or .pid != $pid))) | length),
       ($ev | map(select((.event == "tun_net_xmit" or .event == "tun_recvmsg") and .ring.size != $qlen)) | length),
       ($rxvqs | length),
       ($hrx | map(select(.nvq != .vq or .tx_nvq == .nvq or
                          ([.rx_ring] | inside($ev | map(select(.event == "tun_net_xmit") | .ptr_ring)) | not)))
             | length),
       ($hrx | map(select(.vhost_hlen + .sock_hlen != 12)) | length),
       ($ev | map(select(.event == "vhost_signal" and (.vq | IN($rxvqs[]) | not) and .ktime_ns > $first_hrx)) | length),
       ($ev | map(select(.event == "vhost_signal" and (.vq | IN($rxvqs[])))) | length),
       ($simple | map(select(.event == "vhost_signal" and (.vq | IN($rxvqs[])))) | length),
       (per_vq($ev; "vhost_notify") as $d | per_vq($simple; "vhost_notify") as $s
        | ($d + $s) | keys | map(select($d[.] != $s[.])) | length),
       ($iv | length),
       (["tun_net_xmit", "tun_recvmsg", "handle_rx", "vhost_signal", "vhost_notify"]
        | map(. as $s | select(([$iv[][$s]] | add // 0) != ($ev | n($s)))) | length)] | @tsv' "$work/details.json.events")"
lab_log "vhost_queue_correlation_details: xmit $d_xmit, recvmsg $d_recv, handle_rx $d_hrx (kprobe $hrx_in..$hrx)," \
    "signals $d_sig (RX vq $d_sig_rx, simple's $s_sig_rx), notifies $d_notify; tap0 tx $tx_in..$tx; vhdecoy tx +$decoy"
lab_expect "$decoy" -ge "$DECOY_COUNT" "vhdecoy sent the decoy pings"
lab_expect "$d_foreign" -eq 0 "vhost_queue_correlation_details: every event is tap0 queue 0's (none of vhdecoy's)"
lab_expect_within "$tx_in" "$tx" "$d_xmit" "vhost_queue_correlation_details: tun_net_xmit events = tap0 tx_packets"
lab_expect "$d_pings" -eq "$COUNT" "vhost_queue_correlation_details: tun_net_xmit flows $LAB_NESTED_HOST_IP -> $LAB_NESTED_GUEST_IP ICMP = the pings"
lab_expect "$d_recv" -eq "$d_xmit" "vhost_queue_correlation_details: vhost-net took (tun_recvmsg) every packet tap0 queued"
lab_expect_within "$hrx_in" "$hrx" "$d_hrx" "vhost_queue_correlation_details: handle_rx events = handle_rx kprobe hits"
lab_expect "$d_worker" -eq 0 "vhost_queue_correlation_details: every vhost-side event by vhost-$qemu (TGID $worker_tgid)"
lab_expect "$d_rings" -eq 0 "vhost_queue_correlation_details: every ring state has tap0's tx_queue_len slots"
lab_expect "$d_rxvqs" -eq 1 "vhost_queue_correlation_details: handle_rx names one RX virtqueue"
lab_expect "$d_nvq" -eq 0 "vhost_queue_correlation_details: at handle_rx nvq = vq, tx_nvq apart, rx_ring = tap0 queue 0's TX ring"
lab_expect "$d_hlen" -eq 0 "vhost_queue_correlation_details: header lengths vhost + sock = 12 (virtio 1.0 header)"
lab_expect "$d_sig_other" -eq 0 "vhost_queue_correlation_details: no TX-virtqueue signal once handle_rx named the RX one"
lab_expect "$d_sig_rx" -eq "$s_sig_rx" "vhost_queue_correlation_details: RX-virtqueue signals = vhost_queue_correlation_simple's"
lab_expect "$d_notify_vqs" -eq 0 "vhost_queue_correlation_details: notify decisions per virtqueue = vhost_queue_correlation_simple's"
lab_expect "$d_reports" -ge 2 "vhost_queue_correlation_details --interval 1: a report per second and the last at exit"
lab_expect "$d_unsummed" -eq 0 "vhost_queue_correlation_details --interval: each stage's reports add up to its events"

lab_expect "$nvqs" -eq 1 "vhost_buf_peek_stats: one RX queue (nvq) peeked"
lab_expect "$peeked" -eq "$tx" "vhost_buf_peek_stats: one non-zero peek per frame tap0 sent"
lab_expect "$peeked_bytes" -eq "$txb" "vhost_buf_peek_stats: the peeked lengths add up to tap0's tx_bytes"
lab_expect "$empty_peeks" -ge 1 "vhost_buf_peek_stats: handle_rx ends on an empty peek (ret=0)"
[[ " $vqs_seen " == *" $nvq "* ]] ||
    lab_fail "vhost_buf_peek_stats: nvq $nvq is not one of vhost_eventfd_count's virtqueues ($vqs_seen)"
lab_ok "the peeked nvq $nvq is the RX virtqueue vhost_eventfd_count counted (vq is its first member)"
lab_log "passed in $(lab_elapsed)"
