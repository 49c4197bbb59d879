#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# offcputime-ts sums the off-CPU time of cpu_waits' threads: cw_long sleeps 5 x 200 ms, cw_pipe
# blocks 3 times in read() on a pipe written 300 ms after each block, cw_short sleeps 5 x 1 ms. Expected
# per thread (the time includes waiting for a CPU after the wakeup, so the bounds are wide
# upwards; the classes stay a factor 2 apart even on a loaded 2-core machine):
#   cw_long  1000 ms: [1000, 1600] in stacks with do_nanosleep and cw_long_sleeper
#   cw_pipe   900 ms: [850, 1500] in stacks with pipe_read and cw_pipe_reader
#   cw_short    5 ms: [5, 400] in stacks with do_nanosleep and cw_short_sleeper
# The dynamic build is watched with --json (modern object), the static build with -f (folded,
# legacy object) and -m 100000 (periods under 100 ms left out: no cw_short line). -I mode:
# reports framed by the Start/End rules, the last one at Ctrl-C.
. "$(dirname "$0")/lib.sh"
e2e_setup_local offcpu

# within WHAT GOT_MS LOW HIGH
within() {
	if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then e2e_pass "$1: $2 ms (expected $3..$4)"; else e2e_fail "$1: $2 ms, expected $3..$4"; fi
}

dyn=$E2E_TMP/dyn.out
cpu_waits_start "$dyn" offcpu
dyn_pid=$CW_PID
CW_PROGRAM=${CPU_WAITS}_static cpu_waits_start "$E2E_TMP/static.out" offcpu
static_pid=$CW_PID

json=$E2E_TMP/json
folded=$E2E_TMP/folded
series=$E2E_TMP/series
e2e_start "$json" offcputime-ts --json -p "$dyn_pid" 60
json_tool=$E2E_PID
BPFNET_FORCE_LEGACY=1 e2e_start "$folded" offcputime-ts -f -m 100000 --pid "$static_pid" 60
folded_tool=$E2E_PID
e2e_start "$series" offcputime-ts -I 1 -K -p "$dyn_pid"
series_tool=$E2E_PID
prom=$E2E_TMP/offcpu.prom
E2E_STDERR=$E2E_TMP/prom.err e2e_start "$E2E_TMP/prom.out" offcputime-ts -I 1 -p "$dyn_pid" --prometheus-textfile "$prom" --quiet
prom_tool=$E2E_PID
CW_PID=$dyn_pid cpu_waits_run "$dyn" 20
CW_PID=$static_pid cpu_waits_run "$E2E_TMP/static.out" 20
for E2E_PID in $json_tool $folded_tool $series_tool $prom_tool; do e2e_stop; done

# sum_json COMM KERNEL_FRAME USER_FRAME: ms of the entries of COMM whose stacks have both frames.
sum_json() {
	jq -s --arg c "$1" --arg k "$2" --arg u "$3" \
		'[.[] | select(.comm == $c and any(.kernel_stack[]; test($k)) and any(.user_stack[]; . == $u)) | .off_cpu_us] | add // 0 | . / 1000 | floor' "$json"
}
within "cw_long (JSON, dynamic binary)" "$(sum_json cw_long do_nanosleep cw_long_sleeper)" 1000 1600
within "cw_pipe (JSON, dynamic binary)" "$(sum_json cw_pipe pipe_read cw_pipe_reader)" 850 1500
within "cw_short (JSON, dynamic binary)" "$(sum_json cw_short do_nanosleep cw_short_sleeper)" 5 400
# sched_switch fires in __schedule; the program's and the tracepoint runner's frames are not shown.
expect_eq "JSON: every kernel stack starts at __schedule" \
	"$(jq -s '[.[] | select((.kernel_stack | length) > 0 and .kernel_stack[0] != "__schedule")] | length' "$json")" 0
expect_eq "JSON: entries with a kernel stack" \
	"$(jq -s '[.[] | select((.kernel_stack | length) > 0)] | length > 0' "$json")" true
expect_eq "JSON: every entry is of the traced process" \
	"$(jq -s --argjson p "$dyn_pid" '[.[] | select(.pid != $p)] | length' "$json")" 0

# sum_folded COMM KERNEL_FRAME USER_FRAME: the same from folded lines "comm;user...;kernel... us".
sum_folded() {
	awk -v c="$1" -v k="$2" -v u="$3" '{ n = split($1, f, ";"); hk = hu = 0
		for (i = 2; i <= n; i++) { if (f[i] ~ k) hk = 1; if (f[i] == u) hu = 1 }
		if (f[1] == c && hk && hu) s += $2 } END { printf "%d\n", s / 1000 }' "$folded"
}
within "cw_long (folded, static binary, legacy object)" "$(sum_folded cw_long do_nanosleep cw_long_sleeper)" 1000 1600
within "cw_pipe (folded, static binary, legacy object)" "$(sum_folded cw_pipe pipe_read cw_pipe_reader)" 850 1500
expect_count "-m 100000 leaves out the 1 ms sleeps" "$folded" '^cw_short;' 0
expect_no_grep "folded mode prints no banner" "$folded" '^(Tracing|Probe:)'

expect_grep "-I banner" "$series" '^Tracing off-CPU time \(us\) of PIDs [0-9]+ by kernel stack, output every 1 secs\.\.\. Hit Ctrl-C to end\.$'
starts=$(count_lines "$series" '^=== Off-CPU Analysis Report - Start Time: [0-9-]+ [0-9:]+ ===$')
ends=$(count_lines "$series" '^=== Off-CPU Analysis Report - End Time: [0-9-]+ [0-9:]+ ===$')
[ "$starts" -ge 2 ] && [ "$starts" -eq "$ends" ] && e2e_pass "-I: $starts reports, each framed" ||
	e2e_fail "-I: $starts report starts, $ends ends"
expect_no_grep "-K: no user frames" "$series" 'cw_long_sleeper'
expect_grep "-I: the kernel stacks of cw_long" "$series" '^    -                cw_long \([0-9]+\)$'

# The metrics: each thread's off-CPU seconds since the start, summed over the -I reports.
prom_ms() { # COMM
	awk -v c="bpfnet_offcputime_ts_off_cpu_seconds_total{comm=\"$1\"}" '$1 == c { printf "%d\n", $2 * 1000; f = 1 }
		END { if (!f) print 0 }' "$prom"
}
within "cw_long (metrics, -I 1)" "$(prom_ms cw_long)" 1000 1600
within "cw_pipe (metrics, -I 1)" "$(prom_ms cw_pipe)" 850 1500
within "cw_short (metrics, -I 1)" "$(prom_ms cw_short)" 5 400
# Two of the test's few dozen stacks share a hash bucket of the 16384 once in some tens of
# runs: such a loss is counted apart, and the map never fills.
expect_grep "metrics: no stack lost to a full map" "$prom" '^bpfnet_offcputime_ts_stack_traces_lost_total{reason="table_full"} 0$'
expect_grep "metrics: no stack lost for another reason" "$prom" '^bpfnet_offcputime_ts_stack_traces_lost_total{reason="other"} 0$'
expect_eq "--quiet: nothing on stdout" "$(wc -c <"$E2E_TMP/prom.out")" 0
if promtool check metrics <"$prom" >"$E2E_TMP/promtool.log" 2>&1; then
	e2e_pass "promtool check metrics accepts the file"
else
	e2e_fail "promtool check metrics: $(cat "$E2E_TMP/promtool.log")"
fi

expect_no_leftovers
e2e_finish
