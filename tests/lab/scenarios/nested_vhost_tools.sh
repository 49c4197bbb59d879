#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The host-side vhost-net tools on real vhost-net workers: a nested KVM guest with a
# multi-queue virtio-net NIC (2 queue pairs on tap0, a multi_queue tap: vhost=on, mq=on, two
# vhost-net devices, 2 vCPUs) pings the lab guest, which is the "host" of the tools: Q0 pings
# from its CPU 0, then Q1 from its CPU 1 (lab_nested_send_from). The rule that makes the
# per-queue counts known: XPS maps guest CPU q to TX queue q, so the requests of CPU q enter
# tap0 on queue q (vhost-net device q's TX virtqueue); tap0 records each flow's hash -> queue
# when the guest's packet arrives and steers the lab guest's answers to the queue recorded.
# The kernel answers an echo request inside its receive, before tap0 records the flow, so the
# first answer of each CPU's run follows the previous record (or the hash when there is none):
# on each queue the answers are Q +- 1. The test therefore takes the per-queue truth from
# tap0's mq qdisc (tc: its class per TX queue counts what left on that queue) and asserts the
# steering with that tolerance; the tools' per-queue counts must equal tc's exactly.
# vhost_eventfd_count, vhost_buf_peek_stats (--clear: the window is the sum of its reports),
# vhost_queue_correlation_simple -d tap0 -q 1 and vhost_queue_correlation_details -d tap0
# --interval 1 (every queue, split by its queue field) run for the whole window; a second
# vhost_queue_correlation_simple follows the decoy tap vhdecoy (a socat reader, no vhost,
# DECOY_COUNT pings into it during the window) and must print nothing, and the details tool
# must show none of the decoy's packets. A tracefs kprobe counts handle_rx. Static neighbours
# and no IPv6 on either side: tap0 carries only what the scenario sends (the guest's own
# traffic is tap0's rx_packets beyond its requests: measured, must be 0), so its counters
# bound what the tools may count, and every ping crosses both virtqueues of its queue pair.
# The guest never runs out of RX buffers, so vhost-net peeks every frame tap0 sends exactly
# once, with its length, on the RX virtqueue of the frame's queue. Eventfd pairs: 2 per queue
# pair (RX, TX call eventfds), as many pairs as the guest has queues times 2, and as many
# vhost-net devices as QEMU holds /dev/vhost-net descriptors (/proc/<qemu>/fd); a ping has one
# packet in flight at a time, so each virtqueue is counted once per packet of its queue (RX:
# tc's count for the queue; TX: the requests of the queue's CPU).
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kprobe.sh"

Q0=2 Q1=5 # pings from the guest's CPU 0 and CPU 1: apart by more than twice the tolerance of 1
COUNT=$((Q0 + Q1))
DECOY_COUNT=5
GUEST_MAC=52:54:00:77:00:02

lab_nested_require
lab_nested_tap --queues 2
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
lab_tool_workdir
work=$LAB_TOOL_WORK
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr "$GUEST_MAC" dev "$LAB_NESTED_TAP" nud permanent
# shellcheck disable=SC2016 # expanded in the nested guest
lab_nested_start "$(lab_nested_host_neigh)
while [ ! -e \"\$LAB_IO/go\" ]; do sleep 0.2; done
$(lab_nested_send_from 0 "$Q0")
$(lab_nested_send_from 1 "$Q1")
: >\"\$LAB_IO/sent\"
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
start simple vhost_queue_correlation_simple -d "$LAB_NESTED_TAP" -q 1
start details vhost_queue_correlation_details -d "$LAB_NESTED_TAP" --interval 1
start decoy vhost_queue_correlation_simple --device vhdecoy
tx_in=$(tap_stat tx_packets)
hrx_in=$(lab_kprobe_hits hrx)
# tap0's per-queue counters: its mq qdisc's child qdisc per TX queue (parent :1 = queue 0).
tc_queue() { # Q: "packets bytes" that left tap0 on TX queue Q
    tc -s -j qdisc show dev "$LAB_NESTED_TAP" |
        jq -r --arg p ":$(($1 + 1))" '.[] | select(.parent == $p) | "\(.packets) \(.bytes)"'
}
read -r tcq0_0 tcb0_0 <<<"$(tc_queue 0)"
read -r tcq1_0 tcb1_0 <<<"$(tc_queue 1)"
lab_assert_int "$tcq1_0" "tap0's TX queue 1 packets (its mq qdisc's child :2)"
# QEMU's vhost-net workers, one per queue pair: kthreads of their own before 6.4, threads of
# QEMU since; all named vhost-<qemu pid>.
qemu_pid=$LAB_NESTED_PID
workers=$(ps -eLo pid=,comm= | awk -v c="vhost-$qemu_pid" '$2 == c { print $1 }' | sort -un | paste -sd,)
lab_assert_int "${workers%%,*}" "the TGID of QEMU's vhost workers vhost-$qemu_pid"
vhost_fds=$(find "/proc/$qemu_pid/fd" -lname /dev/vhost-net | wc -l)

ping -n -q -c "$DECOY_COUNT" -i 0.2 -w 10 10.78.0.2 >/dev/null 2>&1 &
decoy_ping=$!
touch "$LAB_NESTED_DIR/io/go"
lab_wait_for 90 test -e "$LAB_NESTED_DIR/io/sent" || lab_fail "the nested guest did not send its pings"
sent_of() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' "$LAB_NESTED_DIR/io/sent.$1"; }
read -r sent0 replies0 <<<"$(sent_of 0)"
read -r sent1 replies1 <<<"$(sent_of 1)"
replies=$((${replies0:-0} + ${replies1:-0}))
wait "$decoy_ping" || true
lab_log "the guest's pings done at $(lab_elapsed)"

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
lab_log "counters settled at $(lab_elapsed)"
tx_in=$(($(tap_stat tx_packets) - tx_in))
hrx_in=$(($(lab_kprobe_hits hrx) - hrx_in))
for t in eventfd peek simple details decoy; do stop $t; done
hrx=$(($(lab_kprobe_hits hrx) - hrx0))
decoy=$(($(cat /sys/class/net/vhdecoy/statistics/tx_packets) - decoy0))
tx=$(($(tap_stat tx_packets) - tx0))
rx=$(($(tap_stat rx_packets) - rx0))
txb=$(($(tap_stat tx_bytes) - txb0))
read -r tcq0 tcb0 <<<"$(tc_queue 0)"
read -r tcq1 tcb1 <<<"$(tc_queue 1)"
tcq0=$((tcq0 - tcq0_0)) tcb0=$((tcb0 - tcb0_0)) tcq1=$((tcq1 - tcq1_0)) tcb1=$((tcb1 - tcb1_0))
guest_queues=$(cat "$LAB_NESTED_DIR/io/queues" 2>/dev/null || echo 0)
sed 's/^/  guest vectors (irq name cpu effective)| /' "$LAB_NESTED_DIR/io/queues.cfg" >&2 || true
touch "$LAB_NESTED_DIR/io/stop"
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"
lab_tool_no_leftovers
lab_log "tools stopped and the nested guest gone at $(lab_elapsed)"
lab_log "window: guest CPU 0 $sent0 requests / $replies0 replies, CPU 1 $sent1 / $replies1; tap0 tx +$tx ($txb bytes) rx +$rx;" \
    "tap0 TX queue 0 +$tcq0 ($tcb0 bytes), queue 1 +$tcq1 ($tcb1 bytes); guest queues $guest_queues, QEMU's vhost-net fds $vhost_fds, workers $workers"
bg_rx=$((rx - ${sent0:-0} - ${sent1:-0})) bg_tx=$((tx - replies))
lab_log "the guest's own traffic beyond its pings (ARP): tap0 rx +$bg_rx, tx +$bg_tx"

# The steering: each CPU's pings answered, the answers on the CPU's queue (+-1 for the first
# answer of a run, + the guest's own traffic), the queues adding up to tap0's tx_packets.
lab_expect "${replies0:-0}" -eq "$Q0" "the nested guest's CPU 0 got its $Q0 replies"
lab_expect "${replies1:-0}" -eq "$Q1" "the nested guest's CPU 1 got its $Q1 replies"
lab_expect "$guest_queues" -eq 2 "the nested guest's eth0 has 2 queue pairs"
lab_expect "$vhost_fds" -eq 2 "QEMU holds 2 /dev/vhost-net descriptors (one vhost-net device per queue pair)"
lab_expect "$bg_tx" -le 2 "the guest's own traffic (answers to ARP) stays small"
lab_expect_within $((Q0 - 1)) $((Q0 + 1 + bg_tx)) "$tcq0" "tap0 queue 0 carried the answers to CPU 0"
lab_expect_within $((Q1 - 1)) $((Q1 + 1 + bg_tx)) "$tcq1" "tap0 queue 1 carried the answers to CPU 1"
lab_expect "$((tcq0 + tcq1))" -eq "$tx" "tap0's two queues carried all of its tx_packets"
lab_expect "$((tcb0 + tcb1))" -eq "$txb" "tap0's two queues carried all of its tx_bytes"

# The details tool over every queue: per queue its vqs, RX nvq, transmits, receives.
lab_json_split "$work/details.json" vhost_queue_correlation_details
jq -cs '(map(select(.event != "interval"))) as $ev
    | [0, 1] | map(. as $q | $ev | map(select(.queue == $q)) | {queue: $q,
        vqs: (map(.vq // empty) | unique), rxvq: (map(select(.event == "handle_rx") | .vq) | unique),
        xmit: (map(select(.event == "tun_net_xmit")) | length),
        recv: (map(select(.event == "tun_recvmsg")) | length)})' "$work/details.json.events" >"$work/queues.json"
lab_log "vhost_queue_correlation_details per queue: $(cat "$work/queues.json")"

# vhost_eventfd_count: the final cumulative table, its pairs against the guest's queues.
read -r pairs vqs eventfds nonnull total min <<<"$(lab_json_final_jq "$work/eventfd.json" '
    [(.pairs | length), ([.pairs[].vq] | unique | length), ([.pairs[].eventfd] | unique | length),
     ([.pairs[] | select(.eventfd != "0x0")] | length), .total, ([.pairs[].count] | min)] | @tsv' -r)"
sed 's/^/  eventfd| /' "$work/eventfd.json" | tail -n 1 >&2
vqs_seen=$(lab_json_final_jq "$work/eventfd.json" '[.pairs[].vq] | join(" ")' -r)
# shellcheck disable=SC2016 # jq's variables
per_queue_pairs=$(lab_json_final_jq "$work/eventfd.json" '[.pairs[].vq as $v | $q[0][] | select(.vqs | index($v))
    | .queue] | group_by(.) | map("\(.[0]):\(length)") | join(",")' -r --slurpfile q "$work/queues.json")
# vhost_buf_peek_stats: its --clear reports summed per (nvq, return value).
jq -cs '[.[].nvqs[] | .nvq as $n | .returns[] | {nvq: $n, ret, count}] | group_by(.nvq)
    | map({nvq: .[0].nvq, peeked: (map(select(.ret > 0) | .count) | add // 0),
           bytes: (map(select(.ret > 0) | .ret * .count) | add // 0),
           empty: (map(select(.ret == 0) | .count) | add // 0)})' "$work/peek.json" >"$work/peek.sum"
nvqs=$(jq length "$work/peek.sum")
empty_peeks=$(jq 'map(.empty) | add // 0' "$work/peek.sum")

lab_expect "$pairs" -eq $((2 * guest_queues)) "vhost_eventfd_count: two (vq, eventfd) pairs per queue pair of the guest, RX and TX"
lab_expect "$pairs" -eq $((2 * vhost_fds)) "vhost_eventfd_count: two pairs per vhost-net device QEMU holds"
lab_expect "$vqs" -eq "$pairs" "vhost_eventfd_count: distinct virtqueues"
lab_expect "$eventfds" -eq "$pairs" "vhost_eventfd_count: each virtqueue its own call eventfd"
lab_expect "$nonnull" -eq "$pairs" "vhost_eventfd_count: every call eventfd is set (call_ctx read through CO-RE)"
lab_expect "$min" -ge 1 "vhost_eventfd_count: every virtqueue signalled"
lab_expect "$total" -le "$((tx + rx))" "vhost_eventfd_count: no more signals than packets on tap0"
[[ $per_queue_pairs == "0:2,1:2" ]] ||
    lab_fail "vhost_eventfd_count: its virtqueues by tap0 queue (the details tool's) are $per_queue_pairs, want 0:2,1:2"
lab_ok "vhost_eventfd_count: two of its pairs are tap0 queue 0's virtqueues, two queue 1's"
# Per queue pair its RX and TX virtqueue's counts: one add-used-and-signal per packet, as the
# pings have one packet in flight at a time (RX: what tap0 sent on the queue; TX: the guest's
# requests from the queue's CPU, + its own traffic if any).
# shellcheck disable=SC2016 # jq's variables
read -r ef_rx0 ef_tx0 ef_rx1 ef_tx1 <<<"$(lab_json_final_jq "$work/eventfd.json" '
    (.pairs | map({key: .vq, value: .count}) | from_entries) as $c
    | [$q[0][] | .rxvq[0] as $rx | ($c[$rx] // 0), ([.vqs[] | select(. != $rx) | $c[.] // 0] | add // 0)] | @tsv' \
    -r --slurpfile q "$work/queues.json")"
lab_log "vhost_eventfd_count per queue pair: queue 0 RX $ef_rx0 TX $ef_tx0, queue 1 RX $ef_rx1 TX $ef_tx1;" \
    "sent: queue 0 $tcq0 frames to the guest, $sent0 requests from it; queue 1 $tcq1, $sent1"
lab_expect "$ef_rx0" -eq "$tcq0" "vhost_eventfd_count: queue 0's RX virtqueue counted once per frame tap0 sent on queue 0"
lab_expect "$ef_rx1" -eq "$tcq1" "vhost_eventfd_count: queue 1's RX virtqueue counted once per frame tap0 sent on queue 1"
lab_expect_within "$sent0" $((sent0 + bg_rx)) "$ef_tx0" "vhost_eventfd_count: queue 0's TX virtqueue counted once per request from CPU 0"
lab_expect_within "$sent1" $((sent1 + bg_rx)) "$ef_tx1" "vhost_eventfd_count: queue 1's TX virtqueue counted once per request from CPU 1"

# vhost_queue_correlation_simple -q 1: per virtqueue its signals and notify decisions, and what
# every event must carry: tap0 queue 1, a vhost worker of this QEMU, the guest's flags read.
lab_json_split "$work/simple.json" vhost_queue_correlation_simple
lab_json_final "$work/eventfd.json" >"$work/eventfd.final"
read -r rxvq1 vqs1 <<<"$(jq -r '[(.[1].rxvq | join(" ")), (.[1].vqs | join(" "))] | @tsv' "$work/queues.json")"
read -r sig_vqs foreign unread per_vq <<<"$(jq -rs --arg dev "$LAB_NESTED_TAP" --arg comm "vhost-$qemu_pid" \
    --arg pids "$workers" --slurpfile ef "$work/eventfd.final" '
    ($ef[0].pairs | map({key: .vq, value: .count}) | from_entries) as $counted
    | ($pids | split(",") | map(tonumber)) as $workers
    | [(map(select(.event == "vhost_signal") | .vq) | unique | length),
       (map(select(.dev != $dev or .queue != 1 or .comm != $comm or (.pid | IN($workers[]) | not))) | length),
       (map(select(.event == "vhost_notify" and (.guest_avail_flags == null or
            (.event_idx and .guest_used_event == null)))) | length),
       (group_by(.vq) | map("\(.[0].vq)=\(map(select(.event == "vhost_signal")) | length)/\(map(select(.event == "vhost_notify")) | length)/\($counted[.[0].vq] // 0)") | join(","))]
    | @tsv' "$work/simple.json.events")"
lab_log "vhost_queue_correlation_simple -q 1 per vq (signals/notifies/eventfd count): $per_vq; queue 1's RX vq $rxvq1"
lab_expect "$sig_vqs" -eq 2 "vhost_queue_correlation_simple -q 1: signals of tap0 queue 1's RX and TX virtqueues"
lab_expect "$foreign" -eq 0 "vhost_queue_correlation_simple -q 1: every event is tap0 queue 1's, by a vhost-$qemu_pid worker ($workers)"
lab_expect "$unread" -eq 0 "vhost_queue_correlation_simple: every notify read the guest's avail flags (and used_event)"
for vqc in ${per_vq//,/ }; do
    IFS=/ read -r sigs notifies counted <<<"${vqc#*=}"
    vq=${vqc%%=*}
    [[ " $vqs1 " == *" $vq "* ]] || lab_fail "vhost_queue_correlation_simple -q 1: vq $vq is not queue 1's ($vqs1)"
    if [[ $vq == "$rxvq1" ]]; then
        lab_expect "$sigs" -eq "$counted" "vhost_queue_correlation_simple: signals of queue 1's RX vq = vhost_eventfd_count's"
    else
        # A request that enters before queue 1 sent anything: its TX completion is signalled
        # before the tool learns queue 1's socket (at its first tun_net_xmit).
        lab_expect_within $((counted - 1)) "$counted" "$sigs" "vhost_queue_correlation_simple: signals of queue 1's TX vq = vhost_eventfd_count's (but one before queue 1's first transmit)"
    fi
    lab_expect "$notifies" -eq "$sigs" "vhost_queue_correlation_simple: one vhost_notify decision per signal of vq $vq"
done
lab_json_split "$work/decoy.json" "vhost_queue_correlation_simple --device vhdecoy"
lab_expect "$(wc -l <"$work/decoy.json.events")" -eq 0 "vhost_queue_correlation_simple --device vhdecoy: no event of tap0"

# vhost_queue_correlation_details: each stage against what caused it, per queue against tap0's
# mq qdisc, the stages against each other (one RX virtqueue per queue, its rx_ring = the tap
# queue's TX ring) and against the simple tool on queue 1.
read -r d_xmit d_recv d_hrx d_sig d_notify d_pings d_foreign d_worker d_rings d_rxvqs d_nvq d_hlen \
    d_sig_other d_sig_rx s_sig_rx d_notify_vqs d_reports d_unsummed <<<"$(jq -rs --arg dev "$LAB_NESTED_TAP" \
    --arg comm "vhost-$qemu_pid" --arg pids "$workers" --arg src "$LAB_NESTED_HOST_IP" \
    --arg dst "$LAB_NESTED_GUEST_IP" --argjson qlen "$(cat "/sys/class/net/$LAB_NESTED_TAP/tx_queue_len")" \
    --slurpfile simple "$work/simple.json.events" '
    def n($e): map(select(.event == $e)) | length;
    def per_vq($evs; $e): $evs | map(select(.event == $e)) | group_by(.vq) | map({key: .[0].vq, value: length})
        | from_entries;
    ($pids | split(",") | map(tonumber)) as $workers
    | (map(select(.event != "interval"))) as $ev | (map(select(.event == "interval"))) as $iv
    | ($ev | map(select(.event == "handle_rx"))) as $hrx
    | ($hrx | map(.vq) | unique) as $rxvqs
    | [($ev | n("tun_net_xmit")), ($ev | n("tun_recvmsg")), ($ev | n("handle_rx")),
       ($ev | n("vhost_signal")), ($ev | n("vhost_notify")),
       ($ev | map(select(.event == "tun_net_xmit" and .flow.saddr == $src and .flow.daddr == $dst
                         and .flow.protocol == 1)) | length),
       ($ev | map(select(.dev != $dev or (.queue | IN(0, 1) | not))) | length),
       ($ev | map(select(.event != "tun_net_xmit" and (.comm != $comm or (.pid | IN($workers[]) | not)))) | length),
       ($ev | map(select((.event == "tun_net_xmit" or .event == "tun_recvmsg") and .ring.size != $qlen)) | length),
       ($rxvqs | length),
       ($hrx | map(. as $h | select(.nvq != .vq or .tx_nvq == .nvq or
                          ([.rx_ring] | inside($ev | map(select(.event == "tun_net_xmit" and .queue == $h.queue) | .ptr_ring)) | not)))
             | length),
       ($hrx | map(select(.vhost_hlen + .sock_hlen != 12)) | length),
       ([0, 1] | map(. as $q | ($hrx | map(select(.queue == $q)) | map(.ktime_ns) | min // 0) as $first
                     | $ev | map(select(.event == "vhost_signal" and .queue == $q and (.vq | IN($rxvqs[]) | not)
                                        and .ktime_ns > $first)) | length) | add),
       ($ev | map(select(.event == "vhost_signal" and .queue == 1 and (.vq | IN($rxvqs[])))) | length),
       ($simple | map(select(.event == "vhost_signal" and (.vq | IN($rxvqs[])))) | length),
       (per_vq($ev | map(select(.queue == 1)); "vhost_notify") as $d | per_vq($simple; "vhost_notify") as $s
        | ($d + $s) | keys | map(select($d[.] != $s[.])) | length),
       ($iv | length),
       (["tun_net_xmit", "tun_recvmsg", "handle_rx", "vhost_signal", "vhost_notify"]
        | map(. as $s | select(([$iv[][$s]] | add // 0) != ($ev | n($s)))) | length)] | @tsv' "$work/details.json.events")"
read -r x0 x1 r0 r1 rxvq0n rxvq1n <<<"$(jq -r '[.[0].xmit, .[1].xmit, .[0].recv, .[1].recv, (.[0].rxvq | length), (.[1].rxvq | length)] | @tsv' "$work/queues.json")"
lab_log "vhost_queue_correlation_details: xmit $d_xmit (queue 0 $x0, queue 1 $x1), recvmsg $d_recv, handle_rx $d_hrx (kprobe $hrx_in..$hrx)," \
    "signals $d_sig (queue 1's RX vq $d_sig_rx, simple's $s_sig_rx), notifies $d_notify; tap0 tx $tx_in..$tx; vhdecoy tx +$decoy"
lab_expect "$decoy" -ge "$DECOY_COUNT" "vhdecoy sent the decoy pings"
lab_expect "$d_foreign" -eq 0 "vhost_queue_correlation_details: every event is tap0 queue 0's or 1's (none of vhdecoy's)"
lab_expect "$x0" -eq "$tcq0" "vhost_queue_correlation_details: tun_net_xmit events of queue 0 = what left tap0 on queue 0 (mq qdisc)"
lab_expect "$x1" -eq "$tcq1" "vhost_queue_correlation_details: tun_net_xmit events of queue 1 = what left tap0 on queue 1 (mq qdisc)"
lab_expect_within "$tx_in" "$tx" "$d_xmit" "vhost_queue_correlation_details: tun_net_xmit events = tap0 tx_packets"
lab_expect "$d_pings" -eq "$COUNT" "vhost_queue_correlation_details: tun_net_xmit flows $LAB_NESTED_HOST_IP -> $LAB_NESTED_GUEST_IP ICMP = the replies"
lab_expect "$r0" -eq "$x0" "vhost_queue_correlation_details: vhost-net took (tun_recvmsg) every packet tap0 queued on queue 0"
lab_expect "$r1" -eq "$x1" "vhost_queue_correlation_details: vhost-net took (tun_recvmsg) every packet tap0 queued on queue 1"
lab_expect_within "$hrx_in" "$hrx" "$d_hrx" "vhost_queue_correlation_details: handle_rx events = handle_rx kprobe hits"
lab_expect "$d_worker" -eq 0 "vhost_queue_correlation_details: every vhost-side event by a vhost-$qemu_pid worker ($workers)"
lab_expect "$d_rings" -eq 0 "vhost_queue_correlation_details: every ring state has tap0's tx_queue_len slots"
lab_expect "$rxvq0n" -eq 1 "vhost_queue_correlation_details: handle_rx names one RX virtqueue for queue 0"
lab_expect "$rxvq1n" -eq 1 "vhost_queue_correlation_details: handle_rx names one RX virtqueue for queue 1"
lab_expect "$d_rxvqs" -eq 2 "vhost_queue_correlation_details: two RX virtqueues in all"
lab_expect "$d_nvq" -eq 0 "vhost_queue_correlation_details: at handle_rx nvq = vq, tx_nvq apart, rx_ring = its tap0 queue's TX ring"
lab_expect "$d_hlen" -eq 0 "vhost_queue_correlation_details: header lengths vhost + sock = 12 (virtio 1.0 header)"
lab_expect "$d_sig_other" -eq 0 "vhost_queue_correlation_details: no TX-virtqueue signal once handle_rx named the queue's RX one"
lab_expect "$d_sig_rx" -eq "$s_sig_rx" "vhost_queue_correlation_details: queue 1's RX-virtqueue signals = vhost_queue_correlation_simple's"
lab_expect "$d_notify_vqs" -eq 0 "vhost_queue_correlation_details: queue 1's notify decisions per virtqueue = vhost_queue_correlation_simple's"
lab_expect "$d_reports" -ge 2 "vhost_queue_correlation_details --interval 1: a report per second and the last at exit"
lab_expect "$d_unsummed" -eq 0 "vhost_queue_correlation_details --interval: each stage's reports add up to its events"

# vhost_buf_peek_stats per RX nvq, the nvq's queue named by the details tool's handle_rx.
lab_expect "$nvqs" -eq 2 "vhost_buf_peek_stats: two RX queues (nvq) peeked"
lab_expect "$empty_peeks" -ge 1 "vhost_buf_peek_stats: handle_rx ends on an empty peek (ret=0)"
jq -r --slurpfile p "$work/peek.sum" '.[] | (.rxvq[0] // "none") as $n
    | "\(.queue) \($n) \($p[0] | map(select(.nvq == $n)) | "\(.[0].peeked // 0) \(.[0].bytes // 0)")"' \
    "$work/queues.json" >"$work/peek.per_queue"
while read -r q n peeked peeked_bytes; do
    want=tcq$q wantb=tcb$q
    lab_log "vhost_buf_peek_stats: queue $q's nvq $n: $peeked frames, $peeked_bytes bytes; tap0 queue $q ${!want} frames, ${!wantb} bytes"
    lab_expect "$peeked" -eq "${!want}" "vhost_buf_peek_stats: one non-zero peek per frame tap0 sent on queue $q"
    lab_expect "$peeked_bytes" -eq "${!wantb}" "vhost_buf_peek_stats: the peeked lengths on queue $q's nvq add up to its qdisc bytes"
    [[ " $vqs_seen " == *" $n "* ]] ||
        lab_fail "vhost_buf_peek_stats: queue $q's nvq $n is not one of vhost_eventfd_count's virtqueues ($vqs_seen)"
    lab_ok "queue $q's peeked nvq $n is an RX virtqueue vhost_eventfd_count counted (vq is its first member)"
done <"$work/peek.per_queue"
lab_log "passed in $(lab_elapsed)"
