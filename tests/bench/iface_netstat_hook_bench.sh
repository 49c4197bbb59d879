#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# iface_netstat_hook_bench.sh: what iface_netstat's BPF programs cost per run on the host with
# the BTF tracepoints (tp_btf: the tracepoint's own arguments, plain loads of the sk_buff's
# fields) and with the classic ones they fall back to (BPFNET_FORCE_KPROBE=1: the trace event
# record, probe reads), under the same traffic: UDP floods both ways over a veth pair
# (tests/e2e/lib.sh), BENCH_RATE datagrams a second each way (100000), BENCH_SECONDS (10) long,
# BENCH_ROUNDS (3) rounds alternating between the modes. For each run: the datagrams sent, and
# per program run_cnt, run_time_ns and ns per run from the kernel's BPF statistics
# (kernel.bpf_stats_enabled=1 while the tool is attached, restored after). Every datagram runs
# each program once: the one of the watched end counts it, the other end's is turned away by the
# interface test (half of the runs each way). Run as root, under the e2e
# lock: flock /tmp/bpfnet-e2e.lock tests/bench/iface_netstat_hook_bench.sh [BIN_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
rate=${BENCH_RATE:-100000}
secs=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
port=9
export BPFNET_BIN=${1:-$here/../../build/bin}
. "$here/../e2e/lib.sh"
. "$here/lib.sh"
e2e_setup inb 233
cc -O2 -Wall -o "$E2E_TMP/udp_flood" "$here/udp_flood.c" || e2e_die "cannot build udp_flood"
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
trap 'sysctl -qw kernel.bpf_stats_enabled="$stats_was"; e2e_teardown' EXIT

# prog_stats PID: "name run_cnt run_time_ns" of each BPF program the process holds.
prog_stats() {
	local id
	for id in $(bpf_ids_of "$1" | sed -n 's/^prog://p'); do
		bpftool -j prog show id "$id" | jq -r '"\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
	done
}

# one_run MODE ROUND: runs the tool with MODE's hooks through the floods, prints its summary line.
one_run() {
	local mode=$1 out=$E2E_TMP/out.$1.$2 stats=$E2E_TMP/stats.$1.$2 env=() sent_a sent_b
	[ "$mode" = classic ] && env=(BPFNET_FORCE_KPROBE=1)
	sysctl -qw kernel.bpf_stats_enabled=1
	ip netns exec "$NS_A" env "${env[@]}" "$BPFNET_BIN/iface_netstat" --ready-file "$E2E_TMP/ready" \
		-n "$DEV_A" -i 100 >"$out" 2>&1 &
	E2E_PID=$!
	e2e_await_ready "$E2E_TMP/ready" "$E2E_PID" 10 iface_netstat "$out"
	ip netns exec "$NS_A" "$E2E_TMP/udp_flood" "$IP_B" $port "$rate" "$secs" >"$E2E_TMP/sent_a" &
	ip netns exec "$NS_B" "$E2E_TMP/udp_flood" "$IP_A" $port "$rate" "$secs" >"$E2E_TMP/sent_b"
	wait $!
	prog_stats "$E2E_PID" >"$stats"
	sysctl -qw kernel.bpf_stats_enabled=0
	kill -INT "$E2E_PID"
	e2e_await_exit "$E2E_PID" 10 iface_netstat
	E2E_PID=
	sent_a=$(grep -oE '[0-9]+' "$E2E_TMP/sent_a" | head -1) sent_b=$(grep -oE '[0-9]+' "$E2E_TMP/sent_b" | head -1)
	awk -v m="$mode" -v r="$2" -v s=$((sent_a + sent_b)) '
		{ c += $2; t += $3; progs = progs " " $1 "=" ($2 ? sprintf("%.0f", $3 / $2) : "-") }
		END { printf "%-8s %5s %10d %12d %8.0f %s\n", m, r, s, c, c ? t / c : 0, progs }' "$stats"
}

echo "iface_netstat -n $DEV_A, UDP floods of $rate datagrams/s each way for $secs s ($(uname -r), $(nproc) CPUs)"
printf '%-8s %5s %10s %12s %8s %s\n' mode round sent "BPF runs" "ns/run" "ns/run per program"
for r in $(seq 1 "$rounds"); do
	for mode in btf classic; do
		one_run "$mode" "$r"
	done
done
echo
for mode in btf classic; do
	echo "$mode, all rounds:"
	bench_program_table "$E2E_TMP"/stats."$mode".*
done
