#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# BPF time per drop of the drop tools on the host (it has the skb:kfree_skb tracepoint): a UDP
# flood to a closed port between two namespaces (every datagram is dropped with NO_SOCKET), the
# kernel's BPF statistics (sysctl kernel.bpf_stats_enabled=1, run_time_ns / run_cnt of the tool's
# programs in `bpftool prog show`) while each configuration is attached:
#   eth_drop, filtered out  --src-ip of a host that sends nothing (the flood is decoy traffic only:
#                           the common case on a busy host, every drop rejected by the filter)
#   eth_drop, matched       --src-ip of the flood's sender (every drop printed, stdout to a file)
#   summary                 kernel_drop_stack_stats_summary, no filter (every drop counted per stack
#                           and device: the kernel stack walk and the counter)
#   summary, filtered out   --dst-port of no traffic (every drop parsed and rejected: no stack)
#   summary, tuple filter   --dst-port of the flood (every drop parsed, then counted)
# Run as root, under the host e2e lock (it makes namespaces and veths like the e2e tests):
#   flock /tmp/bpfnet-e2e.lock tests/bench/drop_cost.sh
# Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5) per configuration and round, BPFNET_BIN (build/bin).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export BPFNET_BIN=${BPFNET_BIN:-$(cd "$here/../.." && pwd)/build/bin}
source "$here/../e2e/lib.sh"
source "$here/lib.sh"
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-5}
for c in bpftool jq python3; do command -v $c >/dev/null || e2e_die "$c is needed"; done
e2e_setup dcb 211

# flood SECONDS: UDP datagrams from NS_A to a closed port of NS_B as fast as one process sends.
flood() {
	ip netns exec "$NS_A" timeout "$1" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    try: s.sendto(b'x' * 32, ('$IP_B', 9999))
    except OSError: pass" 2>/dev/null
	return 0
}

# measure NAME TOOL ARGS...: one round: attach, flood with BPF statistics on, "NAME run_cnt run_time_ns".
measure() {
	local name=$1 cnt=0 ns=0 id c t
	shift
	e2e_start "$E2E_TMP/$name.out" "$@"
	sysctl -qw kernel.bpf_stats_enabled=1
	flood "$SECS"
	for id in $(bpf_ids_of "$E2E_PID" | sed -n 's/^prog://p'); do
		read -r c t < <(bpftool prog show id "$id" -j | jq -r '"\(.run_cnt // 0) \(.run_time_ns // 0)"')
		cnt=$((cnt + c)) ns=$((ns + t))
	done
	sysctl -qw kernel.bpf_stats_enabled=0
	e2e_stop
	echo "$name $cnt $ns" >>"$E2E_TMP/stats"
}

: >"$E2E_TMP/stats"
for ((r = 1; r <= ROUNDS; r++)); do
	measure eth_drop_filtered_out eth_drop --src-ip 10.211.0.77
	measure eth_drop_matched eth_drop --src-ip "$IP_A"
	measure summary kernel_drop_stack_stats_summary -i 3600
	measure summary_filtered_out kernel_drop_stack_stats_summary -i 3600 --dst-port 7 --l4-protocol udp
	measure summary_tuple_filter kernel_drop_stack_stats_summary -i 3600 --dst-port 9999 --l4-protocol udp
done
echo "BPF time per drop (kfree_skb tracepoint runs, $ROUNDS rounds of $SECS s, kernel $(uname -r)):"
table=$(bench_program_table "$E2E_TMP/stats" | sed '$d')    # the configurations in order, no "all"
head -1 <<<"$table"
tail -n +2 <<<"$table" | sort
grep -c '' "$E2E_TMP/eth_drop_matched.out" | sed 's/^/eth_drop matched, output lines of the last round: /'
