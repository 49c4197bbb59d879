#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# start_time.sh [BIN_DIR] [TOOL...]: exec -> probes attached (the hidden --ready-file) for every
# tool that attaches on this host, BENCH_RUNS (10) runs each: the median, min and max in ms, and
# the medians of the time the tool ran on a CPU and waited for one until then, as a Markdown
# table; tools that exit first are listed with the reason (their last line on stderr). Tools
# that need an argument to start get the one in ARGS below. Run as root, under the e2e lock
# (the tools attach to the host kernel):
#   flock /tmp/bpfnet-e2e.lock tests/bench/start_time.sh build/bin
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:-$here/../../build/bin}" && pwd)
shift $(($# > 0 ? 1 : 0))
runs=${BENCH_RUNS:-10}
tmp=$(mktemp -d)
trap 'kill $sleeper 2>/dev/null; rm -rf "$tmp"' EXIT
cc -O2 -Wall -o "$tmp/exec_ready" "$here/exec_ready.c" || exit 1
cd "$tmp" || exit 1 # tools that write files where they run (sched_latency_monitor) write them here
# A process for the tools that watch one, by PID or by a name no other process has.
cp "$(command -v sleep)" "$tmp/bench_sleeper"
"$tmp/bench_sleeper" 600 &
sleeper=$!

declare -A ARGS=(
	[cpu_monitor]="-c 0"
	[iface_netstat]="-n lo"
	[pthread_rwlock_wrlock]="-p $sleeper"
	[pthread_rwlock_wrlock-stack]="$sleeper"
	[futex]="-p $sleeper"
	[offcputime-ts]="-p $sleeper"
	[sched_latency_monitor]="-p bench_sleeper"
	[virtnet_irq_monitor]="--irqs 0"
	[kernel_drop_stack_stats]="lo 1"
)
# Tools with no probes of their own.
declare -A SKIP=([drop_monitor_controller]="runs the other tools, no probes of its own")

tools=("$@")
[ ${#tools[@]} -gt 0 ] || mapfile -t tools < <(ls "$bin")
echo "| tool | median (ms) | min | max | on CPU (ms, median) | waiting for a CPU (ms, median) | peak RSS (MiB, max) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
skipped=()
for t in "${tools[@]}"; do
	[ -z "${SKIP[$t]:-}" ] || { skipped+=("$t: ${SKIP[$t]}"); continue; }
	times=()
	for _ in $(seq 1 "$runs"); do
		# shellcheck disable=SC2086
		"$tmp/exec_ready" "$tmp/ready" "$bin/$t" ${ARGS[$t]:-} 2>"$tmp/err" </dev/null >"$tmp/out"
		r=$(tail -1 "$tmp/out")
		case $r in
		exit* | timeout) skipped+=("$t: $r, $(grep -v '^\s*$' "$tmp/err" | tail -1)"); times=(); break ;;
		esac
		times+=("$r")
	done
	[ ${#times[@]} -gt 0 ] || continue
	median() { # COLUMN: the median of that column of times
		printf '%s\n' "${times[@]}" | awk -v c="$1" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END {
			printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	}
	range=$(printf '%s\n' "${times[@]}" | awk '{ print $1 }' | sort -n | sed -n '1p;$p' | tr '\n' ' ')
	read -r lo hi <<<"$range"
	rss=$(printf '%s\n' "${times[@]}" | awk '$4 > m { m = $4 } END { printf "%.1f", m / 1024 }')
	echo "| $t | $(median 1) | $lo | $hi | $(median 2) | $(median 3) | $rss |"
done
if [ ${#skipped[@]} -gt 0 ]; then
	echo
	echo "Not attached on $(uname -r):"
	printf -- '- %s\n' "${skipped[@]}"
fi
