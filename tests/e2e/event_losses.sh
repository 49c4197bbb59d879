#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Events lost to a full buffer are reported as they happen and in the totals, alike in text and
# JSON. eth_drop runs with a one-page event buffer (the test switch BPFNET_TEST_EVENT_BUFFER) and
# is stopped (SIGSTOP) while N datagrams are dropped, so most of them cannot be submitted. Then:
# events printed + events reported lost == N, a loss report comes within ~1 s while the tool
# runs, the reports add up to the final total, and a JSON stream ends with the totals object.
. "$(dirname "$0")/lib.sh"
e2e_setup elo 231
N=300
PORT=9997

# lossy_run OUT ARGS...: eth_drop (ARGS: --json or not) missing most of N drops; the loss report
# must appear while it still runs.
lossy_run() {
	local out=$1
	shift
	BPFNET_TEST_EVENT_BUFFER=4096 e2e_start "$out" eth_drop --src-ip "$IP_A" --dst-port $PORT "$@"
	kill -STOP "$E2E_PID"
	udp_to "$NS_A" "$IP_B" $PORT $N 1
	kill -CONT "$E2E_PID"
	REPORTED_LIVE=no
	for _ in $(seq 1 20); do
		grep -qE '"lost_events_total"|^\[[0-9:]{8}\] Lost events: ' "$out" && { REPORTED_LIVE=yes; break; }
		sleep 0.1
	done
	e2e_stop
}

# check_counts MODE EVENTS REPORTS_SUM LAST_REPORT_TOTAL FINAL
check_counts() {
	expect_eq "$1: losses reported while running (within 2 s)" "$REPORTED_LIVE" yes
	if [ "$5" -gt 0 ]; then e2e_pass "$1: $5 of $N events lost"; else e2e_fail "$1: no event lost"; fi
	expect_eq "$1: events printed + lost = drops" $(($2 + $5)) $N
	expect_eq "$1: the loss reports add up to the final total" "$3" "$5"
	expect_eq "$1: the last report's total is the final total" "$4" "$5"
}

out=$E2E_TMP/text
lossy_run "$out"
check_counts text "$(count_lines "$out" "^  UDP Ports: [0-9]+ -> $PORT$")" \
	"$(sed -nE 's/^\[[0-9:]{8}\] Lost events: \+([0-9]+) \([0-9]+ in total\)$/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')" \
	"$(sed -nE 's/^\[[0-9:]{8}\] Lost events: \+[0-9]+ \(([0-9]+) in total\)$/\1/p' "$out" | tail -1)" \
	"$(sed -nE 's/^Lost events: ([0-9]+)$/\1/p' "$out")"
expect_eq "text: the totals line comes last" "$(tail -1 "$out" | sed -E 's/[0-9]+$/N/')" "Lost events: N"

# json_run MODE: the same with --json; the stream must be valid JSON lines ending with the totals.
json_run() {
	local out=$E2E_TMP/$1
	lossy_run "$out" --json
	if jq -e . "$out" >/dev/null 2>&1; then e2e_pass "$1: valid JSON lines"; else e2e_fail "$1: not JSON"; cat "$out"; fi
	check_counts "$1" \
		"$(jq -s "[.[] | select(.dst_port == $PORT and .src_ip == \"$IP_A\")] | length" "$out")" \
		"$(jq -s '[.[] | select(has("lost_events_total")) | .lost_events] | add // 0' "$out")" \
		"$(jq -s '[.[] | select(has("lost_events_total")) | .lost_events_total] | last' "$out")" \
		"$(tail -1 "$out" | jq 'select(.final == true) | .lost_events')"
	expect_eq "$1: the last object is the totals" "$(tail -1 "$out" | jq -c 'keys')" '["final","lost_events"]'
}
json_run json
# The legacy object's perf buffer (one page per CPU) loses and reports the same way.
BPFNET_FORCE_LEGACY=1 json_run json-legacy
expect_no_leftovers
e2e_finish
