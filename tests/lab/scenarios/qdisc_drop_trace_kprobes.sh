#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# qdisc_drop_trace on its kprobe paths (the original's probe points), against the qdiscs' own
# counters. A single UDP flow of 10 datagrams of 1042 bytes on the wire meets a token bucket
# (8 kbit/s, burst 1600, queue 1600 bytes): the first leaves at once, the second waits, the
# other eight overflow the queue. So __dev_queue_xmit returns NET_XMIT_DROP exactly as often as
# tc counts drops, and NET_XMIT_SUCCESS for the rest:
#   1. auto: kprobes on __dev_queue_xmit / dev_hard_start_xmit / fq_codel_enqueue, drops with
#      their reason from skb:kfree_skb (kernels without the QDISC_DROP reason, 5.10: drops from
#      __dev_queue_xmit returning NET_XMIT_DROP, as in run 2);
#   2. what 4.19 gets (BPFNET_FORCE_KPROBE=1: no tracepoints, BPFNET_FORCE_LEGACY=1: the
#      perf-buffer object): drops from __dev_queue_xmit returning NET_XMIT_DROP;
#   3. fq_codel (queue of 1 packet) under the token bucket: fq_codel_enqueue drops the older
#      packet of the flow and returns NET_XMIT_CN, once per packet tc's fq_codel counts dropped;
#   4. an ERSPAN tunnel (ip_gre): erspan_xmit once per datagram sent through it;
#   5. the tunnel's nested transmits under kprobes: each return paired with its own entry.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

lab_tool_workdir
work=$LAB_TOOL_WORK
LAB_TOOL_MERGE_STDERR=1

lab_netns_pair qda qdb 10.63.0.1 10.63.0.2
dev=$(lab_netns_devname to- qdb)
peer=$(lab_netns_devname to- qda)
# Static neighbours: no ARP packet crosses the qdisc; no ICMP error comes back.
lab_netns_static_neigh qda "$dev" 10.63.0.1 qdb "$peer" 10.63.0.2
lab_drop_iptables qdb udp 5555

# flow COUNT: COUNT datagrams of 1042 bytes on the wire from one socket (one fq_codel flow).
flow() {
    # shellcheck disable=SC2016 # $1 is the inner shell's
    lab_nsexec qda bash -c 'exec 3>/dev/udp/10.63.0.2/5555
        for ((i = 0; i < $1; i++)); do printf "%1000s" x >&3; done' flow "$1"
}

# tc_stat KIND FIELD: sent | dropped | backlog packets of the qdisc KIND on dev.
tc_stat() {
    lab_nsexec qda tc -s qdisc show dev "$dev" | awk -v kind="$1" -v want="$2" '
        /^qdisc / { on = $2 == kind; next }
        on && /^ Sent / { sent = $4; dropped = $7; sub(/,/, "", dropped) }
        on && /^ backlog / { backlog = $3; sub(/p$/, "", backlog) }
        END { print (want == "sent") ? sent + 0 : (want == "dropped") ? dropped + 0 : backlog + 0 }'
}

queue_empty() {
    [[ $(tc_stat "$QDISC" backlog) -eq 0 ]]
}

# trace_flow OUT ARGS...: qdisc_drop_trace ARGS from attach to Ctrl-C around `flow 10` and
# the queue's drain.
trace_flow() {
    local out=$1
    shift
    lab_tool_start "$out" qdisc_drop_trace "$@"
    flow 10
    # 8 kbit/s: the queued datagram leaves about a second later.
    lab_wait_for 10 queue_empty || { lab_nsexec qda tc -s qdisc show dev "$dev" >&2; lab_fail "the queue did not drain"; }
    sleep 0.5
    lab_tool_stop
    cat "$out" >&2
}

# code_sum OUT SECTION CODE: sum of "  CODE: N (...)" under "SECTION" over every block.
code_sum() {
    awk -v h="$2" -v c="$3" '$0 == h { on = 1; next } on && $1 == c ":" { s += $2; next }
        on && /^  [0-9]+: / { next } { on = 0 } END { print s + 0 }' "$1"
}
entries() {
    awk -v re="^  $2 (entries|packets): " '$0 ~ re { s += $NF } END { print s + 0 }' "$1"
}
lines() {
    grep -cE "$2" "$1" || true
}
expect_probe() {
    grep -qE "^Probe: $2" "$1" || { grep '^Probe:' "$1" >&2; lab_fail "expected 'Probe: $2'"; }
    lab_ok "Probe: $2"
}

# 1. auto: kprobes and tracepoints together. Drop reasons where the kernel names qdisc drops
# (QDISC_DROP, 5.18+), as the tool decides; else the return codes of __dev_queue_xmit.
if lab_drop_reasons QDISC_DROP; then
    drop_probe='raw_tracepoint skb:kfree_skb \(reasons QDISC_DROP' drop_reason=QDISC_DROP cn_reason=QDISC_DROP
else
    drop_probe='fexit __dev_queue_xmit returning NET_XMIT_DROP or NET_XMIT_CN \(no drop reasons on this kernel\)$'
    drop_reason=NET_XMIT_DROP cn_reason=NET_XMIT_CN
fi
QDISC=tbf
lab_nsexec qda tc qdisc add dev "$dev" root tbf rate 8kbit burst 1600 limit 1600
out=$work/auto
trace_flow "$out" --interface "$dev" --interval 1
sent=$(tc_stat tbf sent) dropped=$(tc_stat tbf dropped)
lab_log "tc tbf: sent $sent dropped $dropped"
lab_expect "$dropped" -ge 5 "the burst overflowed the token bucket"
# The entries are fentry programs (BPF trampolines), the returns fexit programs.
expect_probe "$out" "__dev_queue_xmit: fentry\+fexit __dev_queue_xmit$"
# dev_hard_start_xmit's program reads its int * argument: a kprobe where fentry cannot (5.10),
# and with it a kretprobe.
hsx_entry=fentry+fexit
[[ $(uname -r) == 5.10.* ]] && hsx_entry=kprobe+kretprobe
expect_probe "$out" "dev_hard_start_xmit: ${hsx_entry/+/\\+} dev_hard_start_xmit$"
expect_probe "$out" "qdisc_drop: $drop_probe"
lab_expect "$(code_sum "$out" "__dev_queue_xmit return codes:" 1)" -eq "$dropped" "__dev_queue_xmit returned NET_XMIT_DROP once per drop"
lab_expect "$(code_sum "$out" "__dev_queue_xmit return codes:" 0)" -eq "$sent" "__dev_queue_xmit returned NET_XMIT_SUCCESS for the others"
lab_expect "$(entries "$out" __dev_queue_xmit)" -eq $((sent + dropped)) "__dev_queue_xmit entries"
hsx=$(entries "$out" dev_hard_start_xmit)
lab_expect "$hsx" -ge 1 "dev_hard_start_xmit entries"
lab_expect "$(code_sum "$out" "dev_hard_start_xmit return codes:" 0)" -eq "$hsx" "dev_hard_start_xmit status (*ret) NET_XMIT_SUCCESS per call"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] dev_hard_start_xmit ENTRY - DEV: $dev .* TXQ: 0$")" -eq "$hsx" "dev_hard_start_xmit ENTRY lines with TXQ"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] qdisc_drop DROP - DEV: $dev .* REASON: $drop_reason$")" -eq "$dropped" "DROP lines with their reason"
lab_expect "$(lines "$out" "^  QDISC: tbf [0-9a-f]+: FLAGS: 0x[0-9a-f]{8} QLEN: [1-9]")" -eq "$dropped" "each drop with the queue depth"
reason_total=$(awk '$0 == "qdisc_drop reasons:" { on = 1; next } on && /^  [0-9]+: / { s += $2; next } { on = 0 } END { print s + 0 }' "$out")
lab_expect "$reason_total" -eq "$dropped" "qdisc_drop reasons add up to tc's drops"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] __dev_queue_xmit ENTRY - DEV: $dev ")" -eq $((sent + dropped)) "__dev_queue_xmit ENTRY lines"
lab_expect "$(lines "$out" "^  IP: 10\.63\.0\.1 -> 10\.63\.0\.2 PROTO: 0x0800$")" -ge $((2 * (sent + dropped))) "IP lines on entries and drops"

# 2. The path of kernels without drop reasons or ring buffer: kprobes only, legacy object.
dropped0=$dropped sent0=$sent
out=$work/kprobe-only
export BPFNET_FORCE_KPROBE=1 BPFNET_FORCE_LEGACY=1
trace_flow "$out" --interface "$dev" --interval 1
unset BPFNET_FORCE_KPROBE BPFNET_FORCE_LEGACY
sent=$(($(tc_stat tbf sent) - sent0)) dropped=$(($(tc_stat tbf dropped) - dropped0))
lab_log "tc tbf in run 2: sent $sent dropped $dropped"
expect_probe "$out" "__dev_queue_xmit: kprobe\+kretprobe __dev_queue_xmit$"
expect_probe "$out" "dev_hard_start_xmit: kprobe\+kretprobe dev_hard_start_xmit$"
expect_probe "$out" "qdisc_drop: kretprobe __dev_queue_xmit returning NET_XMIT_DROP or NET_XMIT_CN"
grep -q "^Warning: qdisc_enqueue not available on this kernel, skipping (tracepoints disabled)$" "$out" ||
    lab_fail "no warning for the disabled qdisc_enqueue tracepoint"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] qdisc_drop DROP - DEV: $dev .* REASON: NET_XMIT_DROP$")" -eq "$dropped" "DROP lines from return codes"
lab_expect "$(lines "$out" "^  QDISC: tbf [0-9a-f]+: ")" -eq "$dropped" "the device's qdisc on each drop"
lab_expect "$(code_sum "$out" "qdisc_drop reasons:" 1)" -eq "$dropped" "qdisc_drop counted as NET_XMIT_DROP"
lab_expect "$(code_sum "$out" "__dev_queue_xmit return codes:" 0)" -eq "$sent" "NET_XMIT_SUCCESS for the others"

# 3. fq_codel with room for one packet under the token bucket.
QDISC=fq_codel
lab_nsexec qda tc qdisc del dev "$dev" root
lab_nsexec qda tc qdisc add dev "$dev" root handle 1: tbf rate 8kbit burst 1600 limit 100000
# AQM drops need seconds of standing queue with these targets: only overflow drops happen.
lab_nsexec qda tc qdisc add dev "$dev" parent 1:1 handle 10: fq_codel limit 1 target 2s interval 20s
out=$work/fq_codel
trace_flow "$out" --interface "$dev" --interval 1
fq_dropped=$(tc_stat fq_codel dropped)
lab_log "tc fq_codel: dropped $fq_dropped"
lab_expect "$fq_dropped" -ge 5 "fq_codel dropped part of the flow"
# fq_codel: a module on 5.10 (no BTF of its own there), built in on 6.1 and 6.12.
fq_entry=fentry+fexit
[[ $(uname -r) == 5.10.* ]] && fq_entry=kprobe+kretprobe
expect_probe "$out" "fq_codel_enqueue: ${fq_entry/+/\\+} fq_codel_enqueue$"
lab_expect "$(entries "$out" fq_codel_enqueue)" -eq 10 "fq_codel_enqueue entries: one per datagram"
lab_expect "$(code_sum "$out" "fq_codel_enqueue return codes:" 2)" -eq "$fq_dropped" "fq_codel_enqueue returned NET_XMIT_CN per drop"
lab_expect "$(code_sum "$out" "__dev_queue_xmit return codes:" 2)" -eq "$fq_dropped" "__dev_queue_xmit passed NET_XMIT_CN on"
lab_expect "$(lines "$out" "^  QDISC FLAGS: 0x[0-9a-f]{8} QLEN: [0-9]+ BACKLOG: [0-9]+ DROPS: [0-9]+ REQUEUES: [0-9]+ OVERLIMITS: [0-9]+$")" \
    -eq 10 "fq_codel ENTRY lines show the qdisc"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] qdisc_drop DROP - DEV: $dev .* REASON: $cn_reason$")" -eq "$fq_dropped" "the dropped packets, by reason"

# 4. ERSPAN (needs ip_gre): erspan_xmit for each datagram sent into the tunnel.
lab_nsexec qda tc qdisc del dev "$dev" root
lab_modprobe ip_gre
lab_nsexec qda ip link add erspan1 type erspan local 10.63.0.1 remote 10.63.0.2 seq key 10 erspan_ver 1 erspan 100
lab_nsexec qda ip addr add 10.64.0.1/24 dev erspan1
lab_nsexec qda ip link set erspan1 up
ip -n qda neigh replace 10.64.0.2 lladdr 02:00:00:00:00:02 dev erspan1 nud permanent
out=$work/erspan
lab_tool_start "$out" qdisc_drop_trace --interface erspan1 --interval 1
lab_udp_send qda 10.64.0.2 7777 6 100
sleep 1
lab_tool_stop
cat "$out" >&2
# ip_gre is a module: its BTF (fentry, fexit) from 5.11.
erspan_entry=fentry+fexit
[[ $(uname -r) == 5.10.* ]] && erspan_entry=kprobe+kretprobe
expect_probe "$out" "erspan_xmit: ${erspan_entry/+/\\+} erspan_xmit$"
lab_expect "$(entries "$out" erspan_xmit)" -eq 6 "erspan_xmit entries: one per datagram"
lab_expect "$(code_sum "$out" "erspan_xmit return codes:" 0)" -eq 6 "erspan_xmit returned NETDEV_TX_OK"
lab_expect "$(lines "$out" "^\[[0-9:]{8}\] erspan_xmit ENTRY - DEV: erspan1 ")" -eq 6 "erspan_xmit ENTRY lines"

# 5. The tunnel under kprobes: the transmit on erspan1 runs the one on the veth device below it
# inside itself (__dev_queue_xmit in __dev_queue_xmit). Without preemption (5.10) a kretprobe
# has one instance per CPU, so the inner call's return goes unseen; each outer return must
# still find its own entry (common/bpf/call_nest.bpf.h), not the inner call's, which did not
# pass the filter.
out=$work/erspan-kprobes
export BPFNET_FORCE_KPROBE=1
lab_tool_start "$out" qdisc_drop_trace --interface erspan1 --interval 1
lab_udp_send qda 10.64.0.2 7777 6 100
sleep 1
lab_tool_stop
unset BPFNET_FORCE_KPROBE
cat "$out" >&2
expect_probe "$out" "__dev_queue_xmit: kprobe\+kretprobe __dev_queue_xmit$"
lab_expect "$(entries "$out" __dev_queue_xmit)" -eq 6 "__dev_queue_xmit entries on erspan1 under kprobes"
lab_expect "$(code_sum "$out" "__dev_queue_xmit return codes:" 0)" -eq 6 \
    "__dev_queue_xmit on erspan1 returned NET_XMIT_SUCCESS per datagram, each return paired with its entry"
lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
