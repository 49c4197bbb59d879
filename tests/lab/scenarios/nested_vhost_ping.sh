#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 240
# A ping between the lab guest (tap0, 10.77.0.1) and a nested KVM guest (virtio-net on
# vhost-net, 10.77.0.2) crosses the tun driver, the vhost_net worker and KVM's irqfd: kprobes
# on each count hits while the ping runs, and every one must fire.
#
#   lab guest -> tap0: tun_net_xmit; vhost_net reads it and fills the guest's RX ring:
#   handle_rx_net; the guest is told through an irqfd: irqfd_wakeup.
#   nested guest -> its TX ring -> kick: handle_tx_kick; vhost_net hands the frame to tun:
#   tun_sendmsg.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kprobe.sh"

COUNT=${LAB_PING_COUNT:-5}
PROBES=(tun_net_xmit tun_sendmsg handle_tx_kick handle_rx_net irqfd_wakeup)

lab_nested_require
lab_nested_tap
for f in "${PROBES[@]}"; do
    lab_kprobe_add "$f" "$f"
done

# Boot the nested guest and let it configure eth0 before counting.
lab_nested_start "$(lab_nested_serve)"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"
declare -A before
for f in "${PROBES[@]}"; do
    before[$f]=$(lab_kprobe_hits "$f")
done
tx0=$(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/tx_packets")
rx0=$(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/rx_packets")

out=$(ping -n -c "$COUNT" -i 0.2 -W 3 "$LAB_NESTED_GUEST_IP" 2>&1) || true
printf '%s\n' "$out" | sed 's/^/  ping| /' >&2
replies=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")

# Counters before hits at the end (hits before counters at the start): a frame that goes
# by between the two reads is then in the hits, never only in the counters.
tx=$(($(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/tx_packets") - tx0))
rx=$(($(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/rx_packets") - rx0))
declare -A delta
for f in "${PROBES[@]}"; do
    delta[$f]=$(($(lab_kprobe_hits "$f") - before[$f]))
done
lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"

lab_log "during the ping: tap0 tx=$tx rx=$rx;" \
    "$(for f in "${PROBES[@]}"; do printf '%s=%s ' "$f" "${delta[$f]}"; done)"
lab_expect "${replies:-0}" -eq "$COUNT" "lab guest -> nested guest ping answered"
for f in "${PROBES[@]}"; do
    lab_expect "${delta[$f]}" -gt 0 "$f fired during the ping"
done
# Every frame the lab guest sent to tap0 went through tun_net_xmit, and every frame the
# nested guest sent came through vhost into tun_sendmsg.
lab_expect "${delta[tun_net_xmit]}" -ge "$tx" "tun_net_xmit hits cover tap0's tx packets"
lab_expect "${delta[tun_sendmsg]}" -ge "$rx" "tun_sendmsg hits cover tap0's rx packets"
lab_expect "$rx" -ge "$COUNT" "tap0 received the echo replies"

lab_kprobe_report >&2
lab_log "passed in $(lab_elapsed)"
