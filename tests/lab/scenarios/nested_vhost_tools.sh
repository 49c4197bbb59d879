#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The host-side vhost-net tools on a real vhost-net worker: a nested KVM guest (virtio-net on
# tap0, vhost=on) answers COUNT pings from the lab guest, which is the "host" of the tools.
# vhost_eventfd_count and vhost_buf_peek_stats (--clear: the window is the sum of its reports)
# run for the whole window. Static neighbours and no IPv6 on either side: tap0 carries only
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

declare -A pid
start() { # NAME ARGS...
    lab_tool_start "$work/$1.json" "$1" --json "${@:2}"
    pid[$1]=$LAB_TOOL_PID
}
stop() { # NAME
    LAB_TOOL_PID=${pid[$1]} LAB_TOOL_NAME=$1 LAB_TOOL_OUTPUTS=("$work/$1.json" "$work/$1.json.err")
    lab_tool_stop 0
}
tap_stat() { cat "/sys/class/net/$LAB_NESTED_TAP/statistics/$1"; }

tx0=$(tap_stat tx_packets)
rx0=$(tap_stat rx_packets)
txb0=$(tap_stat tx_bytes)
start vhost_eventfd_count -i 1
start vhost_buf_peek_stats -i 1 --clear

out=$(ping -n -q -c "$COUNT" -i 0.2 -w 60 "$LAB_NESTED_GUEST_IP" 2>&1) || true
replies=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")

# The window closes once nothing moves: tap0's counters and the cumulative counts of two
# consecutive reports of vhost_eventfd_count (TCG stalls for seconds happen).
last_totals() { tail -n 2 "$work/vhost_eventfd_count.json" | jq -r .total | paste -sd' '; }
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
stop vhost_eventfd_count
stop vhost_buf_peek_stats
tx=$(($(tap_stat tx_packets) - tx0))
rx=$(($(tap_stat rx_packets) - rx0))
txb=$(($(tap_stat tx_bytes) - txb0))
touch "$LAB_NESTED_DIR/io/stop"
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"
lab_tool_no_leftovers
lab_log "window: $COUNT pings, ${replies:-0} replies; tap0 tx +$tx ($txb bytes) rx +$rx"

# vhost_eventfd_count: the final cumulative table.
read -r pairs vqs eventfds nonnull total min <<<"$(lab_json_final_jq "$work/vhost_eventfd_count.json" '
    [(.pairs | length), ([.pairs[].vq] | unique | length), ([.pairs[].eventfd] | unique | length),
     ([.pairs[] | select(.eventfd != "0x0")] | length), .total, ([.pairs[].count] | min)] | @tsv' -r)"
sed 's/^/  eventfd| /' "$work/vhost_eventfd_count.json" | tail -n 1 >&2
vqs_seen=$(lab_json_final_jq "$work/vhost_eventfd_count.json" '[.pairs[].vq] | join(" ")' -r)
# vhost_buf_peek_stats: its --clear reports summed per (nvq, return value).
read -r nvqs nvq peeked peeked_bytes empty_peeks <<<"$(jq -rs '
    [.[].nvqs[] | .nvq as $n | .returns[] | {nvq: $n, ret, count}] as $r
    | [([$r[].nvq] | unique | length), ([$r[].nvq] | unique | .[0] // "none"),
       ([$r[] | select(.ret > 0) | .count] | add // 0),
       ([$r[] | select(.ret > 0) | .ret * .count] | add // 0),
       ([$r[] | select(.ret == 0) | .count] | add // 0)] | @tsv' "$work/vhost_buf_peek_stats.json")"

lab_expect "${replies:-0}" -eq "$COUNT" "the nested guest answered every ping"
lab_expect "$tx" -ge "$COUNT" "tap0 sent the pings to the nested guest"
lab_expect "$pairs" -eq 2 "vhost_eventfd_count: two (vq, eventfd) pairs, the NIC's RX and TX virtqueues"
lab_expect "$vqs" -eq 2 "vhost_eventfd_count: two distinct virtqueues"
lab_expect "$eventfds" -eq 2 "vhost_eventfd_count: each virtqueue its own call eventfd"
lab_expect "$nonnull" -eq 2 "vhost_eventfd_count: every call eventfd is set (call_ctx read through CO-RE)"
lab_expect "$min" -ge 1 "vhost_eventfd_count: both virtqueues signalled"
lab_expect "$total" -le "$((tx + rx))" "vhost_eventfd_count: no more signals than packets on tap0"
lab_expect "$nvqs" -eq 1 "vhost_buf_peek_stats: one RX queue (nvq) peeked"
lab_expect "$peeked" -eq "$tx" "vhost_buf_peek_stats: one non-zero peek per frame tap0 sent"
lab_expect "$peeked_bytes" -eq "$txb" "vhost_buf_peek_stats: the peeked lengths add up to tap0's tx_bytes"
lab_expect "$empty_peeks" -ge 1 "vhost_buf_peek_stats: handle_rx ends on an empty peek (ret=0)"
[[ " $vqs_seen " == *" $nvq "* ]] ||
    lab_fail "vhost_buf_peek_stats: nvq $nvq is not one of vhost_eventfd_count's virtqueues ($vqs_seen)"
lab_ok "the peeked nvq $nvq is the RX virtqueue vhost_eventfd_count counted (vq is its first member)"
lab_log "passed in $(lab_elapsed)"
