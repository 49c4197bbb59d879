#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The host-side vhost-net tools on a real vhost-net worker: a nested KVM guest (virtio-net on
# tap0, vhost=on) answers COUNT pings from the lab guest, which is the "host" of the tools.
# vhost_eventfd_count, vhost_buf_peek_stats (--clear: the window is the sum of its reports) and
# vhost_queue_correlation_simple -d tap0 -q 0 run for the whole window; a second
# vhost_queue_correlation_simple follows the decoy tap vhdecoy (no reader, no traffic) and
# must print nothing while tap0 is busy. Static neighbours and no IPv6 on either side: tap0 carries only
# what the scenario sends, so its sysfs counters bound what the tools may count, and every ping
# crosses both of the NIC's virtqueues. The guest never runs out of RX buffers, so vhost-net
# peeks every frame tap0 sends exactly once, with its length (tap0's tx_bytes).
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/tool.sh"

COUNT=${LAB_VHOST_PINGS:-10}
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

tx0=$(tap_stat tx_packets)
rx0=$(tap_stat rx_packets)
txb0=$(tap_stat tx_bytes)
ip tuntap add dev vhdecoy mode tap
lab_on_exit "ip link del vhdecoy"
start eventfd vhost_eventfd_count -i 1
start peek vhost_buf_peek_stats -i 1 --clear
start simple vhost_queue_correlation_simple -d "$LAB_NESTED_TAP" -q 0
start decoy vhost_queue_correlation_simple --device vhdecoy
# QEMU's vhost-net worker: a kthread of its own before 6.4, a thread of QEMU since.
qemu=$LAB_NESTED_PID
worker_tgid=$(ps -eLo pid=,comm= | awk -v c="vhost-$qemu" '$2 == c { print $1; exit }')
lab_assert_int "$worker_tgid" "the TGID of QEMU's vhost worker vhost-$qemu"

out=$(ping -n -q -c "$COUNT" -i 0.2 -w 60 "$LAB_NESTED_GUEST_IP" 2>&1) || true
replies=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")

# The window closes once nothing moves: tap0's counters and the cumulative counts of two
# consecutive reports of vhost_eventfd_count (TCG stalls for seconds happen).
last_totals() { tail -n 2 "$work/eventfd.json" | jq -r .total | paste -sd' '; }
quiet_state=
quiet() {
    local now t
    t=$(last_totals)
    now="$(tap_stat tx_packets) $(tap_stat rx_packets) $t"
    [[ $t == *' '* && ${t% *} == "${t#* }" && $now == "$quiet_state" ]] && return 0
    quiet_state=$now
    sleep 1
    return 1
}
lab_wait_for 60 quiet || lab_fail "the counters did not settle within 60 s: $quiet_state"
for t in eventfd peek simple decoy; do stop $t; done
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

lab_expect "$nvqs" -eq 1 "vhost_buf_peek_stats: one RX queue (nvq) peeked"
lab_expect "$peeked" -eq "$tx" "vhost_buf_peek_stats: one non-zero peek per frame tap0 sent"
lab_expect "$peeked_bytes" -eq "$txb" "vhost_buf_peek_stats: the peeked lengths add up to tap0's tx_bytes"
lab_expect "$empty_peeks" -ge 1 "vhost_buf_peek_stats: handle_rx ends on an empty peek (ret=0)"
[[ " $vqs_seen " == *" $nvq "* ]] ||
    lab_fail "vhost_buf_peek_stats: nvq $nvq is not one of vhost_eventfd_count's virtqueues ($vqs_seen)"
lab_ok "the peeked nvq $nvq is the RX virtqueue vhost_eventfd_count counted (vq is its first member)"
lab_log "passed in $(lab_elapsed)"
