#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The host-side tun ring tools on a real tap with vhost-net: tap0 carries a nested KVM guest
# with a multi-queue virtio-net NIC (lab_nested_tap --queues 2: a multi_queue tap, two
# vhost-net devices, mq=on, 2 vCPUs), tapd is a second tap held open by a reader that never reads (tap_frames
# --hold-ms) with a TX ring of 16 (txqueuelen 16 when it attaches). Each tool starts once, then:
#   - the lab guest pings the nested guest PINGS times over tap0: every request passes
#     tun_net_xmit with room in the ring (tap0's tx_dropped stays 0);
#   - 20 UDP datagrams to 10.78.0.2:5555 into tapd: 16 fill its ring, the last 4 find it full
#     and are dropped; then 10 decoys to port 6666, all dropped on the full ring;
#   - the nested guest pings the lab guest Q0 times from its CPU 0, then Q1 times from CPU 1.
# Per-queue counts: the guest's XPS maps CPU q to TX queue q, tap0 records the flow's hash ->
# queue q when the request arrives and sends the answers of that flow on queue q; but the
# kernel answers inside its receive, before tap0 records the flow, so the first answer of each
# run follows the previous record (the lab guest's pings, whose flow has the same addresses)
# and the lab guest's own pings all take the one queue their hash picks. The rule: the
# per-queue truth is tap0's mq qdisc (its child per TX queue counts what left on that queue,
# read between the phases); the lab guest's pings must all have left on one queue, the
# answers on queue q must be the guest's CPU q replies +- 1, and the tools' per-queue counts
# must equal the qdisc's exactly.
# tun_ring_monitor --all --dst-ip 10.77.0.2 --dst-port 5555 --interval 1 (filters are ORed):
# the pings and the 5555 datagrams with the ring's real state, the decoys left out; the 4 full
# ones are tapd's tx_dropped minus the decoys; per tap0 queue its events and interval counts
# = the qdisc's, each event's tfile the queue's (queue_index = queue, numqueues 2).
# tun-tx-ring-stas --device tap0 --queue 1: a block per transmit on tap0's queue 1 (the
# qdisc's count; tx_dropped stays 0), the producer one further each time, the stack starting
# at tun_net_xmit; nothing of tapd or queue 0. Static neighbours
# and no IPv6 on both taps: the scenario's packets are all that crosses them.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/tool.sh"

PINGS=${LAB_TUN_PINGS:-8}
Q0=1 Q1=4 # the nested guest's pings from its CPU 0 and CPU 1: apart by more than twice 1
frames=$(cd "$BPFNET_BIN/../tests/e2e" && pwd)/tap_frames
[[ -x $frames ]] || lab_fail "no tap_frames beside $BPFNET_BIN: build the project first"
lab_nested_require
lab_nested_tap --queues 2
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
lab_tool_workdir
work=$LAB_TOOL_WORK
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr 52:54:00:77:00:02 dev "$LAB_NESTED_TAP" nud permanent

ip tuntap add dev tapd mode tap || lab_fail "cannot create tapd"
lab_on_exit "ip link del tapd"
sysctl -qw net.ipv6.conf.tapd.disable_ipv6=1
ip link set tapd txqueuelen 16
ip addr add 10.78.0.1/24 dev tapd
ip link set tapd up
ip neigh replace 10.78.0.2 lladdr 52:54:00:78:00:02 dev tapd nud permanent
"$frames" tapd --count 0 --hold-ms 600000 &
holder=$!
lab_on_exit "kill $holder"
tapd_up() { [[ $(</sys/class/net/tapd/operstate) == up ]]; }
lab_wait_for 10 tapd_up || lab_fail "tapd did not come up with its reader attached"

# shellcheck disable=SC2016 # expanded in the nested guest
lab_nested_start "$(lab_nested_host_neigh)
while [ ! -e \"\$LAB_IO/go\" ]; do sleep 0.2; done
$(lab_nested_send_from 0 "$Q0")
$(lab_nested_send_from 1 "$Q1")
: >\"\$LAB_IO/sent\"
$(lab_nested_serve)"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"

declare -A pid
start() { # NAME ARGS...
    lab_tool_start "$work/$1.out" "$1" "${@:2}"
    pid[$1]=$LAB_TOOL_PID
}
stop() { # NAME
    LAB_TOOL_PID=${pid[$1]} LAB_TOOL_NAME=$1 LAB_TOOL_OUTPUTS=("$work/$1.out" "$work/$1.out.err")
    lab_tool_stop 0
}
# tun_net_xmit is an fentry program in both tools (a kprobe on 5.10), and tun-tx-ring-stas's
# stacks start at it all the same.
lab_expect_module_fentry tun_ring_monitor tun_net_xmit
lab_expect_module_fentry tun-tx-ring-stas tun_net_xmit --device tap0
start tun_ring_monitor --json --all --dst-ip "$LAB_NESTED_GUEST_IP" --dst-port 5555 --interval 1
start tun-tx-ring-stas --device tap0 --queue 1

# tap0's per-queue counters: its mq qdisc's child qdisc per TX queue (parent :1 = queue 0).
tc_queues() { # "packets of queue 0" "packets of queue 1"
    tc -s -j qdisc show dev tap0 | jq -r '[.[] | select(.parent == ":1" or .parent == ":2")]
        | sort_by(.parent) | map(.packets) | @tsv'
}
read -r tc0_a tc1_a <<<"$(tc_queues)"
lab_assert_int "$tc1_a" "tap0's TX queue 1 packets (its mq qdisc's child :2)"

stat() { cat "/sys/class/net/$1/statistics/$2"; }
t0_tx=$(stat tap0 tx_packets) t0_drop=$(stat tap0 tx_dropped) td_drop=$(stat tapd tx_dropped)
out=$(ping -n -c "$PINGS" -i 0.2 -w 60 "$LAB_NESTED_GUEST_IP" 2>&1) || true
# With -w, ping sends until COUNT replies came: one more request when a reply is late.
read -r sent replies <<<"$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' <<<"$out")"
for _ in $(seq 20); do echo x >/dev/udp/10.78.0.2/5555; done
for _ in $(seq 10); do echo x >/dev/udp/10.78.0.2/6666; done
read -r tc0_b tc1_b <<<"$(tc_queues)"
touch "$LAB_NESTED_DIR/io/go"
lab_wait_for 90 test -e "$LAB_NESTED_DIR/io/sent" || lab_fail "the nested guest did not send its pings"
read -r tc0_c tc1_c <<<"$(tc_queues)"
sent_of() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' "$LAB_NESTED_DIR/io/sent.$1"; }
read -r g_sent0 g_replies0 <<<"$(sent_of 0)"
read -r g_sent1 g_replies1 <<<"$(sent_of 1)"
g_replies=$((${g_replies0:-0} + ${g_replies1:-0}))
# Host pings: the queue they took; guest pings: per queue what left on it.
sed 's/^/  guest vectors (irq name cpu effective)| /' "$LAB_NESTED_DIR/io/queues.cfg" >&2 || true
h0=$((tc0_b - tc0_a)) h1=$((tc1_b - tc1_a)) g0=$((tc0_c - tc0_b)) g1=$((tc1_c - tc1_b))
tcq0=$((tc0_c - tc0_a)) tcq1=$((tc1_c - tc1_a))
t0_tx=$(($(stat tap0 tx_packets) - t0_tx)) t0_drop=$(($(stat tap0 tx_dropped) - t0_drop))
td_drop=$(($(stat tapd tx_dropped) - td_drop))
lab_log "traffic done at $(lab_elapsed): $replies replies to $sent requests; tap0 tx +$t0_tx dropped +$t0_drop; tapd dropped +$td_drop"
lab_log "tap0 per TX queue: the lab guest's pings $h0 + $h1, the nested guest's answers $g0 + $g1" \
    "(CPU 0: ${g_sent0:-0} requests, ${g_replies0:-0} replies; CPU 1: ${g_sent1:-0}, ${g_replies1:-0})"

# Every event is in once the monitor printed PINGS + 20 of them, and its counts once one more
# interval report came after that.
want=$((sent + 20 + g_replies))
events_in() { (($(grep -c '"ring_full"' "$work/tun_ring_monitor.out") >= want)); }
lab_wait_for 30 events_in || lab_log "tun_ring_monitor printed fewer than $want events"
reports=$(grep -c '"event":"interval"' "$work/tun_ring_monitor.out" || true)
report_after() { (($(grep -c '"event":"interval"' "$work/tun_ring_monitor.out") > reports)); }
lab_wait_for 10 report_after || lab_log "no interval report after the traffic"
blocks_in() { (($(grep -c '^##### end tun_net_xmit probe' "$work/tun-tx-ring-stas.out") >= tcq1)); }
lab_wait_for 30 blocks_in || lab_log "tun-tx-ring-stas printed fewer than $tcq1 blocks"
stop tun_ring_monitor
stop tun-tx-ring-stas
lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"
lab_tool_no_leftovers

# One jq for every fact of the monitor's output.
read -r t0_events t0_full t0_ring t0_icmp td_events td_full td_ring td_decoys td_first_full \
    td_pct_ok int_t0 int_t0_full int_td int_td_full lost t0_q0 t0_q1 t0_badq int_q0 int_q1 <<<"$(jq -rs --arg g "$LAB_NESTED_GUEST_IP" '
    (map(select(.ring_full != null))) as $e
    | ($e | map(select(.dev == "tap0"))) as $t0
    | ($e | map(select(.dev == "tapd"))) as $td
    | (map(select(.event == "interval") | .queues[])) as $q
    | [($t0 | length), ($t0 | map(select(.ring_full)) | length),
       ($t0 | map(.ring_size) | unique | join(",")),
       ($t0 | map(select(.protocol == "1" and .dst_ip == $g)) | length),
       ($td | length), ($td | map(select(.ring_full)) | length),
       ($td | map(.ring_size) | unique | join(",")),
       ($td | map(select(.dst_port == 6666)) | length),
       ($td | map(select(.ring_full)) | .[0] | "\(.producer):\(.queue_producer_ptr != "0x0")"),
       ([$td | to_entries[] | select(.value.ring_full | not)
         | select(.value.used_pct == (.key * 100 / 16 | floor) and .value.producer == .key)] | length),
       ($q | map(select(.dev == "tap0") | .xmits) | add // 0),
       ($q | map(select(.dev == "tap0") | .ring_full) | add // 0),
       ($q | map(select(.dev == "tapd") | .xmits) | add // 0),
       ($q | map(select(.dev == "tapd") | .ring_full) | add // 0),
       (map(select(.final)) | .[0].lost_events),
       ($t0 | map(select(.queue == 0)) | length), ($t0 | map(select(.queue == 1)) | length),
       ($t0 | map(select(.queue_index != .queue or .numqueues != 2)) | length),
       ($q | map(select(.dev == "tap0" and .queue == 0) | .xmits) | add // 0),
       ($q | map(select(.dev == "tap0" and .queue == 1) | .xmits) | add // 0)] | @tsv' "$work/tun_ring_monitor.out")"
lab_log "tun_ring_monitor: tap0 $t0_events events (queue 0 $t0_q0, queue 1 $t0_q1; intervals $int_q0 + $int_q1; $t0_full full, ring $t0_ring), tapd $td_events ($td_full full, ring $td_ring, first full at $td_first_full); intervals tap0 $int_t0/$int_t0_full tapd $int_td/$int_td_full"

# One awk for tun-tx-ring-stas: its blocks, tapd's, queue 1's producer from block to block (it
# reads the ring of --queue 1 at every tap0 transmit, the original's way: +1 after a transmit
# on queue 1, unchanged after one on queue 0, anything else a jump), the ring sizes, blocks
# whose kernel stack starts at tun_net_xmit.
read -r st_blocks st_tapd st_jumps st_sizes st_kstack st_ends st_adv <<<"$(awk '
    /^##### tun dev name: / {
        n++; split($0, f, /, /)
        if (f[1] != "##### tun dev name: tap0") other++
        sub(/.*ptr_ring_size: /, "", f[2]); sub(/.*producer: /, "", f[3])
        size[f[2]] = 1
        if (n > 1) {
            if (f[3] == (prev + 1) % f[2]) adv++
            else if (f[3] != prev) jumps++
        }
        prev = f[3]
    }
    /^tun_net_xmit probe: .*: dev tapd,/ { other++ }
    /, kstack: $/ { first = 1; next }
    first { if ($1 ~ /^tun_net_xmit\+[0-9]+$/) kstack++; first = 0 }
    /^##### end tun_net_xmit probe$/ { ends++ }
    END { s = ""; for (k in size) s = s (s == "" ? "" : ",") k
          print n + 0, other + 0, jumps + 0, (s == "" ? "-" : s), kstack + 0, ends + 0, adv + 0 }' "$work/tun-tx-ring-stas.out")"
lab_log "tun-tx-ring-stas: $st_blocks blocks ($st_ends ended), queue 1's producer +$st_adv, ring size $st_sizes, $st_kstack stacks from tun_net_xmit"

lab_expect "${replies:-0}" -ge "$PINGS" "the nested guest answered the pings"
lab_expect "${sent:-0}" -ge "$replies" "ping sent at least as many requests as it counted replies"
lab_expect "$t0_drop" -eq 0 "tap0 dropped nothing (vhost keeps its ring drained)"
lab_expect "$td_drop" -eq 14 "tapd dropped the 4 + 10 datagrams that found its ring of 16 full"
lab_expect "$lost" -eq 0 "tun_ring_monitor lost no event"
lab_expect "$((h0 * h1))" -eq 0 "the lab guest's $sent pings left tap0 on one queue ($h0 + $h1)"
lab_expect "$((h0 + h1))" -eq "$sent" "tap0's queues carried the lab guest's pings"
lab_expect "${g_replies0:-0}" -eq "$Q0" "the nested guest's CPU 0 got its $Q0 replies"
lab_expect "${g_replies1:-0}" -eq "$Q1" "the nested guest's CPU 1 got its $Q1 replies"
lab_expect_within $((Q0 - 1)) $((Q0 + 1)) "$g0" "tap0 queue 0 carried the answers to CPU 0 (+-1: the first answer of a run)"
lab_expect_within $((Q1 - 1)) $((Q1 + 1)) "$g1" "tap0 queue 1 carried the answers to CPU 1 (+-1: the first answer of a run)"
lab_expect "$((g0 + g1))" -eq "$g_replies" "tap0's queues carried all answers to the nested guest"
lab_expect "$t0_events" -eq "$((sent + g_replies))" "tun_ring_monitor: one tap0 event per echo request and reply to the nested guest (ARP left out by the address filter)"
lab_expect "$t0_icmp" -eq "$((sent + g_replies))" "tun_ring_monitor: tap0 events are ICMP to $LAB_NESTED_GUEST_IP"
lab_expect "$t0_q0" -eq "$tcq0" "tun_ring_monitor: tap0 queue 0 events = what left on queue 0 (mq qdisc)"
lab_expect "$t0_q1" -eq "$tcq1" "tun_ring_monitor: tap0 queue 1 events = what left on queue 1 (mq qdisc)"
lab_expect "$t0_badq" -eq 0 "tun_ring_monitor: each tap0 event's tfile is its queue's (queue_index = queue), numqueues 2"
lab_expect "$int_q0" -eq "$tcq0" "tun_ring_monitor --interval: tap0 queue 0 transmits = the qdisc's"
lab_expect "$int_q1" -eq "$tcq1" "tun_ring_monitor --interval: tap0 queue 1 transmits = the qdisc's"
lab_expect "$t0_events" -le "$t0_tx" "tun_ring_monitor: tap0 events within tap0's tx_packets"
lab_expect "$t0_full" -eq 0 "tun_ring_monitor: no ring-full on tap0"
[[ $t0_ring == "$(</sys/class/net/tap0/tx_queue_len)" ]] ||
    lab_fail "tap0's ring size $t0_ring is not its txqueuelen $(</sys/class/net/tap0/tx_queue_len)"
lab_expect "$td_events" -eq 20 "tun_ring_monitor: the 20 datagrams to port 5555 on tapd"
lab_expect "$td_decoys" -eq 0 "tun_ring_monitor: decoys to port 6666 left out"
lab_expect "$td_full" -eq $((td_drop - 10)) "tun_ring_monitor: ring-full events = tapd's drops less the 10 decoys"
[[ $td_ring == 16 ]] || lab_fail "tapd's ring size reads $td_ring, not its txqueuelen 16"
[[ $td_first_full == "0:true" ]] || lab_fail "the first full event on tapd: producer:slot-in-use $td_first_full, want 0:true"
lab_expect "$td_pct_ok" -eq 16 "tun_ring_monitor: the 16 queued datagrams at producer k, k*100/16 % used"
lab_expect "$int_t0" -eq "$t0_events" "tun_ring_monitor --interval: tap0 transmits = its events"
lab_expect "$int_t0_full" -eq 0 "tun_ring_monitor --interval: no full ring on tap0"
lab_expect "$int_td" -eq 20 "tun_ring_monitor --interval: tapd transmits that passed the filter"
lab_expect "$int_td_full" -eq "$td_full" "tun_ring_monitor --interval: tapd ring-full = its events"
lab_expect "$st_blocks" -eq $((t0_tx + t0_drop)) "tun-tx-ring-stas: a block per tap0 transmit (tx_packets + tx_dropped)"
lab_expect "$st_ends" -eq "$st_blocks" "tun-tx-ring-stas: every block ends"
lab_expect "$st_tapd" -eq 0 "tun-tx-ring-stas: nothing of tapd"
lab_expect "$st_jumps" -eq 0 "tun-tx-ring-stas --queue 1: queue 1's producer one further or unchanged from block to block"
lab_expect "$st_adv" -eq "$((tcq1 - 1))" "tun-tx-ring-stas --queue 1: queue 1's producer moved once per queue-1 transmit but the last (qdisc: $tcq1)"
[[ $st_sizes == "$(</sys/class/net/tap0/tx_queue_len)" ]] ||
    lab_fail "tun-tx-ring-stas: ring size $st_sizes, not tap0's txqueuelen"
lab_expect "$st_kstack" -eq "$st_blocks" "tun-tx-ring-stas: every kernel stack starts at tun_net_xmit"
lab_log "passed in $(lab_elapsed)"
