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
# tun_to_vhost_queue_status_simple -d tap0 (text, -T), the same with -q 1 (JSON) and
# tun_to_vhost_queue_stats_details -d tap0 (JSON), all three with --prometheus-textfile, run
# for the whole window too: per tap0 queue their packets = tc's count for the queue, their
# signals the queue pair's virtqueues' (vhost_eventfd_count's), details' handle_rx runs the
# queue's (vhost_queue_correlation_details'); both queues with their own counts, -q 1 queue 1
# alone, nothing of vhdecoy. The eventfds against QEMU's view: a tracefs kprobe on
# eventfd_signal(_mask) gives each signalled eventfd_ctx's id, which /proc/<qemu>/fdinfo shows
# as eventfd-id: the call eventfds vhost signals = vhost_eventfd_count's, 2 per queue pair,
# QEMU's; the kick eventfds (fdinfo eventfd-count grows: vhost-net never reads them) one per
# TX virtqueue grew by its CPU's requests.
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
    local out=$work/$1.json
    [[ -e $out ]] || out=$work/$1.txt
    LAB_TOOL_PID=${pid[$1]} LAB_TOOL_NAME=${tool[$1]} LAB_TOOL_OUTPUTS=("$out" "$out.err")
    lab_tool_stop 0
}
tap_stat() { cat "/sys/class/net/$LAB_NESTED_TAP/statistics/$1"; }

socat -u "TUN:10.78.0.1/24,tun-type=tap,tun-name=vhdecoy,iff-up" STDOUT >/dev/null 2>&1 &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -e /sys/class/net/vhdecoy || lab_fail "socat did not create vhdecoy"
sysctl -qw net.ipv6.conf.vhdecoy.disable_ipv6=1
ip neigh replace 10.78.0.2 lladdr 52:54:00:78:00:02 dev vhdecoy nud permanent
lab_kprobe_add hrx handle_rx
# Every eventfd the kernel signals, with its eventfd_ctx, the ctx's id (what QEMU's
# /proc/<pid>/fdinfo/<fd> shows as eventfd-id; the offset from BTF) and the signalling task:
# vhost-<qemu> for the call eventfds, QEMU's vCPU threads (KVM ioeventfds) for the kicks.
efd_sym=$(lab_kprobe_resolve eventfd_signal || lab_kprobe_resolve eventfd_signal_mask) ||
    lab_fail "no eventfd_signal or eventfd_signal_mask in /proc/kallsyms"
efd_off=$(bpftool btf dump file "${btf:-/sys/kernel/btf}/vmlinux" format raw | awk '
    /^\[/ { s = $2 == "STRUCT" && $3 == "'"'eventfd_ctx'"'"; next }
    s && $1 == "'"'id'"'" && !done { sub(/bits_offset=/, "", $3); print $3 / 8; done = 1 }')
lab_assert_int "$efd_off" "struct eventfd_ctx's member id: its offset in BTF"
echo "p:$LAB_KPROBE_GROUP/efd $efd_sym ctx=%di:x64 id=+$efd_off(%di):s32 comm=\$comm" >>"$LAB_TRACEFS/kprobe_events" ||
    lab_fail "the kernel refused the kprobe on $efd_sym: $(tail -n 3 "$LAB_TRACEFS/error_log" 2>/dev/null)"
LAB_KPROBE_FUNC[efd]=$efd_sym
echo 1 >"$LAB_TRACEFS/events/$LAB_KPROBE_GROUP/efd/enable" || lab_fail "cannot enable the kprobe on $efd_sym"

tx0=$(tap_stat tx_packets)
rx0=$(tap_stat rx_packets)
txb0=$(tap_stat tx_bytes)
hrx0=$(lab_kprobe_hits hrx)
decoy0=$(cat /sys/class/net/vhdecoy/statistics/tx_packets)
lab_expect_module_fentry vhost_eventfd_count vhost_add_used_and_signal_n
lab_expect_module_fentry vhost_buf_peek_stats vhost_net_buf_peek
lab_expect_module_fexit vhost_buf_peek_stats vhost_net_buf_peek
lab_expect_module_fentry vhost_queue_correlation_details handle_rx -d "$LAB_NESTED_TAP"
lab_expect_module_fentry tun_to_vhost_queue_stats_details tun_recvmsg -d "$LAB_NESTED_TAP"
start eventfd vhost_eventfd_count -i 1
start peek vhost_buf_peek_stats -i 1 --clear
start simple vhost_queue_correlation_simple -d "$LAB_NESTED_TAP" -q 1
start details vhost_queue_correlation_details -d "$LAB_NESTED_TAP" --interval 1
start decoy vhost_queue_correlation_simple --device vhdecoy
start tvqd tun_to_vhost_queue_stats_details -d "$LAB_NESTED_TAP" -i 1 --prometheus-textfile "$work/tvqd.prom"
lab_tool_start "$work/tvqs.txt" tun_to_vhost_queue_status_simple -d "$LAB_NESTED_TAP" -i 1 -T \
    --prometheus-textfile "$work/tvqs.prom"
pid[tvqs]=$LAB_TOOL_PID tool[tvqs]=tun_to_vhost_queue_status_simple
start tvqs1 tun_to_vhost_queue_status_simple -d "$LAB_NESTED_TAP" -q 1 -i 1
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

# QEMU's eventfds (/proc/<qemu>/fdinfo): "id count" per eventfd, the count in decimal.
qemu_eventfds() {
    local f id count line
    for f in /proc/"$qemu_pid"/fdinfo/*; do
        line=$(awk '/^eventfd-count:/ { c = $2 } /^eventfd-id:/ { print $2, c }' "$f" 2>/dev/null) || continue
        read -r id count <<<"$line"
        if [[ -n $count ]]; then echo "$id $((16#$count))"; fi
    done | sort -k1,1
}
qemu_eventfds >"$work/fdinfo.before"
: >"$LAB_TRACEFS/trace"
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
qemu_eventfds >"$work/fdinfo.after"
grep -F " efd: " "$LAB_TRACEFS/trace" >"$work/efd.trace" || true
for t in eventfd peek simple details decoy tvqd tvqs tvqs1; do stop $t; done
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
        recv: (map(select(.event == "tun_recvmsg")) | length),
        hrx: (map(select(.event == "handle_rx")) | length)})' "$work/details.json.events" >"$work/queues.json"
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

# tun_to_vhost_queue_status_simple (text, -T) and _stats_details (JSON) -d tap0, per tap0 queue
# against what the scenario sent on it. Packets at tun_net_xmit (and, details, at tun_recvmsg):
# what left tap0 on the queue (its mq qdisc). Simple's signals: every add-used-and-signal of the
# queue pair's two virtqueues (vhost_eventfd_count's RX and TX counts of the queue) once the
# tool knows the queue's socket, at its first transmit: a request of the guest that comes
# before that transmit (the first answer of a run leaves on the other queue) is not counted:
# one at most. Details' signals: the RX virtqueue's once handle_rx named it (the TX virtqueue's
# are left out from then on): tap0's frames on the queue, and the one TX completion of the
# request whose answer was the queue's first transmit, if it came on the same queue. Its
# handle_rx histograms: the handle_rx runs vhost_queue_correlation_details saw on the queue.
read -r s_q0x s_q0u s_q0c s_q1x s_q1u s_q1c s_queues s_reports s_times s_decoy s_stopped <<<"$(awk \
    -v decoy=vhdecoy -v q0="$LAB_NESTED_TAP:q0" -v q1="$LAB_NESTED_TAP:q1" '
    /^PTR Ring Depth Distribution at tun_net_xmit:/ { sec = "xmit"; next }
    /^VQ last_used_idx Value Distribution at vhost_signal:/ { sec = "used"; next }
    /^VQ last_used_idx Values at vhost_signal/ { sec = "values"; next }
    /^$/ { sec = "" }
    /^  Queue: / { q = $2; queues[q] = 1 }
    sec == "values" && /\| calls: / { split($0, a, "calls: "); calls[q] += a[2] + 0 }
    sec == "xmit" && /^    Total: / { xmit[q] += $2 }
    sec == "used" && /^    Total: / { used[q] += $2 }
    /^=+$/ && length($0) == 80 { reports++ }
    /^Time: [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / { times++ }
    index($0, decoy) { bad++ }
    /^Monitoring stopped[.]$/ { stopped = 1 }
    END { n = 0; names = ""; for (q in queues) { n++; names = names (names == "" ? "" : ",") q }
          print xmit[q0] + 0, used[q0] + 0, calls[q0] + 0, xmit[q1] + 0, used[q1] + 0, calls[q1] + 0,
                names ":" n, reports + 0, times + 0, bad + 0, stopped + 0 }' "$work/tvqs.txt")"
lab_json_check "$work/tvqd.json" tun_to_vhost_queue_stats_details
# shellcheck disable=SC2016 # jq's variables
read -r d_reports d_queues d_unverified d_stats <<<"$(jq -rs --arg dev "$LAB_NESTED_TAP" '
    . as $r
    | def q($q): [$r[].queues[] | select(.device == $dev and .queue == $q)];
      def h($q; $n): q($q) | map(.histograms[$n].total) | add // 0;
    [length, ([.[].queues[] | "\(.device):q\(.queue)"] | unique | join(",")),
     ([.[].signal_index[] | select(.total != .verification)] | length),
     ([[0, 1][] as $q | (q($q) | map(.xmits) | add // 0), h($q; "ptr_ring_depth_xmit"), h($q; "ptr_ring_depth_recv"),
       h($q; "vq_consumption_progress_handle_rx"), h($q; "vq_processing_delay_handle_rx"),
       h($q; "vq_last_used_idx_handle_rx"), (q($q) | map(.signals) | add // 0),
       h($q; "vq_consumption_progress_vhost_signal"), h($q; "vq_last_used_idx_vhost_signal"),
       ([$r[].signal_index[] | select(.device == $dev and .queue == $q) | .total] | add // 0)] | join(","))]
    | @tsv' "$work/tvqd.json")"
IFS=, read -r d_q0x d_q0xh d_q0r d_q0a d_q0i d_q0u d_q0s d_q0as d_q0us d_q0idx \
    d_q1x d_q1xh d_q1r d_q1a d_q1i d_q1u d_q1s d_q1as d_q1us d_q1idx <<<"$d_stats"
read -r hrxq0 hrxq1 <<<"$(jq -r '[.[0].hrx, .[1].hrx] | @tsv' "$work/queues.json")"
lab_log "per tap0 queue, what the scenario sent and what the tun_to_vhost_queue tools counted:"
lab_log "  queue 0: guest CPU 0 sent $sent0 requests, tap0 sent $tcq0 frames (mq qdisc); vhost_eventfd_count RX $ef_rx0 TX $ef_tx0;" \
    "simple: xmit $s_q0x, signals $s_q0c (histogram $s_q0u); details: xmit $d_q0x ($d_q0xh), recvmsg $d_q0r," \
    "handle_rx $d_q0a/$d_q0i/$d_q0u (vhost_queue_correlation_details $hrxq0), signals $d_q0s ($d_q0as/$d_q0us, index analysis $d_q0idx)"
lab_log "  queue 1: guest CPU 1 sent $sent1 requests, tap0 sent $tcq1 frames (mq qdisc); vhost_eventfd_count RX $ef_rx1 TX $ef_tx1;" \
    "simple: xmit $s_q1x, signals $s_q1c (histogram $s_q1u); details: xmit $d_q1x ($d_q1xh), recvmsg $d_q1r," \
    "handle_rx $d_q1a/$d_q1i/$d_q1u (vhost_queue_correlation_details $hrxq1), signals $d_q1s ($d_q1as/$d_q1us, index analysis $d_q1idx)"
lab_log "  simple: queues $s_queues, $s_reports reports; details: queues $d_queues, $d_reports reports"
[[ $s_queues == "$LAB_NESTED_TAP:q0,$LAB_NESTED_TAP:q1:2" || $s_queues == "$LAB_NESTED_TAP:q1,$LAB_NESTED_TAP:q0:2" ]] ||
    lab_fail "tun_to_vhost_queue_status_simple: queues $s_queues, want $LAB_NESTED_TAP:q0 and :q1 only"
lab_ok "tun_to_vhost_queue_status_simple: both queues of tap0, each with its own counts, nothing else"
[[ $d_queues == "$LAB_NESTED_TAP:q0,$LAB_NESTED_TAP:q1" ]] ||
    lab_fail "tun_to_vhost_queue_stats_details: queues $d_queues, want $LAB_NESTED_TAP:q0,$LAB_NESTED_TAP:q1"
lab_ok "tun_to_vhost_queue_stats_details: both queues of tap0, each with its own counts, nothing else"
lab_expect "$s_decoy" -eq 0 "tun_to_vhost_queue_status_simple: nothing of vhdecoy (device filter)"
lab_expect "$s_stopped" -eq 1 "tun_to_vhost_queue_status_simple: ended with 'Monitoring stopped.'"
lab_expect "$s_times" -eq "$s_reports" "tun_to_vhost_queue_status_simple: a Time line in each report (-T)"
lab_expect "$s_reports" -ge 2 "tun_to_vhost_queue_status_simple -i 1: a report per second and the last at exit"
lab_expect "$d_reports" -ge 2 "tun_to_vhost_queue_stats_details -i 1: a report per second and the last at exit"
lab_expect "$d_unverified" -eq 0 "tun_to_vhost_queue_stats_details: each signal index analysis' total = its queue's signals (verification)"
for v in tcq{0,1} ef_{rx,tx}{0,1} hrxq{0,1} s_q{0,1}{x,u,c} d_q{0,1}{x,xh,r,a,i,u,s,as,us,idx}; do
    lab_assert_int "${!v}" "$v"
done
for q in 0 1; do
    declare -n xq=d_q${q}x xh=d_q${q}xh rq=d_q${q}r aq=d_q${q}a iq=d_q${q}i uq=d_q${q}u sq=d_q${q}s asq=d_q${q}as
    declare -n usq=d_q${q}us idxq=d_q${q}idx sx=s_q${q}x su=s_q${q}u sc=s_q${q}c tc=tcq$q erx=ef_rx$q etx=ef_tx$q hr=hrxq$q
    lab_expect "$sx" -eq "$tc" "simple: queue $q's packets at tun_net_xmit = what left tap0 on queue $q"
    lab_expect_within $((erx + etx - 1)) $((erx + etx)) "$sc" \
        "simple: queue $q's signals = its RX and TX virtqueues' (vhost_eventfd_count), but one request before its first transmit"
    lab_expect "$su" -eq "$sc" "simple: queue $q's last_used_idx histogram counts every signal"
    lab_expect "$xq" -eq "$tc" "details: queue $q's packets at tun_net_xmit = what left tap0 on queue $q"
    lab_expect "$xh" -eq "$tc" "details: queue $q's ring depth histogram at tun_net_xmit counts each"
    lab_expect "$rq" -eq "$tc" "details: queue $q's packets at tun_recvmsg = what left tap0 on queue $q"
    lab_expect "$hr" -ge 1 "vhost_queue_correlation_details: handle_rx ran on queue $q"
    lab_expect "$aq" -eq "$hr" "details: queue $q's consumption progress at handle_rx = its handle_rx runs"
    lab_expect "$iq" -eq "$hr" "details: queue $q's processing delay at handle_rx = its handle_rx runs"
    lab_expect "$uq" -eq "$hr" "details: queue $q's last_used_idx at handle_rx = its handle_rx runs"
    lab_expect_within "$erx" $((erx + 1)) "$sq" \
        "details: queue $q's signals = its RX virtqueue's (vhost_eventfd_count), + the TX completion before handle_rx named it"
    lab_expect "$asq" -eq "$sq" "details: queue $q's consumption progress at the signal counts every signal"
    lab_expect "$usq" -eq "$sq" "details: queue $q's last_used_idx at the signal counts every signal"
    lab_expect "$idxq" -eq "$sq" "details: queue $q's signal index analysis counts every signal"
    unset -n xq xh rq aq iq uq sq asq usq idxq sx su sc tc erx etx hr
done
# shellcheck disable=SC2016 # jq's variables
read -r s1_queues s1_xmit s1_sig <<<"$(jq -rs '[([.[].queues[] | "\(.device):q\(.queue)"] | unique | join(",")),
    ([.[].queues[].xmits] | add // 0), ([.[].queues[].signals] | add // 0)] | @tsv' "$work/tvqs1.json")"
lab_log "tun_to_vhost_queue_status_simple -q 1 --json: queues $s1_queues, xmit $s1_xmit, signals $s1_sig"
[[ $s1_queues == "$LAB_NESTED_TAP:q1" ]] || lab_fail "simple -q 1: queues $s1_queues, want $LAB_NESTED_TAP:q1 only"
lab_ok "simple -q 1: queue 1 only (queue 0 carried $tcq0 frames)"
lab_expect "$s1_xmit" -eq "$s_q1x" "simple -q 1: queue 1's packets = the unfiltered tool's queue 1"
lab_expect "$s1_sig" -eq "$s_q1c" "simple -q 1: queue 1's signals = the unfiltered tool's queue 1"
lab_expect $((d_q0a + d_q1a)) -ge "$hrx_in" "details: handle_rx runs of both queues >= the kprobe's in the window"
lab_expect $((d_q0a + d_q1a)) -le "$hrx" "details: handle_rx runs of both queues <= the kprobe's around the tools"
# Their metrics files (--prometheus-textfile): cumulative, so the sums of all the reports.
promtool check metrics <"$work/tvqs.prom" || lab_fail "simple: promtool rejects the metrics file"
promtool check metrics <"$work/tvqd.prom" || lab_fail "details: promtool rejects the metrics file"
prom_sum() { # FILE METRIC [FILTER...]: the sum of its samples whose labels match every FILTER
    awk -v m="$2" -v f="${3:-}" -v g="${4:-}" '{ name = $1; sub(/\{.*/, "", name) }
        name == m && index($1, f) && index($1, g) { s += $2 } END { print s + 0 }' "$work/$1.prom"
}
for q in 0 1; do
    declare -n sx=s_q${q}x sc=s_q${q}c su=s_q${q}u xq=d_q${q}x sq=d_q${q}s rq=d_q${q}r uq=d_q${q}u
    m=bpfnet_tun_to_vhost_queue_status_simple
    lab_expect "$(prom_sum tvqs ${m}_packets_total "queue=\"$q\"")" -eq "$sx" "simple metrics: queue $q's packets_total = the reports' xmits"
    lab_expect "$(prom_sum tvqs ${m}_signals_total "queue=\"$q\"")" -eq "$sc" "simple metrics: queue $q's signals_total = the reports' signals"
    lab_expect "$(prom_sum tvqs ${m}_last_used_idx_count "queue=\"$q\"")" -eq "$su" "simple metrics: queue $q's last_used_idx _count"
    m=bpfnet_tun_to_vhost_queue_stats_details
    lab_expect "$(prom_sum tvqd ${m}_packets_total "queue=\"$q\"")" -eq "$xq" "details metrics: queue $q's packets_total = the reports' xmits"
    lab_expect "$(prom_sum tvqd ${m}_signals_total "queue=\"$q\"")" -eq "$sq" "details metrics: queue $q's signals_total = the reports' signals"
    lab_expect "$(prom_sum tvqd ${m}_ptr_ring_depth_count "queue=\"$q\"" tun_recvmsg)" -eq "$rq" \
        "details metrics: queue $q's ptr_ring_depth_count{at=tun_recvmsg} = the reports' recvmsg"
    lab_expect "$(prom_sum tvqd ${m}_last_used_idx_count "queue=\"$q\"" handle_rx)" -eq "$uq" \
        "details metrics: queue $q's last_used_idx_count{at=handle_rx} = the reports' handle_rx"
    unset -n sx sc su xq sq rq uq
done

# The eventfds against QEMU's own view. The kprobe on $efd_sym saw every signal of the window:
# "count ctx id task" per eventfd and task. Call eventfds: those vhost-<qemu> signalled, which
# must be vhost_eventfd_count's eventfds, one each per virtqueue it counted, each one of QEMU's
# eventfds (fdinfo eventfd-id), a vhost signal that was not suppressed at most once per count
# of the tool; KVM's irqfd reads them empty on 6.x (fdinfo eventfd-count 0), not on 5.10 (the
# count grew by its signals). Kick eventfds, the other ones whose count grew: vhost-net never
# reads its kick eventfds, so fdinfo's eventfd-count of each grew by its kicks (the
# kprobe's count, from a QEMU thread: a vCPU's KVM ioeventfd); the TX virtqueue of queue q is
# kicked once per request from CPU q, the requests of queue q (XPS), so one of them grew by
# CPU 0's requests and one by CPU 1's (+ the guest's own traffic), the kicks of the RX
# virtqueues (refills) on their own eventfds; QEMU reads the other eventfds its vCPUs signal
# (9p) empty.
sed -n 's/.* ctx=\(0x[0-9a-f]*\) id=\(-*[0-9]*\) comm="\(.*\)"$/\1 \2 \3/p' "$work/efd.trace" |
    sort | uniq -c | awk '{ $1 = $1; print }' >"$work/efd.counts"
sed 's/^/  eventfd signals (count ctx id task)| /' "$work/efd.counts" >&2
join -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$work/fdinfo.before" "$work/fdinfo.after" 2>/dev/null >"$work/fdinfo.both" ||
    lab_fail "cannot join QEMU's eventfds before and after"
awk '$3 != $2' "$work/fdinfo.both" | sed 's/^/  QEMU eventfd (id count before after) that changed| /' >&2
read -r c_pairs c_tool c_signalled c_not_tool c_over c_not_qemu c_unread c_ids <<<"$(jq -rs \
    --arg w "vhost-$qemu_pid" --rawfile sig "$work/efd.counts" --rawfile fd "$work/fdinfo.both" '
    ($sig | split("\n") | map(select(length > 0) | split(" ")
        | {n: (.[0] | tonumber), ctx: .[1], id: (.[2] | tonumber), task: (.[3:] | join(" "))})) as $s
    | ($fd | split("\n") | map(select(length > 0) | split(" ") | map(tonumber)
        | {key: "\(.[0])", value: {before: .[1], after: .[2]}}) | from_entries) as $q
    | ($s | map(select(.task == $w))) as $calls
    | .[0].pairs as $p
    | [($p | length), ($p | map(.eventfd) | unique | length),
       ($p | map(.eventfd as $e | select(any($calls[]; .ctx == $e))) | length),
       ($calls | map(.ctx as $c | select(any($p[]; .eventfd == $c) | not)) | length),
       ($calls | map(. as $c | select(.n > ($p | map(select(.eventfd == $c.ctx) | .count) | add // 0))) | length),
       ($calls | map(select($q["\(.id)"] == null)) | length),
       ($calls | map(select($q["\(.id)"] as $f | $f.after != 0 and $f.after - $f.before != .n)) | length),
       ($calls | map(.id) | unique | join(","))] | @tsv' "$work/eventfd.final")"
lab_log "call eventfds: vhost_eventfd_count $c_pairs pairs, $c_tool eventfds; signalled by vhost-$qemu_pid: ids $c_ids"
lab_expect "$c_tool" -eq $((2 * guest_queues)) "vhost_eventfd_count: a call eventfd per virtqueue, 2 per queue pair of the guest"
lab_expect "$c_tool" -eq $((2 * vhost_fds)) "vhost_eventfd_count: 2 call eventfds per vhost-net device QEMU holds"
lab_expect "$c_signalled" -eq "$c_tool" "each of vhost_eventfd_count's eventfds is one vhost-$qemu_pid signalled ($efd_sym)"
lab_expect "$c_not_tool" -eq 0 "every eventfd vhost-$qemu_pid signalled is one of vhost_eventfd_count's"
lab_expect "$c_over" -eq 0 "no eventfd signalled more often than vhost_eventfd_count counted its add-used-and-signal"
lab_expect "$c_not_qemu" -eq 0 "each call eventfd is one QEMU holds (its eventfd-id in /proc/$qemu_pid/fdinfo)"
lab_expect "$c_unread" -eq 0 "each call eventfd's fdinfo eventfd-count: 0 (KVM's irqfd reads it, 6.x) or grown by its signals (5.10)"
qemu_comm=$(cat "/proc/$qemu_pid/comm" 2>/dev/null || echo qemu-system-x86)
# shellcheck disable=SC2016 # jq's variables
read -r k_n k_exact k_foreign k_sum k_q0 k_q1 k_desc <<<"$(jq -rs --arg qemu "$qemu_comm" --arg w "vhost-$qemu_pid" \
    --argjson s0 "$sent0" --argjson s1 "$sent1" --argjson bg "$bg_rx" \
    --rawfile sig "$work/efd.counts" --rawfile fd "$work/fdinfo.both" '
    ($sig | split("\n") | map(select(length > 0) | split(" ")
        | {n: (.[0] | tonumber), ctx: .[1], id: (.[2] | tonumber), task: (.[3:] | join(" "))})) as $s
    | ($s | map(select(.task == $w) | .id)) as $calls
    | ($fd | split("\n") | map(select(length > 0) | split(" ") | map(tonumber)
        | {id: .[0], grew: (.[2] - .[1])}) | map(select(.grew > 0 and (.id | IN($calls[]) | not)))) as $k
    | ($k | map(. as $e | . + {by: ($s | map(select(.id == $e.id)))})) as $kicks
    | [($kicks | length),
       ($kicks | map(select(.grew == (.by | map(.n) | add // 0))) | length),
       ($kicks | map(select(any(.by[]; .task != $qemu and (.task | test("^CPU [0-9]+/KVM$") | not)))) | length),
       ($kicks | map(.grew) | add // 0),
       ($kicks | map(select(.grew >= $s0 and .grew <= $s0 + $bg)) | length),
       ($kicks | map(select(.grew >= $s1 and .grew <= $s1 + $bg)) | length),
       ($kicks | map("\(.id):+\(.grew)") | join(","))] | @tsv' "$work/eventfd.final")"
lab_log "kick eventfds (QEMU's eventfds whose count grew, id:+growth): $k_desc, $k_sum kicks in all;" \
    "the guest sent $sent0 requests from CPU 0, $sent1 from CPU 1"
lab_expect_within "$guest_queues" $((2 * guest_queues)) "$k_n" "kick eventfds: one or two per queue pair (TX, and RX refills)"
lab_expect "$k_exact" -eq "$k_n" "kick eventfds: each one's fdinfo eventfd-count grew by the signals the kprobe saw"
lab_expect "$k_foreign" -eq 0 "kick eventfds: each kicked by QEMU's threads only (KVM ioeventfds)"
lab_expect "$k_q0" -ge 1 "kick eventfds: one grew by CPU 0's $sent0 requests (queue 0's TX virtqueue)"
lab_expect "$k_q1" -ge 1 "kick eventfds: one grew by CPU 1's $sent1 requests (queue 1's TX virtqueue)"

lab_log "passed in $(lab_elapsed)"
