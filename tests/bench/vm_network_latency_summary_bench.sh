#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested
# Cost of vm_network_latency_summary on a VM's traffic, in the kernel lab (a nested KVM guest,
# kprobes and the OVS datapath are needed):
#   - per event: kernel BPF statistics (sysctl kernel.bpf_stats_enabled=1, then run_time_ns /
#     run_cnt of every program of the tool in `bpftool prog show`);
#   - throughput: iperf3 TCP from the nested guest (virtio-net on tap0, vhost=on) through the
#     OVS bridge br0 (ovs-vswitchd) and the "physical" veth phys0 to a namespace (the remote
#     host), with the tool detached and attached (--direction tx --protocol tcp: every VM TX
#     stage), in alternating rounds of the same run.
#
# Run it with tests/lab/lab.sh (see tests/bench/README.md):
#   tests/lab/lab.sh --kernel 6.12 --nested --timeout 900 tests/bench/vm_network_latency_summary_bench.sh
# Environment: BENCH_ROUNDS (3), BENCH_SECONDS (10) per iperf3 run, BPFNET_BIN (build/bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lab/lib/nested.sh"
source "$here/../lab/lib/ovs.sh"
source "$here/lib.sh"

BIN=${BPFNET_BIN:-$(cd "$here/../.." && pwd)/build/bin}
TOOL=$BIN/vm_network_latency_summary
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-10}
[[ -x $TOOL ]] || lab_fail "no vm_network_latency_summary in $BIN: build the project first"
lab_require_cmd iperf3 iperf3
lab_require_cmd bpftool bpftool
lab_require_cmd jq jq
GUEST=$LAB_NESTED_GUEST_IP PEER=10.77.0.3
work=$(mktemp -d)
lab_on_exit "rm -rf $work"
lab_nested_require

ip tuntap add dev "$LAB_NESTED_TAP" mode tap || lab_fail "cannot create $LAB_NESTED_TAP"
lab_on_exit "ip link del $LAB_NESTED_TAP"
ip link set "$LAB_NESTED_TAP" up
lab_ovs_vswitchd_start "$work/ovs"
lab_netns_attach remote "$PEER" phys0
lab_ovs_bridge_add br0 "$LAB_NESTED_TAP" phys0
printf '%s\n' "in_port=$LAB_NESTED_TAP,actions=output:phys0" "in_port=phys0,actions=output:$LAB_NESTED_TAP" |
    ovs-ofctl add-flows br0 - || lab_fail "ovs-ofctl add-flows failed"
ip netns exec remote iperf3 -s -D -B $PEER >/dev/null 2>&1 || lab_fail "iperf3 server did not start"
lab_on_exit "ip netns exec remote pkill -x iperf3"

# The nested guest (the lab guest's root: iperf3) runs the commands written to cmd.<n>.
# shellcheck disable=SC2016 # expanded in the nested guest
lab_nested_start --root 'i=0
while [ ! -e "$LAB_IO/stop" ]; do
    if [ -e "$LAB_IO/cmd.$i" ]; then
        sh "$LAB_IO/cmd.$i" >"$LAB_IO/out.$i" 2>&1; echo $? >"$LAB_IO/rc.$i"; i=$((i + 1))
    else sleep 0.5; fi
done'
lab_nested_ready 180 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
guest_run() { # CMD: runs it in the nested guest, prints its output
    local io=$LAB_NESTED_DIR/io n=0
    while [[ -e $io/cmd.$n ]]; do n=$((n + 1)); done
    printf '%s\n' "$1" >"$io/cmd.tmp" && mv "$io/cmd.tmp" "$io/cmd.$n"
    lab_wait_for $((SECS + 120)) test -s "$io/rc.$n" || lab_fail "the nested guest did not run '$1'"
    cat "$io/out.$n"
}
# One iperf3 run from the nested guest: receiver Mbit/s.
iperf() {
    guest_run "iperf3 -c $PEER -B $GUEST -t $SECS -J" | jq '.end.sum_received.bits_per_second / 1e6'
}

tool_pid=""
attach() {
    rm -f "$work/ready"
    "$TOOL" --vm-interface "$LAB_NESTED_TAP" --phy-interface phys0 --direction tx --protocol tcp \
        --interval 3600 --json --ready-file "$work/ready" >"$work/tool.out" 2>"$work/tool.err" &
    tool_pid=$!
    lab_wait_for 60 test -s "$work/ready" || { cat "$work/tool.err" >&2; lab_fail "the tool did not attach"; }
}
detach() {
    kill -INT "$tool_pid"
    wait "$tool_pid" || lab_fail "the tool exited with status $?"
    tool_pid=""
}
# "name run_cnt run_time_ns" of the tool's programs (the stage engine's ns_*, the vm tools' vm_*).
prog_stats() {
    bpftool prog show -j | jq -r '.[] | select(.name | test("^(ns|vm)_")) | "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

iperf >/dev/null    # warm-up: TCG translates the code paths once
off=() on=()
for ((r = 1; r <= ROUNDS; r++)); do
    off+=("$(iperf)")
    attach
    sysctl -qw kernel.bpf_stats_enabled=1
    on+=("$(iperf)")
    prog_stats >"$work/stats.$r"
    sysctl -qw kernel.bpf_stats_enabled=0
    detach
    cp "$work/tool.out" "$work/report.$r"
    lab_log "round $r: detached ${off[-1]} Mbit/s, attached ${on[-1]} Mbit/s"
done
lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"

off_mean=$(bench_mean "${off[@]}")
on_mean=$(bench_mean "${on[@]}")
loss=$(bench_loss "$off_mean" "$on_mean")

echo "=== vm_network_latency_summary cost on $(uname -r) (QEMU TCG, $(nproc) vCPUs, nested KVM guest) ==="
echo "iperf3 TCP nested guest $GUEST -> $PEER via tap0, br0, phys0; $ROUNDS rounds of $SECS s; tool: --direction tx --protocol tcp"
echo "throughput detached: $off_mean Mbit/s (${off[*]})"
echo "throughput attached: $on_mean Mbit/s (${on[*]})"
echo "throughput lost:     $loss %"
echo
echo "BPF programs while attached (all rounds):"
bench_program_table "$work"/stats.*
# Packets the tool followed, from its own counters, per round.
for ((r = 1; r <= ROUNDS; r++)); do
    jq -r 'select(.final) | "round '"$r"': \(.started) started, \(.completed) completed, \(.total_samples) end-to-end samples"' "$work/report.$r"
done
