#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# drop_hook_overhead.sh [LABEL=BIN_DIR[:VAR=VALUE]...]: what a drop tool attached costs each
# dropped packet in all, the hook's own machinery included (the kernel's BPF statistics count
# only the program). udp_flood sends BENCH_COUNT/BENCH_SECONDS datagrams a second (1 000 000 in
# 4 s) of BENCH_SIZE bytes (1; above 1472 each is sent in fragments) from one namespace to a
# closed port of the other (tests/e2e/lib.sh); the veth hands each one to the receiving stack in
# the sender's own context, so the sender's system time is the whole path, the reassembly, the
# drop and the hooks included. Per round: the flood with no tool, then with BENCH_TOOL (eth_drop)
# and BENCH_ARGS (--src-ip of a host that sends nothing: every drop is rejected by the filter) of
# each build, VAR=VALUE in its environment if given (BPFNET_FORCE_KPROBE=1: the same build on its
# kprobes). Prints the sender's system time per datagram and, per build, the difference to no
# tool. Run as root, under the e2e lock:
#   flock /tmp/bpfnet-e2e.lock tests/bench/drop_hook_overhead.sh before=/tmp/old/bin after=build/bin
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=${BENCH_TOOL:-eth_drop}
count=${BENCH_COUNT:-1000000}
secs=${BENCH_SECONDS:-4}
size=${BENCH_SIZE:-1}
rounds=${BENCH_ROUNDS:-4}
[ $# -gt 0 ] || set -- "build=$here/../../build/bin"
BPFNET_BIN=${1#*=}
export BPFNET_BIN=${BPFNET_BIN%%:*}
. "$here/../e2e/lib.sh"
e2e_setup dho 233
args=${BENCH_ARGS:---src-ip 10.233.0.77}
cc -O2 -Wall -o "$E2E_TMP/udp_flood" "$here/udp_flood.c" || e2e_die "cannot build udp_flood"
noports() { ip netns exec "$NS_B" awk '/^Udp:/ { if (h) print $3; h = 1 }' /proc/net/snmp; }

# flood_ns: the sender's system time per datagram (ns), "?" unless every datagram was dropped.
flood_ns() {
	local n0 n1 sys
	n0=$(noports)
	sys=$( { TIMEFORMAT=%S; time ip netns exec "$NS_A" "$E2E_TMP/udp_flood" "$IP_B" 9 $((count / secs)) "$secs" "$size" >/dev/null; } 2>&1)
	n1=$(noports)
	if [ $((n1 - n0)) -ne "$count" ]; then echo "?"; return; fi
	awk -v s="$sys" -v n="$count" 'BEGIN { printf "%.0f", s * 1e9 / n }'
}

echo "$tool $args: the sender's system time per dropped datagram ($count of $size bytes in $secs s, $(uname -r), $(nproc) CPUs)"
printf '%-10s %5s %8s %8s\n' build round ns "+ns"
for r in $(seq 1 "$rounds"); do
	base=$(flood_ns)
	printf '%-10s %5s %8s %8s\n' none "$r" "$base" -
	for spec in "$@"; do
		BIN=${spec#*=} var=
		[[ $BIN == *:*=* ]] && var=${BIN#*:} BIN=${BIN%%:*}
		[ -z "$var" ] || export "${var?}"
		# shellcheck disable=SC2086 # BENCH_ARGS are words
		e2e_start "$E2E_TMP/out" "$tool" $args
		[ -z "$var" ] || unset "${var%%=*}"
		ns=$(flood_ns)
		e2e_stop
		printf '%-10s %5s %8s %8s\n' "${spec%%=*}" "$r" "$ns" \
			"$(awk -v a="$ns" -v b="$base" 'BEGIN { if (a == "?" || b == "?") print "?"; else print a - b }')"
	done
done
e2e_finish
