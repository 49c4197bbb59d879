#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sched_latency_monitor on a starved process: sched_starved spins 2 s pinned to one CPU beside
# two spinning cpu_hog threads; the tool's run-queue delay of its thread, summed over the
# samples, must agree with what the scheduler itself counted (/proc/<tid>/schedstat, field 2)
# within 5 % + 5 ms (both measure the same waits: the machine's other load only lengthens them
# alike), and be at least a third of the spin (expected two thirds: three spinners share the
# CPU). Side by side, a text instance with overlapping samples (-t 2 -i 1) stops after
# --duration with its log; then a missing, an ambiguous and a vanishing target are clear errors.
. "$(dirname "$0")/lib.sh"
e2e_setup_local slm

PROGS=${CPU_PROGS:?set CPU_PROGS to the folder of cpu_hog and sched_starved}
CPU=$(($(nproc) - 1))
SPIN=2

# start_prog OUT CMD...: a test program in the background, once it printed "ready".
start_prog() {
	local out=$1
	shift
	"$@" >"$out" 2>&1 &
	PROG_PID=$!
	E2E_HELPERS+=("$PROG_PID")
	e2e_wait_line "$out" '^ready' 5
}

# --- 1. Target resolution errors (before anything is loaded).
start_prog "$E2E_TMP/s1.out" "$PROGS/sched_starved" "$CPU" "$SPIN"
first=$PROG_PID
start_prog "$E2E_TMP/s2.out" "$PROGS/sched_starved" "$CPU" "$SPIN"
second=$PROG_PID
"$BIN/sched_latency_monitor" -p sched_starved -l "$E2E_TMP/none.log" >"$E2E_TMP/err" 2>&1
expect_eq "two processes of the name: exit status" "$?" 1
expect_grep "two processes of the name: the error names both" "$E2E_TMP/err" \
	"^Error: 2 processes are named 'sched_starved' \(($first, $second|$second, $first)\): choose one with --pid$"
kill "$second"
wait "$second" 2>/dev/null
"$BIN/sched_latency_monitor" -p no_such_process_x -l "$E2E_TMP/none.log" >"$E2E_TMP/err" 2>&1
expect_eq "missing process: exit status" "$?" 1
expect_grep "missing process: the error" "$E2E_TMP/err" "^Error: no process named 'no_such_process_x' is running"
"$BIN/sched_latency_monitor" -p sched_starved -t 0 >"$E2E_TMP/err" 2>&1
expect_eq "period 0: exit status" "$?" 2

# --- 2. The starved target, JSON (stopped by Ctrl-C) and text (--duration 8, -t 2 -i 1).
start_prog "$E2E_TMP/hogs.out" "$PROGS/cpu_hog" "$CPU:0:slm_hog" "$CPU:0:slm_hog"
json=$E2E_TMP/slm.json
log=$E2E_TMP/slm.log
"$BIN/sched_latency_monitor" --ready-file "$E2E_TMP/ready.text" -p sched_starved -t 2 -i 1 --duration 8 \
	-l "$log" -v >"$E2E_TMP/verbose.out" 2>&1 &
text_pid=$!
e2e_start "$json" sched_latency_monitor -p sched_starved --json
e2e_await_ready "$E2E_TMP/ready.text" "$text_pid" 10 sched_latency_monitor "$E2E_TMP/verbose.out"
kill -USR1 "$first"
e2e_wait_line "$E2E_TMP/s1.out" '^spun' $((SPIN + 15))
sleep 0.3
e2e_stop
read -r _ tid sched_ns slices < <(grep '^spun' "$E2E_TMP/s1.out")
tool_ms=$(jq -s "[.[].tasks[] | select(.tid == $tid) | .total_delay_ms] | add // 0" "$json")
tool_switches=$(jq -s "[.[].tasks[] | select(.tid == $tid) | .switches] | add // 0" "$json")
sched_ms=$(awk -v n="$sched_ns" 'BEGIN { printf "%.3f", n / 1e6 }')
e2e_pass "sched_starved's thread $tid: tool ${tool_ms} ms in $tool_switches waits, schedstat ${sched_ms} ms in $slices slices"
if awk -v t="$tool_ms" -v s="$sched_ms" 'BEGIN { d = t - s; if (d < 0) d = -d; exit !(d <= 0.05 * s + 5) }'; then
	e2e_pass "run-queue delay agrees with schedstat within 5 % + 5 ms"
else
	e2e_fail "run-queue delay ${tool_ms} ms, schedstat ${sched_ms} ms (tolerance 5 % + 5 ms)"
fi
if awk -v t="$tool_ms" -v spin="$SPIN" 'BEGIN { exit !(t >= spin * 1000 / 3) }'; then
	e2e_pass "starved: waited ${tool_ms} ms of a ${SPIN} s spin (expected ~2/3)"
else
	e2e_fail "not starved: waited only ${tool_ms} ms of a ${SPIN} s spin"
fi
expect_eq "JSON samples are numbered from 1" "$(jq -s '[.[].sample] | .[0]' "$json")" 1
expect_eq "every JSON sample names the process" "$(jq -s '[.[] | select(.process != "sched_starved")] | length' "$json")" 0

e2e_await_exit "$text_pid" 15 "sched_latency_monitor --duration 8"
expect_eq "text instance: stopped by itself after --duration with status" "$E2E_STATUS" 0
expect_count "log header once" "$log" '^Scheduler Latency Monitoring Log$' 1
expect_count "8 samples started in 8 s, one a second" "$log" '^==================== Sample #[1-8] ====================$' 8
expect_count "overlapping samples of 2 s: the last one cut at 8 s" "$log" '^Period: 2 s \(stopped after 1\.[0-9]{3} s\)$' 1
expect_grep "the target's row in the perf sched latency layout" "$log" \
	"^  sched_starved:$tid +\| +[0-9]+\.[0-9]{3} ms \| +[0-9]+ \| avg: +[0-9]+\.[0-9]{3} ms \| max: +[0-9]+\.[0-9]{3} ms \| max at: +[0-9]+\.[0-9]{6} s$"
expect_no_grep "the hogs are another process" "$log" 'slm_hog'
expect_grep "verbose: progress with millisecond timestamps" "$E2E_TMP/verbose.out" \
	'^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{3}\] Sample #8 completed'

# --- 3. The target exits while monitored: a clear error, exit status 1.
E2E_STDERR=$E2E_TMP/vanish.err e2e_start "$E2E_TMP/vanish.json" sched_latency_monitor --pid "$first" --json
kill "$first"
e2e_await_exit "$E2E_PID" 10 "sched_latency_monitor (target gone)"
E2E_PID=
expect_eq "target exited: exit status" "$E2E_STATUS" 1
expect_grep "target exited: the error" "$E2E_TMP/vanish.err" "^Error: the target process sched_starved \(PID $first\) exited$"

expect_no_leftovers
e2e_finish
