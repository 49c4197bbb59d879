#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Cost of system_network_latency_summary on the path it measures, in the kernel lab (kprobes
# and the OVS datapath are needed):
#   - per event: kernel BPF statistics (sysctl kernel.bpf_stats_enabled=1, then run_time_ns /
#     run_cnt of every program of the tool in `bpftool prog show`);
#   - throughput: an iperf3 TCP flow from this host (OVS internal port int0) through the
#     datapath and the "physical" veth phys0 to a namespace, with the tool detached and
#     attached (--direction both: every stage of both directions), in alternating rounds;
#     and, to tell the cost of the probe mechanism from the cost of the tool's programs, with
#     bare tracefs kprobe events (no BPF) on the functions the tool put kprobes on.
#
# Run it with tests/lab/lab.sh (see tests/bench/README.md):
#   tests/lab/lab.sh --kernel 6.12 --timeout 900 tests/bench/system_network_latency_summary_bench.sh
# Environment: BENCH_ROUNDS (3), BENCH_SECONDS (10) per iperf3 run, BPFNET_BIN (build/bin).
# The tool inherits the environment: `lab.sh --env BPFNET_FORCE_KPROBE=1` measures its kprobes
# where the kernel would give it fentry (the banner's probe kinds are printed with the figures).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lab/lib/ovs.sh"
source "$here/lib.sh"
source "$here/../lab/lib/kprobe.sh"

BIN=${BPFNET_BIN:-$(cd "$here/../.." && pwd)/build/bin}
TOOL=$BIN/system_network_latency_summary
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-10}
[[ -x $TOOL ]] || lab_fail "no system_network_latency_summary in $BIN: build the project first"
lab_require_cmd iperf3 iperf3
lab_require_cmd bpftool bpftool
lab_require_cmd jq jq
LOCAL=10.74.0.1 REMOTE=10.74.0.2
work=$(mktemp -d)
lab_on_exit "rm -rf $work"

lab_ovs_host_setup dp0 $LOCAL $REMOTE
lab_ovs_link dp0 int0 phys0
ip netns exec remote iperf3 -s -D -B $REMOTE >/dev/null 2>&1 || lab_fail "iperf3 server did not start"
lab_on_exit "ip netns exec remote pkill -x iperf3"
lab_wait_for 10 lab_tcp_listening remote 5201 || lab_fail "iperf3 server not listening"

# One iperf3 run: receiver Mbit/s.
iperf() {
    iperf3 -c $REMOTE -B $LOCAL -t "$SECS" -J | jq '.end.sum_received.bits_per_second / 1e6'
}

tool_pid=""
attach() {
    rm -f "$work/ready"
    "$TOOL" --phy-interface phys0 --direction both --protocol tcp --interval 3600 --json \
        --ready-file "$work/ready" >"$work/tool.out" 2>"$work/tool.err" &
    tool_pid=$!
    lab_wait_for 60 test -s "$work/ready" || { cat "$work/tool.err" >&2; lab_fail "the tool did not attach"; }
}
detach() {
    kill -INT "$tool_pid"
    wait "$tool_pid" || lab_fail "the tool exited with status $?"
    tool_pid=""
}
# "name run_cnt run_time_ns" of the tool's programs (loaded ones are named ns_*).
prog_stats() {
    bpftool prog show -j | jq -r '.[] | select(.name | startswith("ns_")) | "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

iperf >/dev/null    # warm-up: TCG translates the code paths once
# The functions the tool hooks on entry, from its banner ("Probe: kprobe|fentry <function> -> ...").
banner=$("$TOOL" --phy-interface phys0 --direction both --protocol tcp --interval 1 --duration 1)
funcs=$(awk '$1 == "Probe:" && ($2 == "kprobe" || $2 == "fentry") { print $3 }' <<<"$banner" | paste -sd' ')
kinds=$(awk '$1 == "Probe:" { n[$2]++ } END { for (k in n) printf "%s%d %s", s++ ? ", " : "", n[k], k }' <<<"$banner")
[[ -n $funcs ]] || lab_fail "no kprobe or fentry in the tool's banner"
off=() bare=() on=()
for ((r = 1; r <= ROUNDS; r++)); do
    off+=("$(iperf)")
    for f in $funcs; do lab_kprobe_add "k_${f//./_}" "$f"; done
    echo 0 >"$LAB_TRACEFS/tracing_on"    # armed probes, no records written: the trap's cost
    bare+=("$(iperf)")
    echo 1 >"$LAB_TRACEFS/tracing_on"
    lab_kprobe_clear
    attach
    sysctl -qw kernel.bpf_stats_enabled=1
    on+=("$(iperf)")
    prog_stats >"$work/stats.$r"
    sysctl -qw kernel.bpf_stats_enabled=0
    detach
    cp "$work/tool.out" "$work/report.$r"
    lab_log "round $r: detached ${off[-1]} Mbit/s, bare kprobes ${bare[-1]} Mbit/s, attached ${on[-1]} Mbit/s"
done

off_mean=$(bench_mean "${off[@]}")
on_mean=$(bench_mean "${on[@]}")
bare_mean=$(bench_mean "${bare[@]}")
loss=$(bench_loss "$off_mean" "$on_mean")
bare_loss=$(bench_loss "$off_mean" "$bare_mean")

echo "=== system_network_latency_summary cost on $(uname -r) (QEMU TCG, $(nproc) vCPUs) ==="
echo "iperf3 TCP $LOCAL -> $REMOTE through dp0, $ROUNDS rounds of $SECS s, tool: --direction both --protocol tcp"
echo "probes: $kinds${BPFNET_FORCE_KPROBE:+ (BPFNET_FORCE_KPROBE=$BPFNET_FORCE_KPROBE)}"
echo "throughput detached: $off_mean Mbit/s (${off[*]})"
echo "throughput attached: $on_mean Mbit/s (${on[*]})"
echo "throughput lost:     $loss %"
echo "bare kprobe events on $funcs (no BPF): $bare_mean Mbit/s (${bare[*]}), lost $bare_loss %"
echo
echo "BPF programs while attached (all rounds):"
bench_program_table "$work"/stats.*
# Packets the tool followed, from its own counters, per round.
for ((r = 1; r <= ROUNDS; r++)); do
    jq -r 'select(.final) | .directions | "round '"$r"': TX \(.tx.started) started, \(.tx.completed) completed; RX \(.rx.started) started, \(.rx.completed) completed"' "$work/report.$r"
done
