#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# qdisc_drop_trace on this kernel's tracepoints. A token bucket with a tiny queue on each side of
# a veth pair drops part of a UDP burst; the tool, filtered to one device, must report exactly
# the drops that device's qdisc counts (one DROP line each, with reason and queue depth, and in
# the per-interval reason counts), nothing of the other device, and entry counts that add up
# with the qdisc's own counters. Then --json --summary --duration and --drops-only.
. "$(dirname "$0")/lib.sh"
e2e_setup qdt 221

# Datagrams to a port without a socket would make the receiver send ICMP errors back through
# the other qdisc: drop them silently instead.
for ns in "$NS_A" "$NS_B"; do
	ip netns exec "$ns" iptables -A INPUT -p udp --dport 5555 -j DROP || e2e_die "cannot add the iptables rule"
done
tc -n "$NS_A" qdisc add dev "$DEV_A" root tbf rate 8kbit burst 1600 limit 1600 || e2e_die "cannot add tbf on $DEV_A"
tc -n "$NS_B" qdisc add dev "$DEV_B" root tbf rate 8kbit burst 1600 limit 1600 || e2e_die "cannot add tbf on $DEV_B"

# burst NS DST COUNT: COUNT datagrams of 1000 bytes (1042 on the wire), back to back.
burst() {
	for _ in $(seq 1 "$3"); do
		ip netns exec "$1" bash -c "printf '%1000s' x > /dev/udp/$2/5555" 2>/dev/null
	done
}

# tc_stat NS DEV sent|dropped|backlog: packets the root qdisc sent, dropped, holds.
tc_stat() {
	tc -n "$1" -s qdisc show dev "$2" | awk -v want="$3" '
		/^ Sent / { sent = $4; dropped = $7; sub(/,/, "", dropped) }
		/^ backlog / { backlog = $3; sub(/p$/, "", backlog) }
		END { print (want == "sent") ? sent : (want == "dropped") ? dropped : backlog }'
}

# sum FILE REGEX: the sum of the last field of the matching lines (0 if none).
sum() {
	awk -v re="$2" '$0 ~ re { s += $NF } END { print s + 0 }' "$1"
}

# section_sum FILE HEADER: sum of the "  <code>: <count> (<name>)" lines under HEADER, in
# every statistics block.
section_sum() {
	awk -v h="$2" '
		$0 == h { on = 1; next }
		on && /^  [0-9]+: [0-9]+ \(/ { s += $2; next }
		{ on = 0 }
		END { print s + 0 }' "$1"
}

# 1. Text output with qdisc events (--verbose), statistics every second, drops on both
#    devices, filter on A.
out=$E2E_TMP/text
e2e_start "$out" qdisc_drop_trace --interface "$DEV_A" --interval 1 --verbose
burst "$NS_A" "$IP_B" 10
burst "$NS_B" "$IP_A" 10
# At 8 kbit/s the one queued datagram leaves after about a second: let both queues drain.
sleep 2.5
e2e_stop
sent=$(tc_stat "$NS_A" "$DEV_A" sent)
dropped=$(tc_stat "$NS_A" "$DEV_A" dropped)
backlog=$(tc_stat "$NS_A" "$DEV_A" backlog)
dropped_b=$(tc_stat "$NS_B" "$DEV_B" dropped)
echo "tc on $DEV_A: sent $sent dropped $dropped backlog $backlog; on $DEV_B: dropped $dropped_b"
[ "$dropped" -ge 5 ] && [ "$dropped_b" -ge 5 ] || e2e_die "the bursts did not overflow both qdiscs"
[ "$backlog" -eq 0 ] || e2e_die "the queue of $DEV_A did not drain"

expect_grep "tracepoint for __dev_queue_xmit" "$out" "^Probe: __dev_queue_xmit: raw_tracepoint net:net_dev_queue "
expect_grep "drops from skb:kfree_skb reasons" "$out" "^Probe: qdisc_drop: raw_tracepoint skb:kfree_skb \(reasons QDISC_DROP"
expect_grep "attached probes listed" "$out" "^Attached probes: __dev_queue_xmit, dev_hard_start_xmit, qdisc_enqueue, qdisc_dequeue, qdisc_drop$"
expect_count "one DROP line per packet the qdisc of $DEV_A dropped" "$out" "^\[[0-9:]{8}\] qdisc_drop DROP - DEV: $DEV_A PID: [0-9]+ COMM: .* LEN: [0-9]+ REASON: QDISC_DROP$" "$dropped"
# drop_lines FILE: the detail lines of DROP events.
drop_lines() {
	awk '/^\[/ { drop = / qdisc_drop DROP - / ; next } drop' "$1"
}
full=$(drop_lines "$out" | grep -cE "^  QDISC: tbf [0-9a-f]+: FLAGS: 0x[0-9a-f]{8} QLEN: [1-9][0-9]* BACKLOG: [1-9][0-9]* DROPS: [0-9]+ ")
expect_eq "every drop shows the tbf and its full queue (QLEN >= 1)" "$full" "$dropped"
with_ip=$(awk -v ip="  IP: $IP_A -> $IP_B PROTO: 0x0800" 'drop && $0 == ip { n++ } { drop = / qdisc_drop DROP - / } END { print n + 0 }' "$out")
expect_eq "each DROP line names the datagram's addresses" "$with_ip" "$dropped"
last_drops=$(drop_lines "$out" | grep -E "^  QDISC: tbf " | tail -1 | sed -E 's/.* DROPS: ([0-9]+) .*/\1/')
expect_eq "the qdisc's drop counter at the last drop" "${last_drops:-0}" "$dropped"
expect_no_grep "nothing from $DEV_B" "$out" "DEV: $DEV_B "
expect_eq "drops in the interval statistics (qdisc_drop reasons)" "$(section_sum "$out" "qdisc_drop reasons:")" "$dropped"
expect_eq "__dev_queue_xmit entries = sent + dropped" "$(sum "$out" '^  __dev_queue_xmit entries: ')" $((sent + dropped))
expect_eq "qdisc_enqueue entries = packets the qdisc accepted" "$(sum "$out" '^  qdisc_enqueue entries: ')" "$sent"
expect_eq "qdisc_dequeue packets = packets the qdisc sent" "$(sum "$out" '^  qdisc_dequeue packets: ')" "$sent"
expect_eq "dev_hard_start_xmit entries = packets the qdisc sent" "$(sum "$out" '^  dev_hard_start_xmit entries: ')" "$sent"
expect_eq "dev_hard_start_xmit: one driver status per packet sent" "$(section_sum "$out" "dev_hard_start_xmit return codes:")" "$sent"
expect_count "no failure status from the driver" "$out" '^  [1-9][0-9]*: [0-9]+ \((NET_XMIT|NETDEV|UNKNOWN|-E)' 0
expect_count "__dev_queue_xmit ENTRY lines" "$out" "^\[[0-9:]{8}\] __dev_queue_xmit ENTRY - DEV: $DEV_A " $((sent + dropped))
expect_count "--verbose: a qdisc_enqueue line per packet accepted" "$out" "^\[[0-9:]{8}\] qdisc_enqueue ENTRY - DEV: $DEV_A " "$sent"
expect_eq "--verbose: qdisc_dequeue lines count the packets sent" "$(sum "$out" " qdisc_dequeue ENTRY - DEV: $DEV_A .* PACKETS: ")" "$sent"
expect_count "no return codes without kprobes" "$out" "^__dev_queue_xmit return codes:" 0
blocks=$(count_lines "$out" "^STATISTICS SUMMARY \(per interval\)$")
if [ "$blocks" -ge 3 ]; then e2e_pass "a statistics block every second and at exit: $blocks"; else e2e_fail "only $blocks statistics blocks"; fi
expect_grep "final block after Ctrl-C" "$out" "^Stopping qdisc drop monitoring\.\.\.$"
expect_grep "no lost events" "$out" "^Lost events: 0$"
expect_no_leftovers

# 2. JSON, statistics only, stops by itself after --duration.
dropped0=$dropped
total0=$(($(tc_stat "$NS_A" "$DEV_A" sent) + dropped + $(tc_stat "$NS_A" "$DEV_A" backlog)))
out=$E2E_TMP/json
# Beside it, the same counts as metrics (only in the file: --quiet).
prom=$E2E_TMP/qdt.prom
"$BIN/qdisc_drop_trace" --ready-file "$E2E_TMP/ready.prom" --interface "$DEV_A" --summary --interval 1 \
	--duration 5 --prometheus-textfile "$prom" --quiet >"$E2E_TMP/prom.out" 2>"$E2E_TMP/prom.err" &
prom_pid=$!
e2e_await_ready "$E2E_TMP/ready.prom" "$prom_pid" 10 qdisc_drop_trace "$E2E_TMP/prom.out" "$E2E_TMP/prom.err"
E2E_STDERR=$out.stderr e2e_start "$out" qdisc_drop_trace --interface "$DEV_A" --json --summary --interval 1 --duration 5
start=$SECONDS
burst "$NS_A" "$IP_B" 8
e2e_wait_exit 15
e2e_await_exit "$prom_pid" 10 "qdisc_drop_trace --prometheus-textfile"
took=$((SECONDS - start))
dropped=$(tc_stat "$NS_A" "$DEV_A" dropped)
if jq -e . "$out" >/dev/null 2>&1; then e2e_pass "every line is JSON"; else e2e_fail "output is not JSON lines"; cat "$out"; fi
expect_grep "warnings on stderr" "$out.stderr" "^Warning: no interface '$DEV_A' in this network namespace"
if [ "$took" -ge 4 ] && [ "$took" -le 8 ]; then e2e_pass "--duration 5 ended the run after ${took}s"; else e2e_fail "--duration 5 ran ${took}s"; fi
expect_eq "JSON qdisc_drops counts" "$(jq -s '[.[] | .qdisc_drops[]? | select(.reason == "QDISC_DROP") | .count] | add // 0' "$out")" $((dropped - dropped0))
expect_eq "one final report" "$(jq -s '[.[] | select(.report == "final")] | length' "$out")" 1
expect_eq "no events with --summary" "$(jq -s '[.[] | select(.event)] | length' "$out")" 0
total=$(($(tc_stat "$NS_A" "$DEV_A" sent) + dropped + $(tc_stat "$NS_A" "$DEV_A" backlog)))
expect_eq "JSON entries of __dev_queue_xmit = packets offered to the qdisc" "$(jq -s '[.[] | .entries.__dev_queue_xmit // 0] | add' "$out")" $((total - total0))

# psum METRIC LABEL-REGEX: the sum of the metric's samples whose labels match.
psum() {
	awk -v m="$1" -v l="$2" '$1 ~ "^"m"([{]|$)" && $1 ~ l { s += $NF } END { print s + 0 }' "$prom"
}
expect_eq "--quiet: nothing on stdout" "$(wc -c <"$E2E_TMP/prom.out")" 0
expect_eq "metrics: qdisc drops" "$(psum bpfnet_qdisc_drop_trace_qdisc_drops_total 'reason="QDISC_DROP"')" $((dropped - dropped0))
expect_eq "metrics: entries of __dev_queue_xmit = packets offered to the qdisc" \
	"$(psum bpfnet_qdisc_drop_trace_entries_total 'function="__dev_queue_xmit"')" $((total - total0))
expect_grep "metrics: table never full" "$prom" '^bpfnet_qdisc_drop_trace_not_counted_table_full_total 0$'
if promtool check metrics <"$prom" >"$E2E_TMP/promtool.log" 2>&1; then
	e2e_pass "promtool check metrics accepts the file"
else
	e2e_fail "promtool check metrics: $(cat "$E2E_TMP/promtool.log")"
fi

# 3. --drops-only: DROP lines, no ENTRY lines.
dropped0=$dropped
out=$E2E_TMP/drops
e2e_start "$out" qdisc_drop_trace --interface "$DEV_A" --drops-only
burst "$NS_A" "$IP_B" 8
sleep 0.5
e2e_stop
dropped=$(tc_stat "$NS_A" "$DEV_A" dropped)
expect_count "--drops-only: DROP lines" "$out" " qdisc_drop DROP - DEV: $DEV_A " $((dropped - dropped0))
expect_count "--drops-only: no ENTRY lines" "$out" " ENTRY - " 0
expect_no_leftovers
e2e_finish
