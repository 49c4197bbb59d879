#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# qdisc_lateny_details through its kprobe fallback (BPFNET_FORCE_KPROBE=1: kprobes on
# __dev_queue_xmit and sch_direct_xmit, as on kernels before 5.15), on a token bucket that
# builds a real queue: idle packets wait ~0, packets behind a burst wait longer the later
# they come, every datagram of the filtered flow is reported once (modern and legacy BPF
# objects); packets that bypass an empty pfifo_fast are reported too, devices without a
# qdisc are skipped; packets the qdisc drops at enqueue are counted, equal to tc's count.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"

lab_tool_workdir
work=$LAB_TOOL_WORK
# Without BPFNET_FORCE_KPROBE: the raw tracepoints from 5.15, else fentry programs (BPF
# trampolines) on the same functions as the kprobes below.
"$BPFNET_BIN/qdisc_lateny_details" --list-probes >"$work/default.plan"
want_hook=raw_tracepoint
[[ $(uname -r) == 5.10.* ]] && want_hook=fentry
lab_expect "$(grep -cE "^  chosen: $want_hook (__dev_queue_xmit|sch_direct_xmit|qdisc:qdisc_(en|de)queue)\$" "$work/default.plan")" -eq 2 \
    "without BPFNET_FORCE_KPROBE: $want_hook enqueue and dequeue hooks"
export BPFNET_FORCE_KPROBE=1
# The tool runs in namespace qla (--dev names its device there).
LAB_TOOL_NS=qla LAB_TOOL_MERGE_STDERR=1
PORT=6001

lab_netns_pair qla qlb 10.62.0.1 10.62.0.2
dev_a=$(lab_netns_devname to- qlb)
lab_udp_sink qlb $PORT "$work/sink_b"
lab_udp_sink qlb 6002 "$work/sink_b2"
lab_udp_sink qla $PORT "$work/sink_a"
lab_ping qla 10.62.0.2 1 >/dev/null || lab_fail "no connectivity qla -> qlb"

delays() { # OUT: the delay (us) of every record, in order
    awk '/^  Qdisc delay: / { sub(/us$/, "", $3); print $3 }' "$1"
}

summary() { # OUT FIELD
    sed -n "s/.*[ ,(]$2: \([0-9]*\).*/\1/p" "$1" | head -1
}

check_probes() { # OUT
    grep -qE '^Probe: enqueue kprobe __dev_queue_xmit, dequeue kprobe sch_direct_xmit, drops raw_tracepoint skb:kfree_skb$' "$1" ||
        { cat "$1" >&2; lab_fail "not the kprobe hooks"; }
}

# --- 1. tbf 64kbit, burst 10k: 5 idle datagrams, then a burst of 30 x 1042 bytes: ~9 pass
# at once, each of the others waits ~130 ms more than the one before it (the last ~2.7 s).
# Idle and queued are told apart by 100 ms, several times TCG's worst jitter under load. The
# queue must build whatever the sender's speed: at 256kbit (33 ms a datagram) a sender slowed
# 5x by a loaded host sent slower than tbf drained, and nothing queued.
ip netns exec qla tc qdisc add dev "$dev_a" root tbf rate 64kbit burst 10k latency 4s ||
    lab_fail "cannot add a tbf qdisc"
for variant in modern legacy; do
    if [[ $variant == legacy ]]; then export BPFNET_FORCE_LEGACY=1; else unset BPFNET_FORCE_LEGACY; fi
    out=$work/tbf.$variant
    lab_tool_start "$out" qdisc_lateny_details --dev "$dev_a" --proto udp --dst-port $PORT
    for _ in 1 2 3 4 5; do
        lab_udp_send qla 10.62.0.2 $PORT 1 200
        lab_udp_send qla 10.62.0.2 6002 1 200      # another port: filtered out
        lab_udp_send qlb 10.62.0.1 $PORT 1 200     # B's device (no qdisc) is not --dev
        sleep 0.3
    done
    sleep 1
    lab_udp_burst qla 10.62.0.2 $PORT 30 1000
    lab_tool_await 35 '^  Qdisc delay: '   # the burst drains in ~3 s
    lab_tool_stop
    check_probes "$out"
    read -r -a d <<<"$(delays "$out" | tr "\n" " ")"
    lab_expect "${#d[@]}" -eq 35 "$variant: one record per datagram of the flow (5 idle + 30 burst)"
    lab_expect "$(grep -cE "^\[[0-9:.]+\] 10\.62\.0\.1 -> 10\.62\.0\.2 UDP [0-9]+->$PORT id=[0-9]+ dev=$dev_a\$" "$out")" \
        -eq 35 "$variant: every record is A's datagram to $PORT on $dev_a"
    # One of them may catch the guest's vCPU descheduled by a loaded host (seen: 518 ms).
    idle_fast=$(printf '%s\n' "${d[@]:0:5}" | awk '$1 < 100000' | wc -l)
    lab_expect "$idle_fast" -ge 4 "$variant: idle qdisc delays are ~0, < 100 ms under TCG (${d[*]:0:5} us)"
    queued=$(printf '%s\n' "${d[@]:5}" | awk '$1 > 200000' | wc -l)
    lab_expect "$queued" -ge 10 "$variant: datagrams that waited > 200 ms behind the burst"
    last=$(printf '%.0f' "${d[34]}")
    lab_expect "$last" -gt 1500000 "$variant: the last datagram of the burst waited > 1.5 s (${d[34]} us)"
    lab_expect "$last" -lt 10000000 "$variant: ... and less than 10 s"
    # tbf sends one datagram per 130 ms of tokens; when its timer fires late (a loaded host)
    # several leave at once, and their delays fall by the gaps between their sends. A record
    # matched to the wrong datagram would be off by a whole token interval or more.
    printf '%s\n' "${d[@]:5}" | awk '$1 > 100000 { if (n++ && $1 < prev - 65000) bad = 1; prev = $1 } END { exit bad }' ||
        lab_fail "$variant: delays of the queued datagrams do not grow in order (65 ms slack): ${d[*]:5}"
    lab_ok "$variant: delays grow along the backlog"
    lab_expect "$(summary "$out" enqueued)" -eq 35 "$variant: enqueued"
    lab_expect "$(summary "$out" dequeued)" -eq 35 "$variant: dequeued"
    lab_expect "$(summary "$out" dropped)" -eq 0 "$variant: dropped"
done
unset BPFNET_FORCE_LEGACY

# --- 2. pfifo_fast (empty queue: the packet bypasses it) and no --dev: the other side's
# device has no qdisc (veth default), so its packets are not recorded at all.
ip netns exec qla tc qdisc replace dev "$dev_a" root pfifo_fast || lab_fail "cannot add pfifo_fast"
out=$work/bypass
lab_tool_start "$out" qdisc_lateny_details --proto udp --dst-port $PORT
for _ in 1 2 3 4 5; do
    lab_udp_send qla 10.62.0.2 $PORT 1 300
    lab_udp_send qlb 10.62.0.1 $PORT 1 300
    sleep 0.2
done
lab_tool_await 5 '^  Qdisc delay: '
lab_tool_stop
check_probes "$out"
lab_expect "$(grep -cE "^\[[0-9:.]+\] 10\.62\.0\.1 -> 10\.62\.0\.2 UDP [0-9]+->$PORT id=[0-9]+ dev=$dev_a\$" "$out")" \
    -eq 5 "bypassed packets reported through sch_direct_xmit"
lab_expect "$(summary "$out" enqueued)" -eq 5 "only the device with a qdisc recorded packets"
lab_expect "$(delays "$out" | awk '$1 > 100000' | wc -l)" -eq 0 "bypassed packets waited ~0 (< 100 ms under TCG)"

# --- 3. tbf with room for two packets: the burst overflows it; the records of the packets it
# drops at enqueue are counted as dropped, exactly as tc counts them.
ip netns exec qla tc qdisc replace dev "$dev_a" root tbf rate 1mbit burst 1600 limit 3000 ||
    lab_fail "cannot add a small tbf qdisc"
export BPFNET_FORCE_LEGACY=1
out=$work/drops.json
lab_tool_start "$out" qdisc_lateny_details --dev "$dev_a" --proto udp --json
lab_udp_burst qla 10.62.0.2 $PORT 20 1000
lab_wait_for 20 lab_qdisc_empty qla "$dev_a" || lab_fail "tbf still holds packets 20 s after the burst"
sleep 1 # the last dequeue's event reaches the tool
lab_tool_stop
unset BPFNET_FORCE_LEGACY
tc_drops=$(lab_qdisc_drops qla "$dev_a")
sum=$(jq -c 'select(.summary)' "$out") || lab_fail "--json output is not JSON"
lab_log "summary: $sum; tc dropped $tc_drops"
lab_expect "$tc_drops" -ge 10 "tbf dropped most of the burst"
lab_expect "$(jq -r .enqueued <<<"$sum")" -eq 20 "legacy --json: every datagram recorded before the qdisc"
lab_expect "$(jq -r .dropped <<<"$sum")" -eq "$tc_drops" "legacy --json: dropped = tc's dropped counter"
# The qdisc is empty, so every datagram tbf kept was dequeued. The kernel skips a kprobe that
# fires while another BPF program runs on the same CPU (bpf_prog_active): a dequeue from the
# tbf watchdog's softirq that interrupts the sender's enqueue probe is not seen, and the tool
# then counts that datagram as still queued, or as evicted or replaced once a later datagram's
# skb takes its address (seen once in CI on 6.1). One such miss in the burst is allowed, no
# more (enqueued and dropped are checked above: the rest are the dequeued).
dequeued=$(jq -r .dequeued <<<"$sum") unseen=$(jq -r '.still_queued + .evicted' <<<"$sum")
lab_expect "$(jq -r .expired <<<"$sum")" -eq 0 "legacy --json: none expired"
lab_expect "$unseen" -le 1 "legacy --json: at most one dequeue unseen (still queued, or replaced)"
lab_expect "$(jq -c 'select(.summary | not)' "$out" | wc -l)" -eq "$dequeued" "legacy --json: one record per dequeued datagram"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
