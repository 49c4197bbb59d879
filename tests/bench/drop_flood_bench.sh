#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# drop_flood_bench.sh [LABEL=BIN_DIR...]: a per-event drop tool (BENCH_TOOL, eth_drop by default,
# no filter) on the host under a flood of drops: UDP datagrams at BENCH_RATE a second (60000)
# to a closed port between two namespaces (tests/e2e/lib.sh), BENCH_SECONDS (20) long, stdout
# to a file. For each build (LABEL=BIN_DIR, default "build=build/bin"), BENCH_ROUNDS (2) rounds
# alternating between builds, it prints the drops caused (the receiver's UDP NoPorts), events
# printed and their rate, events reported lost, and the tool's CPU time over the flood (user +
# system, % of one CPU). BENCH_ARGS are extra arguments of the tool; BENCH_PERF=PREFIX records a profile of
# the tool during the flood (perf record -g) into PREFIX.LABEL. Another tool: BENCH_EVENT_RE, an
# ERE matching the one line each event prints (eth_drop's by default), and BENCH_SETUP, shell
# code run once the namespaces ($NS_A, $NS_B) exist (e.g. a conntrack rule). Run as root, under
# the e2e lock: flock /tmp/bpfnet-e2e.lock tests/bench/drop_flood_bench.sh before=/tmp/old/bin after=build/bin
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=${BENCH_TOOL:-eth_drop}
rate=${BENCH_RATE:-60000}
secs=${BENCH_SECONDS:-20}
rounds=${BENCH_ROUNDS:-2}
port=9
[ $# -gt 0 ] || set -- "build=$here/../../build/bin"
export BPFNET_BIN=${1#*=}
. "$here/../e2e/lib.sh"
e2e_setup dfb 232
[ -z "${BENCH_SETUP:-}" ] || eval "$BENCH_SETUP" || e2e_die "BENCH_SETUP failed"
event_re=${BENCH_EVENT_RE:-'^\[[0-9:]{8}\] PID: '}
cc -O2 -Wall -o "$E2E_TMP/udp_flood" "$here/udp_flood.c" || e2e_die "cannot build udp_flood"
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
noports() { ip netns exec "$NS_B" awk '/^Udp:/ { if (h) print $3; h = 1 }' /proc/net/snmp; }

# one_run LABEL BIN_DIR: prints "LABEL drops printed lost cpu_percent"
one_run() {
	local label=$1 bin=$2 out=$E2E_TMP/out c0 c1 t0 t1 n0 n1 printed lost
	BIN=$bin
	e2e_start "$out" "$tool" ${BENCH_ARGS:-}
	n0=$(noports) c0=$(cpu_ticks "$E2E_PID") t0=$(date +%s.%N)
	local prof=
	if [ -n "${BENCH_PERF:-}" ]; then
		perf record -q -g -o "$BENCH_PERF.$label" -p "$E2E_PID" -- sleep "$secs" 2>/dev/null &
		prof=$!
	fi
	ip netns exec "$NS_A" "$E2E_TMP/udp_flood" "$IP_B" $port "$rate" "$secs" >/dev/null
	[ -z "$prof" ] || wait "$prof"
	sleep 1 # the tool catches up with what is buffered
	c1=$(cpu_ticks "$E2E_PID") t1=$(date +%s.%N) n1=$(noports)
	e2e_stop
	printed=$(grep -cE -- "$event_re" "$out")
	lost=$(sed -nE 's/^Lost events: ([0-9]+)$/\1/p' "$out" | tail -1)
	echo "$label $((n1 - n0)) $printed ${lost:-?} $(awk -v c=$((c1 - c0)) -v hz="$hz" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.1f", 100 * c / hz / (b - a) }')"
}

echo "$tool ${BENCH_ARGS:-} under $rate UDP drops/s for $secs s, stdout to a file ($(uname -r), $(nproc) CPUs)"
printf '%-10s %5s %10s %10s %10s %10s %8s\n' build round drops printed "printed/s" lost "CPU %"
for r in $(seq 1 "$rounds"); do
	for spec in "$@"; do
		read -r label drops printed lost cpu < <(one_run "${spec%%=*}" "${spec#*=}")
		printf '%-10s %5s %10s %10s %10s %10s %8s\n' "$label" "$r" "$drops" "$printed" \
			"$(awk -v p="$printed" -v s="$secs" 'BEGIN { printf "%.0f", p / s }')" "$lost" "$cpu"
	done
done
