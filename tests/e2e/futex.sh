#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# futex times the futex() calls of a contended mutex: cpu_waits' waiter thread blocks 4 times
# on a mutex its main thread holds 300 ms after the waiter sleeps in futex(); each wait is
# 300 ms + the wakeup (tolerance: < 212 ms late, even on a loaded machine), so exactly 4 calls
# fall into [256, 512) ms and none above; the same in microseconds ([256K, 512K)) with --json.
# Both runs filter on the program's pid (-p); Ctrl-C and SIGTERM end them with the exit dump,
# --duration by itself; no BPF program is left behind. The text run also writes the metrics
# (--prometheus-textfile, -i 1): promtool accepts every version of the file seen while it runs
# and the last one, whose buckets are the text histogram's rows (4 in le="0.511" - le="0.255").
. "$(dirname "$0")/lib.sh"
e2e_setup_local futex

prog=$E2E_TMP/cpu_waits.out
cpu_waits_start "$prog" futex 4 300
text=$E2E_TMP/futex.txt
json=$E2E_TMP/futex.json
prom=$E2E_TMP/futex.prom
e2e_start "$text" futex -p "$CW_PID" -i 1 --prometheus-textfile "$prom"
text_pid=$E2E_PID
e2e_start "$json" futex --pid "$CW_PID" --unit us --json
json_pid=$E2E_PID
# Copies of the metrics file as it is rewritten every second.
(i=0; while :; do cp "$prom" "$E2E_TMP/snap.$((i++)).prom" 2>/dev/null; sleep 0.4; done) &
snapper=$!
E2E_HELPERS+=("$snapper")
cpu_waits_run "$prog" 20
kill "$snapper"
wait "$snapper" 2>/dev/null

E2E_PID=$text_pid
e2e_stop
kill -TERM "$json_pid"
e2e_await_exit "$json_pid" 10 "futex --json (after SIGTERM)"
expect_eq "futex --json exit status after SIGTERM" "$E2E_STATUS" 0
cat "$text"

expect_eq "first line" "$(head -n1 "$text")" "Attaching 2 probes..."
expect_count "histogram header" "$text" '^@lat: $' 1
expect_count "4 waits of 300 ms in [256, 512)" "$text" '^\[256, 512\) +4 \|@+ *\|$' 1
# No wait of 512 ms or more: the last row is the 300 ms bucket.
expect_eq "last histogram row" "$(grep -E '^\[' "$text" | tail -n1 | cut -c1-10)" "[256, 512)"

# The metrics: the last file holds the numbers of the exit dump.
family=bpfnet_futex_call_duration_seconds
bucket() { prom_sample "$prom" "${family}_bucket{le=\"$1\"}"; }
grep -v '_bucket.* 0$' "$prom"
expect_promtool "metrics" "$E2E_TMP"/snap.*.prom "$prom"
expect_eq "metrics: the buckets are the text's rows" "$(prom_slot_counts "$prom" "$family")" "$(bt_hist_counts "$text")"
expect_eq "metrics: _count = the text's calls" "$(prom_sample "$prom" "${family}_count")" \
	"$(bt_hist_counts "$text" | tr ' ' '\n' | awk '{ s += $1 } END { print s }')"
expect_eq "metrics: 4 waits in (0.255, 0.511] s" "$(($(bucket 0.511) - $(bucket 0.255)))" 4
expect_eq "metrics: none above 0.511 s" "$(($(bucket +Inf) - $(bucket 0.511)))" 0
expect_eq "metrics: untimed calls" "$(prom_sample "$prom" bpfnet_futex_untimed_calls_total)" 0
sum_ms=$(awk -v s="${family}_sum" '$1 == s { printf "%d\n", $2 * 1000 }' "$prom")
if [ "$sum_ms" -ge 1200 ] && [ "$sum_ms" -le 2100 ]; then
	e2e_pass "metrics: _sum $sum_ms ms (4 x 300 ms + wakeups and the short calls)"
else
	e2e_fail "metrics: _sum $sum_ms ms, expected 1200..2100"
fi

if command -v jq >/dev/null; then
	expect_eq "JSON unit" "$(jq -r .unit "$json")" us
	expect_eq "JSON: 4 waits in [262144, 524287] us" \
		"$(jq -c '[.lat[] | select(.low == 262144 and .high == 524287) | .count]' "$json")" "[4]"
	expect_eq "JSON: none above" "$(jq '[.lat[] | select(.low >= 524288) | .count] | add // 0' "$json")" 0
	expect_eq "JSON calls = sum of buckets" "$(jq '.calls == ([.lat[].count] | add)' "$json")" true
else
	e2e_fail "jq is missing"
fi

# --duration: stops by itself with the dump (nothing to time: an idle process).
e2e_start "$E2E_TMP/dur.txt" futex -p "$CW_PID" -d 1
e2e_wait_exit 10
expect_count "--duration 1: the two newlines of the exit dump" "$E2E_TMP/dur.txt" '^$' 2

expect_no_leftovers
e2e_finish
