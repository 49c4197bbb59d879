#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 240
# The packet-drop tools attached through each of their hooks, the skb:kfree_skb raw tracepoint
# (the reason read only where the tracepoint has one, 5.17+) and the kprobe fallback
# (BPFNET_FORCE_KPROBE=1: a kprobe on kfree_skb on 5.10, kfree_skb_reason on 6.1,
# sk_skb_reason_drop on 6.12), report exactly the drops this scenario causes: datagrams sent to a
# closed UDP port in another namespace, with their reason where the kernel has drop reasons
# (5.17+), and a stack that starts at the function that dropped. Both BPF variants of eth_drop
# run: the modern one (ring buffer) and the legacy one (perf buffer, as on 4.19); both summaries
# (whole run, per interval) too.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

lab_tool_workdir
work=$LAB_TOOL_WORK

lab_netns_pair pda pdb 10.61.0.1 10.61.0.2
dev_b=$(lab_netns_devname to- pda)

# run_tool OUT TOOL ARGS...: the tool attached while 5 datagrams go to a closed port 9999 and
# 2 to port 8888, then stopped with Ctrl-C.
run_tool() {
    lab_tool_start "$@"
    lab_udp_closed_port pda 10.61.0.2 9999 5
    lab_udp_closed_port pda 10.61.0.2 8888 2
    sleep 1
    lab_tool_stop
}

expect_lines() {
    local n
    n=$(grep -cE "$2" "$1" || true)
    [[ $n -eq $3 ]] || cat "$1" >&2
    lab_expect "$n" -eq "$3" "$4"
}

# The drop function the kprobe fallback must pick: kfree_skb became an inline wrapper of
# kfree_skb_reason in 5.17 (when drop reasons came), which sk_skb_reason_drop replaced in 6.10.
if lab_drop_reasons; then
    drop_func='(kfree_skb_reason|sk_skb_reason_drop)'
else
    drop_func=kfree_skb
fi
for hook in raw kprobe; do
    if [[ $hook == kprobe ]]; then
        export BPFNET_FORCE_KPROBE=1
        probe="kprobe $drop_func"
    else
        unset BPFNET_FORCE_KPROBE
        probe="raw_tracepoint skb:kfree_skb"
    fi
    for variant in modern legacy; do
        out=$work/eth_drop.$hook.$variant
        if [[ $variant == legacy ]]; then export BPFNET_FORCE_LEGACY=1; else unset BPFNET_FORCE_LEGACY; fi
        run_tool "$out" eth_drop --src-ip 10.61.0.1 --dst-port 9999 --l4-protocol udp
        grep -qE "^Probe: $probe\$" "$out" ||
            { cat "$out" >&2; lab_fail "eth_drop ($hook, $variant) did not use $probe"; }
        lab_ok "eth_drop ($hook, $variant): $(grep '^Probe:' "$out")"
        expect_lines "$out" '^  UDP Ports: [0-9]+ -> 9999$' 5 "eth_drop ($hook, $variant) reports the 5 datagrams"
        expect_lines "$out" '^\[[0-9:]+\] PID:' 5 "eth_drop ($hook, $variant) reports nothing else"
        expect_lines "$out" "^Interface: $dev_b\$" 5 "eth_drop ($hook, $variant) names the receiving device"
        if lab_drop_reasons; then
            expect_lines "$out" '^Drop reason: NO_SOCKET$' 5 "eth_drop ($hook, $variant) reads the reason argument"
        else
            expect_lines "$out" '^Drop reason: ' 0 "eth_drop ($hook, $variant) prints no reason (kfree_skb has none)"
        fi
        # the frame after "Stack trace:": the dropping function, no tracing machinery before it
        expect_lines "$out" "^  $drop_func\+0x[0-9a-f]+\$" 5 "eth_drop ($hook, $variant): each stack starts at $drop_func"
        grep -qE '^  __udp4_lib_rcv\+0x[0-9a-f]+$' "$out" || lab_fail "eth_drop ($hook, $variant): no __udp4_lib_rcv frame"
        expect_lines "$out" '^Lost events: 0$' 1 "eth_drop ($hook, $variant) lost no event"
    done
    unset BPFNET_FORCE_LEGACY

    out=$work/summary.$hook
    run_tool "$out" kernel_drop_stack_stats_summary -n "$dev_b" --dst-port 9999 -i 60
    grep -qE "^Probe: $probe\$" "$out" || { cat "$out" >&2; lab_fail "summary ($hook) did not use $probe"; }
    expect_lines "$out" '^Total packet drops: 5$' 1 "kernel_drop_stack_stats_summary ($hook) counts the 5 drops"
    grep -A1 '^Stack trace:$' "$out" | grep -qE "^  $drop_func\+0x[0-9a-f]+ \[kernel\]$" ||
        { cat "$out" >&2; lab_fail "summary ($hook): the stack does not start at $drop_func"; }
    grep -qE '^  __udp4_lib_rcv\+0x[0-9a-f]+ \[kernel\]$' "$out" || lab_fail "summary ($hook): no __udp4_lib_rcv frame"

    out=$work/summary_all.$hook
    run_tool "$out" kernel_drop_stack_stats_summary_all --device "$dev_b" --dst-port 9999 -i 60
    grep -qE "^Probe: $probe\$" "$out" || { cat "$out" >&2; lab_fail "summary_all ($hook) did not use $probe"; }
    expect_lines "$out" '^Last interval packet drops: 5$' 1 "kernel_drop_stack_stats_summary_all ($hook) counts the 5 drops at exit"
    stacks=$(grep -c '^Stack trace:$' "$out" || true)
    lab_expect "$stacks" -ge 1 "summary_all ($hook) prints the stacks"
    expect_lines "$out" "^  $drop_func\+0x[0-9a-f]+ \[kernel\]\$" "$stacks" "summary_all ($hook): each stack starts at $drop_func"
done

out=$work/bt
run_tool "$out" kernel_drop_stack_stats "$dev_b" 60
expect_lines "$out" "^@device_totals\[$dev_b\]: 7\$" 1 "kernel_drop_stack_stats (kprobe) counts all 7 drops on $dev_b"
unset BPFNET_FORCE_KPROBE

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
