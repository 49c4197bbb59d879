#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The three drop-counting tools count exactly the drops the scenario causes, per stack, device
# and flow, with the original's cumulative or per-interval semantics.
. "$(dirname "$0")/lib.sh"
e2e_setup dss 204

# Cumulative summary, filtered on device and 5-tuple. The drops go right after cycle 1 was
# printed, from one process (milliseconds), well inside the 2 s of cycle 2; cycles 2 and 3
# both count all of them.
out=$E2E_TMP/summary
e2e_start "$out" kernel_drop_stack_stats_summary -n "$DEV_B" --src-ip "$IP_A" --dst-port 9999 \
	--l4-protocol udp -i 2 -d 12
e2e_wait_line "$out" ' Cycle 1 - ' 10
udp_to "$NS_A" "$IP_B" 9999 7 8
udp_to "$NS_A" "$IP_B" 8888 3 8        # excluded by --dst-port
e2e_wait_exit 25
expect_grep "banner echoes the filters" "$out" \
	"^Tracing kfree_skb calls with histograms, 2s intervals\.\.\. \(filters: device: $DEV_B, src IP: $IP_A, dst port: 9999, protocol: UDP\)$"
expect_count "cumulative cycles" "$out" '^\[[-0-9: ]+\] Cycle [23] - Total drops: 7 \[showing top 5\]$' 2
expect_grep "final total" "$out" '^Total packet drops: 7$'
expect_grep "final entry" "$out" "^Count: 7 calls \(100\.0%\) \[device: $DEV_B\] \[stack_id: [0-9]+\]$"
expect_grep "module-annotated frames" "$out" '^  __udp4_lib_rcv\+0x[0-9a-f]+ \[kernel\]$'
expect_grep "completed" "$out" '^Tracing completed\.$'

out=$E2E_TMP/summary_none
e2e_start "$out" kernel_drop_stack_stats_summary -n "$DEV_B" --l4-protocol tcp -i 1 -d 2
udp_to "$NS_A" "$IP_B" 9999 3
e2e_wait_exit 10
expect_grep "protocol filter excludes UDP" "$out" '^No successful stack traces collected\.$'

# Per-interval counts by flow.
out=$E2E_TMP/all
e2e_start "$out" kernel_drop_stack_stats_summary_all --device "$DEV_B" --group-by fivetuple -i 2
# Each burst right after a cycle was printed, so it falls inside the next 2 s cycle.
e2e_wait_line "$out" ' Cycle 1 - Interval drops: 0 ' 10
udp_to "$NS_A" "$IP_B" 9999 4 8
e2e_wait_line "$out" ' Cycle 2 - ' 10
udp_to "$NS_A" "$IP_B" 9998 2 8
e2e_wait_line "$out" ' Cycle 3 - ' 10
e2e_stop
expect_grep "an empty interval" "$out" '^\[[-0-9: ]+\] Cycle 1 - Interval drops: 0 \[showing top 5, grouped by: fivetuple\]$'
expect_grep "the first burst's interval" "$out" '^\[[-0-9: ]+\] Cycle 2 - Interval drops: 4 \[showing top 5, grouped by: fivetuple\]$'
expect_grep "the next interval restarts the counts" "$out" '^\[[-0-9: ]+\] Cycle 3 - Interval drops: 2 '
expect_count "flows of the first interval" "$out" "^     Flow: $IP_A:[0-9]+ -> $IP_B:9999 \(UDP\)$" 4
expect_count "flows of the second interval" "$out" "^     Flow: $IP_A:[0-9]+ -> $IP_B:9998 \(UDP\)$" 2
expect_no_grep "no interval mixes both" "$out" 'Interval drops: 6'

# The metrics of the per-interval tool are cumulative: 4 drops, an interval with none (its
# text would say 0), then 3 more give 7; decoys at another port are filtered out.
prom=$E2E_TMP/kdssa.prom
# prom_sum FILE METRIC: the sum of the metric's samples in FILE.
prom_sum() { awk -v m="$2" '$1 ~ "^"m"({|$)" { s += $NF } END { print s + 0 }' "$1"; }
out=$E2E_TMP/all_prom
E2E_STDERR=$E2E_TMP/all_prom.err e2e_start "$out" kernel_drop_stack_stats_summary_all --device "$DEV_B" \
	--dst-port 9999 -i 1 --prometheus-textfile "$prom" --quiet
udp_to "$NS_A" "$IP_B" 9999 4 8
udp_to "$NS_A" "$IP_B" 8888 3 8        # excluded by --dst-port
for _ in $(seq 1 50); do
	[ "$(prom_sum "$prom" bpfnet_kernel_drop_stack_stats_all_drops_total 2>/dev/null)" = 4 ] && break
	sleep 0.2
done
sleep 2.5                              # two more intervals without drops
expect_eq "metrics: the first burst, still counted after empty intervals" \
	"$(prom_sum "$prom" bpfnet_kernel_drop_stack_stats_all_drops_total)" 4
udp_to "$NS_A" "$IP_B" 9999 3 8
sleep 1.5
e2e_stop
expect_eq "metrics: drops since the start" "$(prom_sum "$prom" bpfnet_kernel_drop_stack_stats_all_drops_total)" 7
expect_grep "metrics: by device, stack and caller" "$prom" \
	"^bpfnet_kernel_drop_stack_stats_all_drops_total\{device=\"$DEV_B\",stack_id=\"[0-9]+\",caller=\"__udp4_lib_rcv\"\} 7$"
expect_grep "metrics: table never full" "$prom" '^bpfnet_kernel_drop_stack_stats_all_not_counted_table_full_total 0$'
expect_eq "--quiet: nothing on stdout" "$(wc -c <"$out")" 0
if promtool check metrics <"$prom" >"$E2E_TMP/promtool.log" 2>&1; then
	e2e_pass "promtool check metrics accepts the file"
else
	e2e_fail "promtool check metrics: $(cat "$E2E_TMP/promtool.log")"
fi

# The bpftrace script's positional parameters and map printing.
out=$E2E_TMP/bt
e2e_start "$out" kernel_drop_stack_stats "$DEV_B" 2
e2e_wait_line "$out" ' Cycle 1 - ' 10
udp_to "$NS_A" "$IP_B" 9999 5 8
# The 5 drops may straddle a cycle's end on a loaded machine: wait for the cycle that has
# them all, then the cycles' deltas must add up to its total.
e2e_wait_line "$out" ' Cycle [0-9]+ - Total drops: 5 ' 10
e2e_stop
expect_grep "device filter banner" "$out" "^Device filter: $DEV_B$"
expect_grep "cycle lines" "$out" '^[0-9:]{8} Cycle [0-9]+ - Total drops: 5 \(\+[1-5] in last 2s\)$'
expect_eq "cycle deltas add up to the total" \
	"$(sed -nE 's/^[0-9:]{8} Cycle [0-9]+ - Total drops: [0-9]+ \(\+([0-9]+) in last 2s\)$/\1/p' "$out" | awk '{ n += $1 } END { print n + 0 }')" 5
expect_grep "device totals" "$out" "^@device_totals\[$DEV_B\]: 5$"
expect_grep "bpftrace-style frames" "$out" '^    __udp4_lib_rcv\+[0-9]+$'
expect_grep "stack key closes with the device" "$out" "^, $DEV_B\]: 5$"
expect_grep "final total" "$out" '^Total packet drops: 5$'
expect_no_leftovers
e2e_finish
